"""Encryption at rest: no plaintext reaches the database, and key rotation keeps every value readable.

The raw columns are read with SQL, past the field, because the ORM would
decrypt and so prove nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from types import SimpleNamespace

from django.apps import apps
from django.core.checks import Error
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection
from django.forms import TextInput, modelform_factory
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from tandem.accounts.models import User
from tandem.boundaries.models import Agreement, AgreementVersion, Answer, ConsentVocabulary, CustomItem
from tandem.checkins.models import CheckIn, RapidCheckIn
from tandem.clinic.models import CareInvite, CaseNote, HomeworkSchedule
from tandem.core import crypto
from tandem.core.checks import encryption_keys_fit_the_data, verify_encryption_keys
from tandem.core.fields import encrypt_existing_rows, encrypted_columns
from tandem.core.models import CANARY_TEXT, EncryptionCanary
from tandem.core.tests.test_settings import STRONG_KEY, manage
from tandem.drafts.models import Draft
from tandem.homework.models import Debrief, Response
from tandem.notifications.models import PushSubscription
from tandem.safety.models import SafetyMessage, SafetyThread
from tandem.security.models import TwoFactor
from tandem.testkit.base import TandemTestCase, make_assignment
from tandem.wins.models import GratitudeNote, Win

# Every free-text column a person writes, as "app.Model.field". A field added
# to (or dropped from) encryption must be added here on purpose.
EXPECTED = {
    "accounts.User.pronouns",
    "boundaries.AgreementVersion.text",
    "boundaries.Answer.note",
    "boundaries.CustomItem.label",
    "checkins.CheckIn.note",
    "checkins.RapidCheckIn.need",
    "clinic.CareInvite.label",
    "clinic.CaseNote.body",
    "clinic.HomeworkSchedule.message",
    "core.EncryptionCanary.value",
    "drafts.Draft.body",
    "homework.Assignment.message",
    "boundaries.ConsentVocabulary.more",
    "boundaries.ConsentVocabulary.pause",
    "boundaries.ConsentVocabulary.slower",
    "boundaries.ConsentVocabulary.stop",
    "homework.Debrief.note",
    "homework.Debrief.word",
    "homework.Response.body",
    "notifications.PushSubscription.auth",
    "notifications.PushSubscription.endpoint",
    "notifications.PushSubscription.p256dh",
    "safety.SafetyMessage.body",
    "security.TwoFactor.secret",
    "wins.GratitudeNote.text",
    "wins.Win.text",
}


def ring(*pairs: tuple[str, bytes]) -> crypto.KeyRing:
    return crypto.KeyRing(tuple(pairs))


NEW = ("k2", bytes(range(32)))
STRANGER = ("k9", bytes(range(100, 132)))


def raw(model, field: str, pk) -> str:
    """What the database really holds, read past the field."""
    q = connection.ops.quote_name
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q(column)} FROM {q(table)} WHERE {q(model._meta.pk.column)} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def write_raw(model, field: str, pk, value: str) -> None:
    q = connection.ops.quote_name
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {q(table)} SET {q(column)} = %s WHERE {q(model._meta.pk.column)} = %s", [value, pk])  # noqa: S608


class EncryptedRows(TandemTestCase):
    """Builds one row with a marker in every encrypted column."""

    def make_rows(self, tag: str = "") -> dict[str, tuple]:
        """{"app.Model.field": (instance, marker)} for every encrypted column."""
        alice, couple = self.alice, self.couple
        assignment = make_assignment(couple, "mirror-of-desire", by=alice)
        today = dt.date(2026, 3, 2)
        made = {}

        def mark(model, obj_fields: dict, **extra):
            markers = {name: f"MARKER-{model.__name__}-{name}-{tag}-ü✓" for name in obj_fields}
            obj = model.objects.create(**extra, **{name: markers[name] for name in obj_fields})
            for name, marker in markers.items():
                made[f"{model._meta.label}.{name}"] = (obj, marker)
            return obj

        existing = assignment
        existing.message = f"MARKER-Assignment-message-{tag}"
        existing.save()
        made["homework.Assignment.message"] = (existing, existing.message)
        ConsentVocabulary.objects.filter(couple=couple).delete()
        mark(ConsentVocabulary, {"more": 1, "slower": 1, "pause": 1, "stop": 1}, couple=couple)
        Debrief.objects.filter(assignment=assignment, author=alice).delete()
        mark(Debrief, {"word": 1, "note": 1}, couple=couple, author=alice, assignment=assignment, feeling=4)
        mark(Response, {"body": 1}, couple=couple, author=alice, assignment=assignment, step="message")
        CheckIn.objects.filter(couple=couple, author=alice, local_date=today).delete()
        mark(
            CheckIn,
            {"note": 1},
            couple=couple,
            author=alice,
            local_date=today,
            mood=3,
            energy=3,
            stress=3,
            closeness=3,
        )
        mark(RapidCheckIn, {"need": 1}, couple=couple, author=alice, local_date=today, colour="amber")
        mark(Win, {"text": 1}, couple=couple, author=alice)
        mark(GratitudeNote, {"text": 1}, couple=couple, author=alice)
        Answer.objects.filter(couple=couple, author=alice, item_key=f"kissing{tag}").delete()
        mark(Answer, {"note": 1}, couple=couple, author=alice, item_key=f"kissing{tag}", value="maybe")
        agreement = Agreement.objects.create(couple=couple, group=Agreement.Group.COMFORTABLE)
        mark(AgreementVersion, {"text": 1}, agreement=agreement)
        mark(CustomItem, {"label": 1}, couple=couple, section="touch")
        mark(User, {"pronouns": 1}, email=f"pronouns{tag}@example.org", display_name="Sam")
        mark(CareInvite, {"label": 1}, therapist=self.theo.therapist)
        mark(CaseNote, {"body": 1}, therapist=self.theo.therapist, couple=couple)
        mark(
            HomeworkSchedule,
            {"message": 1},
            therapist=self.theo.therapist,
            couple=couple,
            slug="mirror-of-desire",
            title="Mirror",
        )
        thread, _ = SafetyThread.objects.get_or_create(couple=couple, author=alice, therapist=self.theo.therapist)
        mark(SafetyMessage, {"body": 1}, thread=thread)
        Draft.objects.filter(author=alice, couple=couple, slot="safety:message").delete()
        mark(Draft, {"body": 1}, author=alice, couple=couple, slot="safety:message")
        TwoFactor.objects.filter(user=alice).delete()
        mark(TwoFactor, {"secret": 1}, user=alice)
        mark(PushSubscription, {"endpoint": 1, "p256dh": 1, "auth": 1}, user=alice, endpoint_hash=f"device{tag}")
        canary = EncryptionCanary.objects.get()
        made["core.EncryptionCanary.value"] = (canary, CANARY_TEXT)
        return made

    def all_raw(self) -> dict[str, list[str]]:
        """Every stored non-empty value of every encrypted column, by column."""
        found = {}
        for column in encrypted_columns():
            q = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {q(column.field.column)} FROM {q(column.model._meta.db_table)} "  # noqa: S608
                    f"WHERE {q(column.field.column)} <> ''"
                )
                found[column.name] = [row[0] for row in cursor.fetchall()]
        return found


class NoPlaintextInTheDatabase(EncryptedRows):
    def test_the_expected_columns_are_encrypted(self):
        self.assertEqual({column.name for column in encrypted_columns()}, EXPECTED)

    def test_every_encrypted_column_stores_only_a_token(self):
        made = self.make_rows()
        self.assertEqual(set(made), EXPECTED, "a converted field has no row in this test")
        for name, (obj, marker) in made.items():
            field = name.rsplit(".", 1)[1]
            with self.subTest(name):
                stored = raw(type(obj), field, obj.pk)
                self.assertTrue(stored.startswith("enc1:dev:"), stored)
                self.assertNotIn(marker, stored)
                self.assertNotIn(marker.split("-")[0] + "-", stored)  # not even the prefix of the words
                # The ORM gives the words back, on a fresh read.
                self.assertEqual(getattr(type(obj).objects.get(pk=obj.pk), field), marker)

    def test_no_marker_anywhere_in_the_database_file(self):
        """Belt and braces: search every text column of every table for the words."""
        made = self.make_rows(tag="everywhere")
        markers = [marker for name, (obj, marker) in made.items() if name != "core.EncryptionCanary.value"]
        q = connection.ops.quote_name
        for model in apps.get_models():
            text_columns = [
                f.column
                for f in model._meta.local_concrete_fields
                if f.get_internal_type() in {"TextField", "CharField", "JSONField"}
            ]
            if not text_columns or not model._meta.managed:
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {', '.join(q(c) for c in text_columns)} FROM {q(model._meta.db_table)}"  # noqa: S608
                )
                for row in cursor.fetchall():
                    for value in row:
                        for marker in markers:
                            self.assertNotIn(marker, str(value), f"{model._meta.label} holds plaintext")

    def test_the_same_words_never_look_the_same(self):
        one = Win.objects.create(couple=self.couple, author=self.alice, text="we laughed")
        two = Win.objects.create(couple=self.couple, author=self.alice, text="we laughed")
        self.assertNotEqual(raw(Win, "text", one.pk), raw(Win, "text", two.pk))

    def test_empty_stays_empty_and_can_be_filtered(self):
        debrief_note = CheckIn.objects.create(
            couple=self.couple,
            author=self.alice,
            local_date=dt.date(2026, 1, 5),
            mood=2,
            energy=2,
            stress=2,
            closeness=2,
        )
        self.assertEqual(raw(CheckIn, "note", debrief_note.pk), "")
        self.assertEqual(list(CheckIn.objects.filter(note="")), [debrief_note])
        self.assertEqual(CheckIn.objects.exclude(note="").count(), 0)

    def test_text_that_looks_like_a_token_is_still_encrypted(self):
        lookalike = "enc1:dev:" + "A" * 40
        win = Win.objects.create(couple=self.couple, author=self.alice, text=lookalike)
        self.assertNotEqual(raw(Win, "text", win.pk), lookalike)
        self.assertEqual(Win.objects.get(pk=win.pk).text, lookalike)

    def test_a_pasted_token_is_sealed_again_not_opened(self):
        # Someone with a stolen dump but no key pastes another person's
        # token into their own form: the app must not open it for them.
        theirs = Win.objects.create(couple=self.other_couple, author=self.olga, text="OLGA PRIVATE WIN")
        token = raw(Win, "text", theirs.pk)
        self.login(self.alice)
        self.client.post(reverse("wins:celebrate", args=[self.couple.pk]), {"win-text": token})
        mine = Win.objects.filter(couple=self.couple, author=self.alice).latest("pk")
        self.assertEqual(mine.text, token)
        self.assertNotEqual(raw(Win, "text", mine.pk), token)
        page = self.client.get(reverse("wins:celebrate", args=[self.couple.pk]))
        self.assertNotContains(page, "OLGA PRIVATE WIN")
        # And through the ORM: a copied token is sealed, not passed through.
        win = Win.objects.create(couple=self.couple, author=self.alice, text="a walk")
        Win.objects.filter(pk=win.pk).update(text=token)
        self.assertEqual(Win.objects.get(pk=win.pk).text, token)

    def test_updates_through_the_orm_are_encrypted(self):
        win = Win.objects.create(couple=self.couple, author=self.alice, text="first")
        Win.objects.filter(pk=win.pk).update(text="SECOND-MARKER")
        self.assertNotIn("SECOND-MARKER", raw(Win, "text", win.pk))
        self.assertEqual(Win.objects.get(pk=win.pk).text, "SECOND-MARKER")

    def test_values_list_and_subqueries_decrypt(self):
        Win.objects.create(couple=self.couple, author=self.alice, text="the picnic")
        self.assertEqual(list(Win.objects.values_list("text", flat=True)), ["the picnic"])


class TamperingAndLookups(EncryptedRows):
    def test_an_altered_value_fails_clearly(self):
        win = Win.objects.create(couple=self.couple, author=self.alice, text="private words")
        stored = raw(Win, "text", win.pk)
        flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
        write_raw(Win, "text", win.pk, flipped)
        with self.assertRaisesMessage(crypto.TamperedError, "wins.win.text failed authentication"):
            Win.objects.get(pk=win.pk)

    def test_a_value_moved_to_another_column_does_not_open(self):
        win = Win.objects.create(couple=self.couple, author=self.alice, text="private words")
        note = GratitudeNote.objects.create(couple=self.couple, author=self.alice, text="thanks")
        write_raw(GratitudeNote, "text", note.pk, raw(Win, "text", win.pk))
        with self.assertRaises(crypto.TamperedError):
            GratitudeNote.objects.get(pk=note.pk)

    def test_unknown_key_names_the_key_not_the_words(self):
        token = crypto.encrypt("secret words", "wins.win.text", ring=ring(STRANGER))
        win = Win.objects.create(couple=self.couple, author=self.alice, text="x")
        write_raw(Win, "text", win.pk, token)
        with self.assertRaises(crypto.UnknownKeyError) as caught:
            Win.objects.get(pk=win.pk)
        self.assertIn("'k9'", str(caught.exception))
        self.assertNotIn("secret words", str(caught.exception))

    def test_plaintext_where_a_token_belongs_is_refused(self):
        win = Win.objects.create(couple=self.couple, author=self.alice, text="x")
        write_raw(Win, "text", win.pk, "sneaked in by raw SQL")
        with self.assertRaisesMessage(crypto.EncryptionError, "stored unencrypted"):
            Win.objects.get(pk=win.pk)

    def test_searching_the_words_is_refused_not_silently_empty(self):
        for lookup in ({"text": "we laughed"}, {"text__icontains": "laugh"}, {"text__startswith": "we"}):
            with self.subTest(lookup), self.assertRaises(FieldError):
                list(Win.objects.filter(**lookup))
        self.assertFalse(Win.objects.filter(text__isnull=True).exists())

    def test_max_length_still_limits_the_words(self):
        win = Win(couple=self.couple, author=self.alice, text="x" * 281)
        with self.assertRaises(ValidationError) as caught:
            win.full_clean()
        self.assertIn("text", caught.exception.message_dict)
        # One-line fields keep a one-line input and their limit in forms.
        form = modelform_factory(ConsentVocabulary, fields=["more"])()
        self.assertIsInstance(form.fields["more"].widget, TextInput)
        self.assertEqual(form.fields["more"].max_length, 200)


class Rotation(EncryptedRows):
    def key_ids(self) -> set[str]:
        return {crypto.key_id_of(value) for values in self.all_raw().values() for value in values}

    def test_rotation_re_encrypts_everything_and_old_key_can_go(self):
        made = self.make_rows()
        for n in range(5):  # more rows than one batch in a column
            win = Win.objects.create(couple=self.couple, author=self.bo, text=f"WIN-{n}")
            made[f"wins.Win.text#{n}"] = (win, f"WIN-{n}")
        self.assertEqual(self.key_ids(), {"dev"})
        dev = crypto.current_ring().keys[0]
        out = io.StringIO()
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW, dev)):
            call_command("rotate_encryption_key", batch_size=2, stdout=out)
        self.assertIn("re-encrypted with 'k2'", out.getvalue())
        self.assertEqual(self.key_ids(), {"k2"})
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW)):
            for name, (obj, marker) in made.items():
                field = name.split("#")[0].rsplit(".", 1)[1]
                with self.subTest(name):
                    self.assertEqual(getattr(type(obj).objects.get(pk=obj.pk), field), marker)
            self.assertEqual(encryption_keys_fit_the_data(databases=["default"]), [])

    def test_until_a_rotation_finishes_dropping_the_old_key_fails_at_start_up(self):
        self.make_rows(tag="a")
        dev = crypto.current_ring().keys[0]
        total = sum(len(values) for values in self.all_raw().values())
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW, dev)):
            # Stop one value short of the end: everything but the canary is done.
            call_command("rotate_encryption_key", batch_size=1, max_batches=total - 1, stdout=io.StringIO())
        canary = raw(EncryptionCanary, "value", EncryptionCanary.objects.get().pk)
        self.assertEqual(crypto.key_id_of(canary), "dev")
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW)):
            self.assertEqual([e.id for e in encryption_keys_fit_the_data(databases=["default"])], ["core.E001"])
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW, dev)):
            call_command("rotate_encryption_key", stdout=io.StringIO())
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW)):
            self.assertEqual(encryption_keys_fit_the_data(databases=["default"]), [])

    def test_a_value_no_key_opens_keeps_the_canary_on_the_old_key(self):
        made = self.make_rows()
        win, _marker = made["wins.Win.text"]
        write_raw(Win, "text", win.pk, crypto.encrypt("lost", "wins.win.text", ring=ring(STRANGER)))
        dev = crypto.current_ring().keys[0]
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW, dev)), self.assertRaises(CommandError):
            call_command("rotate_encryption_key", stdout=io.StringIO())
        canary = raw(EncryptionCanary, "value", EncryptionCanary.objects.get().pk)
        self.assertEqual(crypto.key_id_of(canary), "dev")

    def test_an_interrupted_rotation_resumes(self):
        self.make_rows(tag="a")
        self.make_rows(tag="b")
        dev = crypto.current_ring().keys[0]
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW, dev)):
            out = io.StringIO()
            call_command("rotate_encryption_key", batch_size=2, max_batches=1, stdout=out)
            self.assertIn("run again to continue", out.getvalue())
            stored = [v for values in self.all_raw().values() for v in values]
            self.assertEqual(sum(crypto.key_id_of(v) == "k2" for v in stored), 2)
            self.assertEqual(self.key_ids(), {"k2", "dev"})

            dry = io.StringIO()
            call_command("rotate_encryption_key", dry_run=True, stdout=dry)
            self.assertIn(f"{len(stored) - 2} values to re-encrypt", dry.getvalue())

            call_command("rotate_encryption_key", batch_size=2, stdout=io.StringIO())
            self.assertEqual(self.key_ids(), {"k2"})
            again = io.StringIO()
            call_command("rotate_encryption_key", stdout=again)
            self.assertIn("0 values re-encrypted", again.getvalue())

    def test_a_value_no_key_opens_is_named_not_shown(self):
        win = Win.objects.create(couple=self.couple, author=self.alice, text="x")
        other = Win.objects.create(couple=self.couple, author=self.alice, text="still fine")
        write_raw(Win, "text", win.pk, crypto.encrypt("LOST-WORDS", "wins.win.text", ring=ring(STRANGER)))
        dev = crypto.current_ring().keys[0]
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW, dev)):
            with self.assertRaises(CommandError) as caught:
                call_command("rotate_encryption_key", stdout=io.StringIO())
            message = str(caught.exception)
            self.assertIn(f"wins.Win.text pk={win.pk}", message)
            self.assertNotIn("LOST-WORDS", message)
            # The others were still rotated.
            self.assertTrue(raw(Win, "text", other.pk).startswith("enc1:k2:"))
            self.assertEqual(Win.objects.get(pk=other.pk).text, "still fine")

    def test_plaintext_left_by_a_raw_write_is_sealed(self):
        win = Win.objects.create(couple=self.couple, author=self.alice, text="x")
        write_raw(Win, "text", win.pk, "LEFT-IN-PLAIN")
        call_command("rotate_encryption_key", stdout=io.StringIO())  # same newest key: only the plaintext moves
        self.assertTrue(raw(Win, "text", win.pk).startswith("enc1:dev:"))
        self.assertEqual(Win.objects.get(pk=win.pk).text, "LEFT-IN-PLAIN")

    def test_the_migration_step_seals_existing_rows_and_reverses(self):
        win = Win.objects.create(couple=self.couple, author=self.alice, text="x")
        write_raw(Win, "text", win.pk, "WRITTEN-BEFORE-ENCRYPTION")
        step = encrypt_existing_rows("wins", "Win", "text")
        editor = SimpleNamespace(connection=connection)
        step.code(apps, editor)
        sealed = raw(Win, "text", win.pk)
        self.assertTrue(sealed.startswith("enc1:"))
        step.code(apps, editor)  # running twice seals nothing twice
        self.assertEqual(raw(Win, "text", win.pk), sealed)
        self.assertEqual(Win.objects.get(pk=win.pk).text, "WRITTEN-BEFORE-ENCRYPTION")
        step.reverse_code(apps, editor)
        self.assertEqual(raw(Win, "text", win.pk), "WRITTEN-BEFORE-ENCRYPTION")


class WrongKeyAtStartUp(EncryptedRows):
    def test_the_canary_exists_and_opens(self):
        canary = EncryptionCanary.objects.get()
        self.assertEqual(canary.value, CANARY_TEXT)
        self.assertTrue(raw(EncryptionCanary, "value", canary.pk).startswith("enc1:dev:"))
        self.assertEqual(encryption_keys_fit_the_data(databases=["default"]), [])

    def test_a_wrong_key_fails_the_database_check(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(STRANGER)):
            errors = encryption_keys_fit_the_data(databases=["default"])
            self.assertEqual([e.id for e in errors], ["core.E001"])
            self.assertIsInstance(errors[0], Error)
            self.assertIn("cannot decrypt the data", errors[0].msg)
            self.assertIn("'dev'", errors[0].msg)  # which key the data needs
            with self.assertRaisesMessage(SystemCheckError, "core.E001"):
                call_command("check", "--database", "default", stdout=io.StringIO(), stderr=io.StringIO())
            with self.assertRaisesMessage(ImproperlyConfigured, "TANDEM_ENCRYPTION_KEYS cannot decrypt"):
                verify_encryption_keys()

    def test_a_new_key_in_front_of_the_old_one_passes(self):
        dev = crypto.current_ring().keys[0]
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(NEW, dev)):
            self.assertEqual(encryption_keys_fit_the_data(databases=["default"]), [])

    def test_without_databases_the_check_is_silent(self):
        with override_settings(TANDEM_ENCRYPTION_KEYS=ring(STRANGER)):
            self.assertEqual(encryption_keys_fit_the_data(databases=None), [])


class KeyConfiguration(SimpleTestCase):
    def test_missing_key_in_production_is_refused_with_advice(self):
        with self.assertRaises(ImproperlyConfigured) as caught:
            crypto.key_ring_from_setting("", development=False, secret_key=STRONG_KEY)
        message = str(caught.exception)
        self.assertIn("TANDEM_ENCRYPTION_KEYS is missing", message)
        self.assertIn("TANDEM_ENCRYPTION_KEYS_FILE", message)
        self.assertIn("secrets.token_bytes(32)", message)

    def test_malformed_keys_are_refused_in_every_mode(self):
        good = crypto.generate_key()
        cases = {
            "nocolon": "not in the form id:key",
            f"bad id!:{good}": "key id 'bad id!'",
            "k1:***": "not valid base64url",
            "k1:c2hvcnQ=": "is 5 bytes; AES-256 needs exactly 32",
            f"k1:{good},k1:{good}": "appears twice",
            " , ": "holds no key",
        }
        for raw_value, expected in cases.items():
            for development in (False, True):
                with (
                    self.subTest(raw_value, development=development),
                    self.assertRaisesMessage(ImproperlyConfigured, expected),
                ):
                    crypto.key_ring_from_setting(raw_value, development=development, secret_key=STRONG_KEY)

    def test_keys_are_read_newest_first(self):
        a, b = crypto.generate_key(), crypto.generate_key().rstrip("=")  # padding is optional
        key_ring = crypto.key_ring_from_setting(f" k3:{a} , k2:{b}", development=False, secret_key="")
        self.assertEqual(key_ring.ids, ["k3", "k2"])
        self.assertEqual(key_ring.newest_id, "k3")
        self.assertNotIn(a, repr(key_ring))  # never print key material

    def test_development_key_is_derived_from_the_secret_key(self):
        one = crypto.key_ring_from_setting("", development=True, secret_key="a" * 50)
        self.assertEqual(one, crypto.key_ring_from_setting("", development=True, secret_key="a" * 50))
        self.assertNotEqual(one, crypto.key_ring_from_setting("", development=True, secret_key="b" * 50))
        self.assertEqual(one.ids, ["dev"])

    def test_round_trip_and_nonce(self):
        key_ring = ring(NEW)
        token = crypto.encrypt("ünïcode ✓", "x.y.z", ring=key_ring)
        self.assertRegex(token, r"^enc1:k2:[A-Za-z0-9_-]+$")
        self.assertEqual(crypto.decrypt(token, "x.y.z", ring=key_ring), "ünïcode ✓")
        with self.assertRaises(crypto.TamperedError):
            crypto.decrypt(token, "x.y.other", ring=key_ring)
        with self.assertRaises(crypto.TamperedError):
            crypto.decrypt("enc1:k2:AAAA", "x.y.z", ring=key_ring)


class StartUp(SimpleTestCase):
    """The real start-up, in a fresh process (the test process may start without a key)."""

    def test_production_without_a_key_does_not_start(self):
        result = manage("check", DEBUG="False", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="example.org")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("TANDEM_ENCRYPTION_KEYS is missing", result.stderr)

    def test_production_with_a_wrong_length_key_does_not_start(self):
        result = manage(
            "check", DEBUG="False", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="example.org", TANDEM_ENCRYPTION_KEYS="k1:abcd"
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("AES-256 needs exactly 32", result.stderr)

    def test_production_reads_the_keys_from_a_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".keys") as keys:
            keys.write(f"k1:{crypto.generate_key()}\n")
            keys.flush()
            result = manage(
                "check",
                "--deploy",
                DEBUG="False",
                SECRET_KEY=STRONG_KEY,
                ALLOWED_HOSTS="example.org",
                TANDEM_ENCRYPTION_KEYS_FILE=keys.name,
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("WARNING", result.stderr + result.stdout)
