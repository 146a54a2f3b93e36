"""Users, their role and their country and organisation scopes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts import roles
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

    objects = PalermoUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

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
        return roles.requires_two_factor(self.role)

    @property
    def may_see_identifying_data(self) -> bool:
        return self.role in roles.IDENTIFYING_DATA_ROLES

    @property
    def is_auditor(self) -> bool:
        return self.role in roles.AUDIT_ROLES

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[Role(self.role)])
