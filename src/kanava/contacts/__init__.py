"""Customer contacts in every channel, and the totals where only totals exist."""
