"""The programme portfolio: actions with their countries, objectives, money, results and GRETA links.

Fields map one to one onto IATI 2.03 (see docs/programme.md); money is EUR in ``Decimal``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from palermo.accounts.roles import Role
from palermo.i18n import colon, day, in_active_language, money
from palermo.partners.models import Organisation
from palermo.programme import codes, feeds
from palermo.programme.choices import (
    ACTIVE_STATUSES,
    SEX_LABELS,
    ActivityStatus,
    Channel,
    OrganisationRole,
    TargetGroup,
    TraffickingForm,
    TransactionType,
    unit_label,
)
from palermo.reference.models import Country, ExploitationForm, Objective

if TYPE_CHECKING:
    from palermo.accounts.models import User

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
PERCENTAGE: dict[str, Any] = {
    "max_digits": 5, "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
}
IATI_IDENTIFIER = RegexValidator(
    r"^[^/&|?\s](?:[^/&|?]*[^/&|?\s])?$",
    _("An IATI identifier contains none of / & | ? and no leading or trailing space."),
)
FULL_READ_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.AUDITOR})


class Programme(models.Model):
    """The strategy: the IATI parent activity (hierarchy 1) whose children are the actions."""

    iati_identifier = models.CharField(
        _("IATI identifier"), max_length=150, unique=True, validators=[IATI_IDENTIFIER]
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    reporting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporting organisation")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    objectives_vocabulary_uri = models.URLField(_("objectives vocabulary URI"), blank=True)

    class Meta:
        ordering = ["iati_identifier"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self.title_en, self.title_fr)


class GretaRecommendationQuerySet(models.QuerySet["GretaRecommendation"]):
    def visible_to(self, user: User) -> GretaRecommendationQuerySet:
        """GRETA reports are public: every signed-in user reads the recommendations."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()

    def answered(self, answered: bool) -> GretaRecommendationQuerySet:
        """The recommendations an action that is not cancelled answers (or, with False, that none answers)."""
        return self.filter(is_answered() if answered else ~is_answered())


def is_answered() -> Exists:
    """Whether an action that is not cancelled answers the recommendation (``.annotate(answered=is_answered())``)."""
    links = Action.greta_recommendations.through.objects
    return Exists(links.filter(gretarecommendation_id=OuterRef("pk")).exclude(action__status=ActivityStatus.CANCELLED))


