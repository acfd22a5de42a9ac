"""Notifications through an outbox: written with the change, sent afterwards, never lost."""
