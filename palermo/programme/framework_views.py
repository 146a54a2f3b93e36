"""Edit pages of an action's results framework, money and documents, and the GRETA upload page.

Every page answers 404 to a user who may not edit the action (as for a missing object); every change
goes through a service, which refuses bad values with messages keyed by field and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.programme import access, documents, greta, money_services, results_services, uploads
from palermo.programme.forms import BudgetForm, TransactionForm
from palermo.programme.framework_forms import DocumentForm, GretaUploadForm, IndicatorForm, PeriodForm, ResultForm
from palermo.programme.models import Action, Indicator

GRETA_MAX_BYTES = 5 * 1024 * 1024


def attach_errors(form: BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


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


def _back(action: Action, anchor: str) -> str:
    return reverse("programme:action_detail", args=[action.pk]) + f"#{anchor}"


def _form_page(request: HttpRequest, *, form: BaseForm, action: Action, heading: str, anchor: str,
               save: Callable[[], Any]) -> HttpResponse:
    if request.method == "POST" and _saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(_back(action, anchor))
    return render(request, "programme/object_form.html", {
        "form": form, "action": action, "heading": heading, "cancel": _back(action, anchor),
    })


def _delete_page(request: HttpRequest, *, action: Action, thing: Model, kind: str, anchor: str,
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


@login_required
def result_edit(request: HttpRequest, pk: int | None = None, action_pk: int | None = None) -> HttpResponse:
    user: Any = request.user
    result = access.access_editable_result(user, pk) if pk is not None else None
    action = result.action if result is not None else access.access_editable_action(user, action_pk)  # type: ignore[arg-type]
    form = ResultForm(request.POST or None, instance=result)
    return _form_page(
        request, form=form, action=action, anchor="results",
        heading=_("Edit the result") if result else _("Add a result"),
        save=lambda: results_services.save_result(acting_user=user, action=action, result=result,
                                                  **form.cleaned_data),
    )


@login_required
def result_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    result = access.access_editable_result(user, pk)
    return _delete_page(request, action=result.action, thing=result, kind=_("result"), anchor="results",
                        consequence=_("Its indicators and their periods are removed with it."),
                        delete=lambda: results_services.delete_result(acting_user=user, result=result))


# Indicators ---------------------------------------------------------------------------------------


@login_required
def indicator_edit(request: HttpRequest, pk: int | None = None, result_pk: int | None = None) -> HttpResponse:
    user: Any = request.user
    indicator = access.access_editable_indicator(user, pk) if pk is not None else None
    result = indicator.result if indicator is not None else access.access_editable_result(user, result_pk)  # type: ignore[arg-type]
    form = IndicatorForm(request.POST or None, instance=indicator)
    return _form_page(
        request, form=form, action=result.action, anchor=f"result-{result.pk}",
        heading=_("Edit the indicator") if indicator else _("Add an indicator to “%(result)s”") % {"result": result},
        save=lambda: results_services.save_indicator(acting_user=user, result=result, indicator=indicator,
                                                     **form.cleaned_data),
    )


@login_required
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    indicator = access.access_editable_indicator(user, pk)
    return _delete_page(request, action=indicator.result.action, thing=indicator, kind=_("indicator"),
                        anchor=f"result-{indicator.result_id}",
                        consequence=_("Its periods are removed with it."),
                        delete=lambda: results_services.delete_indicator(acting_user=user, indicator=indicator))


# Periods ------------------------------------------------------------------------------------------


@login_required
def period_edit(request: HttpRequest, pk: int | None = None, indicator_pk: int | None = None) -> HttpResponse:
    user: Any = request.user
    period = access.access_editable_period(user, pk) if pk is not None else None
    indicator: Indicator = (period.indicator if period is not None
                            else access.access_editable_indicator(user, indicator_pk))  # type: ignore[arg-type]
    form = PeriodForm(request.POST or None, instance=period, indicator=indicator)
    return _form_page(
        request, form=form, action=indicator.result.action, anchor=f"indicator-{indicator.pk}",
        heading=_("Period of “%(indicator)s”") % {"indicator": indicator},
        save=lambda: results_services.save_period(acting_user=user, indicator=indicator, period=period,
                                                  **form.service_arguments()),
    )


@login_required
def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    period = access.access_editable_period(user, pk)
    return _delete_page(request, action=period.indicator.result.action, thing=period, kind=_("period"),
                        anchor=f"indicator-{period.indicator_id}",
                        delete=lambda: results_services.delete_period(acting_user=user, period=period))


# Money --------------------------------------------------------------------------------------------


@login_required
def transaction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    entry = access.access_editable_transaction(user, pk)
    form = TransactionForm(request.POST or None, instance=entry)
    return _form_page(
        request, form=form, action=entry.action, anchor="money", heading=_("Edit the transaction"),
        save=lambda: money_services.save_transaction(acting_user=user, action=entry.action, entry=entry,
                                                     **form.cleaned_data),
    )


@login_required
def transaction_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    entry = access.access_editable_transaction(user, pk)
    return _delete_page(request, action=entry.action, thing=entry, kind=_("transaction"), anchor="money",
                        delete=lambda: money_services.delete_transaction(acting_user=user, entry=entry))


@login_required
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    budget = access.access_editable_budget(user, pk)
    form = BudgetForm(request.POST or None, instance=budget)
    return _form_page(
        request, form=form, action=budget.action, anchor="money", heading=_("Edit the budget line"),
        save=lambda: money_services.save_budget(acting_user=user, action=budget.action, budget=budget,
                                                **form.cleaned_data),
    )


@login_required
def budget_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    budget = access.access_editable_budget(user, pk)
    return _delete_page(request, action=budget.action, thing=budget, kind=_("budget line"), anchor="money",
                        delete=lambda: money_services.delete_budget(acting_user=user, budget=budget))


# Documents ----------------------------------------------------------------------------------------


@login_required
def document_add(request: HttpRequest, action_pk: int) -> HttpResponse:
    user: Any = request.user
    action = access.access_editable_action(user, action_pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _saved(form, lambda: documents.add_document(
            acting_user=user, action=action, title=form.cleaned_data["title"],
            category=form.cleaned_data["category"], language=form.cleaned_data["language"],
            document_date=form.cleaned_data["document_date"], url=form.cleaned_data["url"].strip(),
            upload=form.cleaned_data["upload"])):
        messages.success(request, _("Saved."))
        return redirect(_back(action, "documents"))
    return render(request, "programme/object_form.html", {
        "form": form, "action": action, "heading": _("Add a document"), "cancel": _back(action, "documents"),
        "multipart": True, "max_size": filesizeformat(documents.max_bytes()),
    })


@login_required
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    document = access.access_editable_document(user, pk)
    return _delete_page(request, action=document.action, thing=document, kind=_("document"), anchor="documents",
                        delete=lambda: documents.remove_document(acting_user=user, document=document))


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The stored file of a document, to users who may read the action; each download is audited."""
    document = access.access_document(request.user, pk)
    if not document.file:
        raise Http404
    extension = uploads.extension_of(document.file.name or "")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="programme.document",  # type: ignore[arg-type]
           object_id=document.pk, country=access.audit_country(document.action), request=request,
           detail={"action": document.action.iati_identifier, "file": document.file.name})
    response = FileResponse(handle, as_attachment=True, filename=f"document-{document.pk}{extension}",
                            content_type=uploads.CONTENT_TYPES.get(extension, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


# GRETA upload -------------------------------------------------------------------------------------


@login_required
def greta_upload(request: HttpRequest) -> HttpResponse:
    """Programme managers load any country's recommendations; a national coordinator only its own
    countries' (a row of another country refuses the whole file, naming the row)."""
    user: Any = request.user
    if not access.may_upload_greta(user):
        raise Http404
    allowed = None if user.role == Role.PROGRAMME_MANAGER else (user.country_codes() or frozenset())
    form = GretaUploadForm(request.POST or None, request.FILES or None)
    problems: list[greta.Problem] = []
    checked = 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        text = _greta_text(form, upload)
        if text is not None:
            try:
                if form.cleaned_data["check_only"]:
                    checked = len(greta.parse(text, allowed))
                else:
                    report = greta.import_recommendations(acting_user=user, text=text, source=upload.name or "",
                                                          allowed_countries=allowed)
                    messages.success(request, _("GRETA recommendations: %(created)s created, %(updated)s updated.")
                                     % {"created": report.created, "updated": report.updated})
                    return redirect("programme:greta_list")
            except greta.GretaImportError as error:
                problems = error.problems
    return render(request, "programme/greta_upload.html", {
        "form": form, "problems": problems, "checked": checked, "columns": greta.COLUMNS,
        "required": greta.REQUIRED, "countries": sorted(allowed) if allowed is not None else None,
    })


def _greta_text(form: GretaUploadForm, upload: Any) -> str | None:
    if upload.size > GRETA_MAX_BYTES:
        form.add_error("file", _("The file is larger than %(limit)s MB.") % {"limit": GRETA_MAX_BYTES // 1_048_576})
        return None
    if uploads.extension_of(upload.name or "") != ".csv":
        form.add_error("file", _("Give a .csv file."))
        return None
    try:
        return str(upload.read().decode("utf-8"))
    except UnicodeDecodeError as error:
        form.add_error("file", _("The file is not UTF-8 text (byte %(byte)s); save it as CSV UTF-8.")
                       % {"byte": error.start})
        return None
