"""Search by name and birth date through the blind index (``palermo.cases.index``): atomic and audited, like a
read of identifying data, without decrypting the table and without writing what was typed anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404, HttpRequest

from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases import blind, index
from palermo.cases.access import may_search_by_name
from palermo.cases.fields import keyring
from palermo.cases.models import IDENTIFYING_FIELDS, Case, minors_first

SEARCH_OBJECT = "cases.search"
MAX_RESULTS = 50
MAX_CANDIDATES = 1000  # matches on the name and birth year whose full birth date is compared


@dataclass
class SearchResult:
    query: blind.Query
    cases: list[Case] = field(default_factory=list)
    more: bool = False  # more cases match than are listed: the search should be narrowed


@transaction.atomic
def search_cases(*, acting_user: User, name: str, birth: str = "", request: HttpRequest | None = None,
                 limit: int = MAX_RESULTS) -> SearchResult:
    """The user's cases (``Case.objects.visible_to``) whose name parts include every part typed and, when a birth
    year or date is given, born that year; with a full date, the birth dates of those candidates (never more than
    ``MAX_CANDIDATES``) are decrypted and compared. Minors when identified first, then the latest identified.

    Raises ``blind.QueryError`` (nothing searched, nothing audited) when what was typed cannot be searched. One
    ``read_identifying`` audit row of type ``cases.search``: how many name parts, whether a year or a date was
    given, how many cases were found, and a keyed fingerprint of the query; never the terms."""
    if not may_search_by_name(acting_user):
        raise Http404
    query = blind.read_query(name, birth)
    found = Case.objects.visible_to(acting_user).filter(erased_at__isnull=True,
                                                        pk__in=index.matching_case_ids(query))
    if query.birth_date is not None:
        candidates = found.only("pk", "birth_date").order_by("pk")[:MAX_CANDIDATES]
        found = found.filter(pk__in=[case.pk for case in candidates if case.birth_date == query.birth_date])
    listed = found.defer(*IDENTIFYING_FIELDS).select_related("owner_country", "citizenship")
    cases = list(minors_first(listed)[:limit + 1])
    result = SearchResult(query, cases[:limit], more=len(cases) > limit)
    countries = sorted(acting_user.country_codes() or ())
    record(actor=acting_user, action=AuditEvent.Action.READ_IDENTIFYING, object_type=SEARCH_OBJECT,
           country=countries[0] if len(countries) == 1 else "", request=request,
           detail={"channel": "search", "name_parts": len(query.parts), "birth": query.birth_kind,
                   "results": len(result.cases), "more": result.more,
                   "fingerprint": keyring().index.fingerprint(query.tokens)})
    return result
