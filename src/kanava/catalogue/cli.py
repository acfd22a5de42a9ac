"""Catalogue commands: channels, hours, guide, topics, units, import and export."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from kanava import clock
from kanava.cli_support import (
    ByOption,
    LangOption,
    _,
    babel_locale,
    channel_kind_names,
    cli_session,
    clock_time,
    console,
    language,
    operator_name,
    print_json,
    print_recorded,
    use_language,
    user_errors,
    when,
)

if TYPE_CHECKING:
    from kanava.catalogue.schemas import ChannelRead

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
AtOption = Annotated[
    str | None,
    typer.Option("--at", help="Instant, ISO 8601 (local Helsinki time without an offset)."),
]

import_app = typer.Typer(help="Import channels from files.", no_args_is_help=True)
export_app = typer.Typer(help="Export the catalogue.", no_args_is_help=True)


def _instant(text: str | None) -> datetime:
    from kanava.timeparse import parse_instant

    return parse_instant(text, "--at") if text else clock.now()


def _lang(lang: str | None) -> str:
    return use_language(lang)


def state_names() -> dict[str, str]:
    return {
        "open": _("open"),
        "closed": _("closed"),
        "by_appointment": _("by appointment"),
        "self_service": _("self-service"),
    }


def section_names() -> dict[str, str]:
    return {
        "online": _("online"),
        "phone": _("by phone"),
        "booking": _("appointment"),
        "service_points": _("service point"),
        "asiointipisteet": _("joint service point"),
        "post": _("by post"),
    }


def _summary(channel: ChannelRead, lang: str) -> dict[str, Any]:
    name = getattr(channel.name, lang) or channel.name.fi
    return {
        "id": channel.id,
        "kind": channel.kind,
        "name": name,
        "topic": channel.topic_id,
        "municipality_code": channel.municipality_code,
        "phone": channel.phone.display if channel.phone else None,
        "status": channel.status,
        "provenance": channel.provenance,
        "open": channel.open,
        "state": channel.state,
        "closes_at": channel.closes_at.isoformat() if channel.closes_at else None,
        "next_opening": channel.next_opening.isoformat() if channel.next_opening else None,
        "hours_text": channel.hours_text,
    }


def _provenance_label(provenance: str, reported_on: str | None) -> str:
    """Say in the table what a row is: illustrative, or a public fact of a given date."""
    if provenance == "illustrative":
        return " (" + _("illustrative, not a Kela point") + ")"
    if provenance == "public_source":
        if not reported_on:
            return " (" + _("undated source") + ")"
        day = ".".join(str(int(part)) for part in reversed(reported_on.split("-")))
        return " (" + _("reported %(date)s") % {"date": day} + ")"
    return ""


@user_errors
def channels(
    topic: Annotated[str | None, typer.Option(help="Topic id, e.g. elakkeet.")] = None,
    kind: Annotated[str | None, typer.Option(help="Channel kind, e.g. phone_line.")] = None,
    municipality: Annotated[str | None, typer.Option(help="Municipality name or code.")] = None,
    at: AtOption = None,
    lang: LangOption = None,
    as_json: JsonFlag = False,
) -> None:
    """List channels, with whether each is open at an instant and when it next opens."""
    from kanava.catalogue import service

    moment = _instant(at)
    with cli_session() as session:
        page = service.list_channels(
            session=session,
            kind=kind,
            topic=topic,
            municipality=municipality,
            at=moment,
            lang=_lang(lang),
            page_size=service.MAX_PAGE_SIZE,
        )
    rows = [_summary(channel, language()) for channel in page.items]
    if as_json:
        print_json(rows)
        return
    table = Table(
        "id", _("kind"), _("name"), _("open now"), _("next opening"), _("hours"),
        title=when(moment),
    )  # fmt: skip
    kinds = channel_kind_names()
    for row in rows:
        opens = datetime.fromisoformat(row["next_opening"]) if row["next_opening"] else None
        is_open = {True: _("yes"), False: _("no"), None: "–"}[row["open"]]
        table.add_row(
            row["id"], kinds.get(row["kind"], row["kind"]), row["name"], is_open, when(opens),
            row["hours_text"] or "",
        )  # fmt: skip
    console.print(table)


@user_errors
def hours(
    channel_id: Annotated[str, typer.Argument(help="Channel id, e.g. puhelin-elakkeet.")],
    from_: Annotated[str | None, typer.Option("--from", help="First date, YYYY-MM-DD.")] = None,
    days: Annotated[int, typer.Option(help="How many days.")] = 7,
    lang: LangOption = None,
    as_json: JsonFlag = False,
) -> None:
    """A channel's hours day by day, holidays named."""
    from babel.dates import format_date

    from kanava.catalogue import service
    from kanava.timeparse import parse_date

    first = parse_date(from_, "--from") if from_ else clock.today()
    with cli_session() as session:
        result = service.channel_hours(
            session=session, channel_id=channel_id, first=first, days=days, lang=_lang(lang)
        )
    if as_json:
        print_json(result)
        return
    table = Table(_("date"), _("hours"), _("note"), title=f"{channel_id}: {result.hours_text}")
    states = state_names()
    for day in result.days:
        spans = ", ".join(
            f"{clock_time(s.start)}–{clock_time(s.end)} {states.get(s.state, s.state)}"
            for s in day.spans
        )
        label = format_date(day.date, "EEE d.M.yyyy", locale=babel_locale())
        table.add_row(label, spans or "–", day.holiday_name or "")
    console.print(table)
    if result.hours_note:
        console.print(result.hours_note, style="dim")


