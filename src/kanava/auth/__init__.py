"""Staff, partner and manager users; API tokens; the audit log of sensitive reads."""
