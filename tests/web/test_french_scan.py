"""The demo reads as French: every page each role reaches from the menu (list pages in full, two detail pages of
each kind) and the steering review the PDF is made from, signed in in French, hold no English word that is never
French, no raw code (``forced_labour``, ``isSexualExploit``), no ISO date, and a no-break space before ":" and "%".

Text stored in one language as it was typed (names of organisations, services and people, GRETA texts as
published, notes and citations of the reference data, user names) is not checked: it is not the platform's to
translate. The crawl and the checks are in ``tests/web/french_scan.py``; docs/contributing.md, "Translations"."""

from __future__ import annotations

import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.diagnostics.services import import_glotip
from palermo.steering.models import SteeringMeeting
from palermo.steering.report import render_document
from tests.conftest import verified_login
from tests.web.french_scan import Allowed, Crawl, Finding, findings, visible_text

pytestmark = pytest.mark.django_db

# One user of each role, in several countries.
ROLES = ("manager", "embassy-ro", "coordinator-al", "caseworker-rs", "analyst-bg", "partner-iom", "auditor", "viewer")
# Not pages: the API, downloads, static files, the admin (Django's own, translated by Django), leaving.
NOT_PAGES = ("/api/", "/static/", "/admin/", "/accounts/logout", "/i18n/", "format=", ".csv", ".xlsx", ".pdf",
             ".json", ".xml", "/download")
# Pages reached through a form rather than a link (fetched whatever the bound on pages of one shape).
FORM_PAGES = ("/diagnostics/official-statistics/", "/diagnostics/official-statistics/?country=AL",
              "/diagnostics/official-statistics/?country=XK", "/diagnostics/?country=all")
DEMO_CASES = 400  # enough for every figure, table and list of the demo; `palermo demo` makes 20,000

# A few GLOTIP rows in the layout of UNODC's workbook, synthetic (made up for this test), so that the official
# statistics page shows its charts and breakdowns: by sex, age, form and citizenship, "<5" included.
HEADER = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex", "Age", "Year",
          "Unit of measurement", "txtVALUE", "Source"]
GLOTIP_ROWS = [
    ["ALB", "Albania", "Europe", "Southern Europe", "Detected trafficking victims", dimension, category, sex, age,
     year, "Counts", value, "GLOTIP"]
    for year, base in ((2019, 90), (2020, 80), (2021, 1770))
    for dimension, category, sex, age, value in (
        ("Total", "Total", "Total", "Total", str(base)),
        ("Total", "Total", "Female", "Total", str(base - 10)),
        ("Total", "Total", "Male", "Total", "<5"),
        ("Total", "Total", "Total", "0 to 17 years", "12"),
        ("by form of exploitation", "Sexual exploitation", "Total", "Total", "30"),
        ("by form of exploitation", "Forced labour", "Total", "Total", "20"),
        ("by citizenship", "Albania", "Total", "Total", "60"),
        ("by citizenship", "Kosovo under UNSCR 1244", "Total", "Total", "<5"),
    )
]


