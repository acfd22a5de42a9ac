"""The Parquet event store after crashes and damage, and two loads of one file at once."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from kanava.config import Settings
from kanava.contacts.ingest import IngestReport, ingest
from kanava.contacts.models import ContactEvent
from kanava.contacts.stats import customers_per_week
from kanava.contacts.store import event_files, unreadable_files, write_atomically
from kanava.db import WRITE_OPTION, make_engine
from tests.conftest import PINNED_NOW
from tests.contacts.test_ingest_and_stats import LAUKAA, visit, write


def test_write_atomically__a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    final = tmp_path / "store" / "load.parquet"

    def crash(partial: Path) -> None:
        partial.write_bytes(b"PAR1 half a file")
        raise RuntimeError("the disk filled up")

    with pytest.raises(RuntimeError):
        write_atomically(final, crash)
    assert list((tmp_path / "store").iterdir()) == []


def test_a_partial_left_by_a_killed_load_is_removed_by_the_next(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kanava.contacts.ingest.BULK_ROWS", 5)
    store = tmp_path / "events"
    folder = store / "ingested" / "national"
    folder.mkdir(parents=True)
    leftover = folder / ".20250301T120000-0badf00d.partial"
    leftover.write_bytes(b"PAR1 cut short by kill -9")
    path = write(tmp_path / "national.csv", [visit(i, "2025-02-04T10:00") for i in range(8)])
    report = ingest(session, path, now=PINNED_NOW, store_dir=store)
    assert report.stored == 8
    assert not leftover.exists()
    assert [p.suffix for p in folder.iterdir()] == [".parquet"]


@pytest.mark.parametrize("damage", ["truncated", "overwritten", "empty"])
def test_a_damaged_file_is_named_and_left_out_not_a_failure_of_every_figure(
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    damage: str,
) -> None:
    monkeypatch.setattr("kanava.contacts.ingest.BULK_ROWS", 5)
    store = tmp_path / "events"
    good = write(tmp_path / "good.csv", [visit(i, "2025-02-04T10:00") for i in range(6)])
    later = write(tmp_path / "later.csv", [visit(i, "2025-02-05T10:00") for i in range(10, 17)])
    ingest(session, good, now=PINNED_NOW, store_dir=store)
    ingest(session, later, now=PINNED_NOW, store_dir=store)
    (broken,) = (store / "ingested" / "later").glob("*.parquet")
    content = broken.read_bytes()
    broken.write_bytes(
        {
            "truncated": content[: len(content) // 2],
            "overwritten": b"x" * len(content),
            "empty": b"",
        }[damage]
    )
    (figure,) = customers_per_week(session, date(2025, 3, 2), 4, [LAUKAA], store)
    assert figure.contacts == 6  # the good file's figures, the damaged one left out
    assert unreadable_files(store) == [str(broken)]
    assert str(broken) in caplog.text
    assert str(broken) not in event_files(store)


def _count(engine: Engine, source: str) -> int:
    with Session(engine) as session:
        counted = session.scalar(
            select(func.count()).select_from(ContactEvent).where(ContactEvent.source == source)
        )
    return counted or 0


@pytest.mark.parametrize("into", ["database", "parquet"])
def test_two_loads_of_one_file_at_once_store_it_once(
    loaded_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, into: str
) -> None:
    """Two `kanava contacts ingest` of the same file started together: the rows are stored
    once, the figures count them once, and the two reports add up to the file."""
    if into == "parquet":
        monkeypatch.setattr("kanava.contacts.ingest.BULK_ROWS", 5)
    engine = make_engine(Settings(database_url=loaded_url))
    source = f"twice-{into}"
    store = tmp_path / "events"
    path = write(tmp_path / f"{source}.csv", [visit(i, "2025-02-04T10:00") for i in range(300)])
    barrier = threading.Barrier(2)
    reports: list[IngestReport] = []
    errors: list[BaseException] = []

    def load() -> None:
        try:
            with Session(engine) as session:
                barrier.wait(timeout=30)
                session.connection(execution_options={WRITE_OPTION: True})
                reports.append(ingest(session, path, now=PINNED_NOW, store_dir=store))
                session.commit()
        except BaseException as error:  # reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=load) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert sorted(r.stored for r in reports) == [0, 300]
        assert sorted(r.already_stored for r in reports) == [0, 300]
        with Session(engine) as session:
            (figure,) = customers_per_week(session, date(2025, 3, 2), 4, [LAUKAA], store)
            in_table = _count(engine, source)
        files = event_files(store)
        assert (in_table, len(files)) == ((300, 0) if into == "database" else (0, 1))
        assert figure.contacts == 300
    finally:
        with Session(engine) as session, session.begin():
            session.execute(delete(ContactEvent).where(ContactEvent.source == source))
        engine.dispose()
