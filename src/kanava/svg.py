"""Maps and charts drawn by kanava itself as SVG: no tiles, no scripts, no third party.

Pure: values in, markup out. Every text is escaped here; the caller marks the result safe.
Each drawing carries a title and a description; the page puts the same figures in a
list or table beside it for readers who cannot see it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import resvg_py

KM_PER_DEGREE = 111.2
MARKER_FILLS = {"service_point": "#003f7d", "asiointipiste": "#1d6b32", "low": "#a4262c"}


NumberText = Callable[[float], str]  # a figure as the reader writes it


def whole_number(value: float) -> str:
    """A figure rounded, with no separator: the caller passes the reader's format."""
    return f"{value:.0f}"


@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    label: str
    marker: str  # "origin", "service_point", "asiointipiste" or "low" (below the line)
    number: int | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str


def _bounds(
    points: Sequence[MapPoint], min_span_km: float
) -> tuple[float, float, float, float, float]:
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    mid_lat = (min(lats) + max(lats)) / 2
    shrink = math.cos(math.radians(mid_lat))
    span_y = max(max(lats) - min(lats), min_span_km / KM_PER_DEGREE)
    span_x = max((max(lons) - min(lons)) * shrink, min_span_km / KM_PER_DEGREE)
    span = max(span_x, span_y) * 1.3
    centre_x = (min(lons) + max(lons)) / 2 * shrink
    centre_y = (min(lats) + max(lats)) / 2
    return centre_x - span / 2, centre_y + span / 2, span, shrink, mid_lat


@dataclass(frozen=True)
class MapArea:
    """A municipality (or any area) drawn under the points: its outline, perhaps shaded
    and named."""

    rings: Sequence[Sequence[tuple[float, float]]]  # (lat, lon) pairs
    label: str | None = None
    shaded: bool = False


Box = tuple[float, float, float, float]  # left, top, right, bottom
EDGE = 4.0  # px kept free at the map's edge


def _text_width(text: str, font_size: float) -> float:
    """A generous estimate of the width of a line of text in a sans-serif font."""
    return len(text) * font_size * 0.58


def _overlaps(box: Box, placed: Sequence[Box]) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in placed)  # fmt: skip


def place_label(
    x: float, y: float, width: float, height: float, size: int, placed: Sequence[Box],
    gap: float = 15.0,
) -> tuple[float, float, str]:  # fmt: skip
    """Where a marker's label goes: right of it, else left, moved up or down past labels
    already placed, and always wholly inside the map. Returns x, baseline y, anchor."""
    for dy in (0.0, 16.0, -16.0, 32.0, -32.0):
        base = min(max(y + height / 3 + dy, height + EDGE), size - EDGE)
        for side in ("start", "end"):
            left = x + gap if side == "start" else x - gap - width
            if left < EDGE or left + width > size - EDGE:
                continue
            box = (left, base - height, left + width, base)
            if not _overlaps(box, placed):
                return (left if side == "start" else left + width), base, side
    left = min(max(x + gap, EDGE), size - EDGE - width)  # no free side: keep it inside
    return left, min(max(y + height / 3, height + EDGE), size - EDGE), "start"


def _path(rings: Sequence[Sequence[tuple[float, float]]],
          xy: Callable[[float, float], tuple[float, float]], size: int) -> str:  # fmt: skip
    """SVG path data of the rings that reach into the map, leaving out vertices closer
    than a pixel apart."""
    parts = []
    for ring in rings:
        points: list[tuple[float, float]] = []
        for lat, lon in ring:
            x, y = xy(lat, lon)
            if not points or abs(x - points[-1][0]) + abs(y - points[-1][1]) >= 1.0:
                points.append((x, y))
        xs, ys = [x for x, _ in points], [y for _, y in points]
        if len(points) >= 3 and _inside((min(xs), min(ys), max(xs), max(ys)), size):
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _inside(box: Box, size: int) -> bool:
    return box[2] >= 0 and box[0] <= size and box[3] >= 0 and box[1] <= size


