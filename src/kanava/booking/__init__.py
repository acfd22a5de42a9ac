"""Appointments (phone, service point, video) and call-back requests."""
