"""A manager's edits of a brief: checked field by field, then laid over kanava's brief."""

from __future__ import annotations

from datetime import date

import pytest

from kanava.errors import InvalidInput
from kanava.network.brief_edits import check_edits, check_together, edits_from


def test_values_are_read_the_way_people_type_them() -> None:
    checked = check_edits({
        "own_figure": "3,5", "partners": "Laukaan kunta; Laukaan kunta\n\n Kela ",
        "announce_by": "2025-08-15", "proposal_sv": "  Förslag.\r\nRad två. ", "review": "",
    })  # fmt: skip
    assert checked == {"own_figure": "3.5", "partners": "Laukaan kunta\nKela",
                       "announce_by": "2025-08-15", "proposal_sv": "Förslag.\nRad två.",
                       "review": None}  # fmt: skip
    edits = edits_from({k: v for k, v in checked.items() if v is not None})
    assert edits.partners == ["Laukaan kunta", "Kela"]
    assert edits.announce_by == date(2025, 8, 15) and edits.review is None
    assert edits.own is None  # a figure without its source is not a figure to show


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"colour": "red"}, "field"),
        ({"announce_by": "2025-12-24"}, "announce_by"),  # jouluaatto
        ({"review": "2026-03-01"}, "review"),  # a Sunday
        ({"own_figure": "1e9"}, "own_figure"),
        ({"own_figure": "nan"}, "own_figure"),
        ({"proposal_en": "x" * 3001}, "proposal_en"),
    ],
)
def test_a_wrong_value_names_its_field(changes: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_edits(changes)
    assert refused.value.field == field


def test_the_dates_keep_their_order() -> None:
    check_together({"effective": "2025-09-01", "announce_by": "2025-08-15",
                    "review": "2026-03-02"})  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        check_together({"effective": "2025-09-01", "announce_by": "2025-09-01"})
    assert refused.value.field == "announce_by"
