"""Dates that are not on the calendar are named as such, not as a format mistake."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from tandem.core.dates import DateField, not_a_real_date, parse_day


class Form(forms.Form):
    day = DateField(error_messages={"invalid": "Enter the date as YYYY-MM-DD."})


class RealDateTests(SimpleTestCase):
    def test_reasons(self):
        cases = {
            "2026-02-30": "2026-02-30 isn't a real date: February 2026 has 28 days.",
            "2028-02-30": "2028-02-30 isn't a real date: February 2028 has 29 days.",
            "2026-04-31": "2026-04-31 isn't a real date: April 2026 has 30 days.",
            "2026-01-00": "2026-01-00 isn't a real date: January 2026 has 31 days.",
            "2026-13-01": "2026-13-01 isn't a real date: months go from 01 to 12.",
            "2026-00-10": "2026-00-10 isn't a real date: months go from 01 to 12.",
            "0000-01-01": "0000-01-01 isn't a real date: years start at 0001.",
        }
        for text, reason in cases.items():
            with self.subTest(text=text):
                self.assertEqual(not_a_real_date(text), reason)
        for fine_or_other_shape in ("2028-02-29", "31/12/2030", "soon", ""):
            self.assertIsNone(not_a_real_date(fine_or_other_shape))

    def test_the_form_field_says_which(self):
        self.assertEqual(Form({"day": "2026-02-28"}).is_valid(), True)
        self.assertEqual(
            Form({"day": "2026-02-30"}).errors["day"], ["2026-02-30 isn't a real date: February 2026 has 28 days."]
        )
        self.assertEqual(Form({"day": "next week"}).errors["day"], ["Enter the date as YYYY-MM-DD."])

    def test_parse_day(self):
        self.assertEqual(parse_day(" 2026-03-01 ", "wrong"), dt.date(2026, 3, 1))
        with self.assertRaisesMessage(ValidationError, "February 2026 has 28 days"):
            parse_day("2026-02-30", "wrong")
        with self.assertRaisesMessage(ValidationError, "wrong"):
            parse_day("1/3/2026", "wrong")
