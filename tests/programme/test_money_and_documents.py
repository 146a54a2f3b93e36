"""Budget lines, transactions and documents of an action: edit forms, scopes with three users per case,
files stored under MEDIA_ROOT and served only to the action's readers; bad input changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from palermo.audit.models import AuditEvent
from palermo.programme import services
from palermo.programme.models import Budget, Document, Transaction
from tests.programme.helpers import client_for, snapshot
from tests.programme.test_framework_rules import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def money(editing_world):
    users, actions = editing_world
    manager = users["manager"]
    entry = services.save_transaction(acting_user=manager, action=actions["ro"], transaction_type=2,
                                            date=date(2024, 2, 1), value=D("100000.00"))
    budget = services.save_budget(acting_user=manager, action=actions["ro"], period_start=date(2024, 1, 1),
                                        period_end=date(2024, 12, 31), value=D("40000"))
    return users, actions, entry, budget


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_transaction_is_edited_with_exact_values_and_an_audit_row_holding_the_old_ones(money) -> None:
    users, actions, entry, _budget = money
    response = client_for(users["embassy-ro"]).post(f"/programme/transactions/{entry.pk}/edit/", {
        "transaction_type": "3", "date": "2025-03-15", "value": "12345.67", "description": "First tranche"})
    assert response.status_code == 302 and response["Location"] == f"/programme/actions/{actions['ro'].pk}/#money"
    saved = Transaction.objects.get(pk=entry.pk)
    assert (saved.transaction_type, saved.date, saved.value, saved.description) == (
        3, date(2025, 3, 15), D("12345.67"), "First tranche")
    event = AuditEvent.objects.filter(object_type="programme.transaction").latest("seq")
    assert (event.action, event.actor.username, event.country) == ("update", "embassy-ro", "RO")
    assert event.detail["before"] == {"type": 2, "date": "2024-02-01", "value": "100000.00"}


def test_money_outside_the_action_dates_or_not_above_zero_is_refused_naming_the_field(money) -> None:
    users, _actions, entry, budget = money
    client = client_for(users["manager"])
    before = snapshot()
    response = client.post(f"/programme/transactions/{entry.pk}/edit/", {
        "transaction_type": "3", "date": "2027-01-15", "value": "0"})
    assert response.context["form"].errors == {
        "date": ["2027-01-15 is outside the action's dates (2024-01-01 – 2026-12-31)."],
        "value": ["Give an amount above 0 EUR."]}
    response = client.post(f"/programme/budgets/{budget.pk}/edit/", {
        "period_start": "2023-07-01", "period_end": "2024-09-30", "value": "-10", "status": "2"})
    assert response.context["form"].errors == {
        "period_start": ["2023-07-01 is outside the action's dates (2024-01-01 – 2026-12-31)."],
        "period_end": ["A budget period lasts at most one year."],
        "value": ["Give an amount above 0 EUR."]}
    response = client.post(f"/programme/actions/{entry.action_id}/", {
        "add": "transaction", "tx-transaction_type": "4", "tx-date": "2023-12-31", "tx-value": "5"})
    assert response.context["transaction_form"].errors == {
        "date": ["2023-12-31 is outside the action's dates (2024-01-01 – 2026-12-31)."]}
    assert snapshot() == before


@pytest.mark.parametrize(("allowed", "other", "outsider"), [
    ("embassy-ro", "embassy-rs", "coordinator-ro"),
    ("partner-iom", "partner-other", "embassy-rs"),
])
def test_money_pages_follow_the_action_scope(money, allowed, other, outsider) -> None:
    users, actions, _entry, _budget = money
    action = actions["ro"] if allowed == "embassy-ro" else actions["iom"]
    entry = services.save_transaction(acting_user=users["manager"], action=action, transaction_type=3,
                                            date=date(2025, 1, 10), value=D("500"))
    budget = services.save_budget(acting_user=users["manager"], action=action, period_start=date(2025, 1, 1),
                                        period_end=date(2025, 12, 31), value=D("9000"))
    edits = [(f"/programme/transactions/{entry.pk}/edit/", {"transaction_type": "3", "date": "2025-02-01",
                                                            "value": "1"}),
             (f"/programme/budgets/{budget.pk}/edit/", {"period_start": "2025-01-01", "period_end": "2025-12-31",
                                                        "value": "1", "status": "1"}),
             (f"/programme/transactions/{entry.pk}/delete/", {}), (f"/programme/budgets/{budget.pk}/delete/", {}),
             (f"/programme/actions/{action.pk}/", {"add": "budget", "budget-period_start": "2026-01-01",
                                                   "budget-period_end": "2026-12-31", "budget-value": "7",
                                                   "budget-status": "1"})]
    for name in (other, outsider):
        client = client_for(users[name])
        before = snapshot()
        for url, form in edits:
            assert client.post(url, form).status_code == 404, (name, url)
        assert snapshot() == before, name
    client = client_for(users[allowed])
    for url, form in edits[:2]:
        assert client.post(url, form).status_code == 302, url
    assert Transaction.objects.get(pk=entry.pk).value == D("1.00")
    assert Budget.objects.get(pk=budget.pk).value == D("1.00")
    assert client.post(edits[2][0]).status_code == 302 and client.post(edits[3][0]).status_code == 302
    assert not Transaction.objects.filter(pk=entry.pk).exists() and not Budget.objects.filter(pk=budget.pk).exists()
    assert AuditEvent.objects.filter(object_type__in=["programme.transaction", "programme.budget"], action="delete",
                                     actor__username=allowed).count() == 2


def test_an_uploaded_document_is_stored_under_media_and_served_to_readers_only(money, media) -> None:
    users, actions, _entry, _budget = money
    url = f"/programme/actions/{actions['ro'].pk}/documents/new/"
    response = client_for(users["embassy-ro"]).post(url, {
        "title": "Evaluation 2024", "category": "A07", "language": "ro", "document_date": "2025-02-01",
        "upload": SimpleUploadedFile("evaluare.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.title, document.category, document.language, document.document_date, document.url) == (
        "Evaluation 2024", "A07", "ro", date(2025, 2, 1), "")
    stored = media / document.file.name
    assert stored.read_bytes() == PDF and document.file.name.startswith("programme/documents/")
    file_url = f"/programme/documents/{document.pk}/file/"
    for name in ("coordinator-ro", "manager"):
        served = client_for(users[name]).get(file_url)
        assert served.status_code == 200, name
        assert b"".join(served.streaming_content) == PDF
        assert served["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(object_type="programme.document", action="export").count() == 2
    for name in ("embassy-rs", "coordinator-rs", "viewer"):
        assert client_for(users[name]).get(file_url).status_code == 404, name
    page = client_for(users["coordinator-ro"]).get(f"/programme/actions/{actions['ro'].pk}/").content.decode()
    assert "A07 Review of project performance and evaluation" in page and file_url in page


def test_bad_documents_are_refused_naming_the_field_and_nothing_is_stored(money, media, settings) -> None:
    users, actions, _entry, _budget = money
    client = client_for(users["manager"])
    url = f"/programme/actions/{actions['ro'].pk}/documents/new/"
    base = {"title": "Report", "category": "A08", "language": "en"}
    before = snapshot()
    cases = [
        ({"upload": SimpleUploadedFile("report.pdf", b"<script>alert(1)</script>", "application/pdf")},
         {"upload": ["report.pdf is not what its extension says."]}),
        ({"upload": SimpleUploadedFile("tool.exe", b"MZ", "application/octet-stream")},
         {"upload": ["tool.exe: accepted files are .docx, .jpeg, .jpg, .ods, .odt, .pdf, .png, .pptx, .xlsx."]}),
        ({"url": "javascript:alert(1)"}, {"url": ["Give a web address starting with http:// or https://."]}),
        ({}, {"url": ["Give either a web address or a file, not both and not neither."]}),
        ({"category": "B01", "url": "https://example.org/r"},
         {"category": ["Select a valid choice. B01 is not one of the available choices."]}),
    ]
    for extra, expected in cases:
        response = client.post(url, {**base, **extra})
        assert response.status_code == 200
        assert response.context["form"].errors == expected, extra
    settings.PROGRAMME_DOCUMENT_MAX_BYTES = 100
    response = client.post(url, {**base, "upload": SimpleUploadedFile("big.pdf", PDF, "application/pdf")})
    assert response.context["form"].errors == {"upload": ["big.pdf is larger than 100\xa0bytes."]}
    assert snapshot() == before
    assert not any(p.is_file() for p in media.rglob("*"))


def test_removing_a_document_deletes_its_file_after_commit(money, media, django_capture_on_commit_callbacks) -> None:
    users, actions, _entry, _budget = money
    client = client_for(users["embassy-ro"])
    client.post(f"/programme/actions/{actions['ro'].pk}/documents/new/", {
        "title": "MoU", "category": "A09", "language": "fr",
        "upload": SimpleUploadedFile("mou.pdf", PDF, "application/pdf")})
    document = Document.objects.get()
    stored = media / document.file.name
    assert stored.is_file()
    before = snapshot()
    for name in ("embassy-rs", "viewer"):
        assert client_for(users[name]).post(f"/programme/documents/{document.pk}/delete/").status_code == 404
    assert snapshot() == before and stored.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/programme/documents/{document.pk}/delete/").status_code == 302
    assert not Document.objects.exists() and not stored.exists()
    event = AuditEvent.objects.get(object_type="programme.document", action="delete")
    assert (event.actor.username, event.detail["title"]) == ("embassy-ro", "MoU")
