"""Reliable and clinically significant change (Jacobson & Truax 1991).

Jacobson NS, Truax P. Clinical significance: a statistical approach to
defining meaningful change in psychotherapy research. J Consult Clin
Psychol. 1991;59(1):12-19.

For one person's score x₁ (earlier) and x₂ (later) on one measure:

    SE     = SD · √(1 - r)        standard error of measurement
    S_diff = √(2 · SE²) = √2 · SE  standard error of the difference
    RC     = (x₂ - x₁) / S_diff

|RC| > 1.96 means the change is larger than measurement error would
produce in 95 of 100 retests: a *reliable* change. Its sign is read with the
measure's direction (on PHQ-9 and GAD-7 a fall is an improvement; on CSI-4
and GMSEX a rise is).

Clinically significant change: the person also moved from the clinical into
the functional range, across the boundary in ``norms.py`` (criterion c
where the norms allow it, else the published cut-off). The four outcomes,
as in Jacobson & Truax:

* *recovered*: reliable improvement **and** crossed into the functional range;
* *improved*: reliable improvement without that crossing;
* *unchanged*: no reliable change;
* *deteriorated*: reliable worsening.

SD and r come only from ``norms.py``; when either is missing there, no RC is
computed and the outcome is None ("not available"), never a guess. Where
``norms.py`` holds a published reliable-change criterion in points (PHQ-9:
6, as NHS Talking Therapies uses), that criterion decides instead: a change
of at least that many points is reliable, and no RC is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tandem.measures.instruments import Instrument
from tandem.measures.norms import NORMS

RELIABLE_Z = 1.96  # two-tailed p < .05

RECOVERED = "recovered"
IMPROVED = "improved"
UNCHANGED = "unchanged"
DETERIORATED = "deteriorated"


def standard_error(sd: float, r: float) -> float:
    return sd * math.sqrt(1 - r)


def s_diff_from_se(se: float) -> float:
    """S_diff from a standard error of measurement (e.g. one a test manual gives)."""
    return math.sqrt(2 * se**2)


def s_diff(sd: float, r: float) -> float:
    return s_diff_from_se(standard_error(sd, r))


def smallest_reliable_change(se: float) -> float:
    """The raw change a score must exceed to be reliable: 1.96 · S_diff."""
    return RELIABLE_Z * s_diff_from_se(se)


def reliable_change_index(x1: float, x2: float, sd: float, r: float) -> float:
    return (x2 - x1) / s_diff(sd, r)


def is_reliable(rc: float) -> bool:
    return abs(rc) > RELIABLE_Z


@dataclass(frozen=True)
class Change:
    before: int
    after: int
    rc: float | None  # None when the norms table lacks SD or r, or a published criterion decides
    direction: str | None  # IMPROVED / DETERIORATED / UNCHANGED, None when rc is None
    crossed_into_functional: bool | None  # None without a cut-off
    crossed_cutoff: bool | None  # moved across the boundary either way; None without one
    reliable_at: float | None = None  # the published criterion in points, when it decided

    @property
    def points(self) -> int:
        return self.after - self.before

    @property
    def recovered(self) -> bool:
        return self.direction == IMPROVED and bool(self.crossed_into_functional)

    @property
    def outcome(self) -> str | None:
        """recovered / improved / unchanged / deteriorated, or None (not available)."""
        if self.direction is None:
            return None
        return RECOVERED if self.recovered else self.direction


def compare(instrument: Instrument, before: int, after: int) -> Change:
    norms = NORMS[instrument.code]
    rc = direction = reliable_at = None
    if norms.reliable_change is not None:
        reliable_at = norms.reliable_change.value
        reliable = abs(after - before) >= reliable_at
    elif norms.can_compute_rci:
        rc = reliable_change_index(before, after, norms.sd.value, norms.reliability.value)
        reliable = is_reliable(rc)
    if norms.judges_change:
        if not reliable:
            direction = UNCHANGED
        else:
            better = after > before if instrument.higher_is_better else after < before
            direction = IMPROVED if better else DETERIORATED
    was, now = instrument.in_clinical_range(before), instrument.in_clinical_range(after)
    crossed_into = None if was is None else (was and not now)
    crossed = None if was is None else (was != now)
    return Change(before, after, rc, direction, crossed_into, crossed, reliable_at)
