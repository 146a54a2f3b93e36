"""Every model in the admin is audited: its own saves and deletions, and every object its inlines add,
change or delete. A new admin that forgets ``AuditedModelAdmin`` fails here."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.forms import CheckboxInput
from django.test import Client, RequestFactory
from rest_framework.authtoken.models import Token

from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.admin import AuditedInlineFormSet, AuditedModelAdmin
from palermo.audit.models import AuditEvent
from palermo.reference.models import InstrumentStatus, LegalInstrument
from palermo.steering import services
from palermo.steering.models import Decision, SteeringMeeting
from tests.conftest import PASSWORD, verified_login

pytestmark = pytest.mark.django_db


def unaudited(site: AdminSite, superuser: User) -> list[str]:
    """The admins of ``site`` that are not audited, and the inlines whose saves would not be."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    problems = []
    for model, model_admin in site._registry.items():
        name = f"{model._meta.label} ({type(model_admin).__name__})"
        if not isinstance(model_admin, AuditedModelAdmin):
            problems.append(f"{name} is not an AuditedModelAdmin")
            continue
        yielded = []
        for formset, inline in model_admin.get_formsets_with_inlines(request):
            yielded.append(type(inline))
            if not issubclass(formset, AuditedInlineFormSet):
                problems.append(f"{name}: the saves of {type(inline).__name__} are not audited")
        missing = set(model_admin.inlines) - set(yielded)
        problems += [f"{name}: {inline.__name__} was not checked" for inline in missing]
    return problems


