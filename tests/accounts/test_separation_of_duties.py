"""The four-eyes path: no one person gets an account to read victims' identities (issue 16, part 1).

The reproduction: the programme manager, signed in to the admin, created a case-worker account, enrolled its second
factor and read a victim's identity. Now the manager alone gets nowhere, through the admin edit, a role change or a
new device; with a second approver it works; every step is in the audit log.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from palermo.accounts.models import AccessChange, ActivationCode, User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from tests.accounts.helpers import (
    admin_change_user,
    admin_create_user,
    ask_for_activation_code,
    client_of,
    decide,
    pending,
    shown_code,
    sign_in_and_enrol,
)
from tests.cases.conftest import IDENTITY, make_case
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_factory: Any, organisation_factory: Any) -> dict[str, Any]:
    ngo = organisation_factory("NGO-RS", country="RS")
    return {
        "ngo": ngo,
        "case": make_case(ngo, "RS"),
        "manager": user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True),
        "deputy": user_factory("deputy", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True),
    }


def identity_reads(client: Client, case: Any) -> tuple[int, int]:
    """The identity page and the identity API, as the client (both POST)."""
    return (client.post(f"/cases/{case.pk}/identity/").status_code,
            client.post(f"/api/cases/{case.pk}/identity/").status_code)


def reads_of_identities() -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.READ_IDENTIFYING).count()


def manager_makes_a_case_worker(world: dict[str, Any]) -> tuple[Client, User]:
    manager = client_of(world["manager"])
    worker = admin_create_user(manager, "newcw")
    page = admin_change_user(manager, worker, role=Role.CASE_WORKER, organisation=world["ngo"].pk, countries=["RS"])
    assert "takes effect only once another administrator approves it" in page.content.decode()
    worker.refresh_from_db()
    return manager, worker


def test_the_manager_alone_cannot_get_a_case_worker_account_to_read_an_identity(world: dict[str, Any]) -> None:
    manager, worker = manager_makes_a_case_worker(world)
    # the admin edit is saved, but grants nothing: it waits for a second person
    assert (worker.role, worker.organisation_id, list(worker.countries.values_list("code", flat=True))) == (
        Role.CASE_WORKER, world["ngo"].pk, ["RS"])
    assert (worker.may_see_identifying_data, worker.approved_access) == (False, {})
    request = pending(worker)
    assert (request.requested_by, request.proposed) == (
        world["manager"], {"role": "case_worker", "organisation": world["ngo"].pk, "countries": ["RS"],
                           "superuser": False})

    # approving one's own request is refused, and changes nothing
    refused = decide(manager, request, "approve")
    assert refused.status_code == 403
    assert "You asked for this change: another administrator decides it." in refused.content.decode()
    request.refresh_from_db()
    worker.refresh_from_db()
    assert (request.status, worker.approved_access) == (AccessChange.Status.PENDING, {})

    # a second factor cannot be added through the admin, with a key the manager would choose
    assert manager.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    assert manager.post("/admin/otp_totp/totpdevice/add/", {
        "user": worker.pk, "name": "mine", "confirmed": "on", "key": "3132333435363738393031323334353637383930",
        "step": 30, "t0": 0, "digits": 6, "tolerance": 1, "drift": 0}).status_code == 403
    # and the password alone enrols nothing: the enrolment asks for an activation code
    as_worker = Client()
    as_worker.post("/accounts/login/", {"username": "newcw", "password": PASSWORD})
    page = as_worker.get("/accounts/two-factor/").content.decode()
    assert "Enter the activation code" in page and "Scan this code" not in page
    assert as_worker.post("/accounts/two-factor/", {"code": "ABCD-EFGH-JKMN-PQRS"}).status_code == 200
    assert not worker.totpdevice_set.exists()
    # the code the manager asks for is issued only by someone else, never to the manager
    ask_for_activation_code(manager, worker)
    code_request = pending(worker, AccessChange.Kind.ACTIVATION)
    assert decide(manager, code_request, "approve").status_code == 403
    assert not ActivationCode.objects.exists()

    # even past a second factor (as if the device had been obtained), nothing reads the identity
    before = reads_of_identities()
    assert identity_reads(client_of(worker), world["case"]) == (404, 404)
    assert reads_of_identities() == before
    assert client_of(worker).post(f"/cases/{world['case'].pk}/subject-access/").status_code == 404
    assert client_of(worker).get(f"/cases/{world['case'].pk}/edit/").status_code == 404


def test_with_a_second_approver_it_works_and_every_step_is_audited(world: dict[str, Any]) -> None:
    manager, worker = manager_makes_a_case_worker(world)
    ask_for_activation_code(manager, worker)
    deputy = client_of(world["deputy"])

    approved = decide(deputy, pending(worker), "approve", note="Contract with NGO-RS seen")
    assert (approved.status_code, approved["Location"]) == (302, "/accounts/approvals/")
    worker.refresh_from_db()
    assert worker.may_see_identifying_data is True
    assert (worker.access_approved_by, worker.access_approved_by_name) == (world["deputy"], "deputy")

    issued = decide(deputy, pending(worker, AccessChange.Kind.ACTIVATION), "approve")
    assert issued.status_code == 200 and "no-store" in issued["Cache-Control"]
    code = shown_code(issued)
    activation = ActivationCode.objects.get(user=worker)
    assert activation.issued_by == world["deputy"] and code.replace("-", "") not in str(activation.code_hash)

    # the deputy hands the code over; the case worker enrols and reads the identity
    as_worker, _device = sign_in_and_enrol("newcw", code)
    assert identity_reads(as_worker, world["case"]) == (200, 200)
    assert IDENTITY["first_name"] in as_worker.post(f"/cases/{world['case'].pk}/identity/").content.decode()

    trail = [(e.actor_username, e.action, e.object_type, e.detail.get("event"))
             for e in AuditEvent.objects.order_by("seq")
             if e.object_type in ("accounts.accesschange", "accounts.activationcode", "otp_device", "cases.case")
             and not e.actor_username.startswith("system")]
    assert trail == [
        ("manager", "create", "accounts.accesschange", "requested"),  # the admin save
        ("manager", "create", "accounts.accesschange", "requested"),  # the activation code asked for
        ("deputy", "update", "accounts.accesschange", "approved"),
        ("deputy", "update", "accounts.accesschange", "approved"),
        ("deputy", "two_factor", "accounts.activationcode", "activation code issued"),
        ("newcw", "two_factor", "accounts.activationcode", "activation code accepted"),
        ("newcw", "two_factor", "otp_device", "enrolled"),
        ("newcw", "read_identifying", "cases.case", None),
        ("newcw", "read_identifying", "cases.case", None),
        ("newcw", "read_identifying", "cases.case", None),
    ]
    assert not any(code in str(values) for values in AuditEvent.objects.values_list("detail", flat=True))


def test_a_role_change_waits_for_approval_and_so_does_a_new_country(world: dict[str, Any], user_factory: Any
                                                                    ) -> None:
    manager, deputy = client_of(world["manager"]), client_of(world["deputy"])
    analyst = user_factory("analyst-rs", Role.ANALYST, ("RS",))
    admin_change_user(manager, analyst, role=Role.CASE_WORKER, organisation=world["ngo"].pk)
    analyst.refresh_from_db()
    assert (analyst.role, analyst.may_see_identifying_data) == (Role.CASE_WORKER, False)
    assert identity_reads(client_of(analyst), world["case"]) == (404, 404)
    decide(deputy, pending(analyst), "approve")
    analyst.refresh_from_db()
    assert identity_reads(client_of(analyst), world["case"]) == (200, 200)

    # a country added suspends the access until approved; removing it again needs nobody
    admin_change_user(manager, analyst, countries=["RS", "AL"])
    analyst.refresh_from_db()
    assert analyst.may_see_identifying_data is False
    assert identity_reads(client_of(analyst), world["case"]) == (404, 404)
    admin_change_user(manager, analyst, countries=["RS"])
    analyst.refresh_from_db()
    assert analyst.may_see_identifying_data is True
    assert pending_requests(analyst) == []
    assert AccessChange.objects.filter(user=analyst, status=AccessChange.Status.WITHDRAWN).count() == 1

    # a country removed narrows the approval: adding it back is a new grant
    admin_change_user(manager, analyst, countries=["RS", "AL"])
    decide(deputy, pending(analyst), "approve")
    admin_change_user(manager, analyst, countries=["RS"])
    analyst.refresh_from_db()
    assert analyst.approved_access["countries"] == ["RS"] and analyst.may_see_identifying_data
    admin_change_user(manager, analyst, countries=["RS", "AL"])
    analyst.refresh_from_db()
    assert analyst.may_see_identifying_data is False

    # another role drops the approval: becoming a case worker again needs a new one
    admin_change_user(manager, analyst, role=Role.ANALYST, organisation="", countries=["RS"])
    analyst.refresh_from_db()
    assert analyst.approved_access == {} and pending_requests(analyst) == []
    admin_change_user(manager, analyst, role=Role.CASE_WORKER, organisation=world["ngo"].pk)
    analyst.refresh_from_db()
    assert analyst.may_see_identifying_data is False


def pending_requests(user: User) -> list[AccessChange]:
    return list(AccessChange.objects.filter(user=user, status=AccessChange.Status.PENDING))


def test_nobody_approves_a_change_to_their_own_account(world: dict[str, Any], user_factory: Any) -> None:
    third = user_factory("third", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True)
    manager, deputy = client_of(world["manager"]), client_of(world["deputy"])
    # the manager makes the deputy a case worker: the deputy may not approve it, the manager neither
    admin_change_user(manager, world["deputy"], role=Role.CASE_WORKER, organisation=world["ngo"].pk,
                      countries=["RS"])
    request = pending(world["deputy"])
    refused = decide(deputy, request, "approve")
    assert refused.status_code == 403
    assert "This request concerns your own account: another administrator decides it." in refused.content.decode()
    assert decide(manager, request, "approve").status_code == 403
    request.refresh_from_db()
    assert request.status == AccessChange.Status.PENDING
    assert decide(client_of(third), request, "approve").status_code == 302
    world["deputy"].refresh_from_db()
    assert world["deputy"].may_see_identifying_data is True

    # a manager who makes themselves a case worker waits for someone else too
    admin_change_user(manager, world["manager"], role=Role.CASE_WORKER, organisation=world["ngo"].pk,
                      countries=["RS"])
    world["manager"].refresh_from_db()
    assert world["manager"].may_see_identifying_data is False
    assert decide(client_of(world["manager"]), pending(world["manager"]), "approve").status_code == 403


def test_superuser_status_approves_nothing_until_approved(world: dict[str, Any]) -> None:
    manager = client_of(world["manager"])
    accomplice = admin_create_user(manager, "accomplice")
    admin_change_user(manager, accomplice, is_staff=True, is_superuser=True)
    accomplice.refresh_from_db()
    assert accomplice.is_superuser and not accomplice.superuser_approved
    worker = manager_makes_a_case_worker(world)[1]
    as_accomplice = client_of(accomplice)
    assert as_accomplice.get("/accounts/approvals/").status_code == 404
    assert decide(as_accomplice, pending(worker), "approve").status_code == 404
    worker.refresh_from_db()
    assert worker.may_see_identifying_data is False
    decide(client_of(world["deputy"]), pending(accomplice), "approve")
    accomplice.refresh_from_db()
    assert accomplice.superuser_approved is True


def test_whoever_set_the_password_never_approves_the_activation_code(world: dict[str, Any], user_factory: Any
                                                                     ) -> None:
    third = user_factory("third", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True)
    _manager, worker = manager_makes_a_case_worker(world)
    assert worker.password_set_by == world["manager"]
    ask_for_activation_code(client_of(world["deputy"]), worker)
    refused = decide(client_of(world["manager"]), pending(worker, AccessChange.Kind.ACTIVATION), "approve")
    assert refused.status_code == 403
    assert "You set this account&#x27;s password" in refused.content.decode()
    assert not ActivationCode.objects.exists()
    assert decide(client_of(third), pending(worker, AccessChange.Kind.ACTIVATION), "approve").status_code == 200

    # the approver then resetting the password would hold both: the reset revokes the code
    approver = client_of(third)
    response = approver.post(f"/admin/accounts/user/{worker.pk}/password/", {
        "password1": "Another-long-password-2026", "password2": "Another-long-password-2026",
        "usable_password": "true"})
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.password_set_by == third
    assert ActivationCode.objects.get(user=worker).revoked_at is not None
    event = AuditEvent.objects.get(detail__event="password set by an administrator", object_id=str(worker.pk),
                                   actor_username="third")
    assert event.detail["activation_codes_revoked"] == 1


def test_a_refusal_says_why_and_grants_nothing(world: dict[str, Any]) -> None:
    _manager, worker = manager_makes_a_case_worker(world)
    deputy = client_of(world["deputy"])
    without_reason = decide(deputy, pending(worker), "refuse")
    assert without_reason.status_code == 403 and "Say why the request is refused." in without_reason.content.decode()
    assert decide(deputy, pending(worker), "refuse", note="No contract with this NGO")["Location"] == \
        "/accounts/approvals/"
    request = AccessChange.objects.get(user=worker)
    assert (request.status, request.decided_by, request.decision_note) == (
        AccessChange.Status.REFUSED, world["deputy"], "No contract with this NGO")
    worker.refresh_from_db()
    assert worker.may_see_identifying_data is False
    assert decide(deputy, request, "approve").status_code == 403  # decided: no second decision
    event = AuditEvent.objects.get(object_type="accounts.accesschange", detail__event="refused")
    assert (event.actor_username, event.detail["note"]) == ("deputy", "No contract with this NGO")


def test_an_account_changed_after_the_request_is_not_approved_blindly(world: dict[str, Any]) -> None:
    _manager, worker = manager_makes_a_case_worker(world)
    request = pending(worker)
    worker.countries.add("AL")  # outside the admin: no new request
    refused = decide(client_of(world["deputy"]), request, "approve")
    assert refused.status_code == 403
    assert "The account changed since this request" in refused.content.decode()
    worker.refresh_from_db()
    assert worker.approved_access == {} and not worker.may_see_identifying_data


def test_the_service_itself_refuses_an_unapproved_identity_read(world: dict[str, Any], user_factory: Any) -> None:
    from django.http import Http404

    from palermo.cases.services import read_identity

    worker = user_factory("cw-rs", Role.CASE_WORKER, ("RS",), organisation=world["ngo"], approved=False)
    before = reads_of_identities()
    with pytest.raises(Http404):
        read_identity(acting_user=worker, case=world["case"])
    assert reads_of_identities() == before
