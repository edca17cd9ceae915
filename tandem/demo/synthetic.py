"""A deterministic, realistic synthetic data set for load and query-budget work.

``seed(couples=N, seed=S, today=D)`` writes, per couple, about a year of what
a real couple leaves behind: check-ins on each partner's own rhythm, rapid
check-ins, homework of every kind in every state (parts, responses,
debriefs, pauses), calendar blocks with skipped times, boundary answers and
finished sections, and -- for the couples linked to a therapist -- care
links, measure plans and responses, and the audit trail of the therapist's
reads. Therapists get 300 couples each (the last one the remainder).

Why it looks the way it does:

* **Deterministic**: one ``random.Random(seed)`` drives everything, primary
  keys are assigned here (not by the database), and every date is relative
  to ``today``; the same (couples, seed, today) gives the same rows. Only the
  ciphertext differs between runs (AES-GCM nonces are random by design).
* **Fast**: rows are built in memory one chunk of couples at a time and
  written with ``bulk_create`` in dependency order, one transaction per
  chunk; the password hash is computed once (Argon2 is slow on purpose) and
  shared by every synthetic account. N=10,000 fits in minutes.
* **Identifiable**: every account is ``…@synthetic.tandem.test``; the
  command refuses to run with DEBUG off unless told (a known password must
  not reach a real server by accident).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from tandem.accounts.models import User
from tandem.blocks.models import WEEKDAYS, Block, CalendarSettings, Skip
from tandem.boundaries.catalogue import catalogue
from tandem.boundaries.models import Answer, SectionDone
from tandem.checkins.models import CheckIn, RapidCheckIn, Schedule
from tandem.clinic.models import AuditEntry, CareConsent, CareLink, Therapist
from tandem.couples.models import Couple, Membership
from tandem.demo.rows import Batch, Ids, NoStyle, Row, insert, row
from tandem.homework import kinds
from tandem.homework.content import library
from tandem.homework.models import Assignment, Debrief, Exercise, Part, Pause, Response
from tandem.measures import instruments
from tandem.measures.models import MeasurePlan, MeasureResponse
from tandem.security.models import TwoFactor

PASSWORD = "synthetic-tandem-password"  # noqa: S105 -- printed on purpose; synthetic accounts only
EMAIL_DOMAIN = "synthetic.tandem.test"
COUPLES_PER_THERAPIST = 300
# About this share of couples work with a linked therapist.
LINKED_SHARE = 0.6
CHUNK = 100  # couples per transaction: bounded memory, few commits

ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "UTC"]
NAMES = [
    "Alex", "Ari", "Bea", "Cam", "Dana", "Eli", "Fen", "Gale", "Hana", "Ivo", "Jo", "Kai", "Lee", "Mika",
    "Noor", "Oli", "Pat", "Quin", "Rae", "Sol", "Tam", "Uma", "Vic", "Wren", "Yan", "Zoe",
]  # fmt: skip
PRONOUNS = ["", "", "", "she/her", "he/him", "they/them"]
NOTES = [
    "Long day, but dinner together helped.",
    "Feeling a bit far apart this week.",
    "Slept badly; want a quiet evening.",
    "Good talk last night.",
    "Work is heavy right now.",
    "Grateful for the walk on Sunday.",
]
ANSWERS = [
    "I felt closest when we cooked together and nobody was in a hurry.",
    "What I'd like more of is small touches during the day, nothing planned.",
    "I heard that you miss the time we used to spend just talking before bed.",
    "It was easier than I expected once we started.",
    "Next time let's put the phones in another room first.",
]
CAPACITIES = ["talk", "affection", "play", "intimacy"]


# Write order: a model after everything it points at (FK checks are deferred
# anyway on both databases, but this keeps a half-written chunk impossible).
ORDER: list[type[models.Model]] = [
    User, Therapist, TwoFactor, Couple, Membership, Schedule, CalendarSettings, CareLink, CareConsent,
    CheckIn, RapidCheckIn, Assignment, Part, Pause, Response, Debrief, Block, Skip, Answer, SectionDone,
    MeasurePlan, MeasureResponse, AuditEntry,
]  # fmt: skip


class Seeder:
    def __init__(self, couples: int, seed: int, today: dt.date, log: Callable[[str], None] | None = None) -> None:
        self.n = couples
        self.rng = random.Random(seed)  # noqa: S311 -- reproducible synthetic data, not secrets
        self.seed = seed
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(12, 0), tzinfo=dt.UTC)
        self.log = log or (lambda _msg: None)
        self.ids = Ids()
        self.therapist_ids: dict[int, int] = {}
        self.counts: dict[str, int] = defaultdict(int)
        # One hash for every account: Argon2 costs ~50 ms by design.
        self.password_hash = make_password(PASSWORD)
        self.exercises = self._exercises()
        self.sections = list(catalogue().values())
        self.measures = {code: instruments.INSTRUMENTS[code] for code in ("csi4", "phq9", "gad7")}

    # --- set-up --------------------------------------------------------------------

    def _exercises(self) -> dict[int, list[Exercise]]:
        """The frozen exercise rows (made once, as first use would), by intimacy level."""
        by_level: dict[int, list[Exercise]] = defaultdict(list)
        for spec in sorted(library().exercises.values(), key=lambda s: s.slug):
            by_level[spec.intimacy_level].append(Exercise.objects.snapshot(spec))
        return by_level

    def when(self, days_ago: float, hour: float | None = None) -> dt.datetime:
        """A moment ``days_ago`` days before today's noon (UTC), at ``hour`` if given."""
        moment = self.now - dt.timedelta(days=days_ago)
        if hour is not None:
            moment = moment.replace(hour=int(hour), minute=int((hour % 1) * 60))
        return moment

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # --- the whole run ---------------------------------------------------------------

    def run(self) -> dict[str, int]:
        linked = int(self.n * LINKED_SHARE)
        therapists = self._therapists((linked + COUPLES_PER_THERAPIST - 1) // COUPLES_PER_THERAPIST)
        for start in range(0, self.n, CHUNK):
            batch = Batch()
            for index in range(start, min(start + CHUNK, self.n)):
                therapist = therapists[index // COUPLES_PER_THERAPIST] if index < linked else None
                self._couple(batch, index, therapist)
            self._write(batch)
            if (start // CHUNK) % 10 == 9:
                self.log(f"  {start + CHUNK} couples written")
        self._reset_sequences()
        self._analyze()
        return dict(self.counts)

    def _analyze(self) -> None:
        """Planner statistics for the new rows, as a live database has them.

        Without them PostgreSQL plans the first hours of queries as if the
        tables were empty (autovacuum gets to it later), which is not what
        a benchmark should measure."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit = 1000")  # a sample per index: seconds, not minutes
            cursor.execute("ANALYZE")

    def _write(self, batch: Batch) -> None:
        with transaction.atomic():
            for model in ORDER:
                rows = batch.rows.pop(model, None)
                if rows:
                    insert(model, rows)
                    self.counts[model._meta.label] += len(rows)
            assert not batch.rows, f"models missing from ORDER: {list(batch.rows)}"

    def _reset_sequences(self) -> None:
        """PostgreSQL hands out ids from sequences, which explicit ids don't move."""
        statements = connection.ops.sequence_reset_sql(NoStyle(), list(self.ids.models))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    # --- people ----------------------------------------------------------------------

    def _person(self, batch: Batch, email: str, days_ago: int, **fields) -> Row:
        user = row(
            User,
            id=self.ids(User),
            email=email,
            password=self.password_hash,
            display_name=fields.pop("display_name", self.rng.choice(NAMES)),
            pronouns=self.rng.choice(PRONOUNS),
            time_zone=fields.pop("time_zone", self.rng.choice(ZONES)),
            date_joined=self.when(days_ago),
            **fields,
        )
        user.zone = zoneinfo.ZoneInfo(user.time_zone)
        return batch.add(user)

    def _therapists(self, count: int) -> list[User]:
        batch = Batch()
        found = []
        for t in range(count):
            user = self._person(batch, f"therapist{t}@{EMAIL_DOMAIN}", 400, display_name=f"Dr {self.rng.choice(NAMES)}")
            practice = batch.add(row(Therapist, id=self.ids(Therapist), user=user, practice_name=f"Practice {t + 1}"))
            self.therapist_ids[user.pk] = practice.pk
            # Every real therapist has a confirmed authenticator; the secret is
            # derived from the seed so a benchmark can sign in as them.
            batch.add(
                row(
                    TwoFactor,
                    id=self.ids(TwoFactor),
                    user=user,
                    secret=self._totp_secret(),
                    confirmed_at=self.when(400),
                )
            )
            found.append(user)
        self._write(batch)
        return found

    def _totp_secret(self) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        return "".join(self.rng.choice(alphabet) for _ in range(32))

    # --- one couple ----------------------------------------------------------------------

    def _couple(self, batch: Batch, index: int, therapist: User | None) -> None:
        rng = self.rng
        age = rng.randint(200, 400)  # days since the space was made
        couple = batch.add(row(Couple, id=self.uuid(), created_at=self.when(age)))
        partners = []
        for slot in (1, 2):
            person = self._person(
                batch, f"p{index}{'ab'[slot - 1]}@{EMAIL_DOMAIN}", age + 1, consent_level=rng.choice([0, 1, 1, 2, 3])
            )
            batch.add(
                row(
                    Membership, id=self.ids(Membership), couple=couple, user=person, slot=slot, joined_at=self.when(age)
                )
            )
            partners.append(person)
        link = self._care_link(batch, couple, partners, therapist, age) if therapist else None
        days = min(age, 365)
        for person in partners:
            self._checkins(batch, couple, person, days, link)
        self._homework(batch, couple, partners, days, link)
        self._blocks(batch, couple, partners)
        self._boundaries(batch, couple, partners, days)
        if link is not None:
            self._measures(batch, couple, partners, therapist, link)
            self._audit(batch, couple, partners, therapist, link)

    def _care_link(self, batch: Batch, couple: Couple, partners: list[User], therapist: User, age: int) -> CareLink:
        since = self.rng.randint(30, min(age, 330))
        link = batch.add(
            row(
                CareLink,
                id=self.ids(CareLink),
                couple=couple,
                therapist_id=self.therapist_ids[therapist.pk],
                status=CareLink.Status.ACTIVE,
                created_at=self.when(since + 2),
                activated_at=self.when(since),
                next_session=self.today + dt.timedelta(days=self.rng.randint(1, 14)),
            )
        )
        for person in partners:
            batch.add(row(CareConsent, id=self.ids(CareConsent), link=link, user=person, created_at=self.when(since)))
        return link

    # --- check-ins ---------------------------------------------------------------------------

    def _checkins(self, batch: Batch, couple: Couple, person: User, days: int, link: CareLink | None) -> None:
        rng = self.rng
        linked = link is not None
        frequency = rng.choices(["daily", "weekdays", "weekly", "off"], weights=[25, 45, 20, 10])[0]
        weekdays = (
            sorted(rng.sample(range(1, 8), 3 if frequency == "weekdays" else 1))
            if frequency
            in (
                "weekdays",
                "weekly",
            )
            else []
        )
        track_desire = rng.random() < 0.8
        batch.add(
            row(
                Schedule,
                id=self.ids(Schedule),
                user=person,
                frequency=frequency,
                weekdays=weekdays,
                track_desire=track_desire,
                updated_at=self.when(days),
            )
        )
        keep = {"daily": 0.7, "weekdays": 0.8, "weekly": 0.85, "off": 0.05}[frequency]
        base = {f: rng.uniform(2.2, 4.2) for f in ("mood", "energy", "stress", "closeness", "desire")}
        local_today = self.now.astimezone(person.zone).date()
        for ago in range(days, -1, -1):
            day = local_today - dt.timedelta(days=ago)
            on_rhythm = frequency == "daily" or day.isoweekday() in weekdays or frequency == "off"
            if not on_rhythm or rng.random() >= keep:
                continue
            scores = {f: min(5, max(1, round(base[f] + rng.gauss(0, 0.8)))) for f in base}
            caps = ["rest"] if rng.random() < 0.12 else [c for c in CAPACITIES if rng.random() < 0.45]
            visibility = rng.choices(["shared", "private", "care_team"], weights=[80, 12, 8 if linked else 0])[0]
            moment = dt.datetime.combine(day, dt.time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=person.zone)
            batch.add(
                row(
                    CheckIn,
                    id=self.ids(CheckIn),
                    couple=couple,
                    author=person,
                    visibility=visibility,
                    # Rows bypass save(), which stamps the care link of a care-team entry.
                    care_link=link if visibility == "care_team" else None,
                    created_at=moment,
                    updated_at=moment,
                    local_date=day,
                    mood=scores["mood"],
                    energy=scores["energy"],
                    stress=scores["stress"],
                    closeness=scores["closeness"],
                    desire=scores["desire"] if track_desire else None,
                    capacity=caps,
                    note=rng.choice(NOTES) if rng.random() < 0.15 else "",
                    changed=rng.choice(["health", "work", "family", "sleep"]) if rng.random() < 0.05 else "",
                )
            )
        for _ in range(rng.randint(0, 14)):  # rapid check-ins: now and then
            ago = rng.randint(0, days)
            batch.add(
                row(
                    RapidCheckIn,
                    id=self.ids(RapidCheckIn),
                    couple=couple,
                    author=person,
                    visibility="shared",
                    created_at=self.when(ago, rng.uniform(7, 22)),
                    local_date=local_today - dt.timedelta(days=ago),
                    colour=rng.choices(["green", "amber", "red"], weights=[60, 30, 10])[0],
                    need="A quiet evening." if rng.random() < 0.3 else "",
                )
            )

    # --- homework -------------------------------------------------------------------------------

    def _homework(self, batch: Batch, couple: Couple, partners: list[User], days: int, link: CareLink | None) -> None:
        rng = self.rng
        linked = link is not None
        level = min(p.consent_level for p in partners)
        offered = [e for lv in range(level + 1) for e in self.exercises[lv]]
        for _ in range(rng.randint(days // 30, days // 12)):
            exercise = rng.choice(offered)
            kind = kinds.get(exercise.kind)  # what a done one of its kind has written (its seed)
            ago = rng.uniform(0, days)
            created = self.when(ago, rng.uniform(8, 21))
            if ago < 3:
                status = "proposed"
            elif ago < 14:
                status = rng.choice(["active", "active", "completed"])
            else:
                status = rng.choices(["completed", "lapsed", "set_aside"], weights=[70, 20, 10])[0]
            proposer = rng.choice(partners)
            activated = created + dt.timedelta(hours=rng.uniform(1, 30)) if status != "proposed" else None
            done = activated + dt.timedelta(days=rng.uniform(1, 9)) if status == "completed" else None
            due = created + dt.timedelta(days=10)
            assignment = batch.add(
                row(
                    Assignment,
                    id=self.ids(Assignment),
                    couple=couple,
                    exercise=exercise,
                    source="therapist" if linked and rng.random() < 0.4 else "couple",
                    proposed_by=proposer,
                    status=status,
                    created_at=created,
                    due_at=due,
                    activated_at=activated,
                    completed_at=done,
                    lapsed_at=due if status == "lapsed" else None,
                    revealed_at=done if kind.seed.revealed else None,
                    planner=proposer if kind.planner else None,
                )
            )
            by_role = {"a": partners[0], "b": partners[1]}
            for role, person in by_role.items():
                batch.add(
                    row(
                        Part,
                        id=self.ids(Part),
                        assignment=assignment,
                        user=person,
                        role=role,
                        opted_in_at=activated or (created if person is proposer else None),
                        done_at=done,
                        debriefed_at=done if done and rng.random() < 0.7 else None,
                    )
                )
            if status == "active" and rng.random() < 0.1:
                batch.add(
                    row(Pause, id=self.ids(Pause), assignment=assignment, user=rng.choice(partners), created_at=created)
                )
            if status in ("proposed", "set_aside"):
                continue
            steps = list(kind.seed.responses)
            written = steps if status == "completed" else steps[: rng.randint(0, len(steps))]
            for i, (step, role) in enumerate(written):
                at = activated + dt.timedelta(hours=6 * (i + 1))
                batch.add(
                    row(
                        Response,
                        id=self.ids(Response),
                        couple=couple,
                        author=by_role[role],
                        visibility="shared" if status == "completed" else "sealed",
                        reveal_as="" if status == "completed" else "shared",
                        created_at=at,
                        updated_at=at,
                        assignment=assignment,
                        step=step,
                        body=rng.choice(ANSWERS),
                        phase=(1 if role == "a" else 2) if kind.seed.phased else 0,
                    )
                )
            if done is not None:
                for person in partners:
                    if rng.random() < 0.7:
                        visibility = rng.choices(
                            ["private", "shared", "care_team"], weights=[60, 30, 10 if linked else 0]
                        )[0]
                        batch.add(
                            row(
                                Debrief,
                                id=self.ids(Debrief),
                                couple=couple,
                                author=person,
                                visibility=visibility,
                                care_link=link if visibility == "care_team" else None,
                                created_at=done,
                                assignment=assignment,
                                feeling=rng.randint(2, 5),
                                word=rng.choice(["warm", "awkward", "close", "tired", "light"]),
                                note="" if rng.random() < 0.7 else rng.choice(NOTES),
                                comfortable=True if kind.staged else None,
                            )
                        )

    # --- calendar ------------------------------------------------------------------------------------

    def _blocks(self, batch: Batch, couple: Couple, partners: list[User]) -> None:
        rng = self.rng
        for i in range(rng.randint(1, 6)):
            proposer = rng.choice(partners)
            weekly = rng.random() < 0.6
            start = self.today + dt.timedelta(days=rng.randint(-120, 20))
            status = rng.choices(["active", "proposed", "ended", "set_aside"], weights=[70, 10, 15, 5])[0]
            block = Block(
                id=self.uuid(),
                couple_id=couple.id,
                kind=rng.choice(["conversation", "activity", "checkin", "conversation"]),
                status=status,
                proposed_by_id=proposer.id,
                start_date=start,
                start_time=dt.time(rng.choice([8, 12, 19, 20, 21]), rng.choice([0, 30])),
                duration_minutes=rng.choice([30, 45, 60, 90]),
                time_zone=proposer.time_zone,
                weekdays=",".join(sorted(rng.sample(WEEKDAYS, rng.randint(1, 2)), key=WEEKDAYS.index))
                if weekly
                else "",
                interval=rng.choice([1, 1, 2]) if weekly else 1,
                count=rng.choice([None, 8, 12]) if weekly else None,
                created_at=self.when(max(0, (self.today - start).days) + 2),
                accepted_at=self.when(max(0, (self.today - start).days) + 1) if status == "active" else None,
            )
            block.updated_at = block.created_at
            block.refresh_bounds()  # bulk_create skips save(), which derives these
            batch.add(block)
            if weekly and status == "active" and i % 2 == 0:
                for k in range(rng.randint(0, 3)):
                    batch.add(
                        row(
                            Skip,
                            id=self.ids(Skip),
                            block=block,
                            occurrence_date=start + dt.timedelta(weeks=k + 1),
                            skipped_by=rng.choice(partners),
                            created_at=self.when(1),
                        )
                    )

    # --- boundaries ---------------------------------------------------------------------------------------

    def _boundaries(self, batch: Batch, couple: Couple, partners: list[User], days: int) -> None:
        rng = self.rng
        for person in partners:
            # Most people answer the first sections; fewer go on to the last ones.
            for position, section in enumerate(self.sections):
                if rng.random() > 0.9 - 0.15 * position:
                    break
                at = self.when(rng.uniform(0, days))
                for item in section.items:
                    if rng.random() < 0.9:
                        batch.add(
                            row(
                                Answer,
                                id=self.ids(Answer),
                                couple=couple,
                                author=person,
                                item_key=item.key,
                                value=rng.choices(["yes", "maybe", "no"], weights=[50, 30, 20])[0],
                                note="",
                                updated_at=at,
                            )
                        )
                batch.add(
                    row(
                        SectionDone, id=self.ids(SectionDone), couple=couple, author=person, section=section.slug, at=at
                    )
                )

    # --- therapist's side ----------------------------------------------------------------------------------

    def _measures(self, batch: Batch, couple: Couple, partners: list[User], therapist: User, link: CareLink) -> None:
        rng = self.rng
        weeks = max(1, (self.now - link.activated_at).days // 7)
        for person in partners:
            for code in ("csi4", "phq9") if rng.random() < 0.5 else ("csi4",):
                measure = self.measures[code]
                every = rng.choice([2, 4])
                plan = batch.add(
                    row(
                        MeasurePlan,
                        id=self.ids(MeasurePlan),
                        couple=couple,
                        person=person,
                        instrument=code,
                        cadence="every_n_weeks",
                        every_weeks=every,
                        next_due=self.today + dt.timedelta(days=rng.randint(0, 7 * every)),
                        created_by=therapist,
                        created_at=link.activated_at,
                        care_link=link,
                    )
                )
                for week in range(0, weeks, every):
                    if rng.random() < 0.2:
                        continue  # missed ones don't pile up
                    answers = {}
                    for item in measure.items:
                        values = [o.value for o in item.options]
                        # PHQ-9 item 9 stays at 0 here: a risk flag is a rare, separate event.
                        answers[item.link_id] = (
                            values[0] if item is measure.items[-1] and code == "phq9" else (rng.choice(values))
                        )
                    at = link.activated_at + dt.timedelta(weeks=week, hours=rng.uniform(0, 48))
                    batch.add(
                        row(
                            MeasureResponse,
                            id=self.ids(MeasureResponse),
                            couple=couple,
                            person=person,
                            plan=plan,
                            instrument=code,
                            answers=answers,
                            total=measure.score(answers),
                            completed_at=at,
                            local_date=at.date(),
                            shared_with_partner=rng.random() < 0.3,
                            care_link=link,
                        )
                    )

    def _audit(self, batch: Batch, couple: Couple, partners: list[User], therapist: User, link: CareLink) -> None:
        """The reads the access helper would have logged: the couple page about
        weekly, a homework now and then, and the caseload (one entry per couple)."""
        rng = self.rng
        days = (self.now - link.activated_at).days
        path = f"/clinic/couples/{couple.id}/"
        for ago in range(days, 0, -7):
            at = self.when(ago, rng.uniform(8, 18))
            batch.add(
                row(AuditEntry,
                    id=self.ids(AuditEntry), therapist=therapist, couple=couple, at=at, path="/clinic/",
                    object_type="clinic.caseload",
                )
            )  # fmt: skip
            batch.add(
                row(AuditEntry,
                    id=self.ids(AuditEntry), therapist=therapist, couple=couple, at=at, path=path,
                    object_type="couples.couple", object_id=str(couple.id),
                )
            )  # fmt: skip
            if rng.random() < 0.25:
                subject = rng.choice(partners)
                batch.add(
                    row(AuditEntry,
                        id=self.ids(AuditEntry), therapist=therapist, couple=couple, at=at,
                        path=f"/couple/{couple.id}/measures/", object_type="measures.measureresponse",
                        subject=subject, hidden=True,
                    )
                )  # fmt: skip


def seed(couples: int, seed: int = 1, today: dt.date | None = None, log: Callable[[str], None] | None = None):
    """Write the synthetic data set; returns the number of rows per model."""
    from django.utils import timezone

    return Seeder(couples, seed, today or timezone.now().date(), log).run()
