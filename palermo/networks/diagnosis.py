"""What a network diagnosis says: structure, key people, routes and cross-border links, suggested roles, what
falls apart when a key person goes; with identifying details left out unless the reader may see them (people are
then named by their rank, "Person 1"). Also the networks' part of the steering review: one line per diagnosis of
the year, saying whether it was established jointly with the source country."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from palermo.accounts.access import Principal
from palermo.networks.access import may_see_identities
from palermo.networks.graphs import analyse_network
from palermo.networks.models import Diagnosis, Entity, Link, RoleSuggestion
from palermo.reference.models import Country
from palermo.steering.figures import ExtraSection

KEY_PEOPLE = 8


def routes(diagnosis: Diagnosis) -> list[dict[str, Any]]:
    """Links between entities from different countries (the source's country, or a person's nationality), by pair
    of countries: the cross-border links."""
    countries: dict[int, str] = {}
    for pk, country, properties in Entity.objects.filter(network=diagnosis.network, is_edge=False).values_list(
            "pk", "country_id", "properties")[:50000]:
        nationality = ((properties or {}).get("nationality") or (properties or {}).get("country") or [""])[0]
        countries[pk] = (nationality or country or "").upper()[:2]
    pairs: Counter[tuple[str, str, str]] = Counter()
    for a, b, schema in Link.objects.filter(network=diagnosis.network).values_list(
            "from_entity_id", "to_entity_id", "schema")[:200000]:
        ca, cb = countries.get(a, ""), countries.get(b, "")
        if ca and cb and ca != cb:
            pairs[(ca, cb, schema)] += 1
    names = {country.code: country.name for country in Country.objects.filter(
        code__in={c for pair in pairs for c in pair[:2]})}
    return [{"from": names.get(a, a), "to": names.get(b, b), "type": schema, "links": count}
            for (a, b, schema), count in pairs.most_common(20)]


def content(diagnosis: Diagnosis, user: Principal | None) -> dict[str, Any]:
    figures = analyse_network(diagnosis.network)
    identities = may_see_identities(user, diagnosis.network)
    rank: dict[int, str] = {}

    def name(node: dict[str, Any]) -> str:
        if identities:
            return str(node["label"])
        if node["id"] not in rank:
            rank[node["id"]] = _("Person %(n)s") % {"n": len(rank) + 1} if node["type"] == "Person" else \
                _("%(type)s %(n)s") % {"type": node["type"], "n": len(rank) + 1}
        return rank[node["id"]]

    key_people = [{"name": name(node), "type": node["type"], "country": node["country"], "value": node["value"]}
                  for node in figures["top_betweenness"][:KEY_PEOPLE]]
    role_labels = dict(RoleSuggestion.choices)
    roles = Counter(s["role"] for s in figures["suggested_roles"])
    suggested = [{"name": name(s), "role": role_labels.get(s["role"], s["role"]), "reasons": s["reasons"]}
                 for s in figures["suggested_roles"][:20]]
    cross = [{"name": name(node), "country": node["country"], "value": node["value"]}
             for node in figures["cross_border_brokers"][:KEY_PEOPLE]]
    removal = [{"name": name(e), "after": e["largest_component_after"], "loss": e["largest_component_loss"]}
               for e in figures["removal_effect"]]
    return {"figures": figures, "identities": identities, "key_people": key_people, "cross_border": cross,
            "roles": [(role_labels.get(role, role), count) for role, count in roles.most_common()],
            "suggested": suggested, "removal": removal, "routes": routes(diagnosis),
            "steps": diagnosis.steps.select_related("country").order_by("at", "pk")}


def stock_take_section(year: int) -> list[ExtraSection]:
    """One line per network diagnosis of the year for the steering review (names of networks and countries only)."""
    diagnoses = list(Diagnosis.objects.filter(year=year).select_related("network", "network__owner_country",
                                                                        "source_country").order_by("network__name"))
    if not diagnoses:
        return []
    rows = []
    for diagnosis in diagnoses:
        figures = analyse_network(diagnosis.network)
        rows.append([diagnosis.network.name, diagnosis.network.owner_country.name, diagnosis.source_country.name,
                     str(figures["nodes"]), str(figures["communities"]), str(diagnosis.get_status_display()),
                     _("yes") if diagnosis.jointly else _("no")])
    return [ExtraSection(title=_("Network diagnoses"), columns=[
        _("Network"), _("Owning country"), _("Source country"), _("Entities"), _("Communities"), _("Status"),
        _("Established jointly with the source country")], rows=rows)]
