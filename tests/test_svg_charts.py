"""The server-side SVG charts: escaped text, accessible names, no inline code, masked bars."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from intranet.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
INLINE = re.compile(r"<script|\sstyle=|\son[a-z]+=", re.I)


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_bar_chart_escapes_text_and_names_itself():
    markup = charts.bar_chart('<b>"Visits"</b> & more', ["<script>x</script>", "B"],
                                  [2, 10], ["<3", "10"])
    root = parse(markup)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == '<b>"Visits"</b> & more'
    assert root.get("aria-labelledby") == f"{title.get('id')} {root.find(f'{SVG}desc').get('id')}"
    assert "<script>" not in str(markup)
    assert "&lt;script&gt;" in str(markup)
    assert "&lt;3" in str(markup)
    assert not INLINE.search(str(markup))
    bars = root.findall(f".//{SVG}rect[@height='18']")
    assert len(bars) == 2
    assert "masked" in bars[0].get("class") and bars[0].get("fill").startswith("url(#")
    assert float(bars[1].get("width")) > float(bars[0].get("width"))


def test_masked_bars_have_the_same_length_for_one_and_two():
    one = parse(charts.bar_chart("t", ["a", "b"], [2, 9], ["<3", "9"]))
    two = parse(charts.bar_chart("t", ["a", "b"], [2, 9], ["<3", "9"]))
    width = [r.get("width") for r in one.findall(f".//{SVG}rect[@height='18']")]
    assert width == [r.get("width") for r in two.findall(f".//{SVG}rect[@height='18']")]


def test_grouped_line_and_heat_map_are_well_formed():
    grouped = charts.grouped_bar_chart("Offers", ["Café", "Beratung"], ["Held", "Cancelled"],
                                           [[3, 2], [5, 0]], [["3", "<3"], ["5", "0"]])
    root = parse(grouped)
    assert len(root.findall(f".//{SVG}rect[@class]")) >= 4
    assert any("series-1" in (r.get("class") or "") for r in root.iter(f"{SVG}rect"))
    line = charts.line_chart("Per day", ["1.3.", "2.3.", "3.3."], [0, 4, 2],
                                 ["0", "4", "<3"])
    root = parse(line)
    assert len(root.findall(f".//{SVG}circle")) == 3
    assert root.find(f".//{SVG}polyline") is not None
    heat = charts.heat_map("Hours", ["Mon", "Tue"], ["09", "10"], [[0, 9], [2, 0]],
                               [["0", "9"], ["<3", "0"]])
    root = parse(heat)
    cells = [r for r in root.iter(f"{SVG}rect") if "cell" in (r.get("class") or "")]
    assert len(cells) == 4
    texts = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "cell-value"]
    assert texts == [None, "9", "<3", None]
    for markup in (grouped, line, heat):
        assert not INLINE.search(str(markup))


def test_empty_charts_do_not_fail():
    assert "<svg" in charts.bar_chart("Empty", [], [], [])
    assert "<svg" in charts.line_chart("Empty", [], [], [])
    assert "<svg" in charts.heat_map("Empty", [], [], [], [])