class GretaRecommendation(models.Model):
    class Level(models.TextChoices):
        URGES = "urges", _("urges")
        CONSIDERS = "considers", _("considers")
        INVITES = "invites", _("invites")

    class FollowUp(models.TextChoices):
        NOT_ASSESSED = "not_assessed", _("not yet assessed")
        NOT_IMPLEMENTED = "not_implemented", _("not implemented")
        PARTLY = "partly", _("partly implemented")
        IMPLEMENTED = "implemented", _("implemented")

    class Theme(models.TextChoices):
        COORDINATION = "coordination", _("coordination and national action plans")
        DATA = "data", _("data collection and research")
        PREVENTION = "prevention", _("prevention and awareness")
        IDENTIFICATION = "identification", _("identification of victims")
        ASSISTANCE = "assistance", _("assistance and protection of victims")
        CHILDREN = "children", _("child victims")
        COMPENSATION = "compensation", _("compensation and legal redress")
        INVESTIGATION = "investigation", _("investigation, prosecution and sanctions")
        NON_PUNISHMENT = "non_punishment", _("non-punishment of victims")
        LABOUR = "labour", _("trafficking for labour exploitation")
        COOPERATION = "cooperation", _("international cooperation")
        ICT = "ict", _("use of information technology")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="greta_recommendations",
                                verbose_name=_("country"))
    round = models.PositiveSmallIntegerField(_("round"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    report_date = models.DateField(_("report date"))
    paragraph = models.CharField(_("paragraph"), max_length=20)
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    text = models.TextField(_("text"))
    articles = models.CharField(
        _("Convention articles"), max_length=100, blank=True,
        validators=[RegexValidator(r"^\d+(?:\.\d+)?(?:, ?\d+(?:\.\d+)?)*$", _("Give article numbers like '10, 12'."))],
    )
    follow_up = models.CharField(_("follow-up"), max_length=20, choices=FollowUp.choices,
                                 default=FollowUp.NOT_ASSESSED)
    is_demo = models.BooleanField(_("demo (not real GRETA text)"), default=False)
    source_url = models.URLField(_("source"), blank=True)

    objects = GretaRecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["country", "round", "paragraph"]
        constraints = [
            models.UniqueConstraint(fields=["country", "round", "paragraph"], name="one_greta_paragraph_per_round"),
        ]
        verbose_name = _("GRETA recommendation")
        verbose_name_plural = _("GRETA recommendations")

    def __str__(self) -> str:
        return f"GRETA {self.country_id} R{self.round} §{self.paragraph} ({self.get_level_display()})"


class ActionQuerySet(models.QuerySet["Action"]):
    def visible_to(self, user: User) -> ActionQuerySet:
        """Managers and auditors read all; embassy officers and national coordinators their countries'
        actions; international organisation partners the actions where their organisation has a role;
        the other roles read only aggregates (no action in detail)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in FULL_READ_ROLES:
            return self.all()
        if user.role in (Role.EMBASSY_OFFICER, Role.NATIONAL_COORDINATOR):
            codes_ = user.country_codes() or frozenset()
            shares = ActionCountry.objects.filter(action=OuterRef("pk"), country_id__in=codes_)
            return self.filter(Exists(shares))
        if user.role == Role.IO_PARTNER and user.organisation_id:
            roles_ = ActionParticipation.objects.filter(action=OuterRef("pk"), organisation_id=user.organisation_id)
            return self.filter(Exists(roles_))
        return self.none()

    def editable_by(self, user: User) -> ActionQuerySet:
        """Managers edit everything; embassy officers the programme's bilateral actions whose every
        country is theirs; international organisation partners the programme's actions where their
        organisation has a role."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.PROGRAMME_MANAGER:
            return self.all()
        own = self.filter(is_external=False)
        if user.role == Role.EMBASSY_OFFICER:
            codes_ = user.country_codes() or frozenset()
            inside = ActionCountry.objects.filter(action=OuterRef("pk"), country_id__in=codes_)
            outside = ActionCountry.objects.filter(action=OuterRef("pk")).exclude(country_id__in=codes_)
            return own.filter(Q(channel=Channel.BILATERAL), Exists(inside), ~Exists(outside))
        if user.role == Role.IO_PARTNER and user.organisation_id:
            roles_ = ActionParticipation.objects.filter(action=OuterRef("pk"), organisation_id=user.organisation_id)
            return own.filter(Exists(roles_))
        return self.none()

    def active(self) -> ActionQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)


class Action(models.Model):
    """One cooperation action: an IATI activity, child of the programme unless imported from another donor."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="actions",
        verbose_name=_("programme"),
    )
    iati_identifier = models.CharField(
        _("IATI identifier"), max_length=150, unique=True, validators=[IATI_IDENTIFIER]
    )
    reporting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="reported_actions",
        verbose_name=_("reporting organisation"),
    )
    is_external = models.BooleanField(
        _("reported by another donor"), default=False,
        help_text=_("Imported from another publisher's IATI file; shown for complementarity only."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True,
                              help_text=_("File or publisher the action was imported from."))
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    channel = models.CharField(_("channel"), max_length=15, choices=Channel.choices)
    trafficking_form = models.CharField(
        _("form of trafficking"), max_length=20, choices=TraffickingForm.choices, blank=True,
        help_text=_("Traditional trafficking, trafficking along the migration route, or both "
                    "(empty: not stated, as for some imported actions)."),
    )
    status = models.PositiveSmallIntegerField(_("status"), choices=ActivityStatus.choices,
                                              default=ActivityStatus.PIPELINE)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    collaboration_type = models.PositiveSmallIntegerField(_("IATI collaboration type"), default=1)
    exploitation_forms = models.ManyToManyField(
        ExploitationForm, blank=True, related_name="actions", verbose_name=_("forms of exploitation")
    )
    beneficiary_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="benefiting_actions", verbose_name=_("beneficiary institutions")
    )
    greta_recommendations = models.ManyToManyField(
        GretaRecommendation, blank=True, related_name="actions", verbose_name=_("GRETA recommendations answered")
    )
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["iati_identifier"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return f"{self.iati_identifier} {self.title}"

    @property
    def title(self) -> str:
        return in_active_language(self.title_en, self.title_fr)

    @property
    def description(self) -> str:
        return in_active_language(self.description_en, self.description_fr)

    @property
    def start(self) -> date | None:
        return self.actual_start or self.planned_start

    @property
    def end(self) -> date | None:
        return self.actual_end or self.planned_end

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = str(_("The planned end cannot precede the planned start."))
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = str(_("The actual end cannot precede the actual start."))
        if not (self.planned_start or self.actual_start):
            errors["planned_start"] = str(_("Give a planned or an actual start date."))
        if self.actual_end and self.status in (ActivityStatus.PIPELINE, ActivityStatus.IMPLEMENTATION):
            errors["actual_end"] = str(_("An action in pipeline or implementation has no actual end date."))
        if errors:
            raise ValidationError(errors)


class ActionCountry(models.Model):
    """A recipient country of an action and its share (IATI recipient-country/@percentage)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="country_shares")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="action_shares",
                                verbose_name=_("country"))
    percentage = models.DecimalField(_("share (%)"), **PERCENTAGE)  # type: ignore[arg-type]

    class Meta:
        ordering = ["action", "-percentage", "country"]
        constraints = [models.UniqueConstraint(fields=["action", "country"], name="one_share_per_action_country")]
        verbose_name = _("country share")
        verbose_name_plural = _("country shares")

    def __str__(self) -> str:
        return f"{self.country_id} {self.percentage}%"


