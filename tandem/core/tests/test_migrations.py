from io import StringIO

from django.core.management import call_command
from django.test import TestCase


class MigrationTests(TestCase):
    def test_models_and_migrations_are_in_step(self):
        # Raises SystemExit(1) when a model change has no migration.
        call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
