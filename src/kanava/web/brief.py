"""The decision brief as a document: HTML (one file, charts inline) or Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from markupsafe import Markup
from sqlalchemy.orm import Session

from kanava.borders import municipality_borders
from kanava.contacts.charts import chart
from kanava.network.brief import Brief
from kanava.network.places import demand_areas
from kanava.svg import MapArea, MapPoint, point_map
from kanava.web.context import gettext
from kanava.web.messages import provenance_names
from kanava.web.render import environment

STYLES = Path(__file__).parent / "static" / "brief.css"


def shift_names(lang: str) -> dict[str, str]:
    _ = gettext(lang)
    return {
        "phone": _("Phone service and phone appointments"),
        "nearest_point": _("The nearest Kela service point"),
        "video": _("Video service at a joint service point"),
    }


def brief_map(brief: Brief, background: Sequence[tuple[float, float]], lang: str) -> str:
    """The point as a diamond, its alternatives numbered as in the brief's table."""
    _ = gettext(lang)
    place = brief.place
    points = [MapPoint(place.lat, place.lon, place.name[lang], "origin")]
    points += [
        MapPoint(a.place.lat, a.place.lon, a.place.name[lang],
                 "asiointipiste" if a.video else "service_point", number)
        for number, a in enumerate(brief.alternatives, start=1)
    ]  # fmt: skip
    return point_map(
        points, background,
        title=_("%(point)s and its nearest alternatives") % {"point": place.name[lang]},
        description=_("A map of the point and the places listed in the table of alternatives "
                      "over the municipality borders; the point's municipality is shaded and "
                      "grey dots are the centres of the postal areas around them."),
        id_prefix="brief-map", size=560, areas=municipality_areas(place.municipality_code, lang),
        label_markers=True,
    )  # fmt: skip


def municipality_areas(code: str | None, lang: str) -> list[MapArea]:
    """Every municipality's border; the point's own shaded, it and its neighbours named."""
    named = {code}
    for border in municipality_borders():
        if border.code == code:
            named |= border.neighbours
    return [
        MapArea(b.rings, b.name[lang] if b.code in named else None, shaded=b.code == code)
        for b in municipality_borders()
    ]


def brief_drawings(
    session: Session,
    municipalities: set[str],
    brief: Brief,
    *,
    weeks: int,
    lang: str,
    events_dir: Path | None,
) -> tuple[str, str]:
    """The brief's map and its trend chart, the same for the file and the page."""
    trend = chart(
        session, "points", until=brief.until, weeks=weeks, lang=lang, parquet_dir=events_dir,
        gettext=gettext(lang), points=[brief.place.id],
    )  # fmt: skip
    background = [(a.lat, a.lon) for a in demand_areas(session, "postal", municipalities)]
    return brief_map(brief, background, lang), trend


def brief_document(
    brief: Brief,
    lang: str,
    *,
    markdown: bool = False,
    map_svg: str = "",
    trend_svg: str = "",
    map_file: str = "",
    trend_file: str = "",
    standalone: bool = True,
    edit_url: str = "",
) -> str:
    """The brief; a file carries its styles inline, a page links them (the CSP forbids
    inline styles) and offers the edit link and the print button."""
    template = environment(lang).get_template("brief.md" if markdown else "brief.html")
    return template.render(
        inline_css=Markup(STYLES.read_text(encoding="utf-8")) if standalone else "",
        brief=brief,
        lang=lang,
        shift_names=shift_names(lang),
        provenance_names=provenance_names(gettext(lang)),
        map_svg=Markup(map_svg),
        trend_svg=Markup(trend_svg),
        map_file=map_file,
        trend_file=trend_file,
        edit_url=edit_url,
    )
