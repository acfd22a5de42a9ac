"""Enumerations of the catalogue."""

from __future__ import annotations

from enum import StrEnum


class ChannelKind(StrEnum):
    """Kinds of service channel, typed the way Suomi.fi PTV types them, plus Kela's own."""

    E_SERVICE = "e_service"
    WEB_PAGE = "web_page"
    PHONE_LINE = "phone_line"
    SERVICE_POINT = "service_point"
    ASIOINTIPISTE = "asiointipiste"
    LAHIPALVELUPISTE = "lahipalvelupiste"
    REMOTE_VIDEO = "remote_video"
    POP_UP = "pop_up"
    CHATBOT = "chatbot"
    SOCIAL_MEDIA = "social_media"
    POSTAL_ADDRESS = "postal_address"
    PRINTABLE_FORM = "printable_form"

    @classmethod
    def physical(cls) -> frozenset[ChannelKind]:
        """Kinds with a place a customer goes to."""
        return frozenset(
            {
                cls.SERVICE_POINT,
                cls.ASIOINTIPISTE,
                cls.LAHIPALVELUPISTE,
                cls.REMOTE_VIDEO,
                cls.POP_UP,
            }
        )


class ChannelStatus(StrEnum):
    """Whether a channel serves; 'replaced' keeps a closed point in the record with its date."""

    ACTIVE = "active"
    REPLACED = "replaced"
    CLOSED = "closed"


class EventKind(StrEnum):
    """Dated facts in a channel's history."""

    OPENED = "opened"
    REPORTED_OPEN = "reported_open"
    REPLACED = "replaced"
    CLOSED = "closed"
    PROPOSED_REPLACEMENT = "proposed_replacement"


class Provenance(StrEnum):
    """Where a record comes from; every figure a user sees says which."""

    SEED = "seed"
    PUBLIC_SOURCE = "public_source"
    ILLUSTRATIVE = "illustrative"
    PTV = "ptv"
    USER = "user"
    SYNTHETIC = "synthetic"
