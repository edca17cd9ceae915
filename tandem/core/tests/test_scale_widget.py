"""ScaleSelect: a number scale as one row of real radio buttons, with its end words."""

from __future__ import annotations

import re

from django import forms
from django.test import SimpleTestCase

from tandem.core.forms import ScaleSelect


class Scale(forms.Form):
    mood = forms.TypedChoiceField(
        label="Mood",
        coerce=int,
        choices=[(1, "1 · low"), (2, "2"), (3, "3"), (4, "4"), (5, "5 · bright")],
        widget=ScaleSelect,
    )


class ScaleSelectTests(SimpleTestCase):
    def test_each_point_is_a_radio_with_its_full_label_for_screen_readers(self):
        html = Scale().as_div()
        self.assertEqual(len(re.findall(r'<input type="radio" name="mood"', html)), 5)
        # The label reads "1 · low" (the face says 1, a hidden span the rest), "2", ...
        self.assertIn('<span class="segment-face">1</span><span class="visually-hidden"> · low</span></label>', html)
        self.assertIn('<span class="segment-face">3</span></label>', html)
        # The ends' words once, under the row, hidden from screen readers (the labels say them).
        self.assertIn('<p class="scale-ends" aria-hidden="true"><span>low</span><span>bright</span></p>', html)
        # Inside a fieldset whose legend names the scale, as radios always are.
        self.assertRegex(html, r"<fieldset>\s*<legend[^>]*>Mood:?</legend>")

    def test_the_chosen_point_stays_chosen_after_a_refused_submit(self):
        html = Scale({"mood": "4"}).as_div()
        self.assertRegex(html, r'<input type="radio" name="mood" value="4"[^>]* checked')
        self.assertNotRegex(html, r'value="3"[^>]* checked')

    def test_every_label_is_tied_to_its_own_radio(self):
        html = Scale().as_div()
        for n in range(5):
            self.assertIn(f'<label class="segment" for="id_mood_{n}">', html)
            self.assertIn(f'id="id_mood_{n}"', html)

    def test_a_bipolar_measure_item_and_the_checkin_scales_use_it(self):
        from tandem.checkins.forms import CheckInForm
        from tandem.measures.forms import MeasureForm
        from tandem.measures.instruments import CSI4, GMSEX

        self.assertIsInstance(CheckInForm().fields["mood"].widget, ScaleSelect)
        gmsex = MeasureForm(GMSEX)
        self.assertTrue(all(isinstance(f.widget, ScaleSelect) for f in gmsex.fields.values()))
        # Words at every point (CSI-4) stay a list of labelled radios.
        csi = MeasureForm(CSI4)
        self.assertFalse(any(isinstance(f.widget, ScaleSelect) for f in csi.fields.values()))
