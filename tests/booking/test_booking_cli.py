"""Booking from the command line: book, show, move, cancel; errors on stderr with exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from kanava import clock
from kanava.cli import app

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


def test_book_move_cancel_from_the_command_line(
    empty_url: str,
    use_database: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    use_database(empty_url)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setenv("KANAVA_OUTBOX_DIR", str(tmp_path / "outbox"))
    runner = CliRunner()

    def kanava(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output + result.stderr
        return result.stdout if code == 0 else result.stderr

    kanava("data", "load")
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
    assert "reference: unknown value" in kanava(
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
