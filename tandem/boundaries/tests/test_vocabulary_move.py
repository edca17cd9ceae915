"""The consent vocabulary moved from homework to boundaries without losing a word."""

from django.db import connection

from tandem.boundaries.models import ConsentVocabulary
from tandem.couples.models import Couple
from tandem.testkit.base import make_person
from tandem.testkit.migrations_case import MigrationTestCase

BEFORE = [("boundaries", "0005_encrypted_text"), ("homework", "0004_encrypted_text")]
AFTER = [("boundaries", "0006_consent_vocabulary"), ("homework", "0005_consent_vocabulary_to_boundaries")]


class VocabularyMoveTests(MigrationTestCase):
    before, after = BEFORE, AFTER

    def test_words_written_before_the_move_read_the_same_after_it_and_back(self):
        # Only these two apps go back; people and couples stay as they are.
        person = make_person("a@example.org", "A")
        couple = Couple.objects.create()
        old = self.migrate(BEFORE)
        OldVocabulary = old.get_model("homework", "ConsentVocabulary")
        OldVocabulary.objects.create(couple_id=couple.pk, more="green", stop="red light", updated_by_id=person.pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT stop FROM homework_consentvocabulary")
            (sealed_before,) = cursor.fetchone()
        self.assertNotIn("red light", sealed_before)

        self.migrate(AFTER)
        moved = ConsentVocabulary.objects.get(couple_id=couple.pk)
        self.assertEqual((moved.more, moved.stop), ("green", "red light"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT stop FROM boundaries_consentvocabulary")
            (sealed_after,) = cursor.fetchone()
        self.assertNotEqual(sealed_after, sealed_before)  # sealed again under its new label

        back = self.migrate(BEFORE)
        self.assertEqual(back.get_model("homework", "ConsentVocabulary").objects.get().stop, "red light")