@user_errors
def guide(
    topic: Annotated[str, typer.Option(help="Topic id; see `kanava topics`.")],
    municipality: Annotated[str | None, typer.Option(help="Municipality name or code.")] = None,
    postal_code: Annotated[str | None, typer.Option(help="Postal code, e.g. 41340.")] = None,
    lang: LangOption = None,
    at: AtOption = None,
    as_json: JsonFlag = False,
) -> None:
    """The ways to get served on a matter: online first, then phone, booking, points, post."""
    from kanava.catalogue import service
    from kanava.config import get_settings

    with cli_session() as session:
        result = service.guide(
            session=session,
            topic=topic,
            municipality=municipality,
            postal_code=postal_code,
            lang=_lang(lang),
            at=_instant(at),
            road_factor=get_settings().road_factor,
        )
    if as_json:
        print_json(result)
        return
    lang = language()
    place = f" – {result.origin.name}" if result.origin else ""
    title = f"{getattr(result.topic.name, lang) or result.topic.name.fi}{place} – {when(result.at)}"
    table = Table(
        "", _("how"), _("name"), _("contact"), _("open now"), _("hours"), "km", title=title
    )
    sections = section_names()
    for number, option in enumerate(result.options, start=1):
        contact = (option.phone.display if option.phone else None) or option.url or ""
        if option.address and option.address.street:
            contact = option.address.street
        is_open = {True: _("open"), False: _("closed"), None: ""}[option.open]
        if option.open and option.closes_at:
            is_open = _("open until %(time)s") % {"time": clock_time(option.closes_at)}
        if option.open is False and option.next_opening:
            is_open = _("opens %(time)s") % {"time": when(option.next_opening)}
        name = option.name + _provenance_label(option.provenance, option.reported_on)
        distance = f"{option.distance_km:.0f}" if option.distance_km is not None else ""
        table.add_row(
            str(number),
            sections.get(option.section, option.section),
            name,
            contact,
            is_open,
            option.hours_text or option.hours_note or "",
            distance,
        )
    console.print(table)
    console.print(result.distance_note, style="dim")


