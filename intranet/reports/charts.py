"""Small charts drawn on the server as inline SVG: bars, grouped bars, a line, a heat map.

No JavaScript and no ``style=`` attributes (the pages' CSP forbids inline
styles): colours are SVG presentation attributes, which ``reports.css`` may
override through classes. Every text goes through :mod:`markupsafe`, every
chart has a ``<title>`` and ``<desc>`` and is meant to sit beside a data table.

Callers pass the numbers a chart may *draw* (``values``) separately from the
text it *prints* (``shown``): masked counts arrive as one fixed value with the
text ``<3``, so neither bar length nor label gives a small count away.
Masked bars are hatched, which also reads in black and white.

Labels never overlap: SVG cannot measure text, so :func:`text_width` estimates each
label's width generously, and the layouts are computed from it — the label column of
the bar charts is as wide as its longest label (up to a limit; longer labels wrap to two
lines, then end in ``…``), rows grow with wrapped labels, legend entries are placed one
after the other, and the line chart prints only every n-th date, n chosen so that the
dates' boxes keep apart. ``tests/test_svg_charts.py`` checks the boxes.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence

from markupsafe import Markup, escape

DEFAULT_FILL = "#0b5cad"
SECOND_FILL = "#9a6700"
MASKED_TEXT = "<3"
# Bars are scaled to at least this much, so a hatched "<3" bar never fills the whole width.
SCALE_FLOOR = 5
FONT_SIZE = 12
LINE_HEIGHT = 15            # between two lines of a wrapped label
LABEL_GAP = 8               # between a label and its bar
MAX_LABEL_SHARE = 0.42      # of the chart's width, for the label column
_ids = itertools.count(1)
# Widths in em of a generous sans-serif (DejaVu Sans is among the widest).
_NARROW = set("iljI.,:;'!|()[]{}/ ·-")
_WIDE = set("mwMW@%&")


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An upper estimate of the width of ``text`` in pixels at ``size`` (sans-serif)."""
    width = 0.0
    for char in str(text):
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue  # Arabic vowel marks, joiners: no width of their own
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char in _NARROW:
            width += 0.4
        elif char in _WIDE:
            width += 0.95
        elif char.isupper() or char.isdigit():
            width += 0.72
        else:
            width += 0.64
    return width * size


