"""The one base case every test builds on.

The cast:

* ``alice`` and ``bo`` -- partner A and partner B of ``couple``;
* ``theo`` -- their therapist, through an active care link;
* ``una`` -- a therapist with no link to them (unlinked therapist);
* ``olga`` and ``omar`` -- the outsider couple, ``other_couple``.

Names are deliberately not gendered pairs; nothing in Tandem assumes one.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.test import TestCase
from django.utils import timezone

from tandem.accounts.models import User
from tandem.clinic.models import CareConsent, CareLink, Therapist
from tandem.couples.models import Couple, Membership

PASSWORD = "correct horse battery staple"


def make_person(email: str, name: str, **fields) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, display_name=name, **fields)


def make_couple(a: User, b: User | None = None) -> Couple:
    couple = Couple.objects.create()
    Membership.objects.create(couple=couple, user=a, slot=1)
    if b is not None:
        Membership.objects.create(couple=couple, user=b, slot=2)
    return couple


def make_therapist(email: str, name: str, practice: str = "Harbour Practice", two_factor: bool = True) -> User:
    """A therapist; with a confirmed authenticator unless told, as every real one needs."""
    user = make_person(email, name)
    Therapist.objects.create(user=user, practice_name=practice)
    if two_factor:
        give_two_factor(user)
    return user


def give_two_factor(user: User):
    """A confirmed authenticator (its secret is random; tests that type codes read it back)."""
    import pyotp

    from tandem.security.models import TwoFactor

    return TwoFactor.objects.create(user=user, secret=pyotp.random_base32(length=32), confirmed_at=timezone.now())


def signed_in_session(user: User):
    """A session as after a full log-in, for requests built by hand (RequestFactory)."""
    from django.contrib.sessions.backends.db import SessionStore

    from tandem.security import twofactor

    session = SessionStore()
    if confirmed := twofactor.confirmed(user):
        session[twofactor.SESSION_VERIFIED] = confirmed.pk
    return session


def passed_two_factor(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (connected by the testkit app): mark the session as past two-factor."""
    from tandem.security import twofactor

    if request is not None and hasattr(request, "session") and (confirmed := twofactor.confirmed(user)):
        twofactor.mark_verified(request, confirmed)


def make_assignment(couple: Couple, slug: str = "mirror-of-desire", by: User | None = None):
    """Propose a library exercise to ``couple`` (raising both consent levels as needed)."""
    from tandem.homework import services
    from tandem.homework.content import library

    spec = library().exercise(slug)
    for member in couple.partners():
        if member.consent_level < spec.intimacy_level:
            member.consent_level = spec.intimacy_level
            member.save(update_fields=["consent_level"])
    return services.propose(couple, spec, by or couple.partners()[0])


def make_block(couple: Couple, by: User, days_ahead: int = 3, status: str = "active", **plan):
    """A block ``days_ahead`` days from now at 19:30 in the proposer's zone (active unless told)."""
    import datetime as dt

    from tandem.blocks.models import Block

    fields = {
        "kind": "conversation",
        "start_date": by.today() + dt.timedelta(days=days_ahead),
        "start_time": dt.time(19, 30),
        "duration_minutes": 60,
        "time_zone": by.time_zone,
    }
    fields.update(plan)
    block = Block(couple=couple, proposed_by=by, status=status, **fields)
    block.save()
    return block


def link_therapist(couple: Couple, therapist_user: User) -> CareLink:
    link = CareLink.objects.create(
        couple=couple, therapist=therapist_user.therapist, status=CareLink.Status.ACTIVE, activated_at=timezone.now()
    )
    for membership in couple.memberships.all():
        CareConsent.objects.create(link=link, user=membership.user)
    return link


def at_once(work, workers: int = 2) -> None:
    """Run ``work`` in ``workers`` threads at the same time and wait for them (the racing tests:
    each ``work`` meets the others at its own barrier and closes its connections)."""
    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def run_queued(task) -> int:
    """Do what ``manage.py db_worker`` would do now, in this process: run every
    queued run of ``task`` that is due, oldest first, recording the outcome."""
    from django_tasks_db.models import DBTaskResult

    ran = 0
    for row in DBTaskResult.objects.ready().filter(task_path=task.module_path).order_by("enqueued_at"):
        row.claim("test")
        try:
            row.set_successful(row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
        except Exception as exc:
            row.set_failed(exc)
        ran += 1
    return ran


class TandemTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.alice = make_person("alice@example.org", "Alice", pronouns="she/they")
        cls.bo = make_person("bo@example.org", "Bo")
        cls.couple = make_couple(cls.alice, cls.bo)
        cls.theo = make_therapist("theo@example.org", "Theo")
        cls.link = link_therapist(cls.couple, cls.theo)
        cls.una = make_therapist("una@example.org", "Una", practice="Unlinked Rooms")
        cls.olga = make_person("olga@example.org", "Olga")
        cls.omar = make_person("omar@example.org", "Omar")
        cls.other_couple = make_couple(cls.olga, cls.omar)

    def login(self, user: User) -> None:
        self.client.force_login(user)

    @contextmanager
    def mail_from_worker(self):
        """E-mail queued inside is queued on commit (as in a real request), then
        sent by the worker's task on leaving: ``mail.outbox`` holds it after."""
        from tandem.core.mail import send_email

        with self.captureOnCommitCallbacks(execute=True):
            yield
        run_queued(send_email)

    @property
    def outsiders(self) -> list[User]:
        """Everyone who must get 404 on this couple's pages."""
        return [self.olga, self.omar, self.una]


def shown_invite(response) -> tuple[str, str]:
    """The link token and the code an invite page showed (they are shown once, never stored)."""
    import re

    page = response.content.decode()
    token = re.search(r'/join/([A-Za-z0-9_-]{20,})/"', page)
    code = re.search(r'data-testid="invite-code">([A-Z0-9]{5}-[A-Z0-9]{5})<', page)
    assert token and code, "the page shows no fresh invite"
    return token.group(1), code.group(1)


def stored_anywhere(*values: str) -> list[str]:
    """Every "table.column" whose raw stored text contains any of ``values``, read past the ORM."""
    from django.apps import apps
    from django.db import connection

    q = connection.ops.quote_name
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        columns = [
            f.column
            for f in model._meta.local_concrete_fields
            if f.get_internal_type() in {"TextField", "CharField", "JSONField", "SlugField"}
        ]
        if not columns:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(q(c) for c in columns)} FROM {q(model._meta.db_table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, stored in zip(columns, row, strict=True):
                    if stored is not None and any(value in str(stored) for value in values):
                        found.append(f"{model._meta.db_table}.{column}")
    return sorted(set(found))
