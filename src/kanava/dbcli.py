"""Commands that set kanava up: migrate the database, load the shipped data, serve."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from rich.table import Table

from kanava import clock
from kanava.cli_support import cli_session, console
from kanava.config import get_settings
from kanava.db import make_engine
from kanava.loading import load_all
from kanava.migrate import downgrade as run_downgrade
from kanava.migrate import upgrade as run_upgrade

db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)
data_app = typer.Typer(help="The shipped data.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(revision: str = "head") -> None:
    """Create or migrate the schema to a revision (the newest by default)."""
    engine = make_engine(get_settings())
    run_upgrade(engine, revision)
    engine.dispose()
    console.print(f"database at revision {revision}", style="green")


@db_app.command("downgrade")
def downgrade(revision: str) -> None:
    """Migrate the schema back to a revision ('base' removes every table)."""
    engine = make_engine(get_settings())
    run_downgrade(engine, revision)
    engine.dispose()
    console.print(f"database at revision {revision}", style="green")


@data_app.command("load")
def load() -> None:
    """Load the shipped data; loading again changes only what changed."""
    with (
        console.status("loading…") as status,
        cli_session(write=True) as session,
    ):
        reports = load_all(
            session, clock.now(), progress=lambda step: status.update(f"loading {step}…")
        )
    table = Table("table", "created", "updated", "unchanged", title="kanava data load")
    for name, report in reports.items():
        table.add_row(name, str(report.created), str(report.updated), str(report.unchanged))
    console.print(table)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the API and pages over HTTP."""
    console.print(
        f"kanava at http://{host}:{port}/ (API docs at /api/docs); stop with Ctrl+C",
        style="green",
    )
    uvicorn.run(
        "kanava.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
