"""Server-rendered SVG trend charts: no JavaScript, readable without colour.

Each chart comes with a text summary and a data table in the template, so a
screen reader (or anyone) gets the same information as the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MEASURES = ("mood", "energy", "stress", "closeness", "desire")
WIDTH, HEIGHT, PAD = 600, 180, 24
DIVERGENCE_POINTS = 2  # averages this far apart…
DIVERGENCE_DAYS = 14  # …over the last two weeks
DIVERGENCE_MIN_POINTS = 3  # an average needs a few points, not one


@dataclass(frozen=True)
class Series:
    label: str
    css: str  # "me" or "partner": the stylesheet colours them; markers also differ in shape
    points: list[tuple[date, int]]

    @property
    def average(self) -> float | None:
        return round(mean(v for _d, v in self.points), 1) if self.points else None


def _x(day: date, start: date, days: int) -> float:
    return PAD + (WIDTH - 2 * PAD) * ((day - start).days / max(days - 1, 1))


def _y(value: int) -> float:
    return PAD + (HEIGHT - 2 * PAD) * ((5 - value) / 4)


def svg_chart(title: str, series: list[Series], start: date, end: date) -> SafeString:
    days = (end - start).days + 1
    grid = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/><text class="axis" x="4" y="{}">{}</text>',
        ((PAD, WIDTH - PAD, _y(v), _y(v), _y(v) + 4, v) for v in range(1, 6)),
    )
    shapes = []
    for s in series:
        coords = [(_x(d, start, days), _y(v)) for d, v in s.points]
        if len(coords) > 1:
            shapes.append(
                format_html(
                    '<polyline class="series {}" fill="none" points="{}"/>',
                    s.css,
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
                )
            )
        # Markers: circles for me, squares for the partner (not colour alone).
        for x, y in coords if len(coords) <= 62 else []:
            if s.css == "me":
                shapes.append(
                    format_html('<circle class="marker {}" cx="{}" cy="{}" r="3"/>', s.css, f"{x:.1f}", f"{y:.1f}")
                )
            else:
                shapes.append(
                    format_html(
                        '<rect class="marker {}" x="{}" y="{}" width="6" height="6"/>',
                        s.css,
                        f"{x - 3:.1f}",
                        f"{y - 3:.1f}",
                    )
                )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" focusable="false">{}{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        grid,
        mark_safe("".join(shapes)),  # noqa: S308 -- every piece above went through format_html
    )


def summary(measure_label: str, series: list[Series]) -> str:
    parts = []
    for s in series:
        if s.average is None:
            parts.append(_("%(who)s: no shared check-ins in this period") % {"who": s.label})
        else:
            parts.append(
                ngettext(
                    "%(who)s: average %(avg)s over %(n)d check-in",
                    "%(who)s: average %(avg)s over %(n)d check-ins",
                    len(s.points),
                )
                % {"who": s.label, "avg": s.average, "n": len(s.points)}
            )
    return f"{measure_label}. " + "; ".join(parts) + "."


def divergence(series: list[Series], today: date) -> bool:
    """True when the two partners' averages over the last two weeks differ by two points or more."""
    since = today - timedelta(days=DIVERGENCE_DAYS - 1)
    averages = []
    for s in series:
        recent = [v for d, v in s.points if d >= since]
        if len(recent) < DIVERGENCE_MIN_POINTS:
            return False
        averages.append(mean(recent))
    return len(averages) == 2 and abs(averages[0] - averages[1]) >= DIVERGENCE_POINTS