@pytest.fixture
def superuser(user_factory: Any) -> User:
    return user_factory("admin", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(superuser: User) -> Client:
    client = Client()
    verified_login(client, superuser)
    return client


def test_every_registered_admin_and_inline_is_audited(superuser: User) -> None:
    assert len(admin.site._registry) >= 30
    assert unaudited(admin.site, superuser) == []


def test_the_check_finds_an_admin_or_an_inline_that_is_not_audited(superuser: User) -> None:
    class DecisionInline(admin.TabularInline):
        model = Decision

    class StatusInline(admin.TabularInline):
        model = InstrumentStatus

    class PlainInstrumentAdmin(admin.ModelAdmin):
        inlines = [StatusInline]

    class SilentInlinesAdmin(AuditedModelAdmin):
        inlines = [DecisionInline]

        def get_formsets_with_inlines(self, request: Any, obj: Any = None) -> Any:
            return admin.ModelAdmin.get_formsets_with_inlines(self, request, obj)

    site = AdminSite(name="broken")
    site.register(LegalInstrument, PlainInstrumentAdmin)
    site.register(SteeringMeeting, SilentInlinesAdmin)
    assert unaudited(site, superuser) == [
        "reference.LegalInstrument (PlainInstrumentAdmin) is not an AuditedModelAdmin",
        "steering.SteeringMeeting (SilentInlinesAdmin): the saves of DecisionInline are not audited",
    ]


def resubmitted(response: Any) -> dict[str, Any]:
    """The change form's data exactly as the page shows it, with every inline, ready to post back."""
    forms = [response.context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[field.html_name] = [str(v) for v in value]
            elif value is not None:
                data[field.html_name] = str(value)
    return data


def form_index(data: dict[str, Any], prefix: str, pk: int) -> int:
    return next(i for i in range(int(data[f"{prefix}-TOTAL_FORMS"])) if data.get(f"{prefix}-{i}-id") == str(pk))


def serbian_status_form(client: Client) -> tuple[InstrumentStatus, str, dict[str, Any], int]:
    """Serbia's status under the Palermo Protocol, its instrument's change page, the page's data and the
    index of the status's inline form."""
    status = InstrumentStatus.objects.get(instrument_id="palermo-protocol", country_id="RS")
    url = f"/admin/reference/legalinstrument/{status.instrument_id}/change/"
    data = resubmitted(client.get(url))
    return status, url, data, form_index(data, "statuses", status.pk)


def test_an_inline_change_in_the_admin_writes_the_row_of_what_it_changed(admin_client: Client) -> None:
    status, url, data, index = serbian_status_form(admin_client)
    data[f"statuses-{index}-note"] = "Checked with the treaty office"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    status.refresh_from_db()
    assert status.note == "Checked with the treaty office"
    event = AuditEvent.objects.get(object_type="reference.instrumentstatus")
    assert (event.action, event.actor_username, event.object_id, event.country, event.detail) == (
        "update",
        "admin",
        str(status.pk),
        "RS",
        {"via": "admin", "inline_of": "reference.legalinstrument palermo-protocol", "changed": ["note"]},
    )
    assert AuditEvent.objects.filter(object_type="reference.legalinstrument", action="update").count() == 1


def test_inline_additions_changes_and_deletions_are_each_audited(admin_client: Client) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=2023, date=date(2024, 2, 1), place="Paris")
    kept = services.add_decision(acting_user=SYSTEM, meeting=meeting, text_en="Keep", text_fr="Garder", owner="A")
    gone = services.add_decision(acting_user=SYSTEM, meeting=meeting, text_en="Drop", text_fr="Retirer", owner="B")
    url = f"/admin/steering/steeringmeeting/{meeting.pk}/change/"
    data = resubmitted(admin_client.get(url))
    forms = {data[f"decisions-{i}-id"]: i for i in range(int(data["decisions-INITIAL_FORMS"]))}
    data[f"decisions-{forms[str(kept.pk)]}-owner"] = "MEAE"
    data[f"decisions-{forms[str(gone.pk)]}-DELETE"] = "on"
    new = int(data["decisions-TOTAL_FORMS"])
    data.update({"decisions-TOTAL_FORMS": str(new + 1), f"decisions-{new}-meeting": str(meeting.pk),
                 f"decisions-{new}-text_en": "New", f"decisions-{new}-text_fr": "Nouvelle",
                 f"decisions-{new}-owner": "IOM"})
    before = AuditEvent.objects.count()
    assert admin_client.post(url, data).status_code == 302
    added = Decision.objects.get(text_en="New")
    rows = AuditEvent.objects.filter(seq__gt=before, object_type="steering.decision").order_by("seq")
    assert [(e.action, e.object_id, e.actor_username, e.detail) for e in rows] == [
        ("update", str(kept.pk), "admin",
         {"via": "admin", "inline_of": f"steering.steeringmeeting {meeting.pk}", "changed": ["owner"]}),
        ("delete", str(gone.pk), "admin",
         {"via": "admin", "inline_of": f"steering.steeringmeeting {meeting.pk}", "repr": "Drop"}),
        ("create", str(added.pk), "admin",
         {"via": "admin", "inline_of": f"steering.steeringmeeting {meeting.pk}", "repr": "New"}),
    ]
    assert list(meeting.decisions.order_by("pk").values_list("text_en", "owner")) == [("Keep", "MEAE"), ("New", "IOM")]


def test_a_refused_inline_change_writes_nothing(admin_client: Client) -> None:
    status, url, data, index = serbian_status_form(admin_client)
    data[f"statuses-{index}-status"] = "unknown"
    data[f"statuses-{index}-ratified_on"] = "2001-09-06"  # dates on an unknown status are refused
    before = (AuditEvent.objects.count(), InstrumentStatus.objects.get(pk=status.pk).ratified_on)
    assert admin_client.post(url, data).status_code == 200
    assert (AuditEvent.objects.count(), InstrumentStatus.objects.get(pk=status.pk).ratified_on) == before


def test_a_token_made_in_the_admin_is_audited_by_its_user_never_by_its_key(admin_client: Client, user_factory) -> None:
    owner = user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",))
    assert admin_client.post("/admin/authtoken/tokenproxy/add/", {"user": owner.pk}).status_code == 302
    key = Token.objects.get(user=owner).key
    event = AuditEvent.objects.get(object_type="authtoken.tokenproxy")
    assert (event.action, event.object_id) == ("create", str(owner.pk))
    assert admin_client.post(f"/admin/authtoken/tokenproxy/{owner.pk}/delete/", {"post": "yes"}).status_code == 302
    deleted = AuditEvent.objects.get(object_type="authtoken.tokenproxy", action="delete")
    assert (deleted.object_id, deleted.detail["repr"]) == (str(owner.pk), "API token of embassy-ro")
    assert not any(key in str(values) for values in AuditEvent.objects.values_list())


# ---------------------------------------------------------------- the admins of sign-in (issue 16, part 3)


def test_lifting_a_lock_out_in_the_admin_is_audited(admin_client: Client, user_factory) -> None:
    from axes.models import AccessAttempt
    from django.conf import settings

    user_factory("viewer", Role.VIEWER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": "viewer", "password": "wrong-password"})
    attempt = AccessAttempt.objects.get(username="viewer")
    assert admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(object_type="axes.accessattempt")
    assert (event.action, event.actor_username, event.object_id, event.detail) == (
        "delete", "admin", str(attempt.pk),
        {"via": "admin", "repr": f"sign-in failures of 'viewer' from 127.0.0.1 ({settings.AXES_FAILURE_LIMIT})"})

    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": "viewer", "password": "wrong-password"})
    again = AccessAttempt.objects.get(username="viewer")
    assert admin_client.post("/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [again.pk],
                                                            "post": "yes"}).status_code == 302
    assert list(AuditEvent.objects.filter(object_type="axes.accessattempt").order_by("seq").values_list(
        "action", "object_id")) == [("delete", str(attempt.pk)), ("delete", str(again.pk))]
    assert Client().post("/accounts/login/", {"username": "viewer", "password": PASSWORD})["Location"] == "/"


def test_removing_a_second_factor_in_the_admin_is_audited_and_adding_one_is_refused(admin_client: Client,
                                                                                     user_factory) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    worker = user_factory("caseworker-ro", Role.CASE_WORKER, ("RO",))
    phone = TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    spare = TOTPDevice.objects.create(user=worker, name="spare", confirmed=True)
    assert admin_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    assert admin_client.post(f"/admin/otp_totp/totpdevice/{phone.pk}/change/", {
        "user": worker.pk, "name": "moved", "confirmed": "on"}).status_code == 403
    assert admin_client.post(f"/admin/otp_totp/totpdevice/{phone.pk}/delete/", {"post": "yes"}).status_code == 302
    assert admin_client.post("/admin/otp_totp/totpdevice/", {"action": "delete_selected",
                                                             "_selected_action": [spare.pk], "post": "yes"}
                             ).status_code == 302
    assert not TOTPDevice.objects.filter(user=worker).exists()
    rows = AuditEvent.objects.filter(object_type="otp_totp.totpdevice").order_by("seq")
    assert [(e.action, e.actor_username, e.object_id, e.detail) for e in rows] == [
        ("delete", "admin", str(phone.pk), {"via": "admin", "repr": "second factor 'phone' of caseworker-ro"}),
        ("delete", "admin", str(spare.pk), {"via": "admin", "repr": "second factor 'spare' of caseworker-ro"}),
    ]


def test_group_and_permission_edits_in_the_admin_are_audited(admin_client: Client, user_factory) -> None:
    from django.contrib.auth.models import Group, Permission

    change_user = Permission.objects.get(codename="change_user")
    view_case = Permission.objects.get(codename="view_case")
    assert admin_client.post("/admin/auth/group/add/", {"name": "Helpdesk", "permissions": [change_user.pk]}
                             ).status_code == 302
    group = Group.objects.get(name="Helpdesk")
    assert admin_client.post(f"/admin/auth/group/{group.pk}/change/", {
        "name": "Helpdesk", "permissions": [change_user.pk, view_case.pk]}).status_code == 302
    rows = AuditEvent.objects.filter(object_type="auth.group").order_by("seq")
    assert [(e.action, e.object_id) for e in rows] == [("create", str(group.pk)), ("update", str(group.pk))]
    assert "Permissions" in rows[1].detail["change"]

    from tests.accounts.helpers import admin_change_user

    helper = user_factory("helper", Role.VIEWER, is_staff=True)
    admin_change_user(admin_client, helper, groups=[group.pk], user_permissions=[view_case.pk])
    helper.refresh_from_db()
    assert list(helper.groups.all()) == [group] and list(helper.user_permissions.all()) == [view_case]
    event = AuditEvent.objects.get(object_type="accounts.user", action="update", object_id=str(helper.pk))
    assert "Groups" in event.detail["change"] and "User permissions" in event.detail["change"]
    assert admin_client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(object_type="auth.group", action="delete", object_id=str(group.pk)).exists()