@user_errors
def topics(as_json: JsonFlag = False, lang: LangOption = None) -> None:
    """The topic ids and names."""
    from kanava.catalogue import service

    lang = _lang(lang)
    with cli_session() as session:
        result = service.list_topics(session=session)
    if as_json:
        print_json(result)
        return
    table = Table("id", _("name"), _("phone line"))
    for topic in result:
        table.add_row(topic.id, getattr(topic.name, lang) or topic.name.fi, topic.phone_line_id)
    console.print(table)


@user_errors
def units(as_json: JsonFlag = False, lang: LangOption = None) -> None:
    """The organisation units, with their population and the figures sources give."""
    from kanava.catalogue import service

    lang = _lang(lang)
    with cli_session() as session:
        result = service.list_units(session=session)
    if as_json:
        print_json(result)
        return
    table = Table("id", _("name"), _("director"), _("population"), _("figures"))
    figure_names = {
        "staff": _("staff"),
        "service_points": _("service points"),
        "asiointipisteet": _("joint service points"),
        "lahipalvelupisteet": _("local service points"),
    }
    not_known = _("not known")
    for unit in result:
        figures = ", ".join(
            f"{figure_names.get(k, k)}: {not_known if v is None else v}"
            for k, v in unit.figures.items()
        )
        population = f"{unit.population:,}".replace(",", " ") if unit.population else ""
        table.add_row(
            unit.id, getattr(unit.name, lang) or unit.name.fi, unit.director, population, figures
        )
    console.print(table)