def point_map(
    points: Sequence[MapPoint],
    background: Sequence[tuple[float, float]],
    *,
    title: str,
    description: str,
    size: int = 440,
    min_span_km: float = 30.0,
    id_prefix: str = "map",
    areas: Sequence[MapArea] = (),
    label_markers: bool = False,
) -> str:
    """A square map around the points, over the outlines of the areas given, with faint
    dots for the places around them. The origin's label, and with ``label_markers`` every
    marker's, is placed wholly inside the map."""
    if not points:
        return ""
    left, top, span, shrink, _ = _bounds(points, min_span_km)
    scale = size / span

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (lon * shrink - left) * scale, (top - lat) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" '
        f'viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
    ]
    if areas:
        parts.append(f'<clipPath id="{id_prefix}-frame"><rect width="{size}" height="{size}"/>'
                     f'</clipPath><g clip-path="url(#{id_prefix}-frame)" stroke="#9aa5b1" '
                     'stroke-width="1" stroke-linejoin="round">')  # fmt: skip
        for area in areas:
            d = _path(area.rings, xy, size)
            if d:
                fill = "#e4ebf3" if area.shaded else "none"
                parts.append(f'<path class="area" d="{d}" fill="{fill}"/>')
        parts.append("</g>")
    parts.append('<g fill="#aab4be">')
    for lat, lon in background:
        x, y = xy(lat, lon)
        if 0 <= x <= size and 0 <= y <= size:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>')
    parts.append("</g>")
    placed: list[Box] = [(x - 12, y - 12, x + 12, y + 12)
                         for x, y in (xy(p.lat, p.lon) for p in points)]  # fmt: skip
    markers = []
    for point in sorted(points, key=lambda p: p.marker != "origin"):
        x, y = xy(point.lat, point.lon)
        labelled = point.marker == "origin" or label_markers
        font = 14 if point.marker == "origin" else 12
        label_at = None
        if labelled:
            width = _text_width(point.label, font)
            label_at = place_label(x, y, width, font, size, placed)
            text_left = label_at[0] - (width if label_at[2] == "end" else 0)
            placed.append((text_left, label_at[1] - font, text_left + width, label_at[1]))
        markers.append(_marker(point, x, y, label_at, font))
    parts.extend(_area_labels(areas, xy, size, placed))
    parts.append(_scale_bar(scale, size))
    parts.extend(sorted(markers, key=lambda m: m.startswith('<g class="origin"')))
    parts.append("</svg>")
    return "".join(parts)


def _area_labels(areas: Sequence[MapArea], xy: Callable[[float, float], tuple[float, float]],
                 size: int, placed: list[Box]) -> list[str]:  # fmt: skip
    """Names of the areas at the middle of their largest outline, where they fit."""
    labels = []
    for area in areas:
        if not area.label or not area.rings:
            continue
        ring = max(area.rings, key=len)
        x = sum(xy(lat, lon)[0] for lat, lon in ring) / len(ring)
        y = sum(xy(lat, lon)[1] for lat, lon in ring) / len(ring)
        width = _text_width(area.label, 11)
        box = (x - width / 2, y - 11, x + width / 2, y)
        if box[0] < EDGE or box[2] > size - EDGE or box[1] < EDGE or box[3] > size - 24:
            continue
        if _overlaps(box, placed):
            continue
        placed.append(box)
        labels.append(
            f'<text class="area-label" x="{x:.1f}" y="{y:.1f}" font-size="11" '
            f'text-anchor="middle" fill="#4a5560">{escape(area.label)}</text>'
        )
    return labels


def _marker(
    point: MapPoint, x: float, y: float, label_at: tuple[float, float, str] | None, font: int
) -> str:
    """A numbered circle, or the origin's diamond, with its label where it was placed."""
    label = ""
    if label_at is not None:
        weight = "700" if point.marker == "origin" else "600"
        label = (f'<text x="{label_at[0]:.1f}" y="{label_at[1]:.1f}" font-size="{font}" '
                 f'font-weight="{weight}" text-anchor="{label_at[2]}" fill="#1b1f24" '
                 f'stroke="#fff" stroke-width="3" paint-order="stroke">'
                 f"{escape(point.label)}</text>")  # fmt: skip
    if point.marker == "origin":
        return (
            f'<g class="origin"><rect x="{x - 7:.1f}" y="{y - 7:.1f}" width="14" height="14" '
            f'transform="rotate(45 {x:.1f} {y:.1f})" fill="#1b1f24"/>{label}</g>'
        )
    fill = MARKER_FILLS.get(point.marker, "#1d6b32")
    number = "" if point.number is None else str(point.number)
    return (
        f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{fill}" stroke="#fff" '
        f'stroke-width="2"/><text x="{x:.1f}" y="{y + 5:.1f}" font-size="13" '
        f'font-weight="700" fill="#fff" text-anchor="middle">{number}</text>{label}</g>'
    )


