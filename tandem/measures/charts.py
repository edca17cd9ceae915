"""Server-rendered SVG of one person's scores on one measure over time.

Drawn like the check-in trends (``tandem/checkins/charts.py``): no
JavaScript, the stylesheet's chart classes, markers not told apart by colour
alone. The cut-off is a dashed line with its value written beside it. The
template always puts a data table next to the picture.
"""

from __future__ import annotations

from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tandem.core import dates
from tandem.measures.instruments import Instrument

WIDTH, HEIGHT, PAD = 600, 180, 28


def _y(value: float, low: int, high: int) -> float:
    return PAD + (HEIGHT - 2 * PAD) * ((high - value) / max(high - low, 1))


def _x(index: int, count: int) -> float:
    # Evenly spaced in the order filled: responses come weeks apart or on
    # the same day, and the table beside the chart gives the dates.
    if count == 1:
        return WIDTH / 2
    return PAD + (WIDTH - 2 * PAD) * (index / (count - 1))


def svg_chart(measure: Instrument, points: list[tuple[date, int]], label: str) -> SafeString:
    low, high = measure.min_score, measure.max_score
    ticks = (low, (low + high) // 2, high)
    grid = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="axis" x="2" y="{}">{}</text>',
        (
            (PAD, WIDTH - PAD, f"{_y(v, low, high):.1f}", f"{_y(v, low, high):.1f}", f"{_y(v, low, high) + 4:.1f}", v)
            for v in ticks
        ),
    )
    cutoff = ""
    if measure.cutoff is not None:
        y = _y(measure.cutoff, low, high)
        cutoff = format_html(
            '<line class="grid cutoff" stroke-dasharray="6 4" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>',
            PAD,
            WIDTH - PAD,
            f"{y:.1f}",
            f"{y:.1f}",
            WIDTH - PAD,
            f"{y - 4:.1f}",
            _("cut-off %(value)s") % {"value": f"{measure.cutoff:g}"},
        )
    shapes = []
    if points:
        coords = [(_x(i, len(points)), _y(v, low, high)) for i, (_day, v) in enumerate(points)]
        if len(coords) > 1:
            shapes.append(
                format_html(
                    '<polyline class="series me" fill="none" points="{}"/>',
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
                )
            )
        for x, y in coords:
            shapes.append(format_html('<circle class="marker me" cx="{}" cy="{}" r="3"/>', f"{x:.1f}", f"{y:.1f}"))
        # The first and last dates under the axis.
        shapes.append(
            format_html(
                '<text class="axis" x="{}" y="{}">{}</text>', PAD, HEIGHT - 6, dates.show_short_day(points[0][0])
            )
        )
        if len(points) > 1:
            shapes.append(
                format_html(
                    '<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>',
                    WIDTH - PAD,
                    HEIGHT - 6,
                    dates.show_short_day(points[-1][0]),
                )
            )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" focusable="false">{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        label,
        grid,
        cutoff,
        mark_safe("".join(shapes)),  # noqa: S308 -- every piece above went through format_html
    )
