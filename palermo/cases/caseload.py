"""The case worker's start: the organisation's caseload on the home page (``palermo.web.registry.add_panel``),
and the search by name and birth date (``services.search``) it leads to."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.accounts.models import User
from palermo.cases import blind, codes
from palermo.cases.access import may_search_by_name
from palermo.cases.forms import CaseSearchForm
from palermo.cases.models import IDENTIFYING_FIELDS, Case, minor_when_identified, minors_first
from palermo.cases.services.search import search_cases

SHOWN = 10


def caseload(user: User) -> dict[str, Any] | None:
    """The organisation's open cases (active or in follow-up): how many, how many minors and possible victims, the
    first ones minors first; with the search form. None for anyone who does not record cases."""
    if not may_search_by_name(user):
        return None
    open_cases = Case.objects.visible_to(user).filter(case_status__in=codes.OPEN_CASE_STATUSES, erased_at__isnull=True)
    counts = open_cases.aggregate(open=Count("pk"), minors=Count("pk", filter=minor_when_identified()),
                                  possible=Count("pk", filter=Q(trafficking_status=codes.TraffickingStatus.POSSIBLE)))
    listed = open_cases.defer(*IDENTIFYING_FIELDS).select_related("citizenship")  # the panel shows no identity
    return {"counts": counts, "cases": list(minors_first(listed)[:SHOWN]),
            "form": CaseSearchForm(), "shown": SHOWN}


@signed_in
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The search form, and on POST (the terms stay out of addresses and server logs) the cases found."""
    user = request.user
    if not may_search_by_name(user):
        raise Http404
    form = CaseSearchForm(request.POST if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = search_cases(acting_user=user, name=form.cleaned_data["name"], birth=form.cleaned_data["birth"],
                                  request=request)
        except blind.QueryError as error:
            form.add_error(error.field, _(str(error)))
    response = render(request, "cases/search.html", {"form": form, "result": result})
    add_never_cache_headers(response)
    return response
