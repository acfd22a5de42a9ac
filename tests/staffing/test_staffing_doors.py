"""Staffing as a user reaches it: the CLI and the API (the page: tests/web)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kanava.cli import app

runner = CliRunner()


@pytest.fixture
def kanava(loaded_url: str, use_database: Callable[[str], None]) -> Callable[..., Any]:
    use_database(loaded_url)

    def run(*args: str, code: int = 0) -> Any:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output + result.stderr
        return result

    return run


def test_cli_erlang_prints_the_reference_case(kanava: Callable[..., Any]) -> None:
    result = kanava(
        "staffing", "erlang", "--calls", "100", "--interval-min", "30", "--aht-sec", "180",
        "--target-sl", "0.8", "--answer-sec", "20", "--shrinkage", "0.3", "--json",
    )  # fmt: skip
    answer = json.loads(result.stdout)
    assert (answer["agents"], answer["staff"]) == (14, 20)
    assert answer["service_level"] == pytest.approx(0.888, abs=5e-4)
    assert answer["waiting_probability"] == pytest.approx(0.174, abs=5e-4)
    assert answer["occupancy"] == pytest.approx(0.714, abs=5e-4)
    assert answer["asa_sec"] > 0


def test_cli_erlang_a_with_patience(kanava: Callable[..., Any]) -> None:
    result = kanava(
        "staffing", "erlang", "--calls", "100", "--interval-min", "30", "--aht-sec", "180",
        "--target-sl", "0.8", "--answer-sec", "20", "--patience-sec", "120", "--json",
    )  # fmt: skip
    answer = json.loads(result.stdout)
    assert answer["model"] == "erlang_a" and answer["agents"] < 14 and answer["abandonment"] > 0


def test_cli_refuses_a_target_above_one(kanava: Callable[..., Any]) -> None:
    result = kanava("staffing", "erlang", "--calls", "100", "--target-sl", "1.5", code=2)
    assert "target_sl" in result.stderr


def test_cli_plans_a_week_from_the_history(kanava: Callable[..., Any]) -> None:
    result = kanava("staffing", "plan", "--week", "2025-W11", "--line", "elakkeet", "--json")
    plan = json.loads(result.stdout)
    assert plan["provenance"] == "synthetic"
    (line,) = plan["lines"]
    assert line["line"] == "puhelin-elakkeet"
    assert len(line["hours"]) == 35  # five days, nine to four
    assert line["peak_agents_with_callbacks"] <= line["peak_agents"]
    assert 0 < line["backtest_wape"] < 0.2
    table = kanava("staffing", "plan", "--week", "2025-W11")
    assert "(synteettinen historia)" in table.stdout
    bad = kanava("staffing", "plan", "--week", "2025-11", code=2)
    assert "week" in bad.stderr


def test_api_erlang_and_plan(client: TestClient) -> None:
    answer = client.get(
        "/api/v1/staffing/erlang",
        params={
            "calls": 100,
            "interval_min": 30,
            "aht_sec": 180,
            "target_sl": 0.8,
            "answer_sec": 20,
        },
    ).json()
    assert answer["agents"] == 14
    refused = client.get("/api/v1/staffing/erlang", params={"calls": -5})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "calls"
    plan = client.get("/api/v1/staffing/plan", params={"week": "2025-W11", "extra_calls": 1000})
    assert plan.status_code == 200 and len(plan.json()["lines"]) == 10
    missing = client.get("/api/v1/staffing/plan", params={"week": "2019-W11"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "week"
