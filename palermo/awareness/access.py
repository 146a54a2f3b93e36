"""Who may read, plan and change awareness campaigns, and read the risk profiles: every rule of the app.

Reads go through ``Campaign.objects.visible_to(user)`` (models.py); ``access_*`` answer 404 for a forbidden object
exactly as for a missing one. The system (``SYSTEM.running("demo")``) passes every ``may_*`` rule.

- read campaigns: programme managers and auditors (all), embassy officers, national coordinators and analysts
  (their countries' campaigns), international organisation partners (their organisation's campaigns);
- plan and change campaigns, their materials and reach: programme managers (all), national coordinators (campaigns
  whose every country is theirs, funded by an action they read), international organisation partners (campaigns
  their organisation is a partner of, or funded by an action their organisation takes part in);
- approve a material version: a programme manager or a national coordinator of the campaign's countries, never the
  person who wrote that version;
- read the risk profiles (aggregates of case records, small counts not shown): every role reading campaigns and
  the partners, in their countries (all for managers, auditors and partners without countries).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from palermo.accounts.access import Actor, Principal, is_active_user, is_system
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.awareness.models import ALL_CAMPAIGN_ROLES, COUNTRY_CAMPAIGN_ROLES, Campaign, MaterialVersion
from palermo.programme.models import Action, ActionParticipation

PLANNER_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.NATIONAL_COORDINATOR, Role.IO_PARTNER})
REVIEWER_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.NATIONAL_COORDINATOR})
RISK_READER_ROLES = ALL_CAMPAIGN_ROLES | COUNTRY_CAMPAIGN_ROLES | {Role.IO_PARTNER}


def may_read_campaigns(user: Principal | None) -> bool:
    if not is_active_user(user):
        return False
    if user.role == Role.IO_PARTNER:
        return bool(user.organisation_id)
    return user.role in ALL_CAMPAIGN_ROLES | COUNTRY_CAMPAIGN_ROLES


def may_plan_campaigns(user: Principal | None) -> bool:
    if not is_active_user(user) or user.role not in PLANNER_ROLES:
        return False
    return user.role != Role.IO_PARTNER or bool(user.organisation_id)


def may_read_risk(user: Principal | None) -> bool:
    return is_active_user(user) and user.role in RISK_READER_ROLES


def risk_countries(user: User) -> frozenset[str] | None:
    """The countries whose risk profiles the user reads (None: every country; an international organisation
    partner without countries reads every country, as its organisation works across the region)."""
    codes = user.country_codes()
    if user.role == Role.IO_PARTNER and not codes:
        return None
    return codes


def _takes_part(user: User, action_id: int) -> bool:
    if user.organisation_id is None:
        return False
    return ActionParticipation.objects.filter(action_id=action_id, organisation_id=user.organisation_id).exists()


def may_fund_with(actor: Actor, action: Action, countries: Iterable[str]) -> bool:
    """May ``actor`` start or keep a campaign in ``countries`` funded by ``action``?"""
    if is_system(actor):
        return True
    if not may_plan_campaigns(actor):
        return False
    assert is_active_user(actor)
    if actor.role == Role.PROGRAMME_MANAGER:
        return True
    if actor.role == Role.NATIONAL_COORDINATOR:
        return (all(actor.covers_country(code) for code in countries)
                and Action.objects.visible_to(actor).filter(pk=action.pk).exists())
    return _takes_part(actor, action.pk)


def may_edit_campaign(actor: Actor, campaign: Campaign) -> bool:
    if is_system(actor):
        return True
    if not may_plan_campaigns(actor):
        return False
    assert is_active_user(actor)
    if actor.role == Role.PROGRAMME_MANAGER:
        return True
    if actor.role == Role.NATIONAL_COORDINATOR:
        return all(actor.covers_country(code) for code in campaign.countries.values_list("code", flat=True))
    partner = actor.organisation_id is not None and campaign.partners.filter(pk=actor.organisation_id).exists()
    return partner or _takes_part(actor, campaign.action_id)


def may_review(actor: Actor, version: MaterialVersion) -> bool:
    if is_system(actor):
        return True
    if not is_active_user(actor) or actor.role not in REVIEWER_ROLES or version.created_by_id == actor.pk:
        return False
    codes = version.material.campaign.countries.values_list("code", flat=True)
    return actor.role == Role.PROGRAMME_MANAGER or all(actor.covers_country(code) for code in codes)


def access_campaign(user: User, pk: int) -> Campaign:
    found = Campaign.objects.visible_to(user).filter(pk=pk).select_related("action").first()
    if found is None:
        raise Http404
    return found


def access_editable_campaign(user: User, pk: int) -> Campaign:
    campaign = access_campaign(user, pk)
    if not may_edit_campaign(user, campaign):
        raise Http404
    return campaign


def access_version(user: User, pk: int) -> MaterialVersion:
    readable = Campaign.objects.visible_to(user)
    found = MaterialVersion.objects.filter(pk=pk, material__campaign__in=readable).select_related(
        "material__campaign").first()
    if found is None:
        raise Http404
    return found
