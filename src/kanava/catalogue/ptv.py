"""Read Suomi.fi PTV Open API v11 service channels into kanava records. Pure.

Kinds: ServiceLocation -> service_point, Phone -> phone_line, EChannel ->
e_service, WebPage -> web_page, PrintableForm -> printable_form.

Hours: DaysOfTheWeek -> regular (an entry with a validity window becomes an
override, like summer hours); OverMidnight -> a span ending the next day;
Exceptional -> a dated exception, except that an exceptional day falling on a
Finnish holiday becomes a rule naming that holiday, so it holds every year (PTV
publishes holidays as the next occurrence only). isReservation -> by appointment;
isAlwaysOpen -> 00:00–24:00 every day; isClosed -> closed.

PTV gives coordinates in ETRS-TM35FIN (EPSG:3067); they are turned into WGS84.
A location PTV could not geocode (``coordinateState`` other than Ok or entered by
hand, or latitude/longitude "0") is kept without coordinates, with a note saying so:
one such record must not refuse a whole file.

Links: web pages and e-services give ``url``; printable forms give their file in
``channelUrls[].value`` (with the file ``type``), as PTV's published model has it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from pyproj import Transformer

from kanava.catalogue.enums import ChannelKind, Provenance
from kanava.catalogue.records import ChannelRecord, phone_forms
from kanava.hours.calendar import holiday_on
from kanava.hours.engine import Rule, RuleError, Span
from kanava.hours.enums import RuleKind, State, Weekday

KIND_OF_TYPE = {
    "ServiceLocation": ChannelKind.SERVICE_POINT,
    "Phone": ChannelKind.PHONE_LINE,
    "EChannel": ChannelKind.E_SERVICE,
    "WebPage": ChannelKind.WEB_PAGE,
    "PrintableForm": ChannelKind.PRINTABLE_FORM,
}
_DAYS = {
    "Monday": 1,
    "Tuesday": 2,
    "Wednesday": 3,
    "Thursday": 4,
    "Friday": 5,
    "Saturday": 6,
    "Sunday": 7,
}


# coordinateState values that mean the latitude and longitude are real.
_COORDINATES_KNOWN = {"ok", "enteredbyuser", "enteredbyar"}


class PtvError(ValueError):
    """A channel PTV's documented shape does not allow; the message names the field."""


@lru_cache(maxsize=1)
def _tm35fin_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)


def _texts(items: list[dict[str, Any]] | None, kind: str | None = None) -> dict[str, str]:
    texts: dict[str, str] = {}
    for item in items or []:
        if kind is None or item.get("type") in (kind, None):
            language, value = item.get("language"), item.get("value")
            if language in ("fi", "sv", "en") and value and language not in texts:
                texts[language] = str(value).strip()
    return texts


def _time(text: str | None, field: str) -> time:
    if not text:
        raise PtvError(f"{field}: missing")
    try:
        return time.fromisoformat(text[:5])
    except ValueError:
        raise PtvError(f"{field}: {text!r} is not a time HH:mm") from None


