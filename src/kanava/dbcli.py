"""Commands that set kanava up: migrate the database, load the shipped data, serve."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kanava import clock
from kanava.cli_support import _, cli_session, console

db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)
data_app = typer.Typer(help="The shipped data.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(revision: str = "head") -> None:
    """Create or migrate the schema to a revision (the newest by default)."""
    from kanava.config import get_settings
    from kanava.db import make_engine
    from kanava.migrate import upgrade as run_upgrade

    engine = make_engine(get_settings())
    run_upgrade(engine, revision)
    engine.dispose()
    console.print(_("database at revision %(revision)s") % {"revision": revision}, style="green")


@db_app.command("downgrade")
def downgrade(revision: str) -> None:
    """Migrate the schema back to a revision ('base' removes every table)."""
    from kanava.config import get_settings
    from kanava.db import make_engine
    from kanava.migrate import downgrade as run_downgrade

    engine = make_engine(get_settings())
    run_downgrade(engine, revision)
    engine.dispose()
    console.print(_("database at revision %(revision)s") % {"revision": revision}, style="green")


@data_app.command("load")
def load() -> None:
    """Load the shipped data; loading again changes only what changed."""
    from kanava.loading import load_all

    with (
        console.status(_("loading…")) as status,
        cli_session(write=True) as session,
    ):
        reports = load_all(
            session, clock.now(), progress=lambda step: status.update(_("loading…") + f" {step}")
        )
    table = Table(_("table"), _("created"), _("updated"), _("unchanged"), title=_("data loaded"))
    for name, report in reports.items():
        table.add_row(name, str(report.created), str(report.updated), str(report.unchanged))
    console.print(table)


WORKER_HEALTHCHECK_SECONDS = 60


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    worker_start_seconds: Annotated[
        int, typer.Option(min=1, help="How long a worker may take to start and to answer.")
    ] = WORKER_HEALTHCHECK_SECONDS,
) -> None:
    """Serve the API and pages over HTTP.

    With several workers, a worker that dies or stops answering is replaced, and the
    log says so. It is given a minute to start: on a loaded two-core machine loading
    the application takes longer than uvicorn's default five seconds, which would
    have the workers killed and restarted in a loop."""
    import uvicorn

    console.print(
        _("kanava at %(url)s (API docs at /api/docs); stop with Ctrl+C")
        % {"url": f"http://{host}:{port}/"},
        style="green",
    )
    uvicorn.run(
        "kanava.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=worker_start_seconds,
        log_level="info",  # a worker's death and restart are logged at this level
        access_log=False,
    )
