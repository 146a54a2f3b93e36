"""Who may read and change networks and their diagnoses.

Analysts and national coordinators read the networks their countries own or that were shared with one of their
countries (``Network.objects.visible_to``); those of the owning country import into a network, edit, share it and
draft its diagnoses. The source country's national coordinator comments on and co-signs a shared diagnosis. The
steering committee (programme manager, embassy officers, auditor) reads co-signed diagnoses without identities. The
system (commands, demo) passes every rule. A network or diagnosis one may not read answers 404 as a missing one.
"""

from __future__ import annotations

from django.http import Http404

from palermo.accounts.access import Actor, Principal, is_active_user, is_system
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.networks.models import NETWORK_ROLES, Diagnosis, Entity, Network


def may_use_networks(user: Principal | None) -> bool:
    return is_system(user) or (is_active_user(user) and user.role in NETWORK_ROLES)


def may_read_diagnoses(user: Principal | None) -> bool:
    return may_use_networks(user) or (is_active_user(user) and user.role in {
        Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER, Role.AUDITOR})


def may_work_in(actor: Principal | None, country_code: str) -> bool:
    """Import into, edit and share the networks owned by this country."""
    if is_system(actor):
        return True
    return is_active_user(actor) and actor.role in NETWORK_ROLES and actor.covers_country(country_code)


def may_edit_network(actor: Principal | None, network: Network) -> bool:
    return may_work_in(actor, network.owner_country_id)


def may_see_identities(user: Principal | None, network: Network) -> bool:
    """Names and identifiers of the network's entities: its readers only."""
    return is_system(user) or Network.objects.visible_to(user).filter(pk=network.pk).exists()


def may_cosign(actor: Actor, diagnosis: Diagnosis) -> bool:
    """The source country's national coordinator (or the system)."""
    if is_system(actor):
        return True
    return (is_active_user(actor) and actor.role == Role.NATIONAL_COORDINATOR
            and actor.covers_country(diagnosis.source_country_id))


def may_comment(actor: Actor, diagnosis: Diagnosis) -> bool:
    return may_cosign(actor, diagnosis) or may_edit_network(actor, diagnosis.network)


def access_network(user: User, pk: int) -> Network:
    found = Network.objects.visible_to(user).filter(pk=pk).select_related("owner_country").first()
    if found is None:
        raise Http404
    return found


def access_entity(user: User, network: Network, pk: int) -> Entity:
    found = Entity.objects.filter(network=network, pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_diagnosis(user: User, pk: int) -> Diagnosis:
    found = Diagnosis.objects.visible_to(user).filter(pk=pk).select_related("network", "source_country").first()
    if found is None:
        raise Http404
    return found
