"""The maps kanava draws: labels inside the frame, borders under the points."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from kanava.borders import municipality_borders
from kanava.svg import MapArea, MapPoint, place_label, point_map
from kanava.web.brief import municipality_areas

SVG = "{http://www.w3.org/2000/svg}"


def test_the_shipped_borders_are_the_308_municipalities_of_2025() -> None:
    borders = {b.code: b for b in municipality_borders()}
    assert len(borders) == 308 and "588" not in borders  # Pertunmaa merged into Mäntyharju
    laukaa = borders["410"]
    assert laukaa.name == {"fi": "Laukaa", "sv": "Laukas", "en": "Laukaa"}
    assert borders["179"].code in laukaa.neighbours  # Jyväskylä
    south, west, north, east = laukaa.box
    assert 62.1 < south < 62.41 < north < 62.7 and 25.5 < west < 25.95 < east < 26.4


def test_a_label_near_the_edge_turns_inward_and_stays_whole() -> None:
    x, _y, anchor = place_label(430, 200, 150, 14, 440, [])
    assert anchor == "end" and x - 150 >= 0  # left of the marker at the right edge
    x, y, anchor = place_label(200, 2, 300, 14, 440, [])
    assert y - 14 >= 0 and (x + 300 <= 440 if anchor == "start" else x - 300 >= 0)
    first = place_label(100, 100, 80, 12, 440, [])
    second = place_label(100, 100, 80, 12, 440, [(115, first[1] - 12, 195, first[1])])
    assert second[1] != first[1] or second[2] != first[2]  # moved past the first


def test_the_brief_map_draws_borders_shades_the_point_and_labels_every_marker() -> None:
    points = [MapPoint(62.41, 25.95, "Kelan ajanvarauspalvelu Laukaassa", "origin"),
              MapPoint(62.24, 25.75, "Kelan palvelupiste Jyväskylä", "service_point", 1),
              MapPoint(63.98, 25.76, "Kärsämäen kunnan asiointipiste (kirjasto)",
                       "asiointipiste", 2)]  # fmt: skip
    drawn = point_map(points, [], title="t", description="d", size=560,
                      areas=municipality_areas("410", "sv"), label_markers=True)  # fmt: skip
    root = ElementTree.fromstring(drawn)
    shaded = [p for p in root.iter(f"{SVG}path") if p.get("fill") != "none"]
    assert len(shaded) == 1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert all(p.label in texts for p in points)
    assert "Laukas" in texts or "Jyväskylä" in texts or "Äänekoski" in texts  # names, sv
    assert len(list(root.iter(f"{SVG}path"))) > 20  # the frame's municipalities only
    assert len(list(root.iter(f"{SVG}path"))) < 308
    numbers = [float(n) for n in re.findall(r'd="M([-\d.]+)', drawn)]
    assert numbers  # paths are drawn


def test_areas_outside_the_frame_are_left_out() -> None:
    far = MapArea([[(69.0, 27.0), (69.1, 27.0), (69.1, 27.1)]], "Utsjoki")
    drawn = point_map([MapPoint(60.2, 24.9, "Helsinki", "origin")], [], title="t",
                      description="d", areas=[far])  # fmt: skip
    assert "<path" not in drawn and "Utsjoki" not in drawn
