"""Every state change of the cases app, each keyword-only, atomic, audited in the same transaction:

- ``records``: record a case, edit it, read its identity, record a status decision taken elsewhere;
- ``imports``: keep an upload as an import job, import a file or rows (all or nothing);
- ``rotation``: re-encrypt identifying values sealed by an old key;
- ``retention``: per-country retention policies, legal holds, the purge of identities at the end of retention;
- ``subject``: the person's rights: a subject-access export, erasure on request (a tombstone for statistics);
- ``search``: find cases by name and birth date through the blind index (an audited read, no state change).

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
from palermo.cases.services.retention import (
    PurgeReport,
    RetentionError,
    lift_legal_hold,
    purge,
    remove_policy,
    set_legal_hold,
    set_policy,
)
from palermo.cases.services.rotation import RotationError, rotate
from palermo.cases.services.subject import ErasureRefused, erase_case, export_subject_record

__all__ = [
    "LAYOUTS",
    "ErasureRefused",
    "ImportReport",
    "PurgeReport",
    "RetentionError",
    "RotationError",
    "Route",
    "create_case",
    "create_import_job",
    "erase_case",
    "export_subject_record",
    "import_file",
    "import_rows",
    "import_table",
    "lift_legal_hold",
    "purge",
    "read_identity",
    "record_status_decision",
    "remove_policy",
    "rotate",
    "set_legal_hold",
    "set_policy",
    "update_case",
]
