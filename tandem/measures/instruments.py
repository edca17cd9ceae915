"""The four built-in measures, as code: items, answer options, scoring, bands.

Instruments are not database rows. Their wording and scoring are fixed by
their authors, so they live here, reviewed like code, and a stored response
refers to one by its ``code``.

Wording and licences:

* PHQ-9 and GAD-7 use the published English wording and response options.
  Pfizer's notice allows this without permission, and the notice is shown
  with every form (``Instrument.notice``).
* CSI-4 (Funk & Rogge 2007) is free for research and clinical use; the
  published wording is used, with a citation.
* GMSEX (Lawrance & Byers) uses the published stem and the five bipolar
  scales, with a citation.

None of the wording is paraphrased: a validated measure is only valid in the
words it was validated with.

Canonical URLs: PHQ-9 and GAD-7 point at their LOINC panels, and their item
``link_id`` is the LOINC code of the question (answers are LOINC answer codes
from list LL358-3). CSI-4 and GMSEX have no LOINC form; their canonical URLs
under ``https://tandem.invalid/fhir/Questionnaire/`` are defined by this
project (``.invalid`` can never resolve, so nobody mistakes them for
someone else's published resource).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from tandem.measures.norms import NORMS

LOINC = "http://loinc.org"
TANDEM_QUESTIONNAIRE = "https://tandem.invalid/fhir/Questionnaire/"

PFIZER_NOTICE = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, translate, "
    "display or distribute."
)


class ScoringError(ValueError):
    """Answers that can't be scored; ``missing`` names the items left out."""

    def __init__(self, message: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.missing = missing or []


@dataclass(frozen=True)
class Option:
    value: int  # what it adds to the total
    label: str  # the published wording ("" for unlabelled middle points of a bipolar scale)
    code: str = ""  # a LOINC answer code where one exists


@dataclass(frozen=True)
class Item:
    link_id: str
    text: str
    options: tuple[Option, ...]

    def option(self, value: int) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    @property
    def bipolar(self) -> bool:
        """A numbered scale whose words are only at its two ends (GMSEX's 1-7)."""
        return len(self.options) > 2 and not any(o.label for o in self.options[1:-1])


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Instrument:
    code: str  # stable key stored in the database ("phq9")
    title: str  # "PHQ-9"
    name: str  # full name
    canonical: str  # the FHIR Questionnaire canonical URL
    stem: str  # the instruction shown above the items
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    notice: str  # licence notice or citation, shown with the form
    higher_is_better: bool
    # For PHQ-9/GAD-7: LOINC code of the total score, used in the FHIR export.
    total_link_id: str = "total"
    answer_system: str = ""  # code system of the answer codes ("" when answers are plain integers)

    @property
    def cutoff(self) -> float | None:
        """The score separating the clinical from the functional range, from
        the one norms table (``norms.py``); None where there is none (GMSEX).
        A half-point cut-off (13.5) can't be hit by an integer total."""

        return NORMS[self.code].boundary

    @cached_property
    def min_score(self) -> int:
        return sum(min(o.value for o in item.options) for item in self.items)

    @cached_property
    def max_score(self) -> int:
        return sum(max(o.value for o in item.options) for item in self.items)

    def item(self, link_id: str) -> Item | None:
        return next((i for i in self.items if i.link_id == link_id), None)

    def score(self, answers: dict[str, int]) -> int:
        """The total: the plain sum of the item values (no item is reversed in
        any of the four instruments). Every item must be answered with one of
        its own options; a partial form is never scored, because prorating
        is not part of these instruments' published scoring."""
        missing = [item.link_id for item in self.items if item.link_id not in answers]
        if missing:
            raise ScoringError(f"{self.title}: unanswered items {missing}", missing)
        unknown = set(answers) - {item.link_id for item in self.items}
        if unknown:
            raise ScoringError(f"{self.title}: unknown items {sorted(unknown)}")
        total = 0
        for item in self.items:
            value = answers[item.link_id]
            if isinstance(value, bool) or not isinstance(value, int) or item.option(value) is None:
                raise ScoringError(f"{self.title}: {value!r} is not an answer to {item.link_id}")
            total += value
        return total

    def band(self, total: int) -> Band | None:
        """The published severity band for ``total``; None where the instrument has no bands."""
        return next((b for b in self.bands if b.low <= total <= b.high), None)

    def band_label(self, total: int) -> str:
        band = self.band(total)
        return str(band.label) if band else ""

    def in_clinical_range(self, total: float) -> bool | None:
        """On the clinical side of the cut-off; None without a cut-off."""
        if self.cutoff is None:
            return None
        return total < self.cutoff if self.higher_is_better else total >= self.cutoff


FREQUENCY = (
    Option(0, "Not at all", "LA6568-5"),
    Option(1, "Several days", "LA6569-3"),
    Option(2, "More than half the days", "LA6570-1"),
    Option(3, "Nearly every day", "LA6571-9"),
)

PHQ9 = Instrument(
    code="phq9",
    title="PHQ-9",
    name="Patient Health Questionnaire (PHQ-9)",
    canonical="http://loinc.org/q/44249-1",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items=tuple(
        Item(link_id, text, FREQUENCY)
        for link_id, text in (
            ("44250-9", "Little interest or pleasure in doing things"),
            ("44255-8", "Feeling down, depressed, or hopeless"),
            ("44259-0", "Trouble falling or staying asleep, or sleeping too much"),
            ("44254-1", "Feeling tired or having little energy"),
            ("44251-7", "Poor appetite or overeating"),
            (
                "44258-2",
                "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
            ),
            ("44252-5", "Trouble concentrating on things, such as reading the newspaper or watching television"),
            (
                "44253-3",
                "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
                "fidgety or restless that you have been moving around a lot more than usual",
            ),
            ("44260-8", "Thoughts that you would be better off dead or of hurting yourself in some way"),
        )
    ),
    bands=(
        Band(0, 4, _("minimal")),
        Band(5, 9, _("mild")),
        Band(10, 14, _("moderate")),
        Band(15, 19, _("moderately severe")),
        Band(20, 27, _("severe")),
    ),
    notice=PFIZER_NOTICE,
    higher_is_better=False,
    total_link_id="44261-6",
    answer_system=LOINC,
)
# PHQ-9 item 9. Any answer above "Not at all" raises a risk flag.
PHQ9_ITEM9 = "44260-8"

GAD7 = Instrument(
    code="gad7",
    title="GAD-7",
    name="Generalized Anxiety Disorder 7-item scale (GAD-7)",
    canonical="http://loinc.org/q/69737-5",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=tuple(
        Item(link_id, text, FREQUENCY)
        for link_id, text in (
            ("69725-0", "Feeling nervous, anxious, or on edge"),
            ("68509-9", "Not being able to stop or control worrying"),
            ("69733-4", "Worrying too much about different things"),
            ("69734-2", "Trouble relaxing"),
            ("69735-9", "Being so restless that it's hard to sit still"),
            ("69689-8", "Becoming easily annoyed or irritable"),
            ("69736-7", "Feeling afraid as if something awful might happen"),
        )
    ),
    bands=(
        Band(0, 4, _("minimal")),
        Band(5, 9, _("mild")),
        Band(10, 14, _("moderate")),
        Band(15, 21, _("severe")),
    ),
    notice=PFIZER_NOTICE,
    higher_is_better=False,
    total_link_id="70274-6",
    answer_system=LOINC,
)

_TRUE = (
    "Not at all True",
    "A little True",
    "Somewhat True",
    "Mostly True",
    "Almost Completely True",
    "Completely True",
)
_AMOUNT = ("Not at all", "A little", "Somewhat", "Mostly", "Almost Completely", "Completely")

CSI4 = Instrument(
    code="csi4",
    title="CSI-4",
    name="Couples Satisfaction Index (CSI-4)",
    canonical=TANDEM_QUESTIONNAIRE + "csi-4",
    stem="",
    items=(
        Item(
            "csi4-1",
            "Please indicate the degree of happiness, all things considered, of your relationship.",
            tuple(
                Option(v, label)
                for v, label in enumerate(
                    (
                        "Extremely Unhappy",
                        "Fairly Unhappy",
                        "A Little Unhappy",
                        "Happy",
                        "Very Happy",
                        "Extremely Happy",
                        "Perfect",
                    )
                )
            ),
        ),
        Item(
            "csi4-2",
            "I have a warm and comfortable relationship with my partner.",
            tuple(Option(v, label) for v, label in enumerate(_TRUE)),
        ),
        Item(
            "csi4-3",
            "How rewarding is your relationship with your partner?",
            tuple(Option(v, label) for v, label in enumerate(_AMOUNT)),
        ),
        Item(
            "csi4-4",
            "In general, how satisfied are you with your relationship?",
            tuple(Option(v, label) for v, label in enumerate(_AMOUNT)),
        ),
    ),
    # Funk & Rogge 2007: scores below 13.5 suggest notable relationship dissatisfaction.
    bands=(
        Band(0, 13, _("below the distress cut-off (notable dissatisfaction)")),
        Band(14, 21, _("above the distress cut-off")),
    ),
    notice=(
        "Couples Satisfaction Index (CSI-4). Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item "
        "response theory: Increasing precision of measurement for relationship satisfaction with the Couples "
        "Satisfaction Index. Journal of Family Psychology, 21(4), 572-583. Free for research and clinical use."
    ),
    higher_is_better=True,
)


def _bipolar(low: str, high: str) -> tuple[Option, ...]:
    # Seven points, 1-7; only the two ends carry words, as published.
    return tuple(Option(v, low if v == 1 else high if v == 7 else "") for v in range(1, 8))


GMSEX = Instrument(
    code="gmsex",
    title="GMSEX",
    name="Global Measure of Sexual Satisfaction (GMSEX)",
    canonical=TANDEM_QUESTIONNAIRE + "gmsex",
    stem="Overall, how would you describe your sexual relationship with your partner?",
    items=(
        Item("gmsex-1", "Very Bad - Very Good", _bipolar("Very Bad", "Very Good")),
        Item("gmsex-2", "Very Unpleasant - Very Pleasant", _bipolar("Very Unpleasant", "Very Pleasant")),
        Item("gmsex-3", "Very Negative - Very Positive", _bipolar("Very Negative", "Very Positive")),
        Item("gmsex-4", "Very Unsatisfying - Very Satisfying", _bipolar("Very Unsatisfying", "Very Satisfying")),
        Item("gmsex-5", "Worthless - Very Valuable", _bipolar("Worthless", "Very Valuable")),
    ),
    bands=(),  # no published severity bands or clinical cut-off
    notice=(
        "Global Measure of Sexual Satisfaction (GMSEX), from the Interpersonal Exchange Model of Sexual "
        "Satisfaction Questionnaire. Lawrance, K., & Byers, E. S. (1995). Sexual satisfaction in long-term "
        "heterosexual relationships: The interpersonal exchange model of sexual satisfaction. Personal "
        "Relationships, 2, 267-285."
    ),
    higher_is_better=True,
)

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (CSI4, GMSEX, PHQ9, GAD7)}
CHOICES = [(i.code, i.title) for i in INSTRUMENTS.values()]


def get(code: str) -> Instrument | None:
    return INSTRUMENTS.get(code)
