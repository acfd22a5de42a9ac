"""The `kanava` command: mounts each capability's commands."""

from __future__ import annotations

from typing import Annotated

import typer

from kanava.booking.cli import register as register_booking
from kanava.catalogue.cli import register as register_catalogue
from kanava.cli_support import use_language, user_errors
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


@app.callback()
@user_errors
def root(
    lang: Annotated[
        str,
        typer.Option(
            "--lang", envvar="KANAVA_LANG", help="The language of the output: fi, sv or en."
        ),
    ] = "fi",
) -> None:
    """Kela's personal customer service: channels, network, hours, guide."""
    use_language(lang)


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
