"""Small charts drawn on the server as inline SVG: bars, grouped bars, a line, a heat map.

No JavaScript and no ``style=`` attributes (the pages' CSP forbids inline
styles): colours are SVG presentation attributes, which ``reports.css`` may
override through classes. Every text goes through :mod:`markupsafe`, every
chart has a ``<title>`` and ``<desc>`` and is meant to sit beside a data table.

Callers pass the numbers a chart may *draw* (``values``) separately from the
text it *prints* (``shown``): masked counts arrive as one fixed value with the
text ``<3``, so neither bar length nor label gives a small count away.
Masked bars are hatched, which also reads in black and white.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from markupsafe import Markup

DEFAULT_FILL = "#0b5cad"
SECOND_FILL = "#9a6700"
MASKED_TEXT = "<3"
# Bars are scaled to at least this much, so a hatched "<3" bar never fills the whole width.
SCALE_FLOOR = 5
_ids = itertools.count(1)


def _new_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _open(chart_id: str, width: int, height: int, title: str, desc: str,
          css: str) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{cid}-title {cid}-desc" font-size="12" '
        'font-family="sans-serif">'
        '<title id="{cid}-title">{title}</title><desc id="{cid}-desc">{desc}</desc>'
        '<defs><pattern id="{cid}-masked" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<path d="M0,6 L6,0" stroke="#1b1f24" stroke-width="1.2"/></pattern>'
        '<pattern id="{cid}-second" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<rect width="6" height="6" fill="{second}"/>'
        '<path d="M3,0 L3,6" stroke="#ffffff" stroke-width="1.5"/></pattern>'
        '<pattern id="{cid}-light" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<path d="M0,6 L6,0" stroke="#9aa4ae" stroke-width="1"/></pattern></defs>'
    ).format(css=css, w=width, h=height, cid=chart_id, title=title, desc=desc,
             second=SECOND_FILL)


def _close() -> Markup:
    return Markup("</svg>")


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _describe(labels: Sequence[str], shown: Sequence[str]) -> str:
    return "; ".join(f"{label}: {text}" for label, text in zip(labels, shown, strict=False))


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float],
              shown: Sequence[str], *, classes: Sequence[str] = (), width: int = 640,
              label_width: int = 220) -> Markup:
    """Horizontal bars, one per label, with the (masked) number printed at each bar's end."""
    cid = _new_id("chart")
    bar, gap, top = 18, 8, 6
    height = top * 2 + max(1, len(labels)) * (bar + gap)
    peak = max([*values, SCALE_FLOOR])
    room = width - label_width - 60
    parts = [_open(cid, width, height, title, _describe(labels, shown), "chart-bar")]
    for n, (label, value, text) in enumerate(zip(labels, values, shown, strict=False)):
        y = top + n * (bar + gap)
        css = classes[n] if n < len(classes) else ""
        masked = text == MASKED_TEXT
        length = max(0.0, room * value / peak)
        fill = f"url(#{cid}-masked)" if masked else DEFAULT_FILL
        parts.append(Markup(
            '<g class="bar-row {css}">'
            '<text x="{lx}" y="{ty}" text-anchor="end" class="label">{label}</text>'
            '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="#1b1f24" '
            'stroke-width="0.5" class="bar{masked}"/>'
            '<text x="{vx}" y="{ty}" class="value">{text}</text></g>'
        ).format(css=css, lx=label_width - 8, ty=_fmt(y + bar * 0.75), label=_clip(label),
                 x=label_width, y=y, w=_fmt(length), h=bar, fill=fill,
                 masked=" masked" if masked else "", vx=_fmt(label_width + length + 6),
                 text=text))
    parts.append(_close())
    return Markup("").join(parts)


