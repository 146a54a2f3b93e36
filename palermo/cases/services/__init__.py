"""Every state change of the cases app, each keyword-only, atomic, audited in the same transaction:

- ``records``: record a case, edit it, read its identity, record a status decision taken elsewhere;
- ``imports``: keep an upload as an import job, import a file or rows (all or nothing);
- ``rotation``: re-encrypt identifying values sealed by an old key.

The rules they apply live in ``palermo.cases.access``; the system actor (``SYSTEM.running(...)``) passes them.
"""

from palermo.cases.services.imports import (
    LAYOUTS,
    ImportReport,
    create_import_job,
    import_file,
    import_rows,
    import_table,
)
from palermo.cases.services.records import Route, create_case, read_identity, record_status_decision, update_case
from palermo.cases.services.rotation import RotationError, rotate

__all__ = [
    "LAYOUTS",
    "ImportReport",
    "RotationError",
    "Route",
    "create_case",
    "create_import_job",
    "import_file",
    "import_rows",
    "import_table",
    "read_identity",
    "record_status_decision",
    "rotate",
    "update_case",
]
