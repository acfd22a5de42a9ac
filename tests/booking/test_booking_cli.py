"""Booking from the command line: book, show, move, cancel; errors on stderr with exit 2;
a day's bookings as an export; call-backs taken and recorded by an expert."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kanava import clock
from kanava.auth.models import AuditEntry
from kanava.cli import app
from kanava.config import Settings

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
Kanava = Callable[..., str]


@pytest.fixture
def kanava(
    empty_url: str,
    use_database: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Kanava:
    """The CLI on a new database with the shipped data and the demo users, at NOW."""
    use_database(empty_url)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setenv("KANAVA_OUTBOX_DIR", str(tmp_path / "outbox"))
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output + result.stderr
        return result.stdout if code == 0 else result.stderr

    run("data", "load")
    run("users", "demo")
    return run


def test_book_move_cancel_from_the_command_line(kanava: Kanava, tmp_path: Path) -> None:
    first = json.loads(kanava("slots", "--topic", "elakkeet", "--first", "--json"))["offers"][0]
    assert first["start"] == "2025-03-13T09:00:00+02:00"
    created = json.loads(
        kanava(
            "book",
            "--topic",
            "elakkeet",
            "--start",
            first["start"],
            "--name",
            "Maija Meikäläinen",
            "--hetu",
            "131052-308T",
            "--phone",
            "040 123 4567",
            "--email",
            "maija@example.fi",
            "--json",
        )
    )
    reference, token = created["booking"]["reference"], created["manage_token"]
    shown = json.loads(kanava("booking", "show", reference, "--token", token, "--json"))
    assert shown["customer"]["name"] == "Maija Meikäläinen"
    moved = json.loads(
        kanava(
            "booking", "move", reference, "--token", token, "--start", "2025-03-14T13:30", "--json"
        )
    )
    assert moved["start"] == "2025-03-14T13:30:00+02:00"
    cancelled = json.loads(kanava("booking", "cancel", reference, "--token", token, "--json"))
    assert cancelled["status"] == "cancelled"
    assert "reference: tuntematon arvo" in kanava(
        "booking", "show", reference, "--token", "x", code=2
    )
    error = kanava(
        "book",
        "--topic",
        "elakkeet",
        "--start",
        first["start"],
        "--name",
        "X",
        "--hetu",
        "131052-308U",
        "--phone",
        "0401234567",
        code=2,
    )
    assert error.strip() == "kanava: hetu: the check character does not match"
    # Confirmation, change and cancellation, each as SMS and email; the reminders of a
    # cancelled booking are withdrawn, not sent.
    assert "sent 6" in kanava("notify", "send")
    sent = sorted(p.name.split("-", 1)[1] for p in (tmp_path / "outbox").iterdir())
    assert sent == [
        "cancellation.eml",
        "cancellation.sms.txt",
        "change.eml",
        "change.sms.txt",
        "confirmation.eml",
        "confirmation.sms.txt",
    ]


def _book(kanava: Kanava, name: str, *extra: str) -> dict[str, Any]:
    created: dict[str, Any] = json.loads(
        kanava(
            "book",
            "--topic",
            "elakkeet",
            "--start",
            "2025-03-13T09:00",
            "--name",
            name,
            "--hetu",
            "131052-308T",
            "--phone",
            "040 123 4567",
            "--json",
            *extra,
        )
    )
    return created


def _audit(url: str) -> list[tuple[str, str]]:
    engine = create_engine(Settings(database_url=url).database_url)
    with Session(engine) as session:
        rows = [(a.username, a.action) for a in session.scalars(select(AuditEntry))]
    engine.dispose()
    return rows


def test_bookings__an_export_withholds_a_protected_customer_and_audits_it(
    kanava: Kanava, empty_url: str
) -> None:
    _book(kanava, "Maija Meikäläinen")
    protected = _book(kanava, "Salainen Asiakas", "--non-disclosure")
    listed = json.loads(kanava("bookings", "--date", "2025-03-13", "--json"))
    assert [b["customer"]["name"] for b in listed] == ["Maija Meikäläinen", "Turvakielto"]
    assert listed[0]["customer"]["hetu"] == "131052-****"
    assert listed[1]["customer"]["phone"] == "" and listed[1]["message"] is None
    assert listed[1]["reference"] == protected["booking"]["reference"]
    assert _audit(empty_url) == [(f"cli:{getpass.getuser()}", "export")]
    assert "Salainen" not in kanava("bookings", "--date", "2025-03-13")
    one_expert = json.loads(
        kanava("bookings", "--date", "2025-03-13", "--expert", listed[0]["expert_id"], "--json")
    )
    assert [b["reference"] for b in one_expert] == [listed[0]["reference"]]
    # A partner sees their own point's bookings only: here, no phone bookings.
    assert (
        json.loads(kanava("bookings", "--date", "2025-03-13", "--user", "asiointipiste", "--json"))
        == []
    )


@pytest.mark.parametrize("name", ["[/bold] Asiakas", "[link=https://evil.example]Klikkaa[/link]"])
def test_bookings__customer_text_is_printed_as_typed_never_as_markup(
    kanava: Kanava, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # wide enough for the whole name
    _book(kanava, name)
    printed = kanava("bookings", "--date", "2025-03-13")
    assert name.split("]")[0] + "]" in printed  # the brackets are there, as typed
    assert "\x1b]8;" not in printed  # and no terminal hyperlink was made


def test_bookings__an_unknown_user_or_date_is_named(kanava: Kanava) -> None:
    assert kanava("bookings", "--user", "nobody", code=2).strip() == (
        "kanava: user: ei aktiivista käyttäjää 'nobody'"
    )
    assert "--date" in kanava("bookings", "--date", "13/3/2025", code=2)
    assert "expert: tuntematon arvo 'nobody'" in kanava("bookings", "--expert", "nobody", code=2)
    assert "place: tuntematon arvo 'x'" in kanava("bookings", "--place", "x", code=2)


def test_cancel__by_reference_and_token_frees_the_time(kanava: Kanava) -> None:
    created = _book(kanava, "Maija Meikäläinen")
    reference, token = created["booking"]["reference"], created["manage_token"]
    assert "reference: tuntematon arvo" in kanava("cancel", reference, "--token", "wrong", code=2)
    cancelled = json.loads(kanava("cancel", reference, "--token", token, "--json"))
    assert cancelled["status"] == "cancelled"
    assert json.loads(kanava("bookings", "--date", "2025-03-13", "--json")) == []


def test_callbacks__an_expert_takes_the_next_and_records_the_call(kanava: Kanava) -> None:
    window = json.loads(
        kanava("callbacks", "windows", "--topic", "elakkeet", "--lang", "fi", "--json")
    )[0]
    assert window["day"] == "2025-03-12" and window["ends"] > "10:00"
    made = json.loads(
        kanava(
            "callbacks",
            "request",
            "--window",
            str(window["id"]),
            "--name",
            "Åke Öhman",
            "--phone",
            "040 765 4321",
            "--json",
        )
    )
    taken = json.loads(kanava("callbacks", "take", "--user", "asiantuntija", "--json"))
    assert (taken["reference"], taken["status"]) == (made["reference"], "in_progress")
    assert taken["phone"] == "+358407654321"
    assert json.loads(kanava("callbacks", "take", "--user", "asiantuntija", "--json")) is None
    attempt = ("callbacks", "attempt", str(taken["id"]), "--user", "asiantuntija", "--outcome")
    assert "outcome:" in kanava(*attempt, "maybe", code=2)
    done = json.loads(kanava(*attempt, "reached", "--json"))
    assert (done["status"], done["attempts"]) == ("done", 1)
    # A partner cannot take call-backs, and the refusal names the role.
    assert "role:" in kanava("callbacks", "take", "--user", "asiointipiste", code=2)


def test_conflicts__an_absent_expert_s_booking_goes_to_a_colleague(kanava: Kanava) -> None:
    booking = _book(kanava, "Maija Meikäläinen")["booking"]
    [listed] = json.loads(kanava("bookings", "--date", "2025-03-13", "--json"))
    expert = listed["expert_id"]
    added = kanava("absences", "add", expert, "--from", "2025-03-13", "--reason", "sairaus")
    assert "siirrettäviä varauksia (kanava conflicts): 1" in added
    assert "expert: tuntematon arvo 'nobody'" in kanava(
        "absences", "add", "nobody", "--from", "2025-03-13", code=2
    )
    assert "last_day: 2025-03-12 on ennen päivää 2025-03-13" in kanava(
        "absences", "add", expert, "--from", "2025-03-13", "--to", "2025-03-12", code=2
    )
    [away] = json.loads(kanava("absences", "list", "--from", "2025-03-13", "--json"))
    assert (away["expert"], away["first_day"], away["last_day"], away["reason"]) == (
        expert,
        "2025-03-13",
        "2025-03-13",
        "sairaus",
    )
    assert "role:" in kanava(
        "absences", "add", expert, "--from", "2025-03-14", "--user", "asiantuntija", code=2
    )
    [found] = json.loads(kanava("conflicts", "--from", "2025-03-13", "--days", "1", "--json"))
    assert (found["reference"], found["reason"]) == (booking["reference"], "absent")
    [moved] = json.loads(kanava("conflicts", "--from", "2025-03-13", "--hand-over", "--json"))
    assert moved["handed_over_to"] not in (None, expert)
    assert json.loads(kanava("conflicts", "--from", "2025-03-13", "--json")) == []
    assert "role:" in kanava("conflicts", "--user", "asiantuntija", code=2)
