"""Load a file of contact events: checked row by row with DuckDB, stored all or nothing.

Without ``skip_bad`` one bad row refuses the whole file and names the first bad rows by
line and reason; with it, the good rows are stored and the bad ones written to a CSV
with their reasons. Rows already stored (same source and source id, in the database or
in the Parquet store) are skipped, so the same file twice counts once.

A good file is checked in one parallel pass; only a file with bad or repeated rows is
read again in order, to name the lines. Large files (``BULK_ROWS`` new rows or more) go
to the Parquet store beside the demo year, one file per load written under a temporary
name and renamed when complete, so a load is there whole or not at all; smaller ones go
to the database's table.
"""

from __future__ import annotations

import re
import tempfile
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kanava.catalogue.models import Channel, Topic
from kanava.contacts.events import COLUMNS, REQUIRED, ContactChannel, Outcome
from kanava.contacts.models import ContactEvent
from kanava.contacts.store import event_files, remove_leftovers, write_atomically
from kanava.db import LOCK_INGEST_SOURCE, lock_until_commit
from kanava.errors import ImportRefused, reason

CHUNK = 20_000
BULK_ROWS = 100_000
STORE_FOLDER = "ingested"
SHOWN_PROBLEMS = 5
EARLIEST = "2000-01-01"
Progress = Callable[[str, float], None]  # the stage ("checking", "storing"), 0–1 done
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class IngestReport:
    rows: int
    stored: int
    already_stored: int
    rejected: int


