"""Shared by the programme tests: sign-in and a picture of everything a refused request must leave alone."""

from __future__ import annotations

from typing import Any

from django.test import Client

from palermo.audit.models import AuditEvent
from palermo.programme.models import Budget, Document, Indicator, Period, PeriodDisaggregation, Result, Transaction
from tests.conftest import verified_login


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        verified_login(client, user)
    return client


def audit_count() -> int:
    return AuditEvent.objects.exclude(action__in=["login", "two_factor"]).count()


def snapshot() -> dict[str, Any]:
    """Every row of the results framework, money and documents, and the number of audit rows."""
    return {
        "results": list(Result.objects.order_by("pk").values_list("pk", "result_type", "title_en", "order")),
        "indicators": list(Indicator.objects.order_by("pk").values_list(
            "pk", "title_en", "measure", "baseline_value", "disaggregated_by_sex")),
        "periods": list(Period.objects.order_by("pk").values_list("pk", "period_start", "period_end", "target",
                                                                  "actual")),
        "breakdown": list(PeriodDisaggregation.objects.order_by("pk").values_list("period", "dimension", "value",
                                                                                  "target", "actual")),
        "transactions": list(Transaction.objects.order_by("pk").values_list("pk", "transaction_type", "date",
                                                                            "value")),
        "budgets": list(Budget.objects.order_by("pk").values_list("pk", "period_start", "period_end", "value")),
        "documents": list(Document.objects.order_by("pk").values_list("pk", "title", "url", "file")),
        "audit": audit_count(),
    }
