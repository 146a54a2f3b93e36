"""Edit pages of what an action holds: its results framework, money and documents.

Every page answers 404 to a user who may not edit the action (as for a missing object); every change
goes through a service, which refuses bad values with messages keyed by field and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.programme import access, services, uploads
from palermo.programme.forms import BudgetForm, DocumentForm, IndicatorForm, PeriodForm, ResultForm, TransactionForm
from palermo.programme.models import Action
from palermo.programme.services.common import audit_country
from palermo.programme.views.actions import attach_errors


def _saved(form: BaseForm, save: Callable[[], Any]) -> bool:
    if not form.is_valid():
        return False
    try:
        save()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        attach_errors(form, error)
        return False
    return True


def _given(pk: int | None) -> int:
    """The parent's number from a "new" URL (which always carries one)."""
    if pk is None:
        raise Http404
    return pk


def _back(action: Action, anchor: str) -> str:
    return reverse("programme:action_detail", args=[action.pk]) + f"#{anchor}"


def _form_page(request: AuthenticatedHttpRequest, *, form: BaseForm, action: Action, heading: str, anchor: str,
               save: Callable[[], Any]) -> HttpResponse:
    if request.method == "POST" and _saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(_back(action, anchor))
    return render(request, "programme/object_form.html", {
        "form": form, "action": action, "heading": heading, "cancel": _back(action, anchor),
    })


def _delete_page(request: AuthenticatedHttpRequest, *, action: Action, thing: Model, kind: str, anchor: str,
                 delete: Callable[[], Any], consequence: str = "") -> HttpResponse:
    if request.method == "POST":
        try:
            delete()
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("Removed."))
        return redirect(_back(action, anchor))
    return render(request, "programme/confirm_delete.html", {
        "action": action, "thing": thing, "kind": kind, "consequence": consequence, "cancel": _back(action, anchor),
    })


# Results ------------------------------------------------------------------------------------------


@signed_in
def result_edit(request: AuthenticatedHttpRequest, pk: int | None = None,
                action_pk: int | None = None) -> HttpResponse:
    user = request.user
    result = access.access_editable_result(user, pk) if pk is not None else None
    action = result.action if result is not None else access.access_editable_action(user, _given(action_pk))
    form = ResultForm(request.POST or None, instance=result)
    return _form_page(
        request, form=form, action=action, anchor="results",
        heading=_("Edit the result") if result else _("Add a result"),
        save=lambda: services.save_result(acting_user=user, action=action, result=result,
                                          **form.cleaned_data),
    )


@signed_in
def result_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    result = access.access_editable_result(user, pk)
    return _delete_page(request, action=result.action, thing=result, kind=_("result"), anchor="results",
                        consequence=_("Its indicators and their periods are removed with it."),
                        delete=lambda: services.delete_result(acting_user=user, result=result))


# Indicators ---------------------------------------------------------------------------------------


@signed_in
def indicator_edit(request: AuthenticatedHttpRequest, pk: int | None = None,
                   result_pk: int | None = None) -> HttpResponse:
    user = request.user
    indicator = access.access_editable_indicator(user, pk) if pk is not None else None
    result = indicator.result if indicator is not None else access.access_editable_result(user, _given(result_pk))
    form = IndicatorForm(request.POST or None, instance=indicator)
    return _form_page(
        request, form=form, action=result.action, anchor=f"result-{result.pk}",
        heading=_("Edit the indicator") if indicator else _("Add an indicator to “%(result)s”") % {"result": result},
        save=lambda: services.save_indicator(acting_user=user, result=result, indicator=indicator,
                                             **form.cleaned_data),
    )


@signed_in
def indicator_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    indicator = access.access_editable_indicator(user, pk)
    return _delete_page(request, action=indicator.result.action, thing=indicator, kind=_("indicator"),
                        anchor=f"result-{indicator.result_id}",
                        consequence=_("Its periods are removed with it."),
                        delete=lambda: services.delete_indicator(acting_user=user, indicator=indicator))


# Periods ------------------------------------------------------------------------------------------


