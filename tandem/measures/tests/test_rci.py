"""Reliable and clinically significant change (Jacobson & Truax 1991)."""

import math
from unittest import mock

from django.test import SimpleTestCase

from tandem.measures import rci
from tandem.measures.instruments import CSI4, GAD7, GMSEX, PHQ9
from tandem.measures.norms import NORMS, Norms, Value


class FormulaTests(SimpleTestCase):
    def test_worked_example_by_hand(self):
        # Jacobson NS, Truax P (1991), J Consult Clin Psychol 59(1):12-19, give
        # SE = s1 * sqrt(1 - rxx), S_diff = sqrt(2 * SE^2), RC = (x2 - x1) / S_diff.
        # Worked by hand with the GAD-7 values in norms.py
        # (s1 = 3.41, Löwe et al. 2008; rxx = 0.83, Spitzer et al. 2006):
        #   sqrt(1 - 0.83) = sqrt(0.17) = 0.41231
        #   SE     = 3.41 * 0.41231      = 1.40598
        #   S_diff = sqrt(2) * 1.40598   = 1.41421 * 1.40598 = 1.98837
        #   a fall from 15 to 9: RC = (9 - 15) / 1.98837 = -3.0176  -> |RC| > 1.96, reliable
        #   smallest reliable change: 1.96 * 1.98837 = 3.8972 -> 4 points on an integer scale
        self.assertAlmostEqual(rci.standard_error(3.41, 0.83), 1.40598, places=4)
        self.assertAlmostEqual(rci.s_diff(3.41, 0.83), 1.98837, places=4)
        self.assertAlmostEqual(rci.reliable_change_index(15, 9, 3.41, 0.83), -3.0176, places=3)
        self.assertAlmostEqual(rci.RELIABLE_Z * rci.s_diff(3.41, 0.83), 3.8972, places=3)

    def test_s_diff_is_root_two_times_se(self):
        for sd, r in ((7.5, 0.88), (3.52, 0.84), (10, 0.5)):
            with self.subTest(sd=sd, r=r):
                self.assertAlmostEqual(rci.s_diff(sd, r), math.sqrt(2) * sd * math.sqrt(1 - r))

    def test_threshold_is_strictly_above_1_96(self):
        self.assertFalse(rci.is_reliable(1.96))
        self.assertTrue(rci.is_reliable(1.9601))
        self.assertTrue(rci.is_reliable(-1.9601))

    def test_phq9_six_points_is_reliable_five_is_not(self):
        # The clinical criterion NHS Talking Therapies uses, not the 3.9 points
        # a general-population SD (3.52) gives: 4 points is no longer "reliable".
        self.assertEqual(rci.compare(PHQ9, 12, 8).direction, rci.UNCHANGED)
        self.assertEqual(rci.compare(PHQ9, 12, 7).direction, rci.UNCHANGED)
        change = rci.compare(PHQ9, 12, 6)
        self.assertEqual((change.direction, change.points, change.reliable_at, change.rc), (rci.IMPROVED, -6, 6, None))
        self.assertEqual(rci.compare(PHQ9, 6, 12).direction, rci.DETERIORATED)
        self.assertEqual(rci.compare(PHQ9, 6, 11).direction, rci.UNCHANGED)

    def test_gad7_keeps_jacobson_truax(self):
        change = rci.compare(GAD7, 15, 9)
        self.assertAlmostEqual(change.rc, -3.0176, places=3)
        self.assertIsNone(change.reliable_at)


class OutcomeTests(SimpleTestCase):
    def test_recovered_reliable_improvement_across_the_cutoff(self):
        change = rci.compare(PHQ9, 16, 6)
        self.assertEqual(change.outcome, rci.RECOVERED)
        self.assertTrue(change.crossed_into_functional)

    def test_improved_reliable_but_still_in_the_clinical_range(self):
        change = rci.compare(PHQ9, 22, 15)
        self.assertEqual(change.outcome, rci.IMPROVED)
        self.assertFalse(change.crossed_into_functional)

    def test_crossing_the_cutoff_without_reliable_change_is_not_recovery(self):
        change = rci.compare(PHQ9, 11, 9)
        self.assertTrue(change.crossed_cutoff)
        self.assertEqual(change.outcome, rci.UNCHANGED)

    def test_unchanged(self):
        self.assertEqual(rci.compare(GAD7, 8, 6).outcome, rci.UNCHANGED)
        self.assertEqual(rci.compare(GAD7, 8, 8).outcome, rci.UNCHANGED)

    def test_deteriorated(self):
        change = rci.compare(GAD7, 6, 12)
        self.assertEqual(change.outcome, rci.DETERIORATED)
        self.assertTrue(change.crossed_cutoff)
        self.assertFalse(change.crossed_into_functional)

    def test_on_csi4_a_rise_is_the_improvement(self):
        # A made-up SD (not a norm!) only to exercise the direction logic.
        test_norms = Norms("csi4", Value(0.94, "test"), Value(4.0, "test"), Value(13.5, "test"))
        with mock.patch.dict(NORMS, {"csi4": test_norms}):
            self.assertEqual(rci.compare(CSI4, 8, 16).outcome, rci.RECOVERED)
            self.assertEqual(rci.compare(CSI4, 16, 8).outcome, rci.DETERIORATED)
            self.assertEqual(rci.compare(CSI4, 2, 10).outcome, rci.IMPROVED)

    def test_no_sd_in_the_table_means_not_available_never_a_guess(self):
        for measure in (CSI4, GMSEX):
            with self.subTest(measure=measure.code):
                change = rci.compare(measure, 8, 20)
                self.assertIsNone(change.rc)
                self.assertIsNone(change.outcome)
        # The cut-off part still works for CSI-4; GMSEX has none.
        self.assertTrue(rci.compare(CSI4, 8, 20).crossed_into_functional)
        self.assertIsNone(rci.compare(GMSEX, 8, 20).crossed_cutoff)