@import_app.command("ptv")
@user_errors
def import_ptv(
    files: Annotated[list[Path], typer.Argument(help="PTV Open API v11 channel JSON files.")],
) -> None:
    """Import Suomi.fi PTV service channels; one bad record refuses the whole import."""
    from kanava.catalogue.importers import import_ptv_files

    with cli_session(write=True) as session:
        report = import_ptv_files(session, files, clock.now())
    console.print(
        _("PTV import: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
        % report.__dict__
    )
    for note in report.notes:
        console.print(note, style="yellow")


@import_app.command("points")
@user_errors
def import_points(
    file: Annotated[Path, typer.Argument(help="CSV of service points; see docs/data.md.")],
) -> None:
    """Import the service points a manager keeps in a spreadsheet (CSV)."""
    from kanava.catalogue.importers import import_points_csv

    with cli_session(write=True) as session:
        report = import_points_csv(session, file, clock.now())
    console.print(
        _("points import: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
        % report.__dict__
    )


@export_app.command("jsonld")
@user_errors
def export_jsonld(
    out: Annotated[Path | None, typer.Option(help="File to write; stdout by default.")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="First date of holiday hours.")
    ] = None,
) -> None:
    """The catalogue as schema.org JSON-LD."""
    from kanava.catalogue import service
    from kanava.timeparse import parse_date

    first = parse_date(from_, "--from") if from_ else clock.today()
    with cli_session() as session:
        document = service.export_jsonld(session=session, first=first)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


@export_app.command("ndjson")
@user_errors
def export_ndjson(
    out: Annotated[Path | None, typer.Option(help="File to write; stdout by default.")] = None,
) -> None:
    """Every record of the catalogue, one JSON object per line."""
    from kanava.catalogue import service

    with cli_session() as session:
        lines = [json.dumps(r, ensure_ascii=False) for r in service.iter_catalogue(session=session)]
    text = "\n".join(lines) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


@user_errors
def correct(
    channel_id: Annotated[str, typer.Argument(help="The channel's id, e.g. laukaa-ajanvaraus.")],
    street: Annotated[str | None, typer.Option(help="Street address, e.g. Laukaantie 10.")] = None,
    postal_code: Annotated[str | None, typer.Option(help="Five digits.")] = None,
    post_office: Annotated[str | None, typer.Option(help="The town, e.g. Laukaa.")] = None,
    hours: Annotated[
        str | None, typer.Option(help='Regular hours, e.g. "Mo-Fr 09:00-16:00".')
    ] = None,
    status: Annotated[str | None, typer.Option(help="active, closed or replaced.")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="The day the status holds from, 1.9.2025.")
    ] = None,
    by: ByOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Correct a point's address, hours or status; the change is recorded (who, when)."""
    from kanava.catalogue.corrections import correct_channel
    from kanava.timeparse import parse_date

    changes: dict[str, str | None] = {
        field: value
        for field, value in (("street_address", street), ("postal_code", postal_code),
                             ("post_office", post_office), ("hours", hours), ("status", status))
        if value is not None
    }  # fmt: skip
    if from_ is not None:
        changes["status_date"] = parse_date(from_, "--from").isoformat()
    with cli_session(write=True) as session:
        recorded = correct_channel(
            session=session, channel_id=channel_id, changes=changes, by=operator_name(by),
            now=clock.now(),
        )  # fmt: skip
    print_recorded(recorded, as_json)


@user_errors
def exception(
    channel_id: Annotated[str, typer.Argument(help="Any channel's id, e.g. puhelin-elakkeet.")],
    from_: Annotated[str, typer.Option("--from", help="First day, e.g. 24.12.2025.")],
    to: Annotated[str | None, typer.Option("--to", help="Last day (default: the first).")] = None,
    open_: Annotated[
        str | None, typer.Option("--open", help='Open only then, e.g. "9.00-12.00".')
    ] = None,
    by: ByOption = None,
    as_json: JsonFlag = False,
) -> None:
    """An exception day or days: closed, or open only in the hours given (--open)."""
    from kanava.catalogue.corrections import add_exception
    from kanava.timeparse import parse_date

    first = parse_date(from_, "--from")
    last = parse_date(to, "--to") if to else first
    with cli_session(write=True) as session:
        recorded = add_exception(
            session=session, channel_id=channel_id, first=first, last=last, hours=open_,
            by=operator_name(by), now=clock.now(),
        )  # fmt: skip
    print_recorded([recorded], as_json)


@user_errors
def unit_figures(
    unit_id: Annotated[str, typer.Argument(help="The unit's id, e.g. keskinen.")],
    staff: Annotated[int | None, typer.Option(help="Staff of the unit.")] = None,
    service_points: Annotated[int | None, typer.Option(help="Its service points.")] = None,
    asiointipisteet: Annotated[int | None, typer.Option(help="Its joint service points.")] = None,
    lahipalvelupisteet: Annotated[
        int | None, typer.Option(help="Its local service points.")
    ] = None,
    by: ByOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Set a unit's figures the sources lost (staff, numbers of points); recorded."""
    from kanava.catalogue.corrections import correct_unit

    figures = {
        name: value
        for name, value in (("staff", staff), ("service_points", service_points),
                            ("asiointipisteet", asiointipisteet),
                            ("lahipalvelupisteet", lahipalvelupisteet))
        if value is not None
    }  # fmt: skip
    with cli_session(write=True) as session:
        recorded = correct_unit(
            session=session, unit_id=unit_id, figures=figures, by=operator_name(by), now=clock.now()
        )
    print_recorded(recorded, as_json)


@user_errors
def corrections_list(
    target: Annotated[str | None, typer.Argument(help="Only this channel or unit.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """The record of corrections: what was changed, from what, by whom and when."""
    from kanava.catalogue.corrections import corrections

    with cli_session() as session:
        recorded = corrections(session=session, target_id=target)
    print_recorded(recorded, as_json)


def register(app: typer.Typer) -> None:
    """Mount the catalogue's commands on the root command."""
    app.command()(correct)
    app.command()(exception)
    app.command("unit-figures")(unit_figures)
    app.command("corrections")(corrections_list)
    app.command()(channels)
    app.command()(hours)
    app.command()(guide)
    app.command()(topics)
    app.command()(units)
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")