class ActionObjective(models.Model):
    """An objective of the programme an action serves, and its share (tag/sector vocabulary 99)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="objective_shares")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="action_shares",
                                  verbose_name=_("objective"))
    percentage = models.DecimalField(_("share (%)"), **PERCENTAGE)  # type: ignore[arg-type]

    class Meta:
        ordering = ["action", "objective__number"]
        constraints = [models.UniqueConstraint(fields=["action", "objective"], name="one_share_per_action_objective")]
        verbose_name = _("objective share")
        verbose_name_plural = _("objective shares")

    def __str__(self) -> str:
        return f"objective {self.objective_id} {self.percentage}%"


class ActionTargetGroup(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="target_groups")
    group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)

    class Meta:
        ordering = ["action", "group"]
        constraints = [models.UniqueConstraint(fields=["action", "group"], name="one_row_per_action_target_group")]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.get_group_display()


class ActionParticipation(models.Model):
    """An organisation taking part in an action in one IATI role (participating-org)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations",
                                     verbose_name=_("organisation"))
    role = models.PositiveSmallIntegerField(_("role"), choices=OrganisationRole.choices)
    activity_id = models.CharField(_("the organisation's own activity identifier"), max_length=150, blank=True)

    class Meta:
        ordering = ["action", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation", "role"], name="one_role_per_action_org"),
        ]
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")

    def __str__(self) -> str:
        return f"{self.organisation_id} ({self.get_role_display()})"


class ActionSector(models.Model):
    """A sector of an action (IATI sector): DAC 5-digit codes by default, with a share."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="sectors")
    vocabulary = models.CharField(_("vocabulary"), max_length=3, default="1")
    code = models.CharField(_("code"), max_length=20)
    percentage = models.DecimalField(_("share (%)"), null=True, blank=True, **PERCENTAGE)  # type: ignore[arg-type]

    class Meta:
        ordering = ["action", "vocabulary", "code"]
        constraints = [models.UniqueConstraint(fields=["action", "vocabulary", "code"], name="one_sector_per_code")]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"

    def clean(self) -> None:
        if self.vocabulary == "1" and self.code not in codes.DAC_SECTORS and not self.action.is_external:
            raise ValidationError(
                {"code": _("Not a DAC purpose code of the programme: %(code)s") % {"code": self.code}}
            )


class ActionTag(models.Model):
    """An IATI tag: SDG targets (vocabulary 3) and the like."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="tags")
    vocabulary = models.CharField(_("vocabulary"), max_length=3, default="3")
    vocabulary_uri = models.URLField(_("vocabulary URI"), blank=True)
    code = models.CharField(_("code"), max_length=30)

    class Meta:
        ordering = ["action", "vocabulary", "code"]
        constraints = [models.UniqueConstraint(fields=["action", "vocabulary", "code"], name="one_tag_per_code")]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


