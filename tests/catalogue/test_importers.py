"""Imports through the service and through the CLI: all or nothing, errors that name the record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kanava.catalogue.importers import import_points_csv, import_ptv_files
from kanava.catalogue.models import Channel
from kanava.cli import app
from kanava.config import Settings
from kanava.db import make_engine
from kanava.errors import ImportRefused
from kanava.hours.models import HoursRule

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ptv"
NOW = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
POINTS_HEADER = "kind,name_fi,name_sv,municipality,street_address,postal_code,hours,video_service\n"


def snapshot(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Channel)) or 0,
        session.scalar(select(func.count()).select_from(HoursRule)) or 0,
        session.scalar(select(func.max(HoursRule.id))) or 0,
    )


def test_ptv__imports_every_channel_and_again_changes_nothing(session: Session) -> None:
    report = import_ptv_files(session, [FIXTURES / "channels_v11.json"], NOW)
    assert (report.created, report.updated) == (5, 0)
    point = session.get_one(Channel, "ptv-0b9a8c62-7c6b-4d3a-9f2e-2b1a3c4d5e6f")
    assert point.provenance == "ptv" and point.ptv_id == "0b9a8c62-7c6b-4d3a-9f2e-2b1a3c4d5e6f"
    again = import_ptv_files(session, [FIXTURES / "channels_v11.json"], NOW)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_ptv__one_bad_record_refuses_the_file_and_stores_nothing(session: Session) -> None:
    before = snapshot(session)
    with pytest.raises(ImportRefused, match=r"one_bad_record.json: item 1 .*openingHour\[0\]\.to"):
        import_ptv_files(
            session, [FIXTURES / "channels_v11.json", FIXTURES / "one_bad_record.json"], NOW
        )
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read JSON"),
        ('[{"id": "x"}]', "id: 'x' is not a GUID"),
        ("[1]", "must be a JSON object"),
    ],
)
def test_ptv__malformed_files(session: Session, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportRefused, match=message):
        import_ptv_files(session, [path], NOW)


def write(tmp_path: Path, text: str, name: str = "points.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_points_csv__imports_with_hours_and_municipal_centre(
    session: Session, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        POINTS_HEADER
        + "asiointipiste,Laukaan asiointipiste,Laukas samservice,Laukaa,Laukaantie 1,41340,"
        + '"Tu,Th 09:00-15:00",yes\n'
        + "service_point,Äänekosken palvelupiste,,992,,,Mo-Fr 09:00-16:00,no\n",
    )
    report = import_points_csv(session, path, NOW)
    assert report.created == 2
    laukaa = session.get_one(Channel, "laukaan-asiointipiste")
    assert (laukaa.municipality_code, laukaa.video_service, laukaa.provenance) == (
        "410",
        True,
        "user",
    )
    assert laukaa.lat == pytest.approx(62.41301)
    rules = session.scalars(select(HoursRule).where(HoursRule.channel_id == laukaa.id)).all()
    assert [r.weekdays for r in rules] == ["24"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "asiointipiste,A,,Laukaa,,,Mo-Fr 09:00-16:00,yes\nkiosk,B,,Laukaa,,,,no\n",
            "line 3: kind: 'kiosk'",
        ),
        ("asiointipiste,A,,Atlantis,,,,no\n", "line 2: municipality: 'Atlantis'"),
        ("asiointipiste,A,,Laukaa,,4134,,no\n", "line 2: postal_code: '4134'"),
        ("asiointipiste,A,,Laukaa,,,Mo-Fr 9:5-16,no\n", "line 2: hours: '9:5' is not a time"),
        ("asiointipiste,A,,Laukaa,,,,maybe\n", "line 2: video_service: 'maybe'"),
        ("asiointipiste,,,Laukaa,,,,no\n", "line 2: name_fi: required"),
        ("phone_line,A,,Laukaa,,,,no\n", "line 2: kind: 'phone_line' has no place"),
        (
            "asiointipiste,A,,Laukaa,,,,no\nasiointipiste,A,,Laukaa,,,,no\n",
            "line 3: id 'a' repeats",
        ),
        ("service_point,Kelan palvelupiste Ylivieska,,Ylivieska,,,,no\n", "is a shipped channel"),
        ("asiointipiste,A,,Laukaa,,,,no,extra\n", "more fields than the header"),
        ("", "no rows"),
    ],
)
def test_points_csv__one_bad_row_refuses_the_file(
    session: Session, tmp_path: Path, body: str, message: str
) -> None:
    before = snapshot(session)
    with pytest.raises(ImportRefused, match=message):
        import_points_csv(session, write(tmp_path, POINTS_HEADER + body), NOW)
    assert snapshot(session) == before


def test_points_csv__header_problems(session: Session, tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match=r"missing column.*municipality"):
        import_points_csv(session, write(tmp_path, "kind,name_fi\nasiointipiste,A\n"), NOW)
    with pytest.raises(ImportRefused, match=r"unknown column.*colour"):
        import_points_csv(
            session, write(tmp_path, "kind,name_fi,municipality,colour\nx,A,Laukaa,red\n"), NOW
        )
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("kind,name_fi,municipality\nasiointipiste,Äänekoski,992\n".encode("latin-1"))
    with pytest.raises(ImportRefused, match="UTF-8"):
        import_points_csv(session, latin1, NOW)


def test_cli_import__refused_file_leaves_the_database_as_it_was(
    empty_url: str, use_database: Callable[[str], None], tmp_path: Path
) -> None:
    use_database(empty_url)
    runner = CliRunner()
    assert runner.invoke(app, ["data", "load"]).exit_code == 0
    good = write(tmp_path, POINTS_HEADER + "asiointipiste,Hyvä piste,,Laukaa,,,,no\n", "good.csv")
    assert runner.invoke(app, ["import", "points", str(good)]).exit_code == 0
    engine = make_engine(Settings(database_url=empty_url))
    with Session(engine) as db:
        before = snapshot(db)
    bad = write(
        tmp_path,
        POINTS_HEADER + "asiointipiste,Toinen,,Laukaa,,,,no\nasiointipiste,Kolmas,,Nowhere,,,,no\n",
        "bad.csv",
    )
    result = runner.invoke(app, ["import", "points", str(bad)])
    assert result.exit_code == 2
    assert "bad.csv line 3: municipality: 'Nowhere'" in result.stderr
    with Session(engine) as db:
        assert snapshot(db) == before
        assert db.get(Channel, "toinen") is None
    result = runner.invoke(app, ["import", "ptv", str(FIXTURES / "one_bad_record.json")])
    assert result.exit_code == 2 and "item 1" in result.stderr
    with Session(engine) as db:
        assert snapshot(db) == before
    engine.dispose()


def test_ptv__real_export_with_a_location_not_geocoded_is_imported_and_reported(
    session: Session,
) -> None:
    report = import_ptv_files(session, [FIXTURES / "laukaa_real_shape_v11.json"], NOW)
    assert report.created == 3
    assert report.notes == [
        "laukaa_real_shape_v11.json item 0 (6c1b7d2e-91a4-4f0b-8d3e-5a7c9e2f1b40): "
        "no coordinates (coordinateState NotReceived): stored without a place"
    ]
    laukaa = session.get_one(Channel, "ptv-6c1b7d2e-91a4-4f0b-8d3e-5a7c9e2f1b40")
    assert (laukaa.lat, laukaa.lon, laukaa.municipality_code) == (None, None, "410")
    form = session.get_one(Channel, "ptv-8e3d9f40-b3c6-4b2d-8f50-7c9e1a4b3d62")
    assert form.url_fi == "https://www.kela.fi/documents/et1.pdf"
