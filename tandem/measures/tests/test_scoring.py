"""Scoring, hand-checked, with every band edge of every instrument."""

from django.test import SimpleTestCase

from tandem.measures import instruments
from tandem.measures.instruments import CSI4, GAD7, GMSEX, PHQ9, ScoringError
from tandem.measures.tests.helpers import answers_for


class PHQ9Tests(SimpleTestCase):
    def test_hand_checked_total(self):
        # 0+1+2+3+0+1+2+3+1 = 13 -> moderate
        total = PHQ9.score(answers_for(PHQ9, [0, 1, 2, 3, 0, 1, 2, 3, 1]))
        self.assertEqual(total, 13)
        self.assertEqual(PHQ9.band_label(total), "moderate")

    def test_range(self):
        self.assertEqual((PHQ9.min_score, PHQ9.max_score), (0, 27))
        self.assertEqual(PHQ9.score(answers_for(PHQ9, [3] * 9)), 27)
        self.assertEqual(PHQ9.score(answers_for(PHQ9, [0] * 9)), 0)

    def test_band_edges(self):
        edges = {
            0: "minimal",
            4: "minimal",
            5: "mild",
            9: "mild",
            10: "moderate",
            14: "moderate",
            15: "moderately severe",
            19: "moderately severe",
            20: "severe",
            27: "severe",
        }
        for total, label in edges.items():
            with self.subTest(total=total):
                self.assertEqual(PHQ9.band_label(total), label)

    def test_cutoff_10_is_clinical_9_is_not(self):
        self.assertEqual(PHQ9.cutoff, 10)
        self.assertTrue(PHQ9.in_clinical_range(10))
        self.assertFalse(PHQ9.in_clinical_range(9))

    def test_published_wording_and_notice(self):
        self.assertEqual(PHQ9.items[0].text, "Little interest or pleasure in doing things")
        self.assertEqual(
            PHQ9.item(instruments.PHQ9_ITEM9).text,
            "Thoughts that you would be better off dead or of hurting yourself in some way",
        )
        self.assertEqual(
            [o.label for o in PHQ9.items[0].options],
            ["Not at all", "Several days", "More than half the days", "Nearly every day"],
        )
        self.assertIn("No permission required to reproduce, translate, display or distribute.", PHQ9.notice)


class GAD7Tests(SimpleTestCase):
    def test_hand_checked_total(self):
        # 1+1+2+0+3+2+1 = 10 -> moderate
        total = GAD7.score(answers_for(GAD7, [1, 1, 2, 0, 3, 2, 1]))
        self.assertEqual(total, 10)
        self.assertEqual(GAD7.band_label(total), "moderate")

    def test_range_and_band_edges(self):
        self.assertEqual((GAD7.min_score, GAD7.max_score), (0, 21))
        edges = {0: "minimal", 4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate"}
        edges |= {15: "severe", 21: "severe"}
        for total, label in edges.items():
            with self.subTest(total=total):
                self.assertEqual(GAD7.band_label(total), label)
        self.assertTrue(GAD7.in_clinical_range(10))
        self.assertFalse(GAD7.in_clinical_range(9))


class CSI4Tests(SimpleTestCase):
    def test_hand_checked_total(self):
        # item 1 is 0-6, items 2-4 are 0-5: 4 + 3 + 3 + 4 = 14, just above 13.5
        total = CSI4.score(answers_for(CSI4, [4, 3, 3, 4]))
        self.assertEqual(total, 14)
        self.assertFalse(CSI4.in_clinical_range(total))

    def test_range_and_cutoff_edges(self):
        self.assertEqual((CSI4.min_score, CSI4.max_score), (0, 21))
        self.assertEqual(CSI4.cutoff, 13.5)
        self.assertTrue(CSI4.in_clinical_range(13))  # below 13.5: notable dissatisfaction
        self.assertFalse(CSI4.in_clinical_range(14))
        self.assertIn("below", CSI4.band_label(13))
        self.assertIn("above", CSI4.band_label(14))
        self.assertIn("below", CSI4.band_label(0))
        self.assertIn("above", CSI4.band_label(21))

    def test_item_1_has_seven_points_and_the_others_six(self):
        self.assertEqual([len(i.options) for i in CSI4.items], [7, 6, 6, 6])
        self.assertEqual(CSI4.items[0].options[0].label, "Extremely Unhappy")
        self.assertEqual(CSI4.items[0].options[6].label, "Perfect")
        with self.assertRaises(ScoringError):
            CSI4.score(answers_for(CSI4, [4, 6, 3, 4]))  # 6 is not an answer to item 2


class GMSEXTests(SimpleTestCase):
    def test_hand_checked_total(self):
        # 7+6+5+4+3 = 25
        self.assertEqual(GMSEX.score(answers_for(GMSEX, [7, 6, 5, 4, 3])), 25)

    def test_range_five_to_thirty_five(self):
        self.assertEqual((GMSEX.min_score, GMSEX.max_score), (5, 35))
        self.assertEqual(GMSEX.score(answers_for(GMSEX, [1] * 5)), 5)
        self.assertEqual(GMSEX.score(answers_for(GMSEX, [7] * 5)), 35)
        with self.assertRaises(ScoringError):
            GMSEX.score(answers_for(GMSEX, [0, 1, 1, 1, 1]))  # scored 1-7, not 0-6

    def test_no_cutoff_and_no_bands(self):
        self.assertIsNone(GMSEX.cutoff)
        self.assertIsNone(GMSEX.in_clinical_range(5))
        self.assertEqual(GMSEX.band_label(20), "")


class IncompleteAnswersTests(SimpleTestCase):
    def test_a_missing_item_is_never_scored_and_is_named(self):
        answers = answers_for(PHQ9, [1] * 9)
        del answers["44259-0"]
        with self.assertRaises(ScoringError) as raised:
            PHQ9.score(answers)
        self.assertEqual(raised.exception.missing, ["44259-0"])

    def test_unknown_items_and_non_integers_are_refused(self):
        for bad in ({**answers_for(GAD7, [1] * 7), "extra": 1}, {**answers_for(GAD7, [1] * 7), "69734-2": "1"}):
            with self.subTest(bad=bad), self.assertRaises(ScoringError):
                GAD7.score(bad)
        with self.assertRaises(ScoringError):
            GAD7.score({**answers_for(GAD7, [1] * 7), "69734-2": True})
