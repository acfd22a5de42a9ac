"""Contact events: a file is stored whole or not at all, twice counts once, weeks are
Helsinki ISO weeks across daylight saving and the year end."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kanava.cli import app
from kanava.contacts.ingest import ingest
from kanava.contacts.models import ContactEvent
from kanava.contacts.stats import (
    channel_changes,
    channel_totals,
    customers_per_week,
    weekly_counts,
)
from kanava.errors import ImportRefused
from tests.conftest import PINNED_NOW

HEADER = ["source_id", "occurred_at", "channel", "place", "topic", "lang", "outcome",
          "wait_seconds", "handle_seconds"]  # fmt: skip
LAUKAA = "laukaa-ajanvaraus"


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def visit(number: int, at: str, place: str = LAUKAA) -> list[str]:
    return [f"v{number}", at, "service_point_appointment", place, "elakkeet", "fi", "served",
            "0", "1200"]  # fmt: skip


def stored(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ContactEvent)) or 0


def test_a_file_is_stored_and_the_same_file_again_counts_once(
    session: Session, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "visits.csv", [visit(i, f"2025-02-0{3 + i % 4}T10:00") for i in range(8)]
    )
    first = ingest(session, path, now=PINNED_NOW)
    again = ingest(session, path, now=PINNED_NOW)
    assert (first.rows, first.stored, first.rejected) == (8, 8, 0)
    assert (again.stored, again.already_stored) == (0, 8)
    assert stored(session) == 8


def test_one_bad_row_in_the_middle_changes_nothing_and_is_named(
    session: Session, tmp_path: Path
) -> None:
    rows = [visit(i, "2025-02-03T10:00") for i in range(5)]
    rows[2] = ["v2", "2025-02-31T10:00", "fax", "nowhere", "elakkeet", "de", "served", "-3", ""]
    path = write(tmp_path / "bad.csv", rows)
    with pytest.raises(ImportRefused) as refused:
        ingest(session, path, now=PINNED_NOW)
    message = str(refused.value)
    assert "line 4" in message and "nothing stored" in message
    for reason in (
        "occurred_at",
        "channel: unknown fax",
        "place: unknown nowhere",
        "lang",
        "wait_seconds",
    ):
        assert reason in message
    assert stored(session) == 0


def test_skip_bad_stores_the_good_rows_and_writes_the_bad_with_reasons(
    session: Session, tmp_path: Path
) -> None:
    rows = [visit(i, "2025-02-03T10:00") for i in range(4)]
    rows.append(["v1", "2025-02-04T10:00", "phone", "", "", "", "served", "", ""])  # repeated id
    rows.append(["v9", "2031-01-01T10:00", "phone", "", "", "", "served", "", ""])  # future
    path = write(tmp_path / "mixed.csv", rows)
    rejects = tmp_path / "rejects.csv"
    report = ingest(session, path, now=PINNED_NOW, skip_bad=rejects)
    assert (report.stored, report.rejected) == (4, 2)
    with rejects.open(encoding="utf-8") as handle:
        bad = list(csv.DictReader(handle))
    assert [row["line"] for row in bad] == ["6", "7"]
    assert "repeats an earlier row" in bad[0]["reason"]
    assert "outside" in bad[1]["reason"]
    assert bad[0]["source_id"] == "v1"


def test_a_row_with_too_few_or_too_many_fields_is_named_with_its_line_and_count(
    session: Session, tmp_path: Path
) -> None:
    rows = [visit(i, "2025-02-03T10:00") for i in range(4)]
    rows[1] = rows[1][:3]  # line 3: three fields
    rows[2] = [*rows[2], "extra"]  # line 4: ten
    path = write(tmp_path / "ragged.csv", rows)
    with pytest.raises(ImportRefused) as refused:
        ingest(session, path, now=PINNED_NOW)
    message = str(refused.value)
    assert "2 bad rows, nothing stored" in message
    assert "line 3: 3 fields, the header has 9" in message
    assert "line 4: 10 fields, the header has 9" in message
    assert stored(session) == 0
    rejects = tmp_path / "rejects.csv"
    report = ingest(session, path, now=PINNED_NOW, skip_bad=rejects)
    assert (report.rows, report.stored, report.rejected) == (4, 2, 2)
    with rejects.open(encoding="utf-8") as handle:
        bad = list(csv.DictReader(handle))
    assert [row["line"] for row in bad] == ["3", "4"]
    assert bad[0]["reason"].startswith("3 fields, the header has 9: v1,")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("folder", None, "folder: is a folder; give a CSV or Parquet file"),
        ("program.csv", b"\x7fELF\x02\x01\x01\x00\x00" * 50, "is not a UTF-8 CSV file"),
        ("latin1.csv", "source_id;päivä\n".encode("latin-1"), "is not a UTF-8 CSV file"),
        ("events.parquet", b"source_id,occurred_at\n", "is not a Parquet file"),
    ],
)
def test_a_folder_or_a_binary_file_gets_one_clear_line(
    session: Session, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(ImportRefused) as refused:
        ingest(session, path, now=PINNED_NOW)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value) and "DuckDB" not in str(refused.value)


def test_a_file_without_the_required_columns_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("when,what\n2025-01-01,phone\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="missing columns source_id, occurred_at"):
        ingest(session, path, now=PINNED_NOW)


def test_parquet_files_load_like_csv(session: Session, tmp_path: Path) -> None:
    csv_path = write(tmp_path / "p.csv", [visit(i, "2025-02-03T10:00:00+02:00") for i in range(3)])
    parquet = tmp_path / "p.parquet"
    duckdb.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true)) "
        f"TO '{parquet}' (FORMAT parquet)"
    )
    assert ingest(session, parquet, now=PINNED_NOW).stored == 3


def test_weeks_are_helsinki_iso_weeks_across_dst_and_the_year_end(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        visit(1, "2024-12-29T23:30+02:00"),  # Sunday: 2024-W52
        visit(2, "2024-12-29T22:30Z"),  # 00:30 on Monday 30.12 in Helsinki: 2025-W01
        visit(3, "2025-01-05T21:59:59Z"),  # Sunday 23:59:59 in Helsinki: still 2025-W01
        visit(4, "2025-03-30T00:30Z"),  # Sunday of the spring change: 2025-W13
        visit(5, "2025-03-30T21:30Z"),  # Monday 00:30 (UTC+3): 2025-W14
        visit(6, "2025-10-26 03:30"),  # naive: Helsinki local, the repeated hour; W43
    ]
    ingest(session, write(tmp_path / "weeks.csv", rows), now=PINNED_NOW.replace(year=2026))
    counts = {
        (w.iso_year, w.iso_week): w.contacts
        for w in weekly_counts(session, date(2024, 12, 1), date(2025, 11, 30))
    }
    assert counts == {(2024, 52): 1, (2025, 1): 2, (2025, 13): 1, (2025, 14): 1, (2025, 43): 1}


def test_customers_a_week_at_a_point_count_empty_weeks_as_zero(
    session: Session, tmp_path: Path
) -> None:
    # Laukaa: one day a week, four customers on it, for four weeks; one no-show.
    rows = [
        visit(n, f"2025-02-{3 + 7 * week:02d}T{9 + i}:00")
        for week in range(4)
        for i in range(4)
        for n in [week * 4 + i]
    ]
    rows.append(
        ["ns", "2025-02-10T15:00", "service_point_appointment", LAUKAA, "", "", "no_show", "", ""]
    )
    ingest(session, write(tmp_path / "laukaa.csv", rows), now=PINNED_NOW)
    (eight,) = customers_per_week(session, date(2025, 3, 2), weeks=8, points=[LAUKAA])
    assert (eight.contacts, eight.per_week, eight.last_week) == (16, 2.0, 4)
    (four,) = customers_per_week(session, date(2025, 3, 2), weeks=4, points=[LAUKAA])
    assert four.per_week == 4.0


def test_the_seeds_2024_channel_table_comes_back_exactly(session: Session) -> None:
    table = {t.series: (t.value, t.unit) for t in channel_totals(session, 2024)}
    assert table["phone"] == (1_900_000, "contacts")
    assert table["web"] == (43_600_000, "visitors")
    assert table["social_media"] == (115_700, "followers")
    assert table["remote_service"] == (7_600, "sessions")
    assert len(table) == 9


def test_the_cli_loads_a_file_and_prints_customers_a_week(
    empty_url: str, use_database: Callable[[str], None], tmp_path: Path
) -> None:
    use_database(empty_url)  # the CLI commits: a database of the test's own
    runner = CliRunner()
    assert runner.invoke(app, ["data", "load"]).exit_code == 0
    path = write(
        tmp_path / "cli.csv", [visit(i, f"2025-02-{3 + 7 * (i % 4):02d}T10:00") for i in range(8)]
    )
    first = runner.invoke(app, ["contacts", "ingest", str(path), "--source", "cli-test", "--json"])
    assert first.exit_code == 0, first.output
    assert '"stored": 8' in first.stdout
    again = runner.invoke(app, ["contacts", "ingest", str(path), "--source", "cli-test", "--json"])
    assert '"stored": 0' in again.stdout and '"already_stored": 8' in again.stdout
    figures = runner.invoke(
        app, ["stats", "points", "--weeks", "4", "--until", "2025-03-02", "--json"]
    )
    assert '"per_week": 2.0' in figures.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("source_id,occurred_at\n1,2025-01-01\n", encoding="utf-8")
    refused = runner.invoke(app, ["contacts", "ingest", str(bad)])
    assert refused.exit_code == 2 and "puuttuvat sarakkeet channel, outcome" in refused.stderr
    for kind in ("channels", "points", "heatmap", "trend"):
        out = tmp_path / f"{kind}.svg"
        drawn = runner.invoke(
            app,
            ["stats", "chart", kind, "--out", str(out), "--until", "2025-03-02", "--weeks", "8"],
        )
        assert drawn.exit_code == 0, drawn.output
        assert out.read_text(encoding="utf-8").startswith("<svg")
    png = tmp_path / "points.png"
    drawn = runner.invoke(app, ["stats", "chart", "points", "--out", str(png), "--until",
                                "2025-03-02", "--weeks", "8"])  # fmt: skip
    assert drawn.exit_code == 0, drawn.output
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(head[16:20], "big")
    svg_width = int(re.search(r'width="(\d+)"', (tmp_path / "points.svg").read_text())[1])
    assert width == 2 * svg_width  # drawn at twice the size, for sharp text
    wrong = runner.invoke(app, ["stats", "chart", "pie", "--out", str(tmp_path / "x.svg")])
    assert wrong.exit_code == 2 and "kind" in wrong.stderr
    pdf = runner.invoke(app, ["stats", "chart", "points", "--out", str(tmp_path / "x.pdf")])
    assert (
        pdf.exit_code == 2 and "out: anna tiedostonimi, jonka pääte on .svg tai .png" in pdf.stderr
    )
    totals = tmp_path / "totals.csv"
    totals.write_text(TOTALS_HEADER + "2025-01,phone,150000,contacts,switchboard,,\n",
                      encoding="utf-8")  # fmt: skip
    loaded = runner.invoke(app, ["contacts", "totals", str(totals), "--json"])
    assert loaded.exit_code == 0 and '"added": 1' in loaded.stdout
    totals.write_text(TOTALS_HEADER + "2025-01,phone,-1,contacts,switchboard,,\n",
                      encoding="utf-8")  # fmt: skip
    refused = runner.invoke(app, ["contacts", "totals", str(totals)])
    assert refused.exit_code == 2 and "line 2: value: must not be negative" in refused.stderr
    unit = runner.invoke(app, ["stats", "points", "--unit", "keskinen", "--weeks", "4",
                               "--until", "2025-03-02", "--json"])  # fmt: skip
    assert unit.exit_code == 0 and '"unit": "keskinen"' in unit.stdout
    channels = runner.invoke(app, ["stats", "channels", "--year", "2024", "--json"])
    assert '"value": 1900000.0' in channels.stdout and '"unit": "followers"' in channels.stdout


def test_the_api_gives_the_same_figures(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    rows = [visit(i, f"2025-02-{3 + 7 * (i % 4):02d}T10:00") for i in range(8)]
    ingest(session, write(tmp_path / "api.csv", rows), now=PINNED_NOW)
    answer = client.get("/api/v1/stats/points", params={"weeks": 4, "until": "2025-03-02"}).json()
    (laukaa,) = [p for p in answer["points"] if p["place_id"] == LAUKAA]
    assert laukaa["per_week"] == 2.0 and answer["low_demand_below"] == 100
    channels = client.get("/api/v1/stats/channels", params={"year": 2024}).json()["channels"]
    assert channels[0] == channels[0] | {"series": "phone", "value": 1900000.0, "unit": "contacts"}
    assert client.get("/api/v1/stats/points", params={"weeks": 0}).status_code == 422


def test_week_on_week_and_year_on_year_changes(session: Session, tmp_path: Path) -> None:
    def calls(prefix: str, day: str, count: int) -> list[list[str]]:
        return [
            [f"{prefix}{i}", f"{day}T10:00", "phone", "", "", "", "served", "", ""]
            for i in range(count)
        ]

    rows = calls("a", "2025-02-19", 10) + calls("b", "2025-02-26", 12) + calls("c", "2024-02-28", 8)
    ingest(session, write(tmp_path / "trend.csv", rows), now=PINNED_NOW)
    (phone,) = channel_changes(session, date(2025, 3, 2))
    assert (phone.last_week, phone.previous_week, phone.year_before) == (12, 10, 8)
    assert phone.week_on_week == pytest.approx(0.2)
    assert phone.year_on_year == pytest.approx(0.5)


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small files take the large files' way: the Parquet store."""
    monkeypatch.setattr("kanava.contacts.ingest.BULK_ROWS", 5)


