"""Users, their role and their country and organisation scopes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts import grants, roles
from palermo.accounts.grants import AccessProfile
from palermo.accounts.roles import Role
from palermo.partners.models import Organisation
from palermo.reference.models import Country

LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français")]

ROLE_LABELS = {
    Role.PROGRAMME_MANAGER: _("programme manager"),
    Role.EMBASSY_OFFICER: _("embassy officer"),
    Role.NATIONAL_COORDINATOR: _("national coordinator"),
    Role.IO_PARTNER: _("international organisation partner"),
    Role.CASE_WORKER: _("case worker"),
    Role.ANALYST: _("analyst"),
    Role.AUDITOR: _("auditor"),
    Role.VIEWER: _("viewer"),
}


class PalermoUserManager(UserManager["User"]):
    def visible_to(self, user: User) -> models.QuerySet[User]:
        """Managers see every account; others see only their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.PROGRAMME_MANAGER:
            return self.all()
        return self.filter(pk=user.pk)


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=30, choices=[(r.value, ROLE_LABELS[r]) for r in Role], default=Role.VIEWER
    )
    countries = models.ManyToManyField(Country, blank=True, related_name="users", verbose_name=_("countries"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=LANGUAGE_CHOICES, default="en"
    )
    # The access profile a second person approved (accounts.grants): set only by the approval services, never by
    # a form. The account reads identities, or approves, only as far as its current profile stays within it.
    approved_access = models.JSONField(_("approved access"), default=dict, blank=True, editable=False)
    access_approved_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+",
        verbose_name=_("access approved by"),
    )
    access_approved_by_name = models.CharField(_("access approved by"), max_length=150, blank=True, editable=False)
    access_approved_at = models.DateTimeField(_("access approved on"), null=True, blank=True, editable=False)
    # Who last set the password from the admin (the account's creator or whoever reset it): that person never
    # approves the account's second-factor activation code, so no one holds both.
    password_set_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+",
        verbose_name=_("password last set by"),
    )

    objects = PalermoUserManager()  # type: ignore[misc]
    password_was_set = False  # set by ``save``: this save stored a new password

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # ``set_password`` keeps the raw password until the save; the admin reads this flag after it to record
        # who set the password (services.password_set_by_administrator).
        self.password_was_set = getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.pop("_country_codes", None)  # countries may have changed too
        super().refresh_from_db(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.role in roles.ORGANISATION_SCOPED_ROLES and not self.organisation_id:
            raise ValidationError({"organisation": _("This role needs an organisation.")})

    @property
    def all_countries(self) -> bool:
        return self.role in roles.ALL_COUNTRY_ROLES

    def country_codes(self) -> frozenset[str] | None:
        """The ISO codes of the user's countries; ``None`` means every country."""
        if self.all_countries:
            return None
        cached: frozenset[str] | None = getattr(self, "_country_codes", None)
        if cached is None:
            cached = frozenset(self.countries.values_list("code", flat=True))
            self._country_codes = cached
        return cached

    def covers_country(self, code: str | None) -> bool:
        codes = self.country_codes()
        return codes is None or (code is not None and code in codes)

    @property
    def needs_two_factor(self) -> bool:
        """Roles that see identifying data, administer accounts or read the audit log, and every staff account."""
        return roles.requires_two_factor(self.role) or self.is_staff or self.is_superuser

    def access_profile(self) -> AccessProfile:
        return AccessProfile.of(role=self.role, organisation=self.organisation_id, countries=self.country_codes(),
                                superuser=self.is_superuser)

    @property
    def approved_profile(self) -> AccessProfile | None:
        return AccessProfile.from_json(self.approved_access)

    @property
    def identifying_role(self) -> bool:
        """The role is one that sees identifying data, approved or not (API tokens are refused to it)."""
        return self.role in roles.IDENTIFYING_DATA_ROLES

    @property
    def may_see_identifying_data(self) -> bool:
        """The one gate of every identity read: an identifying role, within what a second person approved."""
        return self.identifying_role and grants.identifying_covered(self.access_profile(), self.approved_profile)

    @property
    def superuser_approved(self) -> bool:
        """A superuser whose status a second person approved: only such an account approves others' grants."""
        return self.is_superuser and grants.superuser_covered(self.approved_profile)

    @property
    def access_pending_approval(self) -> bool:
        return not grants.covered(self.access_profile(), self.approved_profile)

    @property
    def is_auditor(self) -> bool:
        return self.role in roles.AUDIT_ROLES

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[Role(self.role)])


class AccessChange(models.Model):
    """A grant waiting for a second person: an account's new access profile, or an activation code for a new
    second factor. Requested by one person, approved or refused by another (never the requester, never the
    account's own holder); every step is an audit row."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("access to identifying data or approving power")
        ACTIVATION = "activation", _("second-factor activation code")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_changes",
                             verbose_name=_("account"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    proposed = models.JSONField(_("proposed access"), default=dict, blank=True)
    reason = models.TextField(_("reason given"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_by_name = models.CharField(_("requested by"), max_length=150)
    requested_at = models.DateTimeField(_("requested on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_by_name = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("access change request")
        verbose_name_plural = _("access change requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id} ({self.status})"

    @property
    def proposed_profile(self) -> AccessProfile | None:
        return AccessProfile.from_json(self.proposed)


class ActivationCode(models.Model):
    """A one-time code that lets one account enrol a second factor: stored hashed, shown once to whoever issued
    it, who hands it over out of band; it expires and is used once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes",
                             verbose_name=_("account"))
    change = models.OneToOneField(AccessChange, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="activation_code", verbose_name=_("approved request"))
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    issued_by_name = models.CharField(_("issued by"), max_length=150)
    issued_at = models.DateTimeField(_("issued on"))
    expires_at = models.DateTimeField(_("expires on"))
    used_at = models.DateTimeField(_("used on"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("second factor enrolled on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")

    def __str__(self) -> str:
        return f"activation code {self.pk} of {self.user_id}"
