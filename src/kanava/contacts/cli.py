"""`kanava contacts` (load event files) and `kanava stats` (the figures managers read)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from kanava import clock
from kanava.cli_support import (
    LangOption,
    _,
    cli_session,
    console,
    language,
    number,
    print_json,
    use_language,
    user_errors,
)
from kanava.contacts.events import COLUMNS
from kanava.errors import InvalidInput, reason

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
contacts_app = typer.Typer(help="Contact events: load files of them.", no_args_is_help=True)
stats_app = typer.Typer(help="Contact statistics.", no_args_is_help=True)
demo_app = typer.Typer(help="Synthetic demonstration data.", no_args_is_help=True)


def _until(session: Session, until: str | None) -> date:
    """The day given, or the end of the last week with data (today without data)."""
    from kanava.config import get_settings
    from kanava.contacts.stats import last_week_with_data
    from kanava.timeparse import parse_date

    if until:
        return parse_date(until, "until")
    return last_week_with_data(session, get_settings().events_dir) or clock.today()


@demo_app.command("generate")
@user_errors
def demo_generate(
    year: Annotated[int, typer.Option(help="The year to make.")] = 2024,
    seed: Annotated[int, typer.Option(help="The same seed makes the same events.")] = 2024,
) -> None:
    """A synthetic year of contact events (Parquet, read beside the database's events)."""
    from kanava.config import get_settings
    from kanava.contacts.demo import generate_demo

    with cli_session() as session:
        made = generate_demo(session, year, seed, get_settings().events_dir)
    console.print(
        _("%(rows)s synthetic events of %(year)s in %(path)s")
        % {"rows": number(made.rows), "year": year, "path": made.path}
    )


@contacts_app.command("ingest")
@user_errors
def ingest_file(
    file: Annotated[Path, typer.Argument(help="CSV (with a header row) or Parquet.")],
    source: Annotated[
        str | None, typer.Option(help="Name of the system the file comes from (file name).")
    ] = None,
    skip_bad: Annotated[
        Path | None, typer.Option("--skip-bad", help="Store the good rows; write the bad here.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Load contact events; one bad row refuses the file unless --skip-bad is given."""
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from kanava.config import get_settings
    from kanava.contacts.ingest import ingest

    columns = Progress(
        TextColumn("{task.description:<9}"), BarColumn(), TaskProgressColumn(),
        TimeElapsedColumn(), console=console, transient=True, disable=as_json,
    )  # fmt: skip
    with columns, cli_session(write=True) as session:
        task = columns.add_task("reading", total=None)
        report = ingest(
            session,
            file,
            source=source,
            skip_bad=skip_bad,
            now=clock.now(),
            progress=lambda stage, done: columns.update(
                task, description=stage, completed=100 * done, total=100
            ),
            store_dir=get_settings().events_dir,
        )
    if as_json:
        print_json(report.__dict__)
        return
    console.print(
        _("%(rows)s rows: %(stored)s stored, %(already_stored)s already stored, "
          "%(rejected)s rejected") % report.__dict__
        + (" " + _("(see %(file)s)") % {"file": skip_bad} if report.rejected else "")
    )  # fmt: skip


@contacts_app.command("totals")
@user_errors
def totals_file(
    file: Annotated[Path, typer.Argument(help="CSV: period, series, value, unit, source, …")],
    as_json: JsonFlag = False,
) -> None:
    """Load yearly or monthly totals where only totals exist; one bad row refuses all."""
    from kanava.contacts.totals import import_totals

    with cli_session(write=True) as session:
        report = import_totals(session, file)
    if as_json:
        print_json(report.__dict__)
        return
    console.print(_("%(rows)s totals: %(added)s added, %(replaced)s replaced") % report.__dict__)


@contacts_app.command("columns")
def columns_help() -> None:
    """The columns of an event file."""
    for name, meaning in COLUMNS.items():
        console.print(Text.assemble((name, "bold"), f": {meaning}"))


@stats_app.command("channels")
@user_errors
def channels(
    year: Annotated[int, typer.Option(help="The year of the totals.")] = 2024,
    lang: LangOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Yearly volume per channel, each in its own unit, with its source."""
    from kanava.contacts.charts import volume_unit_names
    from kanava.contacts.stats import channel_totals
    from kanava.i18n import pick_lang

    lang = use_language(lang)
    with cli_session() as session:
        totals = [
            {
                "series": t.series,
                "label": pick_lang(t, "label", lang),
                "value": t.value,
                "unit": t.unit,
                "approximate": t.approximate,
                "provenance": t.provenance,
                "source": t.source,
            }
            for t in channel_totals(session, year)
        ]
    if as_json:
        print_json({"year": year, "channels": totals})
        return
    table = Table(title=_("Channels %(year)s") % {"year": year})
    for index, column in enumerate((_("channel"), _("volume"), _("unit"))):
        table.add_column(column, justify="right" if index == 1 else "left")
    units = volume_unit_names(_)
    for row in totals:
        mark = "~" if row["approximate"] else ""
        value = number(float(row["value"] or 0))
        table.add_row(str(row["label"]), f"{mark}{value}", units.get(str(row["unit"]), ""))
    console.print(table)
    if totals:
        console.print(_("source: %(source)s") % {"source": totals[0]["source"]})


@stats_app.command("points")
@user_errors
def points(
    weeks: Annotated[int, typer.Option(help="Full weeks to count, up to --until.")] = 52,
    until: Annotated[
        str | None, typer.Option(help="Last day, 31.12.2024 (the last week with data).")
    ] = None,
    unit: Annotated[
        str | None, typer.Option(help="Only the places of a customer service unit.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Customers a week at each point (no-shows not counted)."""
    from kanava.config import get_settings
    from kanava.contacts.charts import point_names
    from kanava.contacts.stats import customers_per_week
    from kanava.network.places import unit_place_ids

    if not 1 <= weeks <= 520:
        raise InvalidInput("weeks", reason("between 1 and 520"))
    with cli_session() as session:
        last = _until(session, until)
        chosen = unit_place_ids(session, unit) if unit else None
        figures = customers_per_week(
            session, last, weeks, chosen, parquet_dir=get_settings().events_dir
        )
        names = point_names(session, [f.place_id for f in figures], language())
    if as_json:
        print_json(
            {
                "weeks": weeks,
                "until": last.isoformat(),
                "unit": unit,
                "points": [f.__dict__ for f in figures],
            }
        )
        return
    table = Table(
        title=_("Customers a week, %(weeks)s full weeks to %(day)s (synthetic)")
        % {"weeks": weeks, "day": f"{last.day}.{last.month}.{last.year}"}
    )
    for index, column in enumerate((_("point"), _("customers"), _("a week"), _("last week"))):
        table.add_column(column, justify="left" if index == 0 else "right")
    for f in figures:
        table.add_row(
            names.get(f.place_id, f.place_id), number(f.contacts), number(f.per_week, 1),
            number(f.last_week),
        )  # fmt: skip
    console.print(table)


@stats_app.command("chart")
@user_errors
def chart_file(
    kind: Annotated[str, typer.Argument(help="channels, points, heatmap or trend.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write: .svg or .png.")],
    weeks: Annotated[int, typer.Option(help="Full weeks, up to --until.")] = 52,
    until: Annotated[
        str | None, typer.Option(help="Last day, 31.12.2024 (the last week with data).")
    ] = None,
    point: Annotated[list[str] | None, typer.Option(help="Points to draw (points chart).")] = None,
    lang: LangOption = None,
) -> None:
    """Draw a chart of the statistics as SVG or PNG."""
    from kanava.config import get_settings
    from kanava.contacts.charts import KINDS, chart
    from kanava.i18n.catalogues import translations
    from kanava.svg import to_png

    lang = use_language(lang)
    if kind not in KINDS:
        raise InvalidInput("kind", reason("one of %(join)s", join=", ".join(KINDS)))
    if out.suffix.lower() not in (".svg", ".png"):
        raise InvalidInput("out", reason("give a file name ending in .svg or .png"))
    with cli_session() as session:
        last = _until(session, until)
        markup = chart(
            session,
            kind,
            until=last,
            weeks=weeks,
            lang=lang,
            parquet_dir=get_settings().events_dir,
            gettext=translations(lang).gettext,
            points=point,
        )
    if out.suffix.lower() == ".png":
        out.write_bytes(to_png(markup))
    else:
        out.write_text(markup, encoding="utf-8")
    console.print(_("chart written to %(file)s") % {"file": out})


def register(app: typer.Typer) -> None:
    app.add_typer(contacts_app, name="contacts")
    app.add_typer(stats_app, name="stats")
    app.add_typer(demo_app, name="demo")