def _quoted(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"


PARQUET_MAGIC = b"PAR1"


def _check_file(path: Path) -> None:
    """Refuse, in one line, what is not a file of events: a folder, a binary file."""
    if not path.exists():
        raise ImportRefused(str(path), reason("no such file"))
    if path.is_dir():
        raise ImportRefused(path.name, reason("is a folder; give a CSV or Parquet file"))
    with path.open("rb") as handle:
        head = handle.read(4096)
    if path.suffix.lower() == ".parquet":
        if not head.startswith(PARQUET_MAGIC):
            raise ImportRefused(
                path.name, reason("is not a Parquet file (it does not start with PAR1)")
            )
        return
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not merely a character cut at the 4 KB boundary
            raise ImportRefused(
                path.name, reason("is not a UTF-8 CSV file (binary content)")
            ) from None
        text = head[: error.start].decode("utf-8")
    if "\x00" in text:
        raise ImportRefused(path.name, reason("is not a UTF-8 CSV file (binary content)"))


def _reader(path: Path) -> str:
    """The DuckDB table function that reads the file, its name inlined. A CSV row with
    too few or too many fields is kept aside (DuckDB's rejects), not read shifted."""
    _check_file(path)
    quoted = "'" + str(path).replace("'", "''") + "'"
    if path.suffix.lower() == ".parquet":
        return f"read_parquet({quoted})"
    return (
        f"read_csv({quoted}, all_varchar = true, header = true, auto_detect = true, "
        "store_rejects = true)"
    )


def _malformed(con: duckdb.DuckDBPyConnection, columns: int) -> list[tuple[int, str]]:
    """CSV lines that are not rows of the header's shape, each with the reason."""
    try:
        rows = con.execute(
            "SELECT line, error_type, "
            "min(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS INTEGER)), "
            "any_value(csv_line) FROM reject_errors GROUP BY line, error_type ORDER BY line"
        ).fetchall()
    except duckdb.CatalogException:  # a Parquet file: no rejects table
        return []
    found = []
    for line, kind, fields, text in rows:
        if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS") and fields is not None:
            reason = f"{fields} fields, the header has {columns}"
        else:
            reason = f"not a CSV row of the header's shape ({str(kind).lower()})"
        found.append((int(line), f"{reason}: {str(text).strip()}"))
    return found


def _read(con: duckdb.DuckDBPyConnection, path: Path, lines: bool) -> int:
    """The file as ``raw`` with every column of the format (missing optional ones empty).

    With ``lines``: a table with the line each row starts on (header = line 1), read by
    one thread so that row numbers are the file's lines. Without: a view read in
    parallel, every line 0.
    """
    reader = _reader(path)
    try:
        present = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
        missing = [c for c in REQUIRED if c not in present]
        if missing:
            raise ImportRefused(
                path.name,
                reason("missing columns %(join)s; see the format", join=", ".join(missing)),
            )
        empty = "".join(f', NULL::VARCHAR AS "{c}"' for c in COLUMNS if c not in present)
        if lines:
            con.execute("SET threads = 1")
            con.execute(
                "CREATE TEMP TABLE raw AS "
                f"SELECT row_number() OVER () + 1 AS _line, *{empty} FROM {reader}"
            )
            con.execute("RESET threads")
        else:
            con.execute(f"CREATE TEMP VIEW raw AS SELECT 0 AS _line, *{empty} FROM {reader}")
    except duckdb.Error as error:
        raise ImportRefused(path.name, f"cannot be read: {error}".splitlines()[0]) from None
    return len(present)


def _checked(
    con: duckdb.DuckDBPyConnection,
    places: list[str],
    topics: list[str],
    latest: str,
    in_order: bool,
    progress: Progress | None = None,
) -> None:
    """Typed rows with a ``problems`` text: empty when the row is good. A source id seen
    before in the file is a problem only when the rows are ``in_order`` (the second
    pass); the first pass counts repeats instead."""
    seen = (
        "count(*) OVER (PARTITION BY source_id ORDER BY line ROWS UNBOUNDED PRECEDING)"
        if in_order
        else "1"
    )
    channels = _quoted([c.value for c in ContactChannel])
    outcomes = _quoted([o.value for o in Outcome])
    _watched(
        con,
        progress,
        "checking",
        f"""
        CREATE TEMP TABLE checked AS
        WITH typed AS (
            SELECT _line AS line,
                   nullif(trim(CAST(source_id AS VARCHAR)), '') AS source_id,
                   CAST(occurred_at AS VARCHAR) AS occurred_text,
                   TRY_CAST(CAST(occurred_at AS VARCHAR) AS TIMESTAMPTZ) AS occurred_at,
                   nullif(trim(CAST(channel AS VARCHAR)), '') AS channel,
                   nullif(trim(CAST(place AS VARCHAR)), '') AS place,
                   nullif(trim(CAST(topic AS VARCHAR)), '') AS topic,
                   nullif(trim(CAST(lang AS VARCHAR)), '') AS lang,
                   nullif(trim(CAST(outcome AS VARCHAR)), '') AS outcome,
                   nullif(trim(CAST(wait_seconds AS VARCHAR)), '') AS wait_text,
                   nullif(trim(CAST(handle_seconds AS VARCHAR)), '') AS handle_text
            FROM raw
        ), numbered AS (
            SELECT *, TRY_CAST(wait_text AS INTEGER) AS wait_seconds,
                      TRY_CAST(handle_text AS INTEGER) AS handle_seconds,
                      {seen} AS seen
            FROM typed
        )
        SELECT *, concat_ws('; ',
            CASE WHEN source_id IS NULL THEN 'source_id: required'
                 WHEN length(source_id) > 80 THEN 'source_id: at most 80 characters'
                 WHEN seen > 1 THEN 'source_id: repeats an earlier row of the file' END,
            CASE WHEN occurred_at IS NULL THEN 'occurred_at: not an instant: '
                      || coalesce(occurred_text, 'empty')
                 WHEN occurred_at < TIMESTAMPTZ '{EARLIEST}'
                      OR occurred_at > TIMESTAMPTZ '{latest}'
                 THEN 'occurred_at: outside {EARLIEST} … today' END,
            CASE WHEN channel IS NULL THEN 'channel: required'
                 WHEN channel NOT IN ({channels}) THEN 'channel: unknown ' || channel END,
            CASE WHEN place IS NOT NULL AND place NOT IN ({_quoted(places)})
                 THEN 'place: unknown ' || place END,
            CASE WHEN topic IS NOT NULL AND topic NOT IN ({_quoted(topics)})
                 THEN 'topic: unknown ' || topic END,
            CASE WHEN lang IS NOT NULL AND lang NOT IN ('fi', 'sv', 'en')
                 THEN 'lang: not fi, sv or en' END,
            CASE WHEN outcome IS NULL THEN 'outcome: required'
                 WHEN outcome NOT IN ({outcomes}) THEN 'outcome: unknown ' || outcome END,
            CASE WHEN wait_text IS NOT NULL AND (wait_seconds IS NULL OR wait_seconds < 0)
                 THEN 'wait_seconds: not a whole number of seconds' END,
            CASE WHEN handle_text IS NOT NULL AND (handle_seconds IS NULL OR handle_seconds < 0)
                 THEN 'handle_seconds: not a whole number of seconds' END
        ) AS problems
        FROM numbered
        """,
    )


STORED_COLUMNS = (
    "source, source_id, occurred_at, channel, place_id, topic_id, lang, outcome, "
    "wait_seconds, handle_seconds, provenance"
)


def _good_rows(source: str, instant: str) -> str:
    """The rows to store as the table's columns; ``instant`` formats the UTC time."""
    quoted = source.replace("'", "''")
    return (
        f"SELECT '{quoted}' AS source, source_id, {instant} AS occurred_at, channel, "
        "place AS place_id, topic AS topic_id, lang, outcome, wait_seconds, handle_seconds, "
        "'user' AS provenance FROM fresh"
    )


def _store_sqlite(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    source: str,
    total: int,
    progress: Progress | None,
) -> None:
    """Plain tuples into one prepared statement, inside the session's transaction."""
    # The text form SQLAlchemy itself stores for an instant on SQLite (UTC).
    instant = "strftime(timezone('UTC', occurred_at), '%Y-%m-%d %H:%M:%S.%f')"
    rows = con.execute(_good_rows(source, instant))
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    statement = (
        f"INSERT INTO contact_event ({STORED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (source, source_id) DO NOTHING"
    )
    done = 0
    while batch := rows.fetchmany(CHUNK):
        cursor.executemany(statement, batch)
        done += len(batch)
        if progress:
            progress("storing", done / max(total, 1))


def _store_postgresql(
    session: Session,
    con: duckdb.DuckDBPyConnection,
    source: str,
    total: int,
    progress: Progress | None,
) -> None:
    """COPY into a temporary table, then one INSERT that skips rows already stored."""
    instant = "strftime(timezone('UTC', occurred_at), '%Y-%m-%d %H:%M:%S.%f+00')"
    with tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / "good.csv"
        con.execute(f"COPY ({_good_rows(source, instant)}) TO ? (HEADER false)", [str(staged)])
        connection = session.connection().connection.driver_connection
        with connection.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(
                "CREATE TEMP TABLE incoming (LIKE contact_event INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            sent = 0
            with (
                cursor.copy(f"COPY incoming ({STORED_COLUMNS}) FROM STDIN (FORMAT csv)") as copy,
                staged.open("rb") as handle,
            ):
                while block := handle.read(1 << 20):
                    copy.write(block)
                    sent += block.count(b"\n")
                    if progress:
                        progress("storing", min(sent, total) / max(total, 1))
            cursor.execute(
                f"INSERT INTO contact_event ({STORED_COLUMNS}) SELECT {STORED_COLUMNS} "
                "FROM incoming ON CONFLICT (source, source_id) DO NOTHING"
            )
            cursor.execute("DROP TABLE incoming")


def _watched(
    con: duckdb.DuckDBPyConnection,
    progress: Progress | None,
    stage: str,
    sql: str,
    parameters: list[object] | None = None,
) -> None:
    """Run one long statement, reporting DuckDB's own estimate of how far it has got."""
    if progress is None:
        con.execute(sql, parameters)
        return
    finished = threading.Event()

    def report() -> None:
        while not finished.wait(POLL_SECONDS):
            done = con.query_progress()
            if done >= 0:
                progress(stage, min(done, 100.0) / 100)

    watcher = threading.Thread(target=report, daemon=True)
    watcher.start()
    try:
        con.execute(sql, parameters)
    finally:
        finished.set()
        watcher.join()
    progress(stage, 1.0)


def _fresh(
    con: duckdb.DuckDBPyConnection, session: Session, source: str, store_dir: Path | None
) -> int:
    """The good rows not stored before (database or Parquet store), as ``fresh``."""
    stored = session.execute(
        select(ContactEvent.source_id).where(ContactEvent.source == source)
    ).all()
    con.register("stored_ids", pa.table({"source_id": pa.array([r[0] for r in stored],
                                                               type=pa.string())}))  # fmt: skip
    known = "SELECT source_id FROM stored_ids"
    files = event_files(store_dir)
    if files:
        known += " UNION ALL SELECT source_id FROM read_parquet(?, union_by_name = true) " \
                 "WHERE source = ?"  # fmt: skip
    con.execute(
        "CREATE TEMP TABLE fresh AS SELECT * FROM checked WHERE problems = '' "
        f"AND source_id NOT IN ({known})",
        [files, source] if files else [],
    )
    return int(con.execute("SELECT count(*) FROM fresh").fetchall()[0][0])


def _folder(source: str) -> str:
    """A folder name for a source: letters, digits, dot, dash and underscore kept."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", source).strip(".") or "source"


def _store_parquet(
    con: duckdb.DuckDBPyConnection,
    source: str,
    store_dir: Path,
    now: datetime,
    progress: Progress | None,
) -> Path:
    """One Parquet file for the load, complete or absent (see kanava.contacts.store)."""
    folder = store_dir / STORE_FOLDER / _folder(source)
    remove_leftovers(folder)
    con.execute("SET preserve_insertion_order = false")  # lets DuckDB write in parallel
    return write_atomically(
        folder / f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.parquet",
        lambda partial: _watched(
            con, progress, "storing",
            f"COPY ({_good_rows(source, 'occurred_at')}) TO ? (FORMAT parquet)", [str(partial)],
        ),
    )  # fmt: skip


def ingest(
    session: Session,
    path: Path,
    *,
    source: str | None = None,
    skip_bad: Path | None = None,
    now: datetime,
    progress: Progress | None = None,
    store_dir: Path | None = None,
) -> IngestReport:
    """Check and store the events of a CSV or Parquet file; see the module's docstring.

    ``store_dir`` is the Parquet store (the events folder); without it every row goes to
    the database.
    """
    source_name = (source or path.stem).strip()[:60]
    if not source_name:
        raise ImportRefused("source", reason("give a name for the file's source"))
    # One load of a source at a time, to its commit: two loads of one file at once would
    # each find the other's rows not yet stored, and both store them.
    lock_until_commit(session.connection(), LOCK_INGEST_SOURCE, source_name)
    places = list(session.scalars(select(Channel.id)))
    topics = list(session.scalars(select(Topic.id)))
    latest = (now + timedelta(days=1)).date().isoformat()
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'Europe/Helsinki'")
        # DuckDB's progress estimate, for the bar; it prints nothing itself
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        columns = _read(con, path, lines=False)
        _checked(con, places, topics, latest, in_order=False, progress=progress)
        total, bad, repeats = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE problems <> ''), "
            "count(source_id) - count(DISTINCT source_id) FROM checked"
        ).fetchall()[0]
        malformed = _malformed(con, columns)
        if bad or repeats:  # read again in order, to name the lines
            con.execute("DROP TABLE checked")
            con.execute("DROP VIEW raw")
            _read(con, path, lines=True)
            _checked(con, places, topics, latest, in_order=True)
            total, bad = con.execute(
                "SELECT count(*), count(*) FILTER (WHERE problems <> '') FROM checked"
            ).fetchall()[0]
        total += len(malformed)
        bad += len(malformed)
        if bad and skip_bad is None:
            shown = con.execute(
                f"SELECT line, problems FROM checked WHERE problems <> '' "
                f"ORDER BY line LIMIT {SHOWN_PROBLEMS}"
            ).fetchall()
            shown = sorted([*shown, *malformed])[:SHOWN_PROBLEMS]
            listed = "; ".join(f"line {line}: {problems}" for line, problems in shown)
            more = f" (and {bad - len(shown)} more)" if bad > len(shown) else ""
            raise ImportRefused(
                path.name,
                reason(
                    "%(bad)s bad rows, nothing stored: %(listed)s%(more)s",
                    bad=bad,
                    listed=listed,
                    more=more,
                ),
            )
        if bad and skip_bad is not None:
            con.execute("CREATE TEMP TABLE malformed (line BIGINT, reason VARCHAR)")
            if malformed:
                con.executemany("INSERT INTO malformed VALUES (?, ?)", malformed)
            con.execute(
                "COPY (SELECT c.line, c.problems AS reason, r.* EXCLUDE (_line) "
                "FROM checked c JOIN raw r ON r._line = c.line WHERE c.problems <> '' "
                "UNION ALL BY NAME SELECT line, reason FROM malformed "
                "ORDER BY line) TO ? (HEADER, DELIMITER ',')",
                [str(skip_bad)],
            )
        fresh = _fresh(con, session, source_name, store_dir)
        if store_dir is not None and fresh >= BULK_ROWS:
            _store_parquet(con, source_name, store_dir, now, progress)
            stored = fresh
        else:
            before = _count(session, source_name)
            if session.get_bind().dialect.name == "postgresql":
                _store_postgresql(session, con, source_name, fresh, progress)
            else:
                _store_sqlite(session, con, source_name, fresh, progress)
            stored = _count(session, source_name) - before
    finally:
        con.close()
    return IngestReport(total, stored, total - bad - stored, bad)


def _count(session: Session, source: str) -> int:
    counted = session.scalar(
        select(func.count()).select_from(ContactEvent).where(ContactEvent.source == source)
    )
    return counted or 0