class Budget(models.Model):
    """A budget of an action over one period of at most a year (IATI budget), in EUR."""

    class Type(models.IntegerChoices):
        ORIGINAL = 1, _("original")
        REVISED = 2, _("revised")

    class Status(models.IntegerChoices):
        INDICATIVE = 1, _("indicative")
        COMMITTED = 2, _("committed")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budgets")
    budget_type = models.PositiveSmallIntegerField(_("type"), choices=Type.choices, default=Type.ORIGINAL)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices, default=Status.INDICATIVE)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("amount (EUR)"), validators=[MinValueValidator(Decimal("0"))], **MONEY)
    value_date = models.DateField(_("value date"), null=True, blank=True)

    class Meta:
        ordering = ["action", "period_start", "budget_type"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")

    def __str__(self) -> str:
        return f"{day(self.period_start)} – {day(self.period_end)}{colon()} {money(self.value, 2)}"

    @property
    def year(self) -> int:
        return self.period_start.year

    def clean(self) -> None:
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                raise ValidationError({"period_end": _("The period end cannot precede its start.")})
            if (self.period_end - self.period_start).days > 366:
                raise ValidationError({"period_end": _("A budget period lasts at most one year.")})


class Transaction(models.Model):
    """A commitment, disbursement or expenditure of an action (IATI transaction), in EUR."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="transactions")
    ref = models.CharField(_("reference"), max_length=100, blank=True)
    transaction_type = models.PositiveSmallIntegerField(_("type"), choices=TransactionType.choices)
    date = models.DateField(_("date"))
    value = models.DecimalField(_("amount (EUR)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    description = models.CharField(_("description"), max_length=500, blank=True)
    provider_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("provider"),
    )
    provider_activity_id = models.CharField(_("provider activity identifier"), max_length=150, blank=True)
    receiver_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("receiver"),
    )
    receiver_activity_id = models.CharField(_("receiver activity identifier"), max_length=150, blank=True)

    class Meta:
        ordering = ["action", "date", "transaction_type"]
        indexes = [models.Index(fields=["transaction_type", "date"])]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")

    def __str__(self) -> str:
        return f"{self.get_transaction_type_display()} {day(self.date)}{colon()} {money(self.value, 2)}"


class Document(models.Model):
    """A document of an action (IATI document-link): a link or an uploaded file."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=3, choices=list(codes.DOCUMENT_CATEGORIES.items()))
    url = models.URLField(_("address"), blank=True)
    file = models.FileField(_("file"), upload_to="programme/documents/%Y/", blank=True)
    language = models.CharField(_("language"), max_length=5, default="en")
    document_date = models.DateField(_("document date"), null=True, blank=True)

    class Meta:
        ordering = ["action", "category", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.url) == bool(self.file):
            raise ValidationError(_("Give either an address or a file, not both and not neither."))


class Result(models.Model):
    class Type(models.IntegerChoices):
        OUTPUT = 1, _("output")
        OUTCOME = 2, _("outcome")
        IMPACT = 3, _("impact")
        OTHER = 9, _("other")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="results")
    result_type = models.PositiveSmallIntegerField(_("type"), choices=Type.choices)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    aggregation_status = models.BooleanField(_("suitable for aggregation"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["action", "order", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self.title_en, self.title_fr)


class Indicator(models.Model):
    class Measure(models.IntegerChoices):
        UNIT = 1, _("unit")
        PERCENTAGE = 2, _("percentage")
        NOMINAL = 3, _("nominal")
        ORDINAL = 4, _("ordinal")
        QUALITATIVE = 5, _("qualitative")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    measure = models.PositiveSmallIntegerField(_("measure"), choices=Measure.choices, default=Measure.UNIT)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    ascending = models.BooleanField(_("higher is better"), default=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=2, null=True, blank=True)
    baseline_comment = models.CharField(_("baseline comment"), max_length=500, blank=True)
    disaggregated_by_sex = models.BooleanField(_("disaggregated by sex"), default=False)
    disaggregated_by_age = models.BooleanField(_("disaggregated by age"), default=False)
    reference_vocabulary = models.CharField(_("reference vocabulary"), max_length=3, blank=True)
    reference_code = models.CharField(_("reference code"), max_length=50, blank=True)
    means_of_verification = models.CharField(_("means of verification"), max_length=500, blank=True)
    measured_by = models.CharField(
        _("measured from"), max_length=60, blank=True,
        help_text=_("Records of the platform that give the periods' actual values (a feed of "
                    "palermo.programme.feeds); empty when the actuals are typed."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["result", "order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self.title_en, self.title_fr)

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit)

    @property
    def measured_by_label(self) -> str:
        found = feeds.feed(self.measured_by) if self.measured_by else None
        return str(found.label) if found else self.measured_by

    def clean(self) -> None:
        if self.measure != self.Measure.QUALITATIVE and self.baseline_year and self.baseline_value is None:
            raise ValidationError({"baseline_value": _("A quantitative indicator with a baseline year needs a value.")})


class Period(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=2, null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")

    def __str__(self) -> str:
        return f"{day(self.period_start)} – {day(self.period_end)}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period end cannot precede its start.")})


class PeriodDisaggregation(models.Model):
    """A target and actual value for one sex or one age band (IATI dimension)."""

    class Dimension(models.TextChoices):
        SEX = "sex", _("sex")
        AGE = "age", _("age")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="disaggregations")
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    value = models.CharField(_("value"), max_length=20)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["period", "dimension", "value"]
        constraints = [
            models.UniqueConstraint(fields=["period", "dimension", "value"], name="one_value_per_period_dimension"),
        ]
        verbose_name = _("disaggregated value")
        verbose_name_plural = _("disaggregated values")

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}"

    @property
    def value_label(self) -> str:
        """"femmes" for ``female`` in French; an age band as it is ("18-24")."""
        return str(SEX_LABELS.get(self.value, self.value)) if self.dimension == self.Dimension.SEX else self.value

    def clean(self) -> None:
        allowed = codes.SEXES if self.dimension == self.Dimension.SEX else codes.AGE_BANDS
        if self.value not in allowed:
            raise ValidationError({"value": _("Use one of: %(values)s") % {"values": ", ".join(allowed)}})
