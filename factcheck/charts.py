"""Server-side SVG charts: horizontal bars and a line, readable with no JavaScript.

Pure functions from (label, value) pairs to SVG markup. Every label is escaped here; colours are
presentation attributes (not inline styles), so the page's Content-Security-Policy stays strict.
Each chart carries a <title> and <desc> for screen readers; the page shows the same figures as a
table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_COLOUR = "#3b7ddd"
LINE_COLOUR = "#1f6f43"
TEXT_COLOUR = "#222"
GRID_COLOUR = "#ddd"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, width: int = 480) -> str:
    """Horizontal bars, one per (label, value), with the value written at the bar's end."""
    row, label_width, pad = 24, 150, 40
    height = max(row * len(items), row) + 10
    top = max((v for _, v in items), default=0) or 1
    plot = width - label_width - pad
    desc = ", ".join(f"{label}: {_number(v)}" for label, v in items) or "no data"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" {FONT}>',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]
    for i, (label, value) in enumerate(items):
        y = i * row + 5
        bar = round(plot * value / top, 1)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar}" height="{row - 8}" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{label_width + bar + 4}" y="{y + 15}" fill="{TEXT_COLOUR}">'
            f"{_number(value)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    points: Sequence[tuple[str, float]], *, title: str, width: int = 480, height: int = 200
) -> str:
    """A line over evenly spaced labelled points (e.g. weeks), with a zero baseline."""
    left, right, top_pad, bottom = 36, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max((v for _, v in points), default=0) or 1
    desc = ", ".join(f"{label}: {_number(v)}" for label, v in points) or "no data"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" {FONT}>',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" '
        f'y2="{top_pad + plot_h}" stroke="{GRID_COLOUR}"/>',
        f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end" fill="{TEXT_COLOUR}">'
        f"{_number(top)}</text>",
        f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end" '
        f'fill="{TEXT_COLOUR}">0</text>',
    ]
    if points:
        step = plot_w / max(len(points) - 1, 1)
        coords = [
            (round(left + i * step, 1), round(top_pad + plot_h - plot_h * v / top, 1))
            for i, (_, v) in enumerate(points)
        ]
        path = " ".join(f"{x},{y}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>'
        )
        for (x, y), (label, value) in zip(coords, points, strict=True):
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="3" fill="{LINE_COLOUR}">'
                f"<title>{escape(label)}: {_number(value)}</title></circle>"
            )
        label_every = max(1, len(points) // 6)
        for i in range(0, len(points), label_every):
            parts.append(
                f'<text x="{coords[i][0]}" y="{height - 12}" text-anchor="middle" '
                f'fill="{TEXT_COLOUR}">{escape(points[i][0])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
