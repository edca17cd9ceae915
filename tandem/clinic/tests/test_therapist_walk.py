"""The therapist never sees what a couple did not share with the care team.

Marker words are written into every kind of entry at every visibility short
of *care team* (and into things that are the partners' alone: boundary
notes, agreements, custom boundary items). Then every page of the site that
the linked therapist can open is fetched, with the ids of this couple's
objects; no marker may appear in any body. New URLs are covered by the
outsider walker's table of ids, which fails until a new URL is added to it.
"""

from django.urls import reverse

from tandem.boundaries import agreements
from tandem.boundaries.models import Answer, CustomItem
from tandem.checkins.models import CheckIn, RapidCheckIn
from tandem.home.tests import test_outsiders as outsiders
from tandem.homework.models import Debrief, Response
from tandem.testkit.base import make_assignment
from tandem.testkit.urls import all_url_names, urls_with_params
from tandem.wins.models import GratitudeNote, Win

HIDDEN = ("private", "sealed", "shared")


class TherapistSeesOnlySharedTests(outsiders.OutsiderTests):
    """Built on the outsider walker for its objects and its table of ids
    (its own tests run there, not here: see the end of this module)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        markers = []
        day = cls.alice.today()
        for n, visibility in enumerate(HIDDEN):
            homework = make_assignment(cls.couple, "appreciations")  # one answer per person and homework
            for author in (cls.alice, cls.bo):
                tag = f"zq{visibility}{author.display_name.lower()}"
                markers += [f"{tag}resp", f"{tag}debr", f"{tag}ckin", f"{tag}rapid", f"{tag}win", f"{tag}thx"]
                common = {"couple": cls.couple, "author": author, "visibility": visibility}
                Response.objects.create(assignment=homework, step="answer", body=f"{tag}resp", **common)
                Debrief.objects.create(assignment=homework, feeling=3, note=f"{tag}debr", **common)
                CheckIn.objects.create(
                    local_date=day.replace(day=1 + n) if day.day > 3 else day.replace(day=10 + n),
                    mood=3, energy=3, stress=3, closeness=3, note=f"{tag}ckin", **common,
                )  # fmt: skip
                RapidCheckIn.objects.create(local_date=day, colour="amber", need=f"{tag}rapid", **common)
                Win.objects.create(text=f"{tag}win", **common)
                GratitudeNote.objects.create(text=f"{tag}thx", **common)
        Answer.objects.create(couple=cls.couple, author=cls.alice, item_key="x", value="yes", note="zqboundarynote")
        CustomItem.objects.create(couple=cls.couple, section="affection", label="zqcustomitem")
        agreements.create(cls.couple, cls.alice, "comfortable", "zqagreementtext", None)
        markers += ["zqboundarynote", "zqcustomitem", "zqagreementtext", "Agreed words"]
        cls.markers = markers

    def therapist_pages(self) -> list[str]:
        """Every URL of the site: those naming objects (as the outsider walker
        builds them) and those without parameters."""
        with_params = set(urls_with_params())
        plain = [reverse(name) for name in sorted(all_url_names() - with_params) if not name.startswith("admin:")]
        return plain + self.object_urls()

    def test_no_hidden_text_on_any_page_the_therapist_can_open(self):
        self.login(self.theo)
        opened = 0
        for url in self.therapist_pages():
            response = self.client.get(url)
            if response.status_code != 200:
                continue
            opened += 1
            body = response.content.decode(errors="replace")
            with self.subTest(url=url):
                found = [marker for marker in self.markers if marker in body]
                self.assertEqual(found, [], f"{url} shows what was not shared with the care team")
        self.assertGreaterEqual(opened, 5)  # the walk really reached the therapist's pages

    def test_every_therapist_read_of_couple_data_is_audited(self):
        from tandem.clinic.models import AuditEntry

        self.login(self.theo)
        couple_pages = [url for url in self.therapist_pages() if str(self.couple.pk) in url]
        read = 0
        for url in couple_pages:
            before = AuditEntry.objects.count()
            if self.client.get(url).status_code != 200:
                continue
            read += 1
            with self.subTest(url=url):
                self.assertGreater(AuditEntry.objects.count(), before, f"{url} was read without an audit entry")
                self.assertTrue(AuditEntry.objects.filter(therapist=self.theo, couple=self.couple).exists())
        self.assertGreaterEqual(read, 4)  # couple page, measures, FHIR export, safety list and thread

    def test_shared_with_the_care_team_does_appear(self):
        Win.objects.create(couple=self.couple, author=self.alice, visibility="care_team", text="zqcareteamwin")
        self.login(self.theo)
        self.assertContains(self.client.get(reverse("clinic:couple", args=[self.couple.pk])), "zqcareteamwin")


# Run the outsider walker's own tests once, in their own module.
for _name in [name for name in dir(outsiders.OutsiderTests) if name.startswith("test_")]:
    setattr(TherapistSeesOnlySharedTests, _name, None)
