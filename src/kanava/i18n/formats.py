"""How each language writes a time: one convention for pages, messages, .ics and the CLI.

Finnish and Finland-Swedish write the hour with a dot (klo 9.00, kl. 9.00); English
with a colon. Patterns are Babel's (CLDR).
"""

from __future__ import annotations

CLOCK = {"fi": "H.mm", "sv": "H.mm", "en": "HH:mm"}
WHEN = {
    "fi": "EEEE d.M.yyyy 'klo' H.mm",
    "sv": "EEEE d.M.yyyy 'kl.' H.mm",
    "en": "EEEE d.M.yyyy HH:mm",
}
SHORT_WHEN = {
    "fi": "EEE d.M.yyyy 'klo' H.mm",
    "sv": "EEE d.M.yyyy 'kl.' H.mm",
    "en": "EEE d.M.yyyy HH:mm",
}


def wall_clock(text: str, lang: str) -> str:
    """A wall-clock time given as "13:00" the way the language writes it."""
    hour, minute = text.split(":")[:2]
    return f"{int(hour)}.{minute}" if lang in ("fi", "sv") else f"{int(hour):02d}:{minute}"
