"""The Finnish personal identity code (henkilötunnus). Pure.

DDMMYYCZZZQ: birth date, a century sign, an individual number and a check
character. Since 1.1.2023 the century may also be written with the new signs
(Y X W V U for the 1900s, B C D E F for the 2000s) besides -, + and A.
The check character is DDMMYYZZZ read as one number, modulo 31, looked up in
"0123456789ABCDEFHJKLMNPRSTUVWXY". (Population Information Act 661/2009,
amended 2022; Digital and Population Data Services Agency.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
_SHAPE = re.compile(r"^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$")


class HetuError(ValueError):
    """Why a henkilötunnus is not valid; the message names the field."""


@dataclass(frozen=True)
class Hetu:
    code: str
    birth_date: date
    temporary: bool

    def masked(self) -> str:
        """For showing to staff who need to recognise it, not to read it out."""
        return f"{self.code[:6]}{self.code[6]}****"


def parse_hetu(text: str) -> Hetu:
    """Validate a henkilötunnus: shape, a real birth date, the century sign and the check."""
    code = text.strip().upper()
    match = _SHAPE.match(code)
    if match is None:
        raise HetuError("hetu: expected DDMMYYCZZZQ, e.g. 131052-308T")
    day, month, year, sign, individual, check = match.groups()
    try:
        born = date(CENTURIES[sign] + int(year), int(month), int(day))
    except ValueError:
        raise HetuError(f"hetu: {day}.{month}. is not a date in that year") from None
    number = int(individual)
    if number < 2:
        raise HetuError("hetu: the individual number must be 002–999")
    expected = CHECK_CHARACTERS[int(f"{day}{month}{year}{individual}") % 31]
    if check != expected:
        raise HetuError("hetu: the check character does not match")
    return Hetu(code, born, temporary=number >= 900)
