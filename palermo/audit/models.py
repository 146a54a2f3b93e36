"""The append-only, hash-chained log of who did, read or exported what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from palermo.accounts.access import Principal


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: Principal) -> AuditEventQuerySet:
        from palermo.audit.access import may_read_audit

        return self.all() if may_read_audit(user) else self.none()

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logout")
        TWO_FACTOR = "two_factor", _("second factor")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        READ_IDENTIFYING = "read_identifying", _("read of identifying data")
        READ_RECORDS = "read_records", _("read of case records")
        EXPORT = "export", _("export")
        IMPORT = "import", _("import")
        RELEASE = "release", _("release")
        TOKEN = "token", _("API token")

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,  # the row keeps the id it was chained with: no update on a user's deletion
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("actor"),
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only")


class ChainHead(models.Model):
    """One row holding the last sequence number and hash; locked to append in order.

    ``keyed_from`` is the first row hashed with the audit key (1 on an installation that always had one); the
    rows before it keep the plain SHA-256 hashes they were written with.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    keyed_from = models.PositiveBigIntegerField(default=1)

    def __str__(self) -> str:
        return f"chain head at row {self.seq}"
