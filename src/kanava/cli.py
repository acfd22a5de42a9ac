"""The `kanava` command: mounts each capability's commands."""

from __future__ import annotations

import typer

from kanava.booking.cli import register as register_booking
from kanava.catalogue.cli import register as register_catalogue
from kanava.contacts.cli import register as register_contacts
from kanava.dbcli import data_app, db_app, serve
from kanava.network.cli import register as register_network
from kanava.staffing.cli import register as register_staffing

app = typer.Typer(
    name="kanava",
    help="Kela's personal customer service: channels, network, hours, guide.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")
app.add_typer(data_app, name="data")
app.command()(serve)
register_catalogue(app)
register_booking(app)
register_staffing(app)
register_contacts(app)
register_network(app)


def main() -> None:
    app()