def grouped_bar_chart(title: str, labels: Sequence[str], series: Sequence[str],
                      values: Sequence[Sequence[float]], shown: Sequence[Sequence[str]],
                      *, classes: Sequence[str] = (), width: int = 640,
                      label_width: int = 220) -> Markup:
    """Horizontal bars in groups: one group per label, one bar per series (with a legend).

    The second series is striped, so the two read apart in black and white.
    """
    cid = _new_id("chart")
    bar, gap, legend = 14, 10, 24
    group = bar * len(series) + gap
    height = legend + max(1, len(labels)) * group + 6
    peak = max([v for row in values for v in row] + [SCALE_FLOOR])
    room = width - label_width - 60
    described = [f"{label}: " + ", ".join(f"{s} {t}" for s, t in zip(series, row, strict=False))
                 for label, row in zip(labels, shown, strict=False)]
    parts = [_open(cid, width, height, title, "; ".join(described), "chart-grouped")]
    for s, name in enumerate(series):
        x = label_width + s * 140
        fill = DEFAULT_FILL if s == 0 else f"url(#{cid}-second)"
        parts.append(Markup(
            '<g class="legend"><rect x="{x}" y="4" width="12" height="12" fill="{fill}" '
            'stroke="#1b1f24" stroke-width="0.5" class="series-{s}"/>'
            '<text x="{tx}" y="14">{name}</text></g>'
        ).format(x=x, fill=fill, s=s, tx=x + 16, name=name))
    for n, label in enumerate(labels):
        y0 = legend + n * group
        css = classes[n] if n < len(classes) else ""
        parts.append(Markup('<g class="bar-row {css}"><text x="{lx}" y="{ty}" '
                            'text-anchor="end" class="label">{label}</text>').format(
            css=css, lx=label_width - 8, ty=_fmt(y0 + bar * len(series) / 2 + 4),
            label=_clip(label)))
        for s in range(len(series)):
            value, text = values[n][s], shown[n][s]
            masked = text == MASKED_TEXT
            length = max(0.0, room * value / peak)
            fill = f"url(#{cid}-masked)" if masked else (
                DEFAULT_FILL if s == 0 else f"url(#{cid}-second)")
            y = y0 + s * bar
            parts.append(Markup(
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="#1b1f24" '
                'stroke-width="0.5" class="bar series-{s}{masked}"/>'
                '<text x="{vx}" y="{ty}" class="value">{text}</text>'
            ).format(x=label_width, y=y, w=_fmt(length), h=bar - 2, fill=fill, s=s,
                     masked=" masked" if masked else "", vx=_fmt(label_width + length + 6),
                     ty=_fmt(y + bar * 0.7), text=text))
        parts.append(Markup("</g>"))
    parts.append(_close())
    return Markup("").join(parts)