def _scale_bar(scale: float, size: int) -> str:
    """A bar of a round number of kilometres in the lower left corner."""
    target_km = size / scale * KM_PER_DEGREE / 4
    step = 10 ** math.floor(math.log10(target_km))
    km = max(k * step for k in (1, 2, 5) if k * step <= target_km)
    length = km / KM_PER_DEGREE * scale
    y = size - 14
    return (
        f'<g stroke="#1b1f24" stroke-width="2"><line x1="12" y1="{y}" x2="{12 + length:.1f}" '
        f'y2="{y}"/></g><text x="12" y="{y - 6}" font-size="12" fill="#1b1f24">{km:g} km</text>'
    )


def bar_chart(bars: Sequence[Bar], *, title: str, description: str, id_prefix: str) -> str:
    """Horizontal bars, labelled with their values, on a linear scale from zero."""
    label_width, bar_width, row = 300, 300, 34
    width = label_width + bar_width + 140
    height = row * len(bars) + 16
    top = max((b.value for b in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = 8 + index * row
        length = max(bar.value / top * bar_width, 1)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 19}" font-size="14" text-anchor="end" '
            f'fill="#1b1f24">{escape(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="22" fill="#003f7d">'
            f"<title>{escape(bar.label)}: {escape(bar.value_text)}</title></rect>"
            f'<text x="{label_width + length + 6:.1f}" y="{y + 19}" font-size="14" '
            f'fill="#1b1f24">{escape(bar.value_text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]
    colour: str


def column_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    groups: Sequence[tuple[int, str]],
    title: str,
    description: str,
    id_prefix: str,
) -> str:
    """Columns side by side per category (an hour), categories grouped (by day) with a
    label under each group; a legend names the series."""
    column, gap, height, left, bottom = 6, 4, 220, 40, 48
    per_category = column * len(series) + gap
    width = left + per_category * len(categories) + 20
    top = max((v for s in series for v in s.values), default=0) or 1
    scale = (height - 20) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height + bottom}" width="{width}" height="{height + bottom}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{height}" x2="{width - 10}" y2="{height}" stroke="#1b1f24"/>',
        f'<text x="{left - 6}" y="{height - top * scale + 4:.1f}" font-size="12" '
        f'text-anchor="end" fill="#1b1f24">{top:g}</text>',
        f'<text x="{left - 6}" y="{height + 4}" font-size="12" text-anchor="end" '
        f'fill="#1b1f24">0</text>',
    ]
    for index, category in enumerate(categories):
        x0 = left + index * per_category
        for number, one in enumerate(series):
            value = one.values[index]
            bar = value * scale
            parts.append(
                f'<rect x="{x0 + number * column}" y="{height - bar:.1f}" width="{column}" '
                f'height="{bar:.1f}" fill="{one.colour}"><title>{escape(category)}: '
                f"{escape(one.label)} {value:g}</title></rect>"
            )
    for first_index, label in groups:
        x = left + first_index * per_category
        parts.append(
            f'<line x1="{x - gap / 2}" y1="{height}" x2="{x - gap / 2}" y2="{height + 8}" '
            f'stroke="#1b1f24"/><text x="{x + 2}" y="{height + 20}" font-size="12" '
            f'fill="#1b1f24">{escape(label)}</text>'
        )
    for number, one in enumerate(series):
        y = height + 38
        x = left + number * 220
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{one.colour}"/>'
            f'<text x="{x + 18}" y="{y}" font-size="12" fill="#1b1f24">{escape(one.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
    *,
    title: str,
    description: str,
    id_prefix: str,
    number: NumberText = whole_number,
) -> str:
    """A grid of cells shaded by value (darker is more), each labelled with its value."""
    cell_w, cell_h, left, top = 46, 30, 120, 26
    width = left + cell_w * len(columns) + 10
    height = top + cell_h * len(rows) + 10
    peak = max((v for row in values for v in row), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
    ]
    for c, column in enumerate(columns):
        parts.append(
            f'<text x="{left + c * cell_w + cell_w / 2}" y="{top - 8}" font-size="12" '
            f'text-anchor="middle" fill="#1b1f24">{escape(column)}</text>'
        )
    for r, row in enumerate(rows):
        y = top + r * cell_h
        parts.append(
            f'<text x="{left - 8}" y="{y + cell_h / 2 + 4}" font-size="12" text-anchor="end" '
            f'fill="#1b1f24">{escape(row)}</text>'
        )
        for c, value in enumerate(values[r]):
            share = value / peak
            # From pale to the brand blue; text turns white on dark cells for contrast.
            shade = _mix((0xEE, 0xF3, 0xF8), (0x00, 0x3F, 0x7D), share)
            ink = _readable_on(shade)
            parts.append(
                f'<rect x="{left + c * cell_w}" y="{y}" width="{cell_w - 2}" '
                f'height="{cell_h - 2}" fill="{shade}"/><text x="{left + c * cell_w + cell_w / 2}" '
                f'y="{y + cell_h / 2 + 4}" font-size="11" text-anchor="middle" '
                f'fill="{ink}">{escape(number(value))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _readable_on(background: str) -> str:
    """White or near-black text, whichever contrasts more with the background (WCAG)."""
    light = _luminance(background)
    on_white = (1.05) / (light + 0.05)
    on_dark = (light + 0.05) / (_luminance("#1b1f24") + 0.05)
    return "#ffffff" if on_white >= on_dark else "#1b1f24"


def _mix(low: tuple[int, int, int], high: tuple[int, int, int], share: float) -> str:
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    id_prefix: str,
    reference: tuple[float, str] | None = None,
    every: int = 4,
    number: NumberText = whole_number,
) -> str:
    """Lines over a shared x axis (weeks), an optional dashed reference line (Kela's
    100-a-week line) and a legend; every ``every``-th label is written."""
    width, height, left, top_pad = 760, 260, 56, 16
    bottom = 44 + 18 * ((len(series) + 2) // 3)
    plot_w = width - left - 20
    values = [v for s in series for v in s.values]
    top = max([*values, reference[0] if reference else 0], default=0) * 1.1 or 1
    step = plot_w / max(len(labels) - 1, 1)

    def y(value: float) -> float:
        return top_pad + (height - top_pad) * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height + bottom}" width="{width}" height="{height + bottom}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{height}" x2="{width - 20}" y2="{height}" stroke="#1b1f24"/>',
        f'<text x="{left - 6}" y="{y(0) + 4:.1f}" font-size="12" text-anchor="end" '
        f'fill="#1b1f24">0</text>',
        f'<text x="{left - 6}" y="{y(top / 1.1) + 4:.1f}" font-size="12" text-anchor="end" '
        f'fill="#1b1f24">{escape(number(top / 1.1))}</text>',
    ]
    if reference:
        level, label = reference
        parts.append(
            f'<line x1="{left}" y1="{y(level):.1f}" x2="{width - 20}" y2="{y(level):.1f}" '
            f'stroke="#8a1c1c" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{width - 24}" y="{y(level) - 6:.1f}" font-size="12" text-anchor="end" '
            f'fill="#8a1c1c">{escape(label)}</text>'
        )
    for index, label in enumerate(labels):
        if index % every == 0:
            x = left + index * step
            parts.append(
                f'<text x="{x:.1f}" y="{height + 16}" font-size="11" text-anchor="middle" '
                f'fill="#1b1f24">{escape(label)}</text>'
            )
    for position, one in enumerate(series):
        points = " ".join(f"{left + i * step:.1f},{y(v):.1f}" for i, v in enumerate(one.values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{one.colour}" stroke-width="2"/>'
        )
        legend_x = left + (position % 3) * 240
        legend_y = height + 34 + (position // 3) * 18
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y}" width="14" height="4" fill="{one.colour}"/>'
            f'<text x="{legend_x + 20}" y="{legend_y + 6}" font-size="12" '
            f'fill="#1b1f24">{escape(one.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def to_png(markup: str, zoom: float = 2.0) -> bytes:
    """The chart as a PNG (resvg), on white, at twice its size for sharp text.

    Text is set in DejaVu Sans where the system has it (Debian's default), else in any
    sans-serif font the system has.
    """
    png: bytes = resvg_py.svg_to_bytes(
        svg_string=markup, background="#ffffff", zoom=zoom, font_family="DejaVu Sans",
        sans_serif_family="DejaVu Sans",
    )  # fmt: skip
    return png