def stored_as_typed() -> Allowed:
    """Texts the pages show as they were typed, in whatever language that was."""
    from palermo.awareness.models import Campaign, MaterialVersion, ReachPeriod
    from palermo.awareness.models import Material as CampaignMaterial
    from palermo.capacity.models import Material, Participant, SurveyResponse, Training
    from palermo.partners.models import Organisation, Partnership, Person
    from palermo.programme.models import Document, GretaRecommendation, Transaction
    from palermo.reference.models import ExploitationForm, IndicatorList, InstrumentStatus, LegalInstrument
    from palermo.referral.models import Service

    texts: set[str] = set()
    for model, fields in (
        (Organisation, ("name", "short_name")),
        (Person, ("name", "function")),
        (Partnership, ("title", "note")),
        (Service, ("name", "area", "languages", "contact", "notes")),
        (GretaRecommendation, ("text",)),
        (Transaction, ("description",)),
        (Document, ("title",)),
        (InstrumentStatus, ("note", "source")),
        (LegalInstrument, ("short_name", "body", "source")),
        (ExploitationForm, ("article", "source")),
        (IndicatorList, ("source",)),
        (User, ("username",)),
        (Training, ("trainers", "curriculum", "place")),
        (Participant, ("given_name", "family_name", "organisation")),
        (Material, ("title",)),
        (SurveyResponse, ("comment",)),
        (Campaign, ("title", "objective", "regions")),
        (CampaignMaterial, ("title",)),
        (MaterialVersion, ("text", "note", "review_note")),
        (ReachPeriod, ("note",)),
    ):
        names = [f for f in fields if any(f == field.name for field in model._meta.get_fields())]
        for row in model.objects.values_list(*names):
            texts.update(str(value) for value in row if value)
    return Allowed(texts)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[float]:
    started = time.monotonic()
    call_command("demo", "--cases", str(DEMO_CASES), stdout=StringIO())
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for row in GLOTIP_ROWS:
        workbook.active.append(row)
    workbook.save(tmp_path / "glotip.xlsx")
    import_glotip(acting_user=SYSTEM.running("test"), path=tmp_path / "glotip.xlsx", source="synthetic test rows")
    yield time.monotonic() - started


def crawl_in_french(username: str) -> tuple[dict[str, str], list[str]]:
    client = Client()
    verified_login(client, User.objects.get(username=username))
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    def get(url: str) -> tuple[int, str, str]:
        response = client.get(url)
        return response.status_code, response.get("Content-Type", ""), response.content.decode("utf-8", "replace")

    crawl = Crawl(get=get, skip=lambda url: any(part in url for part in NOT_PAGES))
    return crawl.run(["/", *FORM_PAGES]), crawl.failures


def test_every_demo_page_and_the_review_read_as_french(demo: float) -> None:
    allowed = stored_as_typed()
    found: list[Finding] = []
    failures: list[str] = []
    reached: set[str] = set()
    started = time.monotonic()
    for username in ROLES:
        pages, failed = crawl_in_french(username)
        failures += [f"{username}: {failure}" for failure in failed]
        reached.update(pages)
        for url, html in pages.items():
            assert '<html lang="fr">' in html, f"{username} {url} is not in French"
            found += findings(f"{username} {url}", visible_text(html), allowed)
    for meeting in SteeringMeeting.objects.all():  # the HTML each review PDF is made from
        document = render_document(meeting, "fr").decode()
        found += findings(f"review {meeting.year} (PDF)", visible_text(document), allowed)
    crawl_seconds = time.monotonic() - started

    assert failures == []
    assert len(reached) > 100, sorted(reached)  # the crawl went everywhere, not just home
    assert {"/diagnostics/official-statistics/", "/steering/2025/review.html", "/programme/complementarity/overlaps/",
            "/reference/exploitation-forms/", "/audit/"} <= reached
    report = "\n".join(sorted({str(finding) for finding in found}))
    assert not found, f"{len(found)} findings (demo {demo:.0f} s, crawl {crawl_seconds:.0f} s):\n{report}"


def test_the_checks_catch_what_they_are_for() -> None:
    page = (
        '<html lang="fr"><body><h1>Statut: actif</h1><p>Download the file</p><td>forced_labour</td>'
        "<p>isSexualExploit · F_Construction</p><p>le 2026-03-05, 33 %</p>"
        '<p title="Country">ok</p><script>var the_code = "and";</script><code>sexual_exploitation</code>'
        '<p lang="en">Kept in English on purpose</p><span translate="no">GRETA and CTDC</span>'
        "<p>Source\u00a0: HTCDS, 33,34\u00a0%, le 05/03/2026, 10:30</p></body></html>"
    )
    kinds = sorted((finding.kind, finding.word) for finding in findings("/", visible_text(page)))
    assert kinds == [
        ("code", "F_Construction"), ("code", "forced_labour"), ("code", "isSexualExploit"), ("colon", "t:"),
        ("english", "Country"), ("english", "Download"), ("english", "the"),
        ("iso-date", "2026-03-05"), ("percent", "3 %"),
    ]
