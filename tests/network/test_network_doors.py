"""Assessment, accessibility and scenarios as a manager reaches them: the CLI (the
pages: tests/web/test_network_pages.py), on the shipped data and the synthetic year."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kanava.catalogue.models import Channel, Correction, Municipality
from kanava.cli import app
from kanava.network.places import OWN_KINDS
from kanava.network.scenario import default_shift

runner = CliRunner()
LAUKAA = "laukaa-ajanvaraus"
SCENARIO = Path(__file__).parents[2] / "src/kanava/data/scenarios/laukaa.yaml"


@pytest.fixture
def kanava(
    loaded_url: str,
    use_database: Callable[[str], None],
    demo_events: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Any]:
    monkeypatch.setenv("KANAVA_EVENTS_DIR", str(demo_events))
    use_database(loaded_url)

    def run(*args: str, code: int = 0) -> Any:
        result = runner.invoke(app, ["network", *args])
        assert result.exit_code == code, result.output + result.stderr
        return json.loads(result.stdout) if code == 0 and "--json" in args else result

    return run


def test_laukaa_is_assessed_below_the_line_and_listed_first(kanava: Callable[..., Any]) -> None:
    answer = kanava("assess", "--unit", "keskinen", "--json")
    # The last week with a usual amount of data: Christmas week and 30.–31.12. are not.
    assert answer["line"] == 100 and answer["until"] == "2024-12-22"
    first = answer["points"][0]
    assert first["id"] == LAUKAA and first["low_demand"] is True
    assert 3 <= first["customers_per_week"] <= 5 and first["figure_source"] == "statistics"
    assert first["open_days_per_week"] == 1
    judged = {p["id"]: p for p in answer["points"]}
    assert judged["tampere-palvelupiste"]["low_demand"] is False
    assert judged["jamsa-palvelupiste"]["open_days_per_week"] == 2  # from its hours, Tue, Thu
    partner = [p for p in answer["points"] if p["kind"] == "asiointipiste"]
    assert partner and all(p["low_demand"] is None for p in partner)
    assert "tapahtumat ovat synteettisiä" in answer["note"]  # the CLI speaks Finnish


def test_a_managers_figure_and_line_replace_the_statistics(kanava: Callable[..., Any]) -> None:
    answer = kanava("assess", "--figure", f"{LAUKAA}=150", "--line", "130", "--json")
    judged = {p["id"]: p for p in answer["points"]}
    assert judged[LAUKAA]["customers_per_week"] == 150
    assert judged[LAUKAA]["figure_source"] == "entered" and not judged[LAUKAA]["low_demand"]
    assert judged["jamsa-palvelupiste"]["low_demand"] is True  # about 127 a week < 130


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "lappi"], "unit: tuntematon arvo 'lappi'"),
        (["--line", "0"], "line: vähäisen kysynnän rajan on oltava yli nollan"),
        (["--figure", "laukaa-ajanvaraus=many"], "figure: 'laukaa-ajanvaraus=many'"),
        (["--figure", "nowhere=3"], "figure: yksikössä ei ole paikkaa 'nowhere'"),
        (["--figure", "laukaa-ajanvaraus=nan"], "figure: 'laukaa-ajanvaraus=nan'"),
    ],
)
def test_bad_assessments_exit_2(kanava: Callable[..., Any], args: list[str], message: str) -> None:
    assert message in kanava("assess", *args, code=2).stderr


def test_access_states_its_method_and_a_users_matrix_replaces_it(
    kanava: Callable[..., Any], tmp_path: Path, session: Session
) -> None:
    plain = kanava("access", "--level", "municipality", "--json")
    assert plain["distance"] == "great-circle km × 1.3" and plain["pairs_from_matrix"] == 0
    own = next(c for c in plain["categories"] if c["category"] == "service_point")
    assert 0 < own["mean_km"] < 100 and 0 < own["share_within_km"]["25"] < 1
    assert own["mean_minutes"] == pytest.approx(own["mean_km"])  # at 60 km/h
    assert sum(n["people"] for n in own["nearest_for"]) == plain["population"]
    codes = [c["id"] for c in own["nearest_for"]]
    assert "tampere-palvelupiste" in codes
    # a matrix that puts Tampere's point at 0 km from everyone replaces the approximation
    regions = ("Etelä-Pohjanmaa", "Keski-Suomi", "Pirkanmaa", "Kanta-Häme")
    towns = session.query(Municipality.code).filter(Municipality.region_fi.in_(regions)).all()
    matrix = ",tampere-palvelupiste\n" + "".join(f"{code},0\n" for (code,) in towns)
    (tmp_path / "km.csv").write_text(matrix, encoding="utf-8")
    given = kanava(
        "access", "--level", "municipality", "--costs", str(tmp_path / "km.csv"), "--json"
    )
    assert given["pairs_from_matrix"] == len(towns) == plain["areas"]
    assert "user matrix" in given["distance"]
    own = next(c for c in given["categories"] if c["category"] == "service_point")
    assert own["mean_km"] == 0 and own["share_within_km"]["25"] == 1
    assert own["nearest_for"][0]["id"] == "tampere-palvelupiste"


def test_the_laukaa_scenario_before_and_after(kanava: Callable[..., Any]) -> None:
    assessed = {p["id"]: p for p in kanava("assess", "--json")["points"]}
    answer = kanava("scenario", "run", str(SCENARIO), "--json")
    affected = answer["customers_per_week_affected"]
    assert affected == pytest.approx(assessed[LAUKAA]["customers_per_week"])
    assert answer["shift"] == pytest.approx(default_shift())
    assert sum(answer["moved_per_week"].values()) == pytest.approx(affected)
    assert answer["expert_days_per_week_freed"] == 1
    assert answer["extra_calls_per_hour"] == pytest.approx(
        affected * default_shift()["phone"] / 35  # the median line: weekdays 9–16
    )
    assert answer["phone_hours_per_week"] == 35
    own = answer["distance"]["service_point"]
    assert own["people_whose_nearest_changes"] > 0
    assert own["mean_km_after"] > own["mean_km_before"]
    assert answer["distance"]["any"]["people_whose_nearest_changes"] == 0  # video on the spot
    assert answer["removed"] == [LAUKAA] and answer["added"][0]["kind"] == "asiointipiste"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: x\nchanges:\n  - replace: nowhere\n",
            "changes[1].replace: verkossa ei ole toimivaa paikkaa",
        ),
        ("name: x\nchanges:\n  - demolish: laukaa-ajanvaraus\n", "tuntematon muutos 'demolish'"),
        ("name: x\nchanges: []\n", "changes: luettelo, jossa on vähintään yksi muutos"),
        ("changes:\n  - close: laukaa-ajanvaraus\n", "name: anna skenaariolle nimi"),
        (
            "name: x\nchanges:\n  - close: laukaa-ajanvaraus\nshift: {phone: 0.9}\n",
            "shift: osuudet väliltä 0–1, joiden summa on 1",
        ),
        (
            "name: x\nchanges:\n  - days: {point: jamsa-palvelupiste, per_week: 9}\n",
            "changes[1].days.per_week",
        ),
        ("name: x\nchanges:\n  - open: {municipality: '999'}\n", "changes[1].open.municipality"),
        ("name: [unclosed\n", "ei ole YAMLia"),
    ],
)
def test_bad_scenarios_exit_2_naming_the_change(
    kanava: Callable[..., Any], tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    assert message in kanava("scenario", "run", str(tmp_path / "s.yaml"), code=2).stderr


def test_fewer_days_and_a_new_point(kanava: Callable[..., Any], tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "name: Jämsä one day, a joint point in Laukaa\n"
        "changes:\n"
        "  - days: {point: jamsa-palvelupiste, per_week: 1}\n"
        "  - open: {id: laukaa-yhteispiste, municipality: '410', video: true}\n",
        encoding="utf-8",
    )
    answer = kanava("scenario", "run", str(tmp_path / "s.yaml"), "--json")
    assessed = {p["id"]: p for p in kanava("assess", "--json")["points"]}
    assert answer["customers_per_week_affected"] == pytest.approx(
        assessed["jamsa-palvelupiste"]["customers_per_week"] / 2
    )
    assert answer["expert_days_per_week_freed"] == 1
    assert answer["added"] == [
        {"id": "laukaa-yhteispiste", "name": "Laukaa (asiointipiste)", "kind": "asiointipiste"}
    ]


def test_the_laukaa_brief_names_its_nearest_alternatives_with_distances(
    kanava: Callable[..., Any], tmp_path: Path
) -> None:
    kanava("brief", "--point", "laukaa", "--lang", "en", "--out", str(tmp_path / "b.html"))
    html = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "Decision brief: Kela appointment service in Laukaa" in html
    assert '<span class="low">3.' in html  # customers a week, below the line
    assert "Kela service point Jyväskylä" in html and "open weekdays 9–16" in html
    assert '<td class="num">29</td>' in html  # road km to Jyväskylä (great-circle × 1.3)
    assert "Haapajärventie 1" in html  # the nearest place with video service, its address
    assert "the straight-line distance × 1.3; minutes at 60 km/h" in html
    # Kela's own figure leads; kanava's figures say they are synthetic where they stand.
    lead = html.split('<p class="lead">')[1].split("</p>")[0]
    assert lead.startswith("<strong>Kela: about 4 customers a week in 2024.</strong>")
    assert "In kanava's synthetic contact events" in lead
    assert '<span class="tag synthetic">synthetic</span>' in html
    assert "Kela service point Jyväskylä (illustrative point, not Kela's)" in html
    assert "Haapajärventie 1, Kärsämäki" in html  # the town with the address
    # People nearest the point: those in Laukaa never exceed Laukaa's population.
    people = re.search(r"([\d,]+) of them in Laukaa \(population ([\d,]+)\)", html)
    assert people and int(people[1].replace(",", "")) <= int(people[2].replace(",", ""))
    assert "5 illustrative Kela points: the population figures are illustrative too" in html
    assert "served customers sent by its partners" in html  # the seed's current state
    assert "over the lines' 35 open hours a week" in html
    assert "Monday 1.9.2025" in html and "Thursday 21.8.2025" in html
    assert "these dates have passed" in html  # made after 1.9.2025
    assert "Monday 2.3.2026 (suggested)" in html  # 1.3.2026 is a Sunday
    assert html.count("<svg") == 2  # the trend and the map
    kanava("brief", "--point", "laukaa-ajanvaraus", "--lang", "fi", "--out", str(tmp_path / "b.md"))
    text = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert text.startswith("# Päätösmuistio: Kelan ajanvarauspalvelu Laukaassa")
    assert "| 1 | Kelan palvelupiste Jyväskylä (havainnollistava piste, ei Kelan) |" in text
    assert "&#39;" not in text  # Markdown is not HTML-escaped
    assert (tmp_path / "b.map.svg").read_text(encoding="utf-8").startswith("<svg")


def test_the_cli_edits_the_brief_and_the_brief_reads_it(
    kanava: Callable[..., Any], loaded_engine: Engine, tmp_path: Path
) -> None:
    try:
        recorded = kanava(
            "brief-edit", "--point", "laukaa", "--figure", "3,5",
            "--figure-source", "yksikön ajanvarauskalenteri 2024",
            "--partner", "Laukaan kunta", "--partner", "Keski-Suomen hyvinvointialue",
            "--announce-by", "15.8.2025", "--by", "esihenkilo", "--json",
        )  # fmt: skip
        assert {r["field"] for r in recorded} == {
            "own_figure", "own_figure_source", "partners", "announce_by"
        }  # fmt: skip
        assert {r["changed_by"] for r in recorded} == {"esihenkilo"}
        kanava("brief", "--point", "laukaa", "--lang", "fi", "--out", str(tmp_path / "b.md"))
        text = (tmp_path / "b.md").read_text(encoding="utf-8")
        lead = text.split("\n\n")[2]
        assert lead.startswith("**Yksikön oma laskenta: 3,5 asiakasta viikossa")
        assert "- Keski-Suomen hyvinvointialue" in text
        assert "perjantai 15.8.2025\n" in text  # the manager's date, not "(ehdotus)"
        refused = kanava("brief-edit", "--point", "laukaa", "--review", "20.6.2025", code=2)
        assert "review: 20.06.2025 on pyhäpäivä (juhannusaatto)" in refused.stderr
        assert (
            "changes: mikään ei eroa"
            in kanava("brief-edit", "--point", "laukaa", "--figure", "3.5", code=2).stderr
        )
        kanava("brief-edit", "--point", "laukaa", "--clear", "partners", "--clear", "own-figure",
               "--clear", "own-figure-source", "--clear", "announce-by")  # fmt: skip
        kanava("brief", "--point", "laukaa", "--lang", "fi", "--out", str(tmp_path / "c.md"))
        assert "Yksikön oma laskenta" not in (tmp_path / "c.md").read_text(encoding="utf-8")
    finally:
        with loaded_engine.begin() as connection:
            connection.execute(delete(Correction).where(Correction.target == "brief"))


def test_a_brief_on_an_unknown_point_or_format_is_refused(
    kanava: Callable[..., Any], tmp_path: Path
) -> None:
    assert (
        "point: tuntematon arvo 'nowhere'"
        in kanava("brief", "--point", "nowhere", "--out", str(tmp_path / "b.html"), code=2).stderr
    )
    assert (
        "out: anna tiedostonimi, jonka pääte on .html tai .md"
        in kanava("brief", "--point", "laukaa", "--out", str(tmp_path / "b.pdf"), code=2).stderr
    )


def test_the_api_optimizes_a_posted_matrix_and_names_bad_input(client: Any) -> None:
    body = {
        "costs": [[0, 40, 30, 10], [10, 30, 20, 0], [30, 20, 0, 20], [40, None, 10, 30]],
        "weights": [100, 1, 1, 100],
        "p": 2,
        "names": ["A", "B", "C", "D"],
    }
    answer = client.post("/api/v1/network/optimize", json=body).json()
    assert answer["sites"] == [0, 2] and answer["site_names"] == ["A", "C"]
    assert answer["objective"] == 1010 and answer["gap"] == 0
    for change, field in [
        ({"p": 5}, "p"),
        ({"weights": [1, 1]}, "weights"),
        ({"costs": [[1, 2], [3]]}, "costs"),
        ({"names": ["A"]}, "names"),
        ({"costs": [[1, -2], [3, 4]], "weights": None}, "costs"),
    ]:
        problem = client.post("/api/v1/network/optimize", json=body | change)
        assert problem.status_code == 422, change
        assert field in problem.text


def test_the_api_assesses_accesses_and_runs_a_scenario(client: Any) -> None:
    assessed = client.get("/api/v1/network/assess", params={"unit": "keskinen"}).json()
    assert {p["id"] for p in assessed["points"]} >= {LAUKAA, "tampere-palvelupiste"}
    assert "the shipped events are synthetic" in assessed["note"]
    swedish = client.get("/api/v1/network/assess", params={"lang": "sv"}).json()
    assert "syntetiska" in swedish["note"] and "synthetic" not in swedish["note"]
    access = client.get("/api/v1/network/access", params={"level": "municipality"}).json()
    assert access["distance"] == "great-circle km × 1.3" and access["areas"] == 74
    outcome = client.post(
        "/api/v1/network/scenario", json={"name": "Laukaa", "changes": [{"replace": LAUKAA}]}
    )
    assert outcome.status_code == 200 and outcome.json()["removed"] == [LAUKAA]
    bad = client.post(
        "/api/v1/network/scenario", json={"name": "x", "changes": [{"close": "nowhere"}]}
    )
    assert bad.status_code == 422 and "changes[1].close" in bad.text
    assert client.get("/api/v1/network/assess", params={"unit": "x"}).status_code == 404
    entered = client.get("/api/v1/network/assess", params={"figure": f"{LAUKAA}=150"}).json()
    laukaa = next(p for p in entered["points"] if p["id"] == LAUKAA)
    assert laukaa["customers_per_week"] == 150 and laukaa["figure_source"] == "entered"
    assert client.get("/api/v1/network/assess", params={"figure": "x=1"}).status_code == 422


def test_a_users_matrix_replaces_the_approximation_in_a_scenario(
    kanava: Callable[..., Any], tmp_path: Path, session: Session
) -> None:
    regions = ("Etelä-Pohjanmaa", "Keski-Suomi", "Pirkanmaa", "Kanta-Häme")
    towns = [c for (c,) in session.query(Municipality.code)
             .filter(Municipality.region_fi.in_(regions))]  # fmt: skip
    # every area 5 km from Laukaa's point, 90 km from Jyväskylä's and 200 km from every
    # other Kela point: replacing Laukaa moves everyone from 5 to 90 km
    columns = [c for (c,) in session.query(Channel.id).filter(
        Channel.kind.in_(OWN_KINDS), Channel.status == "active")]  # fmt: skip
    km = {"laukaa-ajanvaraus": 5, "jyvaskyla-palvelupiste": 90}
    rows = "".join(
        code + "," + ",".join(str(km.get(c, 200)) for c in columns) + "\n" for code in towns
    )
    (tmp_path / "km.csv").write_text("," + ",".join(columns) + "\n" + rows, encoding="utf-8")
    answer = kanava(
        "scenario",
        "run",
        str(SCENARIO),
        "--level",
        "municipality",
        "--costs",
        str(tmp_path / "km.csv"),
        "--json",
    )
    own = answer["distance"]["service_point"]
    assert own["mean_km_before"] == 5 and own["mean_km_after"] == 90
    assert own["people_beyond_km_before"]["50"] == 0
    assert own["people_beyond_km_after"]["50"] == own["people_whose_nearest_changes"]


def test_the_units_own_optimisation_compares_with_today(kanava: Callable[..., Any]) -> None:
    answer = kanava("optimize", "--p", "7", "--fixed", "laukaa-ajanvaraus", "--json")
    assert answer["optimal"] and "laukaa-ajanvaraus" in answer["site_names"]
    assert answer["chosen"] == pytest.approx(answer["mean_cost"])
    assert answer["chosen"] < answer["today"]  # one more point, placed well
    assert "tampere-palvelupiste" in answer["today_sites"]
