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


# -- labels never overlap ------------------------------------------------------------------

LONG = ["Beratung: Aufenthaltsrecht, Familiennachzug und Einbürgerung",
        "Berufsorientierung: Bewerbungshilfe mit Lebenslauf und Anschreiben",
        "العربية: استشارة حول الإقامة ولمّ شمل الأسرة", "Kurz",
        "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
        "Frauenkurse: Deutsch für Anfängerinnen mit Kinderbetreuung am Vormittag",
        "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"]


def text_boxes(root: ET.Element) -> list[tuple[float, float, float, float, str]]:
    """The boxes (x0, y0, x1, y1) of every line of text, by the charts' own width estimate,
    with the ascent and descent of the font size."""
    boxes = []
    size = float(root.get("font-size"))
    for text in root.iter(f"{SVG}text"):
        anchor = text.get("text-anchor", "start")
        spans = text.findall(f"{SVG}tspan")
        lines = [(s.get("x"), s.get("y"), s.text or "") for s in spans] or \
            [(text.get("x"), text.get("y"), text.text or "")]
        for x, y, content in lines:
            if not content:
                continue
            width = charts.text_width(content)
            left = float(x) - {"start": 0, "middle": width / 2, "end": width}[anchor]
            boxes.append((left, float(y) - 0.8 * size, left + width, float(y) + 0.25 * size,
                          content))
    return boxes


def rect_boxes(root: ET.Element) -> list[tuple[float, float, float, float, str]]:
    return [(float(r.get("x")), float(r.get("y")), float(r.get("x")) + float(r.get("width")),
             float(r.get("y")) + float(r.get("height")), "bar")
            for r in root.iter(f"{SVG}rect") if "bar" in (r.get("class") or "")]


def overlapping(boxes):
    return [(a[4], b[4]) for n, a in enumerate(boxes) for b in boxes[n + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def test_many_long_labels_never_overlap_each_other_nor_the_bars():
    labels = [f"{LONG[n % len(LONG)]} {n}" for n in range(40)]
    values = [float(n % 9) for n in range(40)]
    shown = [charts.MASKED_TEXT if n % 9 in (1, 2) else str(n % 9) for n in range(40)]
    bar = parse(charts.bar_chart("Many", labels, values, shown))
    grouped = parse(charts.grouped_bar_chart(
        "Many", labels, ["Stattgefundene Termine", "Abgesagte Termine", "Geplante Termine"],
        [[v, v / 2, 1] for v in values], [[t, t, "1"] for t in shown]))
    for root in (bar, grouped):
        width = float(root.get("viewBox").split()[2])
        height = float(root.get("viewBox").split()[3])
        texts = text_boxes(root)
        assert len(texts) > 40
        assert overlapping(texts) == []
        bars = rect_boxes(root)
        assert [(t[4], b) for t in texts for b in bars
                if t[0] < b[2] and b[0] < t[2] and t[1] < b[3] and b[1] < t[3]] == []
        assert all(t[0] >= 0 and t[2] <= width and t[1] >= 0 and t[3] <= height
                   for t in texts), [t for t in texts if t[0] < 0 or t[2] > width]
    # A long label is wrapped (two lines), shortened with "…", never cut off the canvas.
    spans = [s.text for s in bar.iter(f"{SVG}tspan")]
    assert spans and any(s.endswith("…") for s in spans)


def test_dates_under_a_line_chart_keep_apart():
    labels = [f"Mittwoch, {n + 1}. Juli 2026" for n in range(92)]
    root = parse(charts.line_chart("Days", labels, [float(n % 7) for n in range(92)],
                                   [str(n % 7) for n in range(92)]))
    axis = [box for box in text_boxes(root) if box[1] > 150]
    assert 3 <= len(axis) < 92
    assert overlapping(axis) == []
    assert all(box[0] >= 0 and box[2] <= 640 for box in axis)
    assert axis[-1][4].startswith("Mittwoch")  # the last date is printed


def test_the_width_estimate_is_generous():
    assert charts.text_width("W" * 10) > charts.text_width("i" * 10)
    assert charts.text_width("Beratung") >= 8 * 0.55 * 12
    assert charts.wrap_text("eins zwei drei vier fünf sechs", 70) == ["eins zwei", "drei vier…"]
    assert charts.wrap_text("eins zwei drei vier fünf sechs", 200) == [
        "eins zwei drei vier fünf", "sechs"]
    assert charts.fit_text("Langer Text", 30).endswith("…")