def test_a_large_file_goes_to_the_parquet_store_whole_and_counts_once(
    session: Session, tmp_path: Path, bulk: None
) -> None:
    store = tmp_path / "events"
    visits = [visit(i, f"2025-02-0{3 + i % 4}T10:00") for i in range(12)]
    path = write(tmp_path / "national.csv", visits)
    reported: list[tuple[str, float]] = []
    first = ingest(session, path, now=PINNED_NOW, store_dir=store,
                   progress=lambda stage, done: reported.append((stage, done)))  # fmt: skip
    assert ("checking", 1.0) in reported and reported[-1] == ("storing", 1.0)
    assert all(0 <= done <= 1 for _, done in reported)
    files = list((store / "ingested" / "national").glob("*.parquet"))
    assert (first.stored, first.rejected) == (12, 0) and len(files) == 1
    assert stored(session) == 0  # nothing in the database's table
    again = ingest(session, path, now=PINNED_NOW, store_dir=store)
    assert (again.stored, again.already_stored) == (0, 12)
    assert len(list(store.rglob("*.parquet"))) == 1  # and no new file
    # the statistics read the store: 12 customers over the four weeks from 3.2.2025
    (figure,) = customers_per_week(session, date(2025, 3, 2), 4, [LAUKAA], store)
    assert figure.contacts == 12
    # a grown file stores its new rows only; a row already in the database is not repeated
    ingest(session, write(tmp_path / "small.csv", [visit(99, "2025-02-04T10:00")]),
           source="national", now=PINNED_NOW)  # fmt: skip
    grown = write(tmp_path / "national.csv",
                  [*visits, *(visit(i, "2025-02-05T11:00") for i in range(12, 20)),
                   visit(99, "2025-02-04T10:00")])  # fmt: skip
    third = ingest(session, grown, now=PINNED_NOW, store_dir=store)
    assert (third.stored, third.already_stored) == (8, 13)
    (figure,) = customers_per_week(session, date(2025, 3, 2), 4, [LAUKAA], store)
    assert figure.contacts == 21


