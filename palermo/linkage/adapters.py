"""The records entity resolution works on, from the apps that hold them: the networks app's Person entities
(FollowTheMoney properties) become ``LinkRecord`` rows (``PersonRecord`` for the pure modules). A thin adapter:
names, birth date, passports and identity numbers, country, the case a person is tied to."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404

from palermo.accounts.access import Actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.linkage.access import may_review
from palermo.linkage.models import LinkRecord
from palermo.linkage.records import normal_dob
from palermo.networks.models import CaseLink, Person

SOURCE = "networks"


def _first(properties: dict[str, Any], name: str) -> str:
    values = properties.get(name) or []
    return str(values[0]) if values else ""


def person_fields(person: Person) -> dict[str, Any]:
    """What a network Person says of who they are, in the record's fields."""
    properties = person.properties or {}
    names = [str(n) for n in properties.get("name") or []]
    first, last = _first(properties, "firstName"), _first(properties, "lastName")
    if first or last:
        names.append(f"{first} {last}".strip())
    names = list(dict.fromkeys(names or [person.caption]))
    country = person.country_id or person.network.owner_country_id
    nationality = _first(properties, "nationality").upper()[:2]
    documents = [[nationality or country or "", str(n)] for key in ("passportNumber", "idNumber")
                 for n in properties.get(key) or []]
    return {"names": names, "dob": normal_dob(_first(properties, "birthDate")[:10]) or "", "documents": documents,
            "country_id": country}


@transaction.atomic
def sync_network_persons(*, acting_user: Actor) -> int:
    """Create or refresh one record per Person entity of the networks (resolved ids kept). Returns how many
    records were created."""
    if not may_review(acting_user):
        raise Http404
    cases = dict(CaseLink.objects.values_list("entity_id", "case_id"))
    created = 0
    for person in Person.objects.select_related("network"):
        fields = person_fields(person)
        if not fields["country_id"]:
            continue
        _record, new = LinkRecord.objects.update_or_create(
            source_name=SOURCE, reference=str(person.pk),
            defaults={**fields, "entity": person, "case_id": cases.get(person.pk)})
        created += int(new)
    record(actor=acting_user, action=AuditEvent.Action.IMPORT, object_type="linkage.linkrecord",
           detail={"source": SOURCE, "created": created})
    return created