def line_chart(title: str, labels: Sequence[str], values: Sequence[float | None],
               shown: Sequence[str], *, width: int = 640, height: int = 220) -> Markup:
    """A line over time (visits per day) with a dot per point and a few axis labels.

    A value of ``None`` (a hidden cell) breaks the line; its text is printed at the axis.
    """
    cid = _new_id("chart")
    left, right, top, bottom = 40, 34, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for v in values if v is not None] + [1])
    count = len(values)
    step = plot_w / max(1, count - 1)

    def xy(n: int, value: float) -> tuple[float, float]:
        return left + n * step, top + plot_h - plot_h * value / peak

    parts = [_open(cid, width, height, title, _describe(labels, shown), "chart-line"),
             Markup('<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#57606a"/>'
                    '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#57606a"/>'
                    '<text x="{tx}" y="{ty}" text-anchor="end" class="axis">{peak}</text>'
                    '<text x="{tx}" y="{b}" text-anchor="end" class="axis">0</text>').format(
                 l=left, r=width - right, t=top, b=top + plot_h, tx=left - 4, ty=top + 8,
                 peak=_fmt(peak))]
    segments: list[list[tuple[float, float]]] = [[]]
    for n, value in enumerate(values):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(xy(n, value))
    for segment in segments:
        if len(segment) > 1:
            points = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in segment)
            parts.append(Markup('<polyline points="{p}" fill="none" stroke="{c}" '
                                'stroke-width="2" class="line"/>').format(p=points,
                                                                          c=DEFAULT_FILL))
    every = max(1, count // 8)
    for n, (label, value, text) in enumerate(zip(labels, values, shown, strict=False)):
        if value is None:
            x, y = xy(n, 0)
            parts.append(Markup('<text x="{x}" y="{y}" text-anchor="middle" class="value">'
                                '{text}<title>{label}: {text}</title></text>').format(
                x=_fmt(x), y=_fmt(y - 4), text=text, label=label))
        else:
            x, y = xy(n, value)
            masked = text == MASKED_TEXT
            parts.append(Markup('<circle cx="{x}" cy="{y}" r="3" fill="{fill}" stroke="#1b1f24" '
                                'stroke-width="0.5" class="dot{masked}"><title>{label}: {text}'
                                '</title></circle>').format(
                x=_fmt(x), y=_fmt(y), fill="#ffffff" if masked else DEFAULT_FILL,
                masked=" masked" if masked else "", label=label, text=text))
        if n % every == 0 or n == count - 1:
            parts.append(Markup('<text x="{x}" y="{y}" text-anchor="middle" class="axis">'
                                '{label}</text>').format(x=_fmt(x), y=top + plot_h + 16,
                                                          label=_clip(label, 12)))
    parts.append(_close())
    return Markup("").join(parts)


def heat_map(title: str, rows: Sequence[str], columns: Sequence[str],
             values: Sequence[Sequence[float]], shown: Sequence[Sequence[str]],
             *, cell: int = 30, label_width: int = 60) -> Markup:
    """A grid of rows × columns (weekdays × hours); darker means more, every cell printed."""
    cid = _new_id("chart")
    top = 20
    width = label_width + cell * len(columns) + 4
    height = top + cell * len(rows) + 4
    peak = max([v for row in values for v in row] + [1])
    described = [f"{row}: " + ", ".join(f"{c} {t}" for c, t in zip(columns, texts, strict=False)
                                        if t not in ("0", ""))
                 for row, texts in zip(rows, shown, strict=False)]
    parts = [_open(cid, width, height, title, "; ".join(described), "chart-heat")]
    for c, column in enumerate(columns):
        parts.append(Markup('<text x="{x}" y="14" text-anchor="middle" class="axis">{c}</text>')
                     .format(x=label_width + c * cell + cell // 2, c=column))
    for r, row in enumerate(rows):
        y = top + r * cell
        parts.append(Markup('<text x="{x}" y="{y}" text-anchor="end" class="label">{row}</text>')
                     .format(x=label_width - 6, y=y + cell // 2 + 4, row=row))
        for c in range(len(columns)):
            value, text = values[r][c], shown[r][c]
            level = 0 if not value else min(4, 1 + int(3 * value / peak))
            fill = ("#ffffff", "#dbe9f6", "#9cc3e6", "#4a90d0", "#0b4c8c")[level]
            ink = "#ffffff" if level >= 3 else "#1b1f24"
            masked = text == MASKED_TEXT
            parts.append(Markup(
                '<rect x="{x}" y="{y}" width="{w}" height="{w}" fill="{fill}" stroke="#d0d7de" '
                'class="cell level-{level}{masked}"/>'
                '<text x="{tx}" y="{ty}" text-anchor="middle" fill="{ink}" class="cell-value">'
                '{text}</text>'
            ).format(x=label_width + c * cell, y=y, w=cell, level=level,
                     fill=f"url(#{cid}-light)" if masked else fill,
                     masked=" masked" if masked else "",
                     tx=label_width + c * cell + cell // 2, ty=y + cell // 2 + 4, ink=ink,
                     text="" if text == "0" else text))
    parts.append(_close())
    return Markup("").join(parts)


def _clip(text: str, limit: int = 34) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["bar_chart", "grouped_bar_chart", "heat_map", "line_chart"]
