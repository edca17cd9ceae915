"""Reliability, spread and cut-offs for reliable change: the one table.

Every number the reliable-change method uses lives here, next to where it
comes from. Nothing else in the code holds a norm. To change a value, change
it here, with its source.

Rules for the table:

* ``reliability`` is test-retest where a published test-retest value exists;
  otherwise an internal-consistency estimate (Cronbach's alpha), and ``kind``
  says so. alpha is usually higher than test-retest, so it gives a smaller
  S_diff and calls change "reliable" a little more readily.
* ``sd`` is the standard deviation of a published sample, and the sample is
  named. Jacobson & Truax (1991) use the SD of the pre-treatment (clinical)
  group; where only a general-population SD is at hand it is used and
  labelled as such: that SD is narrower, so the reliable-change threshold is
  smaller than with a clinical SD.
* ``reliable_change`` is a published reliable-change criterion in whole
  points -- a change of at least this much is reliable -- set for the
  population the measure is used in. Where one is set it decides, in place
  of an RC from SD and r: PHQ-9's general-population SD (3.52, Kocalevent
  et al. 2013) would call a 4-point change in a person in treatment
  reliable, where clinical practice (NHS Talking Therapies) asks for 6.
* Where no value could be taken from a source we can cite with confidence,
  the entry is ``None`` and reliable change is not computed for that measure
  (the pages say "not available") -- never a guessed number. CSI-4 and
  GMSEX have no SD here for that reason: Funk & Rogge (2007) and Lawrance &
  Byers (1995, 1998) give internal consistency, but we hold no SD (nor a
  test-retest value) from them that we could quote exactly.
* ``cutoff`` is the instrument's published cut-off. Jacobson & Truax's
  criterion *c* needs the mean and SD of both a functional and a
  dysfunctional sample: c = (SD₀·M₁ + SD₁·M₀) / (SD₀ + SD₁). None of the
  four instruments has both sets in this table yet, so the published cut-off
  stands in for the boundary between the ranges, and ``criterion_c`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Value:
    value: float
    source: str
    kind: str = ""  # what sort of value, and from which sample: "test-retest", "Cronbach's alpha", "clinical: …"


@dataclass(frozen=True)
class Norms:
    code: str
    reliability: Value | None
    sd: Value | None
    cutoff: Value | None
    # A published reliable-change criterion in points (see the module docstring).
    reliable_change: Value | None = None
    # Criterion c needs both samples; (mean, sd) of each, when published.
    functional: tuple[float, float] | None = None
    dysfunctional: tuple[float, float] | None = None
    criterion_c_note: str = ""

    @property
    def can_compute_rci(self) -> bool:
        """Whether an RC can be computed from SD and r (Jacobson & Truax)."""
        return self.reliability is not None and self.sd is not None

    @property
    def judges_change(self) -> bool:
        """Whether reliable change can be told at all: by a published criterion or by RC."""
        return self.reliable_change is not None or self.can_compute_rci

    @property
    def criterion_c(self) -> float | None:
        """Jacobson & Truax's criterion c, when both samples are known."""
        if not (self.functional and self.dysfunctional):
            return None
        (m0, sd0), (m1, sd1) = self.functional, self.dysfunctional
        return (sd0 * m1 + sd1 * m0) / (sd0 + sd1)

    @property
    def boundary(self) -> float | None:
        """The score separating clinical from functional: criterion c where it
        can be computed, else the published cut-off, else None."""
        c = self.criterion_c
        if c is not None:
            return c
        return self.cutoff.value if self.cutoff else None


KROENKE_2001 = (
    "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. "
    "J Gen Intern Med. 2001;16(9):606-613"
)
SPITZER_2006 = (
    "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: "
    "the GAD-7. Arch Intern Med. 2006;166(10):1092-1097"
)
NHS_TALKING_THERAPIES = (
    "National Collaborating Centre for Mental Health. The NHS Talking Therapies for Anxiety and Depression Manual. "
    "NHS England (first published in 2018 as The Improving Access to Psychological Therapies Manual): reliable "
    "improvement is a PHQ-9 score lower by 6 points or more (GAD-7: 4 or more), reliable deterioration the same rise"
)
FUNK_ROGGE_2007 = (
    "Funk JL, Rogge RD. Testing the ruler with item response theory: increasing precision of measurement for "
    "relationship satisfaction with the Couples Satisfaction Index. J Fam Psychol. 2007;21(4):572-583"
)

NORMS: dict[str, Norms] = {
    "phq9": Norms(
        code="phq9",
        reliability=Value(0.84, KROENKE_2001 + " (retest within 48 hours)", "test-retest"),
        # No SD: the one we hold is a general-population SD (3.52; Kocalevent RD, Hinz A, Brähler E. Gen Hosp
        # Psychiatry. 2013;35(5):551-555), which gives a 3.9-point threshold, too narrow for people in treatment.
        # The clinical criterion below decides instead.
        sd=None,
        cutoff=Value(10, KROENKE_2001 + " (≥10: sensitivity and specificity 88% for major depression)"),
        reliable_change=Value(
            6,
            NHS_TALKING_THERAPIES,
            "clinical: people treated for depression and anxiety in NHS Talking Therapies services (England)",
        ),
        criterion_c_note="No functional and dysfunctional sample norms in this table: the published cut-off (10) "
        "is used as the boundary instead of criterion c.",
    ),
    "gad7": Norms(
        code="gad7",
        reliability=Value(0.83, SPITZER_2006 + " (intraclass correlation)", "test-retest"),
        sd=Value(
            3.41,
            "Löwe B, Decker O, Müller S, et al. Validation and standardization of the Generalized Anxiety Disorder "
            "Screener (GAD-7) in the general population. Med Care. 2008;46(3):266-274",
            "general population (German, N≈5,000)",
        ),
        cutoff=Value(10, SPITZER_2006 + " (≥10: the optimal cut point for generalized anxiety disorder)"),
        criterion_c_note="No functional and dysfunctional sample norms in this table: the published cut-off (10) "
        "is used as the boundary instead of criterion c.",
    ),
    "csi4": Norms(
        code="csi4",
        reliability=Value(0.94, FUNK_ROGGE_2007, "Cronbach's alpha (internal consistency; no test-retest value used)"),
        # Not filled: we hold no CSI-4 standard deviation we can cite exactly.
        # Until one is added here with its source, reliable change for CSI-4 is "not available".
        sd=None,
        cutoff=Value(13.5, FUNK_ROGGE_2007 + " (below 13.5: notable relationship dissatisfaction)"),
        criterion_c_note="The published distress cut-off (13.5) is used as the boundary; criterion c would need "
        "the means and SDs of distressed and non-distressed samples.",
    ),
    "gmsex": Norms(
        code="gmsex",
        reliability=Value(
            0.90,
            "Lawrance K, Byers ES. Interpersonal Exchange Model of Sexual Satisfaction Questionnaire. In: Davis CM "
            "et al. (eds), Handbook of Sexuality-Related Measures. Sage; 1998",
            "Cronbach's alpha (internal consistency)",
        ),
        # Not filled: no GMSEX standard deviation we can cite exactly (see the module docstring).
        sd=None,
        cutoff=None,
        criterion_c_note='GMSEX has no published clinical cut-off: neither criterion c nor "recovered" can be '
        "computed, only reliable change (once an SD is added).",
    ),
}


def for_instrument(code: str) -> Norms:
    return NORMS[code]
