"""Turn off a person's two-factor when they lost both the phone and the recovery codes.

For operators only, after checking who is asking by some other means: this
is exactly what an attacker with a stolen password would ask for. Every
session of that person is ended too.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import User, UserManager
from tandem.security import sessions, twofactor


class Command(BaseCommand):
    help = "Turn off two-factor for one account (identity checked out of band) and end its sessions."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        user = User.objects.filter(email__iexact=UserManager.normalize_email(email)).first()
        if user is None:
            raise CommandError(f"No account has the e-mail address {email!r}.")
        twofactor.disable(user)
        ended = sessions.end_all(user)
        self.stdout.write(
            f"Two-factor is off for {user.email}; {ended} sessions ended. They set it up again at log-in."
        )