def fit_text(text: str, room: float, size: float = FONT_SIZE) -> str:
    """``text``, shortened with ``…`` until it fits into ``room`` pixels."""
    text = str(text)
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_text(text: str, room: float, lines: int = 2, size: float = FONT_SIZE) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of at most ``room`` pixels;
    the last line ends in ``…`` when the text is longer still."""
    words, out, line = str(text).split(), [], ""
    for n, word in enumerate(words):
        attempt = f"{line} {word}".strip()
        if text_width(attempt, size) <= room or not line:
            line = attempt
            continue
        out.append(line)
        line = word
        if len(out) == lines - 1:
            line = " ".join(words[n:])
            break
    out.append(line)
    return [fit_text(part, room, size) for part in out[:lines]] or [""]


def _label_column(labels: Sequence[str], width: int) -> float:
    """The width of the label column: the longest label plus the gap, within bounds."""
    longest = max([text_width(label) for label in labels] + [40.0])
    return min(width * MAX_LABEL_SHARE, longest + LABEL_GAP + 4)


def _label(x: float, y: float, lines: list[str]) -> Markup:
    """A right-aligned label of one or more lines, its first baseline at ``y``."""
    if len(lines) == 1:
        return _svg('<text x="{x}" y="{y}" text-anchor="end" class="label">{t}</text>',
                    x=_fmt(x), y=_fmt(y), t=lines[0])
    spans = Markup("").join(
        _svg('<tspan x="{x}" y="{y}">{t}</tspan>', x=_fmt(x), y=_fmt(y + n * LINE_HEIGHT),
             t=line) for n, line in enumerate(lines))
    return _svg('<text x="{x}" y="{y}" text-anchor="end" class="label">{s}</text>',
                x=_fmt(x), y=_fmt(y), s=spans)


def _svg(template: str, **values: object) -> Markup:
    """``template`` filled in with ``values``, each escaped: what ``Markup.format`` does,
    three times as fast (a year's line chart has a thousand elements)."""
    return Markup(template.format(**{key: escape(value) for key, value in values.items()}))


def _new_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _open(chart_id: str, width: int, height: int, title: str, desc: str,
          css: str) -> Markup:
    return _svg(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{cid}-title {cid}-desc" font-size="12" '
        'font-family="sans-serif" direction="ltr">'
        '<title id="{cid}-title">{title}</title><desc id="{cid}-desc">{desc}</desc>'
        '<defs><pattern id="{cid}-masked" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<path d="M0,6 L6,0" stroke="#1b1f24" stroke-width="1.2"/></pattern>'
        '<pattern id="{cid}-second" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<rect width="6" height="6" fill="{second}"/>'
        '<path d="M3,0 L3,6" stroke="#ffffff" stroke-width="1.5"/></pattern>'
        '<pattern id="{cid}-light" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<path d="M0,6 L6,0" stroke="#9aa4ae" stroke-width="1"/></pattern></defs>',
        css=css, w=width, h=height, cid=chart_id, title=title, desc=desc, second=SECOND_FILL)


def _close() -> Markup:
    return Markup("</svg>")


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _describe(labels: Sequence[str], shown: Sequence[str]) -> str:
    return "; ".join(f"{label}: {text}" for label, text in zip(labels, shown, strict=False))


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float],
              shown: Sequence[str], *, classes: Sequence[str] = (), width: int = 640,
              label_width: int | None = None) -> Markup:
    """Horizontal bars, one per label, with the (masked) number printed at each bar's end.

    The label column fits the longest label (``label_width`` forces a width); longer
    labels wrap to two lines and the row grows with them.
    """
    cid = _new_id("chart")
    bar, gap, top = 18, 8, 6
    column = label_width if label_width is not None else _label_column(labels, width)
    wrapped = [wrap_text(label, column - LABEL_GAP) for label in labels]
    heights = [max(bar, len(lines) * LINE_HEIGHT) for lines in wrapped]
    height = top * 2 + sum(h + gap for h in heights) if labels else top * 2 + bar + gap
    peak = max([*values, SCALE_FLOOR])
    value_room = max([text_width(text) for text in shown] + [30.0]) + 12
    room = max(20.0, width - column - value_room)
    parts = [_open(cid, width, height, title, _describe(labels, shown), "chart-bar")]
    y = top
    for n, (lines, value, text) in enumerate(zip(wrapped, values, shown, strict=False)):
        css = classes[n] if n < len(classes) else ""
        masked = text == MASKED_TEXT
        length = max(0.0, room * value / peak)
        fill = f"url(#{cid}-masked)" if masked else DEFAULT_FILL
        bar_y = y + (heights[n] - bar) / 2
        first_line = y + (heights[n] - len(lines) * LINE_HEIGHT) / 2 + LINE_HEIGHT * 0.78
        parts.append(_svg(
            '<g class="bar-row {css}">{label}'
            '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="#1b1f24" '
            'stroke-width="0.5" class="bar{masked}"/>'
            '<text x="{vx}" y="{ty}" class="value">{text}</text></g>',
            css=css, label=_label(column - LABEL_GAP, first_line, lines),
            x=_fmt(column), y=_fmt(bar_y), w=_fmt(length), h=bar, fill=fill,
            masked=" masked" if masked else "", vx=_fmt(column + length + 6),
            ty=_fmt(bar_y + bar * 0.75), text=text))
        y += heights[n] + gap
    parts.append(_close())
    return Markup("").join(parts)


def _legend(cid: str, series: Sequence[str], start: float, width: int) -> tuple[Markup, int]:
    """The legend entries one after another, wrapping to a new line: markup and height."""
    parts, x, line = [], start, 0
    for s, name in enumerate(series):
        needed = 16 + text_width(name) + 18
        if x + needed > width and x > start:
            x, line = start, line + 1
        y = 4 + line * 20
        parts.append(_svg(
            '<g class="legend"><rect x="{x}" y="{y}" width="12" height="12" fill="{fill}" '
            'stroke="#1b1f24" stroke-width="0.5" class="series-{s}"/>'
            '<text x="{tx}" y="{ty}">{name}</text></g>',
            x=_fmt(x), y=y, fill=_series_fill(cid, s), s=s, tx=_fmt(x + 16), ty=y + 10,
            name=fit_text(name, width - x - 16)))
        x += needed
    return Markup("").join(parts), 24 + line * 20


def _series_fill(cid: str, s: int) -> str:
    """Solid for the first series, striped for the second, hatched lightly for a third."""
    return (DEFAULT_FILL, f"url(#{cid}-second)", f"url(#{cid}-light)")[min(s, 2)]