def test_a_bad_or_repeated_row_in_a_large_file_writes_nothing(
    session: Session, tmp_path: Path, bulk: None
) -> None:
    store = tmp_path / "events"
    rows = [visit(i, "2025-02-03T10:00") for i in range(10)]
    rows[6] = visit(6, "2025-02-03T10:00", place="nowhere")
    with pytest.raises(ImportRefused, match="line 8: place: unknown nowhere"):
        ingest(session, write(tmp_path / "bad.csv", rows), now=PINNED_NOW, store_dir=store)
    rows[6] = visit(2, "2025-02-03T11:00")  # the id of line 4 again
    with pytest.raises(ImportRefused, match="line 8: source_id: repeats an earlier row"):
        ingest(session, write(tmp_path / "bad.csv", rows), now=PINNED_NOW, store_dir=store)
    assert not store.exists() or not any(store.rglob("*"))
    assert stored(session) == 0


TOTALS_HEADER = "period,series,value,unit,source,approximate,label_en\n"


def test_monthly_totals_are_imported_whole_and_summed_into_the_year(
    session: Session, tmp_path: Path
) -> None:
    from kanava.contacts.totals import import_totals

    months = "".join(f"2025-{m:02d},phone,{100_000 + m},contacts,switchboard,,Phone\n"
                     for m in range(1, 13))  # fmt: skip
    path = tmp_path / "totals.csv"
    path.write_text(
        TOTALS_HEADER + months + "2025,chatbot,,conversations,bot log,,Chat\n", encoding="utf-8"
    )
    report = import_totals(session, path)
    assert (report.rows, report.added, report.replaced) == (13, 13, 0)
    by_series = {t.series: t for t in channel_totals(session, 2025)}
    assert by_series["phone"].value == 12 * 100_000 + 78 and not by_series["phone"].approximate
    assert by_series["chatbot"].value is None  # unknown, not zero
    assert {t.series for t in channel_totals(session, 2024)} >= {"phone", "service_points"}
    assert channel_totals(session, 2024)[0].value == 1_900_000  # the seed's table untouched
    # again with one month changed and one bad row: nothing changes
    bad = TOTALS_HEADER + "2025-03,phone,5,contacts,switchboard,,\n2025-13,phone,1,calls,,maybe,\n"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_totals(session, path)
    reason = refused.value.reason
    assert "line 3: period: '2025-13' is not YYYY or YYYY-MM" in reason
    assert "line 3: unit: 'calls'" in reason and "line 3: source" in reason
    assert "approximate: true or false" in reason
    assert {t.series: t for t in channel_totals(session, 2025)}["phone"].value == 1_200_078
    path.write_text(
        TOTALS_HEADER + "2025-03,phone,5,contacts,switchboard,true,\n", encoding="utf-8"
    )
    assert import_totals(session, path).replaced == 1
    phone = {t.series: t for t in channel_totals(session, 2025)}["phone"]
    assert phone.value == 1_200_078 - 100_003 + 5 and phone.approximate


def test_points_of_one_unit(session: Session, tmp_path: Path, client: TestClient) -> None:
    rows = [
        visit(1, "2025-02-04T10:00"),
        visit(2, "2025-02-04T11:00", "kelan-palvelupiste-kokkola"),
    ]
    ingest(session, write(tmp_path / "two.csv", rows), now=PINNED_NOW)
    answer = client.get(
        "/api/v1/stats/points", params={"weeks": 4, "until": "2025-03-02", "unit": "keskinen"}
    ).json()
    ids = {p["place_id"] for p in answer["points"]}
    assert LAUKAA in ids and "tampere-palvelupiste" in ids
    assert "kelan-palvelupiste-kokkola" not in ids  # Keski-Pohjanmaa: another unit's
    assert client.get("/api/v1/stats/points", params={"unit": "nowhere"}).status_code == 404
