"""`kanava network optimize` on files a user brings, good and bad."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kanava.cli import app

runner = CliRunner()
ROAD = "Alavus,Jämsä,Sastamala,Kuortane\n0,40,30,10\n10,30,20,0\n30,20,0,20\n40,,10,30\n"


def run(
    tmp_path: Path,
    *args: str,
    costs: str = ROAD,
    weights: str | None = "100\n1\n1\n100\n",
    code: int = 0,
) -> str:
    (tmp_path / "costs.csv").write_text(costs, encoding="utf-8")
    extra = []
    if weights is not None:
        (tmp_path / "w.csv").write_text(weights, encoding="utf-8")
        extra = ["--weights", str(tmp_path / "w.csv")]
    result = runner.invoke(
        app, ["network", "optimize", "--costs", str(tmp_path / "costs.csv"), *extra, *args]
    )
    assert result.exit_code == code, result.output + result.stderr
    return result.stdout if code == 0 else result.stderr


def test_pmedian_json_has_the_objective_sites_gap_and_times(tmp_path: Path) -> None:
    answer = json.loads(run(tmp_path, "--p", "2", "--json"))
    # Alavus and Sastamala: the two heavy areas at 0 and 10, the light ones at 10 and 0
    assert answer["sites"] == [0, 2]
    assert answer["objective"] == pytest.approx(100 * 0 + 1 * 10 + 1 * 0 + 100 * 10)
    assert answer["gap"] == 0.0 and answer["optimal"] is True
    assert answer["build_s"] >= 0 and answer["solve_s"] >= 0
    assert answer["site_names"] == [
        ["Alavus", "Jämsä", "Sastamala", "Kuortane"][j] for j in answer["sites"]
    ]


def test_fixed_and_forbidden_by_name_or_column(tmp_path: Path) -> None:
    answer = json.loads(run(tmp_path, "--p", "2", "--fixed", "Jämsä", "--forbidden", "0", "--json"))
    assert 1 in answer["sites"] and 0 not in answer["sites"]


def test_covering_models_and_the_heuristic(tmp_path: Path) -> None:
    one = json.loads(run(tmp_path, "--model", "mclp", "--p", "1", "--radius", "10", "--json"))
    assert one["objective"] == 101 and one["covered_share"] == pytest.approx(101 / 202)
    two = json.loads(run(tmp_path, "--model", "mclp", "--p", "2", "--radius", "10", "--json"))
    assert two["objective"] == 202 and two["covered_share"] == 1
    lscp = json.loads(run(tmp_path, "--model", "lscp", "--radius", "10", "--json"))
    assert lscp["objective"] == 2
    fast = json.loads(run(tmp_path, "--p", "2", "--heuristic", "--json"))
    exact = json.loads(run(tmp_path, "--p", "2", "--json"))
    assert fast["method"] == "heuristic" and fast["gap"] >= 0
    assert fast["objective"] * (1 - fast["gap"]) <= exact["objective"] + 1e-9
    assert fast["optimal"] is (fast["gap"] <= 1e-8)


def test_labelled_rows_and_a_header_on_the_weights(tmp_path: Path) -> None:
    labelled = ",A,B\n00100,1,5\n00120,4,2\n"
    answer = json.loads(
        run(tmp_path, "--p", "1", "--json", costs=labelled, weights="asukkaat\n10\n1\n")
    )
    assert answer["site_names"] == ["A"] and answer["objective"] == 14


@pytest.mark.parametrize(
    ("costs", "weights", "args", "message"),
    [
        ("A,B\n1,2\n3\n", "1\n1\n", ["--p", "1"], "rivi 3: 1 arvoa 2 ehdokkaalle"),
        ("A,B\n1,x\n3,4\n", "1\n1\n", ["--p", "1"], "rivi 2, sarake 'B': 'x' ei ole luku"),
        ("A,B\n1,-2\n3,4\n", "1\n1\n", ["--p", "1"], "-2 on negatiivinen"),
        (
            "A,B\n1,2\n,\n",
            "1\n1\n",
            ["--p", "1"],
            "rivi 3: alueelta ei pääse yhteenkään ehdokkaaseen",
        ),
        ("A,B\n1,2\n3,4\n", "1\n", ["--p", "1"], "weights: 1 painoa 2 kysyntäalueelle"),
        ("A,B\n1,2\n3,4\n", "1\n-1\n", ["--p", "1"], "weights: arvo 2: -1 on negatiivinen"),
        (
            "A,B\n1,2\n3,4\n",
            "1\n1\n",
            ["--p", "3"],
            "p: pyydettiin 3 paikkaa, mutta sallittuja ehdokkaita on vain 2",
        ),
        ("A,A\n1,2\n3,4\n", "1\n1\n", ["--p", "1"], "ehdokas 'A' on nimetty kahdesti"),
        ("A,B\n1,2\n3,4\n", "1\n1\n", ["--model", "mclp", "--p", "1"], "radius"),
        ("A,B\n1,2\n3,4\n", "1\n1\n", ["--p", "1", "--fixed", "C"], "fixed: ei ehdokasta"),
    ],
)
def test_bad_files_exit_2_naming_the_problem(
    tmp_path: Path, costs: str, weights: str, args: list[str], message: str
) -> None:
    assert message in run(tmp_path, *args, costs=costs, weights=weights, code=2)


def test_unreachable_cells_are_handled(tmp_path: Path) -> None:
    answer = json.loads(run(tmp_path, "--p", "1", "--json", weights=None))
    # Jämsä (no road from the last area) is never the answer; Sastamala and Kuortane tie
    assert answer["sites"] in ([2], [3]) and answer["objective"] == 60


def test_a_new_process_prints_only_json_on_standard_output(tmp_path: Path) -> None:
    """HiGHS announces itself on standard output when a process makes its first solver;
    piped `--json` must stay JSON (the progress line goes to standard error)."""
    import subprocess
    import sys

    (tmp_path / "costs.csv").write_text(ROAD, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "from kanava.cli import main; main()", "network", "optimize",
         "--costs", str(tmp_path / "costs.csv"), "--p", "2", "--json"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout)["optimal"] is True