class NormsTableTests(SimpleTestCase):
    def test_every_value_has_a_source(self):
        for code, norms in NORMS.items():
            for name in ("reliability", "sd", "cutoff", "reliable_change"):
                value = getattr(norms, name)
                if value is not None:
                    with self.subTest(code=code, value=name):
                        self.assertTrue(value.source.strip())
            self.assertTrue(norms.criterion_c_note)

    def test_phq9_uses_a_clinical_norm_and_says_which(self):
        norms = NORMS["phq9"]
        self.assertEqual(norms.reliable_change.value, 6)
        self.assertIn("NHS Talking Therapies", norms.reliable_change.source)
        self.assertTrue(norms.reliable_change.kind.startswith("clinical"))
        # The general-population SD no longer decides anything.
        self.assertIsNone(norms.sd)
        self.assertTrue(norms.judges_change)
        self.assertFalse(NORMS["csi4"].judges_change)
        self.assertFalse(NORMS["gmsex"].judges_change)

    def test_internal_consistency_is_labelled_as_such(self):
        self.assertIn("internal consistency", NORMS["csi4"].reliability.kind)
        self.assertIn("internal consistency", NORMS["gmsex"].reliability.kind)
        self.assertEqual(NORMS["phq9"].reliability.kind, "test-retest")

    def test_criterion_c_formula(self):
        # c = (SD0*M1 + SD1*M0) / (SD0 + SD1): functional M0=2, SD0=2; dysfunctional M1=14, SD1=4
        # = (2*14 + 4*2) / 6 = 36 / 6 = 6.0
        norms = Norms("x", None, None, None, functional=(2, 2), dysfunctional=(14, 4))
        self.assertEqual(norms.criterion_c, 6.0)
        self.assertEqual(norms.boundary, 6.0)
        self.assertIsNone(NORMS["phq9"].criterion_c)
        self.assertEqual(NORMS["phq9"].boundary, 10)


class PublishedWorkedExampleTests(SimpleTestCase):
    """Wodrich, D. L., *Social-Emotional Assessment in Schools*, Appendix E,
    "How to Calculate Reliable Change Indexes (RCIs)" (University of Arizona
    open textbooks, https://opentextbooks.library.arizona.edu/wodrichseas/
    back-matter/how-to-calculate-a-reliable-change-index-rci).

    The worked example there: the Piers-Harris-2 Total Score has an SEM of
    3.07 (Piers & Herzberg, 2002); squared, 9.42; doubled, 18.84; its square
    root, S_diff = 4.34; times 1.96, 8.51. A student who moves from 24 before
    treatment to 35 after changed by 11 > 8.51: a reliable change.
    """

    def test_reproduces_the_published_numbers(self):
        se = 3.07
        self.assertAlmostEqual(se**2, 9.42, places=2)
        self.assertAlmostEqual(rci.s_diff_from_se(se), 4.34, places=2)
        self.assertAlmostEqual(rci.smallest_reliable_change(se), 8.51, places=2)
        rc = (35 - 24) / rci.s_diff_from_se(se)
        self.assertTrue(rci.is_reliable(rc))
        self.assertAlmostEqual(rc, 2.53, places=2)
        # The same S_diff through SD and r, as Jacobson & Truax write it: any SD
        # and r with SD * sqrt(1 - r) = 3.07 give it.
        self.assertAlmostEqual(rci.s_diff(sd=3.07 / math.sqrt(1 - 0.84), r=0.84), 4.34, places=2)
