"""A test case that moves the schema back and forth to test one data migration."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase


class MigrationTestCase(TransactionTestCase):
    """``before`` and ``after`` name the migrations around the one under test.

    ``migrate(targets)`` moves only those apps and returns the historical
    apps at that point; every test leaves the schema at ``after`` (the
    latest for those apps), as every other test expects it."""

    before: list[tuple[str, str]] = []
    after: list[tuple[str, str]] = []

    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self):
        self.migrate(self.after)
        super().tearDown()
