from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.audit.access import may_read_audit
from palermo.audit.filters import AuditEventFilter
from palermo.audit.models import AuditEvent
from palermo.web.listing import list_page


@signed_in
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_read_audit(request.user):
        raise Http404
    listing = list_page(request, AuditEvent.objects.visible_to(request.user), AuditEventFilter,
                        sorts={"seq": ("seq",)}, default_sort="-seq")
    return render(request, "audit/search.html",
                  {"listing": listing, "form": listing.filterset.form, "page": listing.page, "query": listing.query})
