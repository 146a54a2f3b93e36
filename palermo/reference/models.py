"""Reference data every other part of the programme relies on, each entry with its source."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.i18n import in_active_language


class Bilingual(models.Model):
    """An entry named in English and French; ``name`` follows the active language."""

    name_en = models.CharField(_("name (English)"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.name_en, self.name_fr)


class CountryQuerySet(models.QuerySet["Country"]):
    def programme(self) -> CountryQuerySet:
        return self.filter(is_programme=True)

    def names_of(self, codes: Iterable[str] | None) -> list[str]:
        """The names of these countries in the reader's language, in alphabetical order (none for ``None``):
        pages name countries, they do not list codes."""
        if not codes:
            return []
        return sorted(country.name for country in self.filter(code__in=list(codes)))


class Country(Bilingual):
    """An ISO 3166-1 country, plus Kosovo under the user-assigned code XK / XKX."""

    code = models.CharField(_("ISO alpha-2 code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric code"), max_length=3, blank=True)
    is_programme = models.BooleanField(_("programme country"), default=False)
    is_steering = models.BooleanField(_("steering country (France)"), default=False)
    is_eu_member = models.BooleanField(_("EU member state"), default=False)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Objective(Bilingual):
    """One of the programme's four objectives."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    code = models.SlugField(_("code"), unique=True)
    description_en = models.TextField(_("description (English)"))
    description_fr = models.TextField(_("description (French)"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    @property
    def description(self) -> str:
        return in_active_language(self.description_en, self.description_fr)


class ThbForm(Bilingual):
    """Traditional trafficking or exploitation along the migration route."""

    code = models.SlugField(_("code"), primary_key=True)
    description_en = models.TextField(_("description (English)"))
    description_fr = models.TextField(_("description (French)"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("form of trafficking")
        verbose_name_plural = _("forms of trafficking")


class LegalInstrument(Bilingual):
    code = models.SlugField(_("code"), primary_key=True)
    short_name = models.CharField(_("short name"), max_length=100)
    body = models.CharField(_("adopted by"), max_length=200)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force on"), null=True, blank=True)
    binds_eu_members_only = models.BooleanField(_("binds EU member states only"), default=False)
    url = models.URLField(_("official text"), blank=True)

    class Meta:
        ordering = ["adopted_on", "code"]
        verbose_name = _("legal instrument")
        verbose_name_plural = _("legal instruments")


class InstrumentStatus(models.Model):
    """Where a programme country stands with an instrument. Unknown stays unknown."""

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("unknown")
        NOT_PARTY = "not_party", _("not a party")
        SIGNED = "signed", _("signed")
        RATIFIED = "ratified", _("ratified or acceded")
        TRANSPOSED = "transposed", _("transposed")
        TRANSPOSITION_PENDING = "transposition_pending", _("transposition pending")
        NOT_APPLICABLE = "not_applicable", _("not applicable")

    instrument = models.ForeignKey(LegalInstrument, on_delete=models.CASCADE, related_name="statuses")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="instrument_statuses")
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.UNKNOWN)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ratified_on = models.DateField(_("ratified on"), null=True, blank=True)
    transposed_on = models.DateField(_("transposed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["instrument", "country"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "country"], name="one_status_per_instrument_country")
        ]
        verbose_name = _("instrument status")
        verbose_name_plural = _("instrument statuses")

    def __str__(self) -> str:
        return f"{self.instrument.short_name} / {self.country_id}: {self.get_status_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.signed_on and self.ratified_on and self.ratified_on < self.signed_on:
            errors["ratified_on"] = str(_("The ratification date cannot precede the signature date."))
        if self.status == self.Status.UNKNOWN and (self.signed_on or self.ratified_on or self.transposed_on):
            errors["status"] = str(_("A status with dates cannot be 'unknown'."))
        if self.status == self.Status.RATIFIED and not self.ratified_on and not self.source:
            errors["source"] = str(_("Give the source of a ratification whose date is not known."))
        if errors:
            raise ValidationError(errors)


class ExploitationForm(Bilingual):
    """A form of exploitation, with the instrument and article that brings it."""

    code = models.SlugField(_("code"), primary_key=True)
    instrument = models.ForeignKey(LegalInstrument, on_delete=models.PROTECT, related_name="forms")
    article = models.CharField(_("article"), max_length=100)
    htcds_code = models.CharField(_("HTCDS TypeOfExploitation code"), max_length=100, blank=True)
    ctdc2017_code = models.CharField(_("CTDC 2017 variable"), max_length=100, blank=True)
    ctdc2024_code = models.CharField(_("CTDC 2024 variable"), max_length=100, blank=True)
    glotip_category = models.CharField(_("GLOTIP category"), max_length=100, blank=True)
    version = models.CharField(_("list version"), max_length=20, default="2024")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("form of exploitation")
        verbose_name_plural = _("forms of exploitation")


class IndicatorList(Bilingual):
    """One ILO/EC Delphi list (adults or children x labour or sexual exploitation), versioned."""

    class Population(models.TextChoices):
        ADULT = "adult", _("adults")
        CHILD = "child", _("children")

    class Exploitation(models.TextChoices):
        LABOUR = "labour", _("labour exploitation")
        SEXUAL = "sexual", _("sexual exploitation")

    code = models.SlugField(_("code"), max_length=80)
    version = models.CharField(_("version"), max_length=20)
    population = models.CharField(_("population"), max_length=10, choices=Population.choices)
    exploitation = models.CharField(_("exploitation"), max_length=10, choices=Exploitation.choices)
    dimension_rule = models.JSONField(_("dimension rule"))
    case_rule = models.JSONField(_("case rule"))
    verified = models.BooleanField(_("wording checked against the publication"), default=False)

    class Meta:
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_indicator_list_version")]
        verbose_name = _("indicator list")
        verbose_name_plural = _("indicator lists")


class IndicatorDimension(Bilingual):
    code = models.SlugField(_("code"), primary_key=True)
    order = models.PositiveSmallIntegerField(_("order"))
    stage = models.CharField(_("stage"), max_length=20)  # recruitment / exploitation / destination

    class Meta:
        ordering = ["order"]
        verbose_name = _("indicator dimension")
        verbose_name_plural = _("indicator dimensions")


class Indicator(models.Model):
    class Strength(models.TextChoices):
        STRONG = "strong", _("strong")
        MEDIUM = "medium", _("medium")
        WEAK = "weak", _("weak")

    indicator_list = models.ForeignKey(IndicatorList, on_delete=models.CASCADE, related_name="indicators")
    dimension = models.ForeignKey(IndicatorDimension, on_delete=models.PROTECT, related_name="indicators")
    code = models.SlugField(_("code"), max_length=120)
    text_en = models.CharField(_("text (English)"), max_length=400)
    text_fr = models.CharField(_("text (French)"), max_length=400)
    strength = models.CharField(_("strength"), max_length=10, choices=Strength.choices)

    class Meta:
        ordering = ["indicator_list", "dimension__order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_list", "dimension", "code"], name="one_indicator_code")
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_active_language(self.text_en, self.text_fr)
