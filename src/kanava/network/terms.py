"""The network's named choices and defaults, in a module light enough for the CLI to
read at start (its options show them) without loading numpy, SciPy or HiGHS."""

from __future__ import annotations

from enum import StrEnum

LOW_DEMAND = 100  # customers a week: Kela's board, December 2017
DEFAULT_SPEED_KMH = 60.0  # an assumed rural driving speed, stated in every output


class Model(StrEnum):
    PMEDIAN = "pmedian"
    MCLP = "mclp"
    LSCP = "lscp"


class Method(StrEnum):
    EXACT = "exact"
    HEURISTIC = "heuristic"
