"""Simple bar charts as inline SVG, for the PDF review (WeasyPrint draws SVG; no browser needed).

Plain logic, no Django. The output depends only on the input, so a frozen review stays byte-stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#00437a", "#c4622d", "#2f7d4f", "#7a4d9c", "#8a6d00")
LABEL_WIDTH = 170
ROW_GAP = 8
BAR_HEIGHT = 12
LEGEND_HEIGHT = 22
FONT = "font-family='DejaVu Sans, sans-serif'"


def _label(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: float, decimal_separator: str = ".") -> str:
    if abs(value) >= 1_000_000:
        text = f"{value / 1_000_000:.1f}\u00a0M"
    elif abs(value) >= 10_000:
        text = f"{value / 1_000:.0f}\u00a0k"
    else:
        text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return text.replace(".", decimal_separator)


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    unit: str = "",
    width: int = 640,
    decimal_separator: str = ".",
) -> str:
    """Horizontal grouped bars: one group per category, one bar per series; values written with
    ``decimal_separator`` (the reader's: "," in French)."""
    if not categories or not series:
        return ""
    peak = max((value for _, values in series for value in values), default=0) or 1
    plot_width = width - LABEL_WIDTH - 70
    group_height = BAR_HEIGHT * len(series) + ROW_GAP
    height = LEGEND_HEIGHT + group_height * len(categories) + 10
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}' "
        f"role='img' aria-label='{escape(title, quote=True)}'>",
        f"<title>{escape(title)}</title>",
    ]
    x = LABEL_WIDTH
    for index, (name, _) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f"<rect x='{x}' y='4' width='10' height='10' fill='{colour}'/>")
        parts.append(f"<text x='{x + 14}' y='13' font-size='10' {FONT}>{escape(name)}</text>")
        x += 16 + 7 * len(name) + 12
    for row, category in enumerate(categories):
        top = LEGEND_HEIGHT + row * group_height
        label_y = top + (BAR_HEIGHT * len(series)) / 2 + 4
        parts.append(
            f"<text x='{LABEL_WIDTH - 6}' y='{label_y:.1f}' font-size='10' text-anchor='end' {FONT}>"
            f"{escape(_label(category))}</text>"
        )
        for index, (_, values) in enumerate(series):
            value = float(values[row]) if row < len(values) else 0.0
            length = max(0.0, value) / peak * plot_width
            y = top + index * BAR_HEIGHT
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f"<rect x='{LABEL_WIDTH}' y='{y}' width='{length:.1f}' height='{BAR_HEIGHT - 2}' fill='{colour}'/>"
            )
            parts.append(
                f"<text x='{LABEL_WIDTH + length + 4:.1f}' y='{y + BAR_HEIGHT - 3}' font-size='9' {FONT}>"
                f"{escape(_number(value, decimal_separator) + unit)}</text>"
            )
    parts.append(
        f"<line x1='{LABEL_WIDTH}' y1='{LEGEND_HEIGHT - 2}' x2='{LABEL_WIDTH}' y2='{height - 6}' "
        "stroke='#4a5360' stroke-width='1'/>"
    )
    parts.append("</svg>")
    return "".join(parts)