def grouped_bar_chart(title: str, labels: Sequence[str], series: Sequence[str],
                      values: Sequence[Sequence[float]], shown: Sequence[Sequence[str]],
                      *, classes: Sequence[str] = (), width: int = 640,
                      label_width: int | None = None) -> Markup:
    """Horizontal bars in groups: one group per label, one bar per series (with a legend).

    The second series is striped, so the two read apart in black and white.
    """
    cid = _new_id("chart")
    bar, gap = 14, 10
    column = label_width if label_width is not None else _label_column(labels, width)
    legend, legend_height = _legend(cid, series, 0, width)
    wrapped = [wrap_text(label, column - LABEL_GAP) for label in labels]
    heights = [max(bar * len(series), len(lines) * LINE_HEIGHT) for lines in wrapped]
    height = legend_height + sum(h + gap for h in heights) + 6
    peak = max([v for row in values for v in row] + [SCALE_FLOOR])
    value_room = max([text_width(t) for row in shown for t in row] + [30.0]) + 12
    room = max(20.0, width - column - value_room)
    described = [f"{label}: " + ", ".join(f"{s} {t}" for s, t in zip(series, row, strict=False))
                 for label, row in zip(labels, shown, strict=False)]
    parts = [_open(cid, width, height, title, "; ".join(described), "chart-grouped"), legend]
    y0 = legend_height
    for n, lines in enumerate(wrapped):
        css = classes[n] if n < len(classes) else ""
        bars_top = y0 + (heights[n] - bar * len(series)) / 2
        first_line = y0 + (heights[n] - len(lines) * LINE_HEIGHT) / 2 + LINE_HEIGHT * 0.78
        parts.append(_svg('<g class="bar-row {css}">{label}', css=css,
                          label=_label(column - LABEL_GAP, first_line, lines)))
        for s in range(len(series)):
            value, text = values[n][s], shown[n][s]
            masked = text == MASKED_TEXT
            length = max(0.0, room * value / peak)
            fill = f"url(#{cid}-masked)" if masked else _series_fill(cid, s)
            y = bars_top + s * bar
            parts.append(_svg(
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="#1b1f24" '
                'stroke-width="0.5" class="bar series-{s}{masked}"/>'
                '<text x="{vx}" y="{ty}" class="value">{text}</text>',
                x=_fmt(column), y=_fmt(y), w=_fmt(length), h=bar - 2, fill=fill, s=s,
                masked=" masked" if masked else "", vx=_fmt(column + length + 6),
                ty=_fmt(y + bar * 0.7), text=text))
        parts.append(Markup("</g>"))
        y0 += heights[n] + gap
    parts.append(_close())
    return Markup("").join(parts)


def line_chart(title: str, labels: Sequence[str], values: Sequence[float | None],
               shown: Sequence[str], *, width: int = 640, height: int = 220) -> Markup:
    """A line over time (visits per day) with a dot per point and a few axis labels.

    A value of ``None`` (a hidden cell) breaks the line; its text is printed at the axis.
    """
    cid = _new_id("chart")
    axis_labels = [fit_text(label, 110) for label in labels]
    widths = [text_width(label) for label in axis_labels]
    # Room on both sides for half of the first and the last date, centred on their points.
    left = max(40.0, (widths[0] / 2 + 4) if widths else 0)
    right = max(34.0, (widths[-1] / 2 + 4) if widths else 0)
    top, bottom = 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for v in values if v is not None] + [1])
    count = len(values)
    step = plot_w / max(1, count - 1)
    # Every n-th date, n just large enough that neighbouring date labels keep apart.
    spacing = max(widths + [0.0]) + 8
    every = max(1, math.ceil(spacing / step)) if count > 1 else 1
    printed = list(range(0, count, every))
    if count > 1 and printed[-1] != count - 1:
        if (count - 1 - printed[-1]) * step >= spacing:
            printed.append(count - 1)
        elif len(printed) > 1:
            printed[-1] = count - 1  # the last date matters more than the one before it

    def xy(n: int, value: float) -> tuple[float, float]:
        return left + n * step, top + plot_h - plot_h * value / peak

    parts = [_open(cid, width, height, title, _describe(labels, shown), "chart-line"),
             _svg('<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#57606a"/>'
                  '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#57606a"/>'
                  '<text x="{tx}" y="{ty}" text-anchor="end" class="axis">{peak}</text>'
                  '<text x="{tx}" y="{b}" text-anchor="end" class="axis">0</text>',
                  l=_fmt(left), r=_fmt(width - right), t=top, b=top + plot_h,
                  tx=_fmt(left - 6), ty=top + 8, peak=_fmt(peak))]
    segments: list[list[tuple[float, float]]] = [[]]
    for n, value in enumerate(values):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(xy(n, value))
    for segment in segments:
        if len(segment) > 1:
            points = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in segment)
            parts.append(_svg('<polyline points="{p}" fill="none" stroke="{c}" '
                              'stroke-width="2" class="line"/>', p=points, c=DEFAULT_FILL))
    shown_at = set(printed)
    for n, (label, value, text) in enumerate(zip(labels, values, shown, strict=False)):
        if value is None:
            x, y = xy(n, 0)
            parts.append(_svg('<text x="{x}" y="{y}" text-anchor="middle" class="value">'
                              '{text}<title>{label}: {text}</title></text>',
                              x=_fmt(x), y=_fmt(y - 4), text=text, label=label))
        else:
            x, y = xy(n, value)
            masked = text == MASKED_TEXT
            parts.append(_svg('<circle cx="{x}" cy="{y}" r="3" fill="{fill}" stroke="#1b1f24" '
                              'stroke-width="0.5" class="dot{masked}"><title>{label}: {text}'
                              '</title></circle>',
                              x=_fmt(x), y=_fmt(y), fill="#ffffff" if masked else DEFAULT_FILL,
                              masked=" masked" if masked else "", label=label, text=text))
        if n in shown_at:
            parts.append(_svg('<text x="{x}" y="{y}" text-anchor="middle" class="axis">'
                              '{label}</text>', x=_fmt(x), y=top + plot_h + 16,
                              label=axis_labels[n]))
    parts.append(_close())
    return Markup("").join(parts)


