"""Every change to the programme: keyword-only functions taking ``acting_user`` (a person or the system),
atomic, writing their audit row in the same transaction, reading the "before" state themselves.

One module per topic: ``actions`` (actions and their shares), ``money`` (budget lines, transactions),
``results`` (results, indicators, periods), ``documents``, ``greta`` (GRETA recommendations from CSV).
"""

from palermo.programme.services.actions import (
    MANAGED_FIELDS,
    SCALAR_FIELDS,
    ActionContent,
    Participation,
    default_channel_for,
    delete_action,
    save_action,
    validate_shares,
)
from palermo.programme.services.documents import add_document, max_bytes, remove_document
from palermo.programme.services.greta import COLUMNS as GRETA_COLUMNS
from palermo.programme.services.greta import REQUIRED as GRETA_REQUIRED
from palermo.programme.services.greta import GretaImportError, ImportReport, import_recommendations
from palermo.programme.services.money import (
    budget_problems,
    delete_budget,
    delete_transaction,
    save_budget,
    save_transaction,
    transaction_problems,
)
from palermo.programme.services.results import (
    Breakdown,
    delete_indicator,
    delete_period,
    delete_result,
    refresh_measured_periods,
    save_indicator,
    save_period,
    save_result,
)

__all__ = [
    "GRETA_COLUMNS",
    "GRETA_REQUIRED",
    "MANAGED_FIELDS",
    "SCALAR_FIELDS",
    "ActionContent",
    "Breakdown",
    "GretaImportError",
    "ImportReport",
    "Participation",
    "add_document",
    "budget_problems",
    "default_channel_for",
    "delete_action",
    "delete_budget",
    "delete_indicator",
    "delete_period",
    "delete_result",
    "delete_transaction",
    "import_recommendations",
    "max_bytes",
    "refresh_measured_periods",
    "remove_document",
    "save_action",
    "save_budget",
    "save_indicator",
    "save_period",
    "save_result",
    "save_transaction",
    "transaction_problems",
    "validate_shares",
]
