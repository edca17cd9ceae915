from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tandem.homework.content import ContentError, load_library


class Command(BaseCommand):
    help = "Validate every exercise and program file; name the file, field and problem of the first broken one."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="A content folder other than the configured one.")

    def handle(self, *args, dir: str | None = None, **options):
        try:
            lib = load_library(Path(dir) if dir else None)
        except ContentError as error:
            raise CommandError(f"{error.path}: {error.field}: {error.why}") from error
        self.stdout.write(
            self.style.SUCCESS(f"{len(lib.exercises)} exercises and {len(lib.programs)} programs are valid.")
        )
