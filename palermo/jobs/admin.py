"""The queue's own rows in the admin, read-only as django-tasks-db shows them, and audited like every admin."""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from palermo.audit.admin import AuditedModelAdmin

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class AuditedDBTaskResultAdmin(AuditedModelAdmin, DBTaskResultAdmin):
    pass