@signed_in
def period_edit(request: AuthenticatedHttpRequest, pk: int | None = None,
                indicator_pk: int | None = None) -> HttpResponse:
    user = request.user
    period = access.access_editable_period(user, pk) if pk is not None else None
    indicator = period.indicator if period is not None else access.access_editable_indicator(user, _given(indicator_pk))
    form = PeriodForm(request.POST or None, instance=period, indicator=indicator)
    return _form_page(
        request, form=form, action=indicator.result.action, anchor=f"indicator-{indicator.pk}",
        heading=_("Period of “%(indicator)s”") % {"indicator": indicator},
        save=lambda: services.save_period(acting_user=user, indicator=indicator, period=period,
                                          **form.service_arguments()),
    )


@signed_in
def period_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    period = access.access_editable_period(user, pk)
    return _delete_page(request, action=period.indicator.result.action, thing=period, kind=_("period"),
                        anchor=f"indicator-{period.indicator_id}",
                        delete=lambda: services.delete_period(acting_user=user, period=period))


# Money --------------------------------------------------------------------------------------------


@signed_in
def transaction_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    entry = access.access_editable_transaction(user, pk)
    form = TransactionForm(request.POST or None, instance=entry)
    return _form_page(
        request, form=form, action=entry.action, anchor="money", heading=_("Edit the transaction"),
        save=lambda: services.save_transaction(acting_user=user, action=entry.action, entry=entry,
                                               **form.cleaned_data),
    )


@signed_in
def transaction_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    entry = access.access_editable_transaction(user, pk)
    return _delete_page(request, action=entry.action, thing=entry, kind=_("transaction"), anchor="money",
                        delete=lambda: services.delete_transaction(acting_user=user, entry=entry))


@signed_in
def budget_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    budget = access.access_editable_budget(user, pk)
    form = BudgetForm(request.POST or None, instance=budget)
    return _form_page(
        request, form=form, action=budget.action, anchor="money", heading=_("Edit the budget line"),
        save=lambda: services.save_budget(acting_user=user, action=budget.action, budget=budget,
                                          **form.cleaned_data),
    )


@signed_in
def budget_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    budget = access.access_editable_budget(user, pk)
    return _delete_page(request, action=budget.action, thing=budget, kind=_("budget line"), anchor="money",
                        delete=lambda: services.delete_budget(acting_user=user, budget=budget))


# Documents ----------------------------------------------------------------------------------------


@signed_in
def document_add(request: AuthenticatedHttpRequest, action_pk: int) -> HttpResponse:
    user = request.user
    action = access.access_editable_action(user, action_pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _saved(form, lambda: services.add_document(
            acting_user=user, action=action, title=form.cleaned_data["title"],
            category=form.cleaned_data["category"], language=form.cleaned_data["language"],
            document_date=form.cleaned_data["document_date"], url=form.cleaned_data["url"].strip(),
            upload=form.cleaned_data["upload"])):
        messages.success(request, _("Saved."))
        return redirect(_back(action, "documents"))
    return render(request, "programme/object_form.html", {
        "form": form, "action": action, "heading": _("Add a document"), "cancel": _back(action, "documents"),
        "multipart": True, "max_size": filesizeformat(services.max_bytes()),
    })


@signed_in
def document_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    document = access.access_editable_document(user, pk)
    return _delete_page(request, action=document.action, thing=document, kind=_("document"), anchor="documents",
                        delete=lambda: services.remove_document(acting_user=user, document=document))


@signed_in  # type: ignore[arg-type]  # signed_in is typed for HttpResponse; a file streams
def document_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The stored file of a document, to users who may read the action; each download is audited."""
    document = access.access_document(request.user, pk)
    if not document.file:
        raise Http404
    extension = uploads.extension_of(document.file.name or "")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="programme.document",
           object_id=document.pk, country=audit_country(document.action), request=request,
           detail={"action": document.action.iati_identifier, "file": document.file.name})
    response = FileResponse(handle, as_attachment=True, filename=f"document-{document.pk}{extension}",
                            content_type=uploads.CONTENT_TYPES.get(extension, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    return response