def heat_map(title: str, rows: Sequence[str], columns: Sequence[str],
             values: Sequence[Sequence[float]], shown: Sequence[Sequence[str]],
             *, cell: int = 30, label_width: int | None = None) -> Markup:
    """A grid of rows × columns (weekdays × hours); darker means more, every cell printed."""
    cid = _new_id("chart")
    top = 20
    if label_width is None:  # as wide as the longest weekday name, at most 140
        label_width = int(min(140, max([text_width(r) for r in rows] + [40.0]) + 10))
    rows = [fit_text(row, label_width - 8) for row in rows]
    columns = [fit_text(c, cell - 2) for c in columns]
    width = label_width + cell * len(columns) + 4
    height = top + cell * len(rows) + 4
    peak = max([v for row in values for v in row] + [1])
    described = [f"{row}: " + ", ".join(f"{c} {t}" for c, t in zip(columns, texts, strict=False)
                                        if t not in ("0", ""))
                 for row, texts in zip(rows, shown, strict=False)]
    parts = [_open(cid, width, height, title, "; ".join(described), "chart-heat")]
    for c, column in enumerate(columns):
        parts.append(_svg('<text x="{x}" y="14" text-anchor="middle" class="axis">{c}</text>',
                          x=label_width + c * cell + cell // 2, c=column))
    for r, row in enumerate(rows):
        y = top + r * cell
        parts.append(_svg('<text x="{x}" y="{y}" text-anchor="end" class="label">{row}</text>',
                          x=label_width - 6, y=y + cell // 2 + 4, row=row))
        for c in range(len(columns)):
            value, text = values[r][c], shown[r][c]
            level = 0 if not value else min(4, 1 + int(3 * value / peak))
            fill = ("#ffffff", "#dbe9f6", "#9cc3e6", "#4a90d0", "#0b4c8c")[level]
            ink = "#ffffff" if level >= 3 else "#1b1f24"
            masked = text == MASKED_TEXT
            parts.append(_svg(
                '<rect x="{x}" y="{y}" width="{w}" height="{w}" fill="{fill}" stroke="#d0d7de" '
                'class="cell level-{level}{masked}"/>'
                '<text x="{tx}" y="{ty}" text-anchor="middle" fill="{ink}" class="cell-value">'
                '{text}</text>',
                x=label_width + c * cell, y=y, w=cell, level=level,
                fill=f"url(#{cid}-light)" if masked else fill,
                masked=" masked" if masked else "",
                tx=label_width + c * cell + cell // 2, ty=y + cell // 2 + 4, ink=ink,
                text="" if text == "0" else text))
    parts.append(_close())
    return Markup("").join(parts)


__all__ = ["bar_chart", "fit_text", "grouped_bar_chart", "heat_map", "line_chart",
           "text_width", "wrap_text"]
