"""A test case that moves the schema back and forth to test one data migration."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase


class MigrationTestCase(TransactionTestCase):
    """``before`` and ``after`` name the migrations around the one under test.

    ``migrate(targets)`` moves only those apps (and whatever depends on
    them) and returns the historical apps at that point; every test leaves
    the whole schema at its latest, as every other test expects it: going
    back past a migration another app depends on unapplies that app's too."""

    before: list[tuple[str, str]] = []
    after: list[tuple[str, str]] = []

    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def migrate_latest(self) -> None:
        """Every app at its latest migration: the schema the models describe."""
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    def tearDown(self):
        self.migrate_latest()
        super().tearDown()
