"""Every table of kanava, imported in one place for Alembic and the test suite."""

from kanava.catalogue.models import Channel, ChannelEvent, Municipality, OrgUnit, PostalArea, Topic
from kanava.contacts.models import ContactTotal
from kanava.hours.models import HoursRule

__all__ = [
    "Channel",
    "ChannelEvent",
    "ContactTotal",
    "HoursRule",
    "Municipality",
    "OrgUnit",
    "PostalArea",
    "Topic",
]