def _date(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise PtvError(f"{field}: {text!r} is not a date") from None


def _days(entry: dict[str, Any], field: str) -> frozenset[int]:
    first = entry.get("dayFrom")
    if first not in _DAYS:
        raise PtvError(f"{field}.dayFrom: {first!r} is not a weekday name")
    last = entry.get("dayTo") or first
    if last not in _DAYS:
        raise PtvError(f"{field}.dayTo: {last!r} is not a weekday name")
    start, end = _DAYS[first], _DAYS[last]
    # dayTo before dayFrom wraps the week (Fri–Mon).
    days = range(start, end + 1) if start <= end else [*range(start, 8), *range(1, end + 1)]
    return frozenset(days)


def _hour_rule(hour: dict[str, Any], field: str) -> Rule:
    kind_text = hour.get("serviceHourType")
    valid_from = _date(hour.get("validFrom"), f"{field}.validFrom")
    valid_to = _date(hour.get("validTo"), f"{field}.validTo")
    state = State.BY_APPOINTMENT if hour.get("isReservation") else State.OPEN
    openings = hour.get("openingHour") or []
    if kind_text == "Exceptional":
        if valid_from is None:
            raise PtvError(f"{field}.validFrom: an exceptional hour needs its date")
        spans: tuple[Span, ...] = ()
        if not hour.get("isClosed"):
            if len(openings) != 1:
                raise PtvError(f"{field}.openingHour: an exceptional hour has one interval")
            start = _time(openings[0].get("from"), f"{field}.openingHour.from")
            end = _time(openings[0].get("to"), f"{field}.openingHour.to")
            spans = (Span(start, end, state, ends_next_day=end <= start and end != time(0)),)
        holiday = holiday_on(valid_from)
        if holiday and (valid_to is None or valid_to == valid_from):
            return Rule(RuleKind.HOLIDAY, spans, holiday=holiday)
        return Rule(RuleKind.EXCEPTION, spans, valid_from, valid_to or valid_from)
    if kind_text not in ("DaysOfTheWeek", "OverMidnight", "Standard", "Special"):
        raise PtvError(f"{field}.serviceHourType: {kind_text!r} is not a PTV hour type")
    if hour.get("isClosed"):
        raise PtvError(f"{field}.isClosed: not allowed on regular hours (PTV's own rule)")
    if hour.get("isAlwaysOpen"):
        spans = (Span(time(0), time(0), state, Weekday.all_days()),)
    else:
        spans_list = []
        for index, opening in enumerate(openings):
            where = f"{field}.openingHour[{index}]"
            start = _time(opening.get("from"), f"{where}.from")
            end = _time(opening.get("to"), f"{where}.to")
            over_midnight = kind_text in ("OverMidnight", "Special")
            if end <= start and end != time(0) and not over_midnight:
                raise PtvError(f"{where}.to: {end:%H:%M} is before from {start:%H:%M}")
            spans_list.append(
                Span(start, end, state, _days(opening, where), ends_next_day=end <= start)
            )
        spans = tuple(spans_list)
    has_window = hour.get("validForNow") is False or valid_to is not None
    kind = RuleKind.OVERRIDE if has_window else RuleKind.REGULAR
    return Rule(kind, spans, valid_from if has_window else None, valid_to)


def _coordinates(street: dict[str, Any], notes: list[str]) -> tuple[float, float] | None:
    """WGS84 (lat, lon) of an address, or None (with a note) where PTV has none."""
    state = str(street.get("coordinateState") or "Ok")
    northing, easting = street.get("latitude"), street.get("longitude")
    try:
        north, east = float(northing or 0), float(easting or 0)
    except (TypeError, ValueError):
        raise PtvError(
            f"addresses.latitude/longitude: ({northing!r}, {easting!r}) are not numbers"
        ) from None
    if state.casefold() not in _COORDINATES_KNOWN or (north == 0 and east == 0):
        if northing or easting or state.casefold() not in _COORDINATES_KNOWN:
            notes.append(f"no coordinates (coordinateState {state}): stored without a place")
        return None
    if north > 1000:  # TM35FIN metres, as PTV publishes them
        lon, lat = _tm35fin_to_wgs84().transform(east, north)
    else:
        lat, lon = north, east
    if not (59.0 <= lat <= 71.0 and 19.0 <= lon <= 32.0):
        raise PtvError(f"addresses.latitude/longitude: ({lat:.4f}, {lon:.4f}) is not in Finland")
    return lat, lon


def _address(channel: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    addresses = channel.get("addresses") or []
    location = next((a for a in addresses if a.get("type") in ("Location", "Visiting")), None)
    if location is None:
        return {}
    street = location.get("streetAddress") or location
    street_name = _texts(street.get("street")).get("fi")
    number = street.get("streetNumber")
    post_office = _texts(street.get("postOffice")).get("fi")
    municipality = (street.get("municipality") or {}).get("code")
    values: dict[str, Any] = {
        "street_address": " ".join(p for p in (street_name, number) if p) or None,
        "postal_code": street.get("postalCode"),
        "post_office": post_office.title() if post_office else None,
        "municipality": municipality,
    }
    coordinates = _coordinates(street, notes)
    if coordinates is not None:
        values["lat"], values["lon"] = coordinates
    return values


def _links(channel: dict[str, Any]) -> dict[str, str]:
    """The channel's address on the web per language: web pages' url, forms' file."""
    links = [
        {"language": page.get("language"), "value": page.get("url")}
        for page in channel.get("webPages") or channel.get("webPage") or []
    ]
    links += [
        {"language": form.get("language"), "value": form.get("value")}
        for form in channel.get("channelUrls") or []
    ]
    return _texts(links)


def _phone(channel: dict[str, Any]) -> tuple[str | None, str | None, dict[str, str]]:
    """(E.164, national display, charge description by language) of the first voice number."""
    numbers = [n for n in channel.get("phoneNumbers") or [] if n.get("type", "Phone") == "Phone"]
    if not numbers:
        return None, None, {}
    first = numbers[0]
    number = str(first.get("number", "")).replace(" ", "")
    prefix = first.get("prefixNumber")
    try:
        international, display = phone_forms(f"{prefix}{number.lstrip('0')}" if prefix else number)
    except ValueError as error:
        raise PtvError(f"phoneNumbers.{error}") from None
    charges = _texts(
        [
            {"language": n.get("language", "fi"), "value": n.get("chargeDescription")}
            for n in numbers
            if n.get("number") == first.get("number")
        ]
    )
    return international, display, charges


def channel_from_ptv(channel: dict[str, Any], verified: date) -> ChannelRecord:
    """One PTV service channel as a kanava record; PtvError names what is wrong."""
    guid = channel.get("id")
    try:
        guid = str(uuid.UUID(str(guid)))
    except ValueError:
        raise PtvError(f"id: {guid!r} is not a GUID") from None
    type_name = channel.get("serviceChannelType")
    if type_name not in KIND_OF_TYPE:
        raise PtvError(
            f"serviceChannelType: {type_name!r} is not one of {', '.join(sorted(KIND_OF_TYPE))}"
        )
    names = _texts(channel.get("serviceChannelNames"), "Name")
    if "fi" not in names and not names:
        raise PtvError("serviceChannelNames: no name in fi, sv or en")
    descriptions = _texts(channel.get("serviceChannelDescriptions"), "Summary") or _texts(
        channel.get("serviceChannelDescriptions")
    )
    urls = _links(channel)
    phone_number, phone_display, charge = _phone(channel)
    rules = tuple(
        _hour_rule(hour, f"serviceHours[{index}]")
        for index, hour in enumerate(channel.get("serviceHours") or [])
    )
    notes: list[str] = []
    address = _address(channel, notes)
    status = channel.get("publishingStatus", "Published")
    values: dict[str, Any] = {
        "id": f"ptv-{guid}",
        "ptv_id": guid,
        "kind": KIND_OF_TYPE[type_name].value,
        "name_fi": names.get("fi") or next(iter(names.values())),
        "name_sv": names.get("sv"),
        "name_en": names.get("en"),
        "description_fi": descriptions.get("fi"),
        "description_sv": descriptions.get("sv"),
        "description_en": descriptions.get("en"),
        "url_fi": urls.get("fi"),
        "url_sv": urls.get("sv"),
        "url_en": urls.get("en"),
        "phone_number": phone_number,
        "phone_display": phone_display,
        "languages": [str(lang) for lang in channel.get("languages") or []],
        "street_address": address.get("street_address"),
        "postal_code": address.get("postal_code"),
        "post_office": address.get("post_office"),
        "municipality_code": address.get("municipality"),
        "lat": address.get("lat"),
        "lon": address.get("lon"),
        "appointment_only": bool(rules)
        and all(s.state is State.BY_APPOINTMENT for r in rules for s in r.spans),
        "status": "active" if status == "Published" else "closed",
        "hours_note_fi": charge.get("fi"),
        "hours_note_sv": charge.get("sv"),
        "hours_note_en": charge.get("en"),
        "provenance": Provenance.PTV.value,
        "source": f"Suomi.fi PTV service channel {guid}",
        "last_verified": verified,
    }
    return ChannelRecord(values, rules, notes=notes)


def channels_from_document(document: Any, verified: date) -> list[tuple[str, ChannelRecord]]:
    """Every channel of a PTV JSON document (one channel, a list, or a page with itemList)."""
    if isinstance(document, dict) and "itemList" in document:
        items = document["itemList"]
    elif isinstance(document, list):
        items = document
    else:
        items = [document]
    records = []
    for index, item in enumerate(items):
        label = f"item {index}" + (f" ({item.get('id')})" if isinstance(item, dict) else "")
        if not isinstance(item, dict):
            raise PtvError(f"{label}: a channel must be a JSON object")
        try:
            records.append((label, channel_from_ptv(item, verified)))
        except (PtvError, RuleError) as error:
            raise PtvError(f"{label}: {error}") from None
    return records
