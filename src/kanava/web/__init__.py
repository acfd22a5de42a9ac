"""Server-rendered pages (fi/sv/en) for customers, experts, partners and managers."""
