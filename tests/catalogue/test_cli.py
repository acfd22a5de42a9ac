"""The `kanava` command as a user types it: JSON output, exit codes, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from kanava.cli import app

runner = CliRunner()


@pytest.fixture
def kanava(
    loaded_url: str, use_database: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Any]:
    use_database(loaded_url)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, code: int = 0) -> Any:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output + result.stderr
        return result

    return run


def test_channels_json__open_and_next_opening(kanava: Callable[..., Any]) -> None:
    result = kanava("channels", "--kind", "phone_line", "--at", "2025-03-12T09:30+02:00", "--json")
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["puhelin-elakkeet"]["open"] is True
    assert rows["puhelin-kansainvaliset"]["open"] is False
    assert rows["puhelin-kansainvaliset"]["next_opening"] == "2025-03-12T10:00:00+02:00"
    assert rows["puhelin-elakkeet"]["name"] == "Eläkkeet"


def test_guide_json__toimeentulotuki_in_laukaa(kanava: Callable[..., Any]) -> None:
    result = kanava(
        "guide",
        "--topic",
        "toimeentulotuki",
        "--municipality",
        "Laukaa",
        "--at",
        "2025-03-12T10:00",
        "--json",
    )
    body = json.loads(result.stdout)
    options = body["options"]
    assert body["topic"]["id"] == "toimeentulotuki"
    assert options[0]["name"] == "OmaKela"
    assert options[1]["phone"]["display"] == "020 692 207"
    assert options[2]["section"] == "booking"
    placed = [o for o in options if o["distance_km"] is not None]
    assert placed and options.index(placed[0]) == 3
    assert all({"kind", "name", "open", "next_opening"} <= set(o) for o in options)


def test_guide_table__readable_in_english(kanava: Callable[..., Any]) -> None:
    result = kanava("guide", "--topic", "elakkeet", "--lang", "en", "--at", "2025-03-12T10:00")
    assert "Pensions" in result.stdout and "020 692 202" in result.stdout


def test_hours_json__holidays_named(kanava: Callable[..., Any]) -> None:
    result = kanava("hours", "puhelin-elakkeet", "--from", "2025-06-19", "--days", "2", "--json")
    days = json.loads(result.stdout)["days"]
    assert [d["holiday_name"] for d in days] == [None, "Juhannusaatto"]


def test_topics_json__short_ascii_ids(kanava: Callable[..., Any]) -> None:
    ids = [t["id"] for t in json.loads(kanava("topics", "--json").stdout)]
    assert {"elakkeet", "toimeentulotuki", "tyottomyys"} <= set(ids) and len(ids) == 10


def test_units_table__shows_unknown_figures(kanava: Callable[..., Any]) -> None:
    result = kanava("units")
    assert "Petteri Taponen" in result.stdout and "henkilöstö: ei tiedossa" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["guide", "--topic", "pensions"], "topic: tuntematon arvo 'pensions'; kelvolliset: ela"),
        (["channels", "--kind", "kiosk"], "kind: tuntematon arvo 'kiosk'; kelvolliset: asio"),
        (["guide", "--topic", "elakkeet", "--municipality", "Lauka"], "Laukaa"),
        (["hours", "nosuch"], "channel: tuntematon arvo 'nosuch'"),
        (["channels", "--at", "12.3.2025 10:00"], "odotettiin ISO 8601"),
        (["hours", "puhelin-elakkeet", "--from", "2025-13-01"], "--from: '2025-13-01'"),
        (
            ["guide", "--topic", "elakkeet", "--lang", "de"],
            "lang: 'de' ei ole mikään näistä: fi, sv, en",
        ),
    ],
)
def test_bad_input__one_line_on_stderr_and_exit_2(
    kanava: Callable[..., Any], args: list[str], message: str
) -> None:
    result = kanava(*args, code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert result.stdout == ""


def test_the_cli_speaks_finnish_by_default_and_the_language_asked_for(
    kanava: Callable[..., Any],
) -> None:
    finnish = kanava("hours", "puhelin-elakkeet", "--from", "2025-03-12", "--days", "1").stdout
    assert "ke 12.3.2025" in finnish and "9.00–16.00 avoinna" in finnish
    assert "open" not in finnish and "Wed" not in finnish
    swedish = kanava("--lang", "sv", "hours", "puhelin-elakkeet", "--from", "2025-03-12",
                     "--days", "1").stdout  # fmt: skip
    assert "ons 12.3.2025" in swedish and "9.00–16.00 öppet" in swedish
    guide = kanava("guide", "--topic", "elakkeet", "--municipality", "Laukaa").stdout
    assert "(havainnollistava" in guide and "puhelimessa" in guide
    assert "by_appointment" not in guide and "illustrative" not in guide
