"""Victim case records following HTCDS v2.0: the person, the victim context, the route, the perpetrators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import is_active_user
from palermo.accounts.roles import Role
from palermo.cases import codes, rules
from palermo.cases.choices import choices, labels
from palermo.cases.fields import EncryptedDateField, EncryptedTextField
from palermo.partners.models import Organisation
from palermo.reference.models import Country, ExploitationForm

if TYPE_CHECKING:
    from palermo.accounts.models import User

# Direct identifiers (DESIGN.md §5): encrypted at rest, never loaded nor shown for anyone but the owning case worker.
IDENTIFYING_FIELDS = (
    "salutation", "first_name", "middle_name", "second_name", "title", "birth_date", "email", "home_phone",
    "mobile_phone", "identity_number", "mailing_street", "mailing_city", "mailing_state", "mailing_postal_code",
    "mailing_country",
)

# Set by the retention and data-subject services only, never by an edit of the case (docs/cases.md).
RETENTION_FIELDS = (
    "closed_on", "legal_hold_since", "legal_hold_reason", "legal_hold_by_id", "identity_purged_at", "erased_at",
    "erased_by_id", "erasure_reason",
)


def minor_when_identified() -> models.Q:
    """Under 18 when identified: the age at identification, or when no age is known, a minor's age band (CTDC files
    carry bands). Not ``is_minor``, which says minor *when exploited*, the statistics' measure (a person exploited at
    17 and identified at 19 counts there, but is an adult now)."""
    return (models.Q(age_at_identification__lt=18)
            | models.Q(age_at_identification__isnull=True, age_band__in=sorted(rules.MINOR_BANDS))
            | models.Q(age_at_identification__isnull=True, age_band="", majority_status=codes.MajorityStatus.MINOR))


def minors_first(cases: models.QuerySet[Case]) -> models.QuerySet[Case]:
    """Minors when identified first, then the latest identified."""
    return cases.alias(minor_first=models.Case(models.When(minor_when_identified(), then=0), default=1)).order_by(
        "minor_first", models.F("identification_date").desc(nulls_last=True), "-pk")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        """Case workers: their organisation's cases in their countries. Analysts: their countries' cases,
        identifying columns deferred. Everyone else: no case record (aggregates come from diagnostics)."""
        if not is_active_user(user):
            return self.none()
        codes_ = user.country_codes()
        if user.role == Role.CASE_WORKER and user.organisation_id:
            scoped = self.filter(organisation_id=user.organisation_id)
            return scoped if codes_ is None else scoped.filter(owner_country_id__in=codes_)
        if user.role == Role.ANALYST:
            scoped = self.defer(*IDENTIFYING_FIELDS)
            return scoped if codes_ is None else scoped.filter(owner_country_id__in=codes_)
        return self.none()


class Case(models.Model):
    case_code = models.CharField(_("case code"), max_length=20, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases",
                                     verbose_name=_("owning organisation"))
    # Country foreign keys carry no index of their own: case_scope_idx leads with the owning country,
    # dashboards read the columnar snapshot, and each index costs every import (docs/cases.md).
    owner_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="owned_cases",
                                      verbose_name=_("owning country"), db_index=False)
    source = models.CharField(_("import source"), max_length=100, blank=True)
    source_record_id = models.CharField(_("record id in the source"), max_length=100, blank=True)

    # The person: direct identifiers, encrypted at rest (HTCDS prs_*).
    salutation = EncryptedTextField(_("salutation"), blank=True)
    first_name = EncryptedTextField(_("first name"), blank=True)
    middle_name = EncryptedTextField(_("middle name"), blank=True)
    second_name = EncryptedTextField(_("second name"), blank=True)
    title = EncryptedTextField(_("title"), blank=True)
    birth_date = EncryptedDateField(_("birth date"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    home_phone = EncryptedTextField(_("home phone"), blank=True)
    mobile_phone = EncryptedTextField(_("mobile phone"), blank=True)
    identity_number = EncryptedTextField(_("identity document number"), blank=True)
    mailing_street = EncryptedTextField(_("street"), blank=True)
    mailing_city = EncryptedTextField(_("city"), blank=True)
    mailing_state = EncryptedTextField(_("state or province"), blank=True)
    mailing_postal_code = EncryptedTextField(_("postal code"), blank=True)
    mailing_country = EncryptedTextField(_("mailing country"), blank=True)

    # The person: pseudonymous attributes.
    gender = models.CharField(_("gender"), max_length=30, choices=choices(codes.Gender), blank=True)
    citizenship = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("citizenship"), db_index=False)
    # Every citizenship (HTCDS prs_Citizenship is multi-select), ISO alpha-2 in the file's order; ``citizenship`` is
    # the first of them, kept for the readers of one citizenship (statistics, risk profiles).
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    deceased = models.BooleanField(_("deceased"), null=True, blank=True)
    number_of_children = models.PositiveSmallIntegerField(_("number of children"), null=True, blank=True)
    primary_language = models.CharField(_("primary language (ISO 639-2)"), max_length=3, blank=True)
    secondary_language = models.CharField(_("secondary language (ISO 639-2)"), max_length=3, blank=True)
    migration_statuses = models.JSONField(_("migration and protection status (HTCDS Guidance 7)"), default=list,
                                          blank=True)
    marital_status = models.CharField(_("marital status"), max_length=30, choices=choices(codes.MaritalStatus),
                                      blank=True)
    highest_education = models.CharField(_("highest level of education"), max_length=40,
                                         choices=choices(codes.Education), blank=True)
    age_at_identification = models.PositiveSmallIntegerField(_("age when identified"), null=True, blank=True)
    age_when_trafficked = models.PositiveSmallIntegerField(_("age when trafficked"), null=True, blank=True)

    # Victim context.
    identification_date = models.DateField(_("date of identification"), null=True, blank=True)
    trafficking_status = models.CharField(_("trafficking status"), max_length=20,
                                          choices=choices(codes.TraffickingStatus),
                                          default=codes.TraffickingStatus.POSSIBLE.value)
    status_decided_by = models.CharField(_("status decided by"), max_length=40, choices=choices(codes.DecisionMaker),
                                         blank=True)
    status_decided_on = models.DateField(_("status decided on"), null=True, blank=True)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    recruiter_relation = models.CharField(_("relation to the recruiter"), max_length=30,
                                          choices=choices(codes.RecruiterRelation), blank=True)
    # Every relation (CTDC recruiterRelation* flags are several); ``recruiter_relation`` is the first of them.
    recruiter_relations = models.JSONField(_("relations to the recruiters"), default=list, blank=True)
    recruitment_websites = models.JSONField(_("recruitment websites and apps"), default=list, blank=True)
    exploitation_websites = models.JSONField(_("exploitation websites and apps"), default=list, blank=True)
    vulnerabilities = models.JSONField(_("vulnerabilities (deprecated in HTCDS 2.0)"), default=list, blank=True)
    vulnerability_details = models.TextField(_("details of vulnerabilities (deprecated in HTCDS 2.0)"), blank=True)
    trafficking_duration = models.CharField(_("duration of trafficking (months)"), max_length=5,
                                            choices=choices(codes.TraffickingDuration), blank=True)
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    forms = models.ManyToManyField(ExploitationForm, blank=True, related_name="cases",
                                   verbose_name=_("forms of exploitation"))
    other_exploitation = models.BooleanField(_("other form of exploitation"), default=False)
    forced_labour_industry = models.CharField(_("forced labour industry"), max_length=60,
                                              choices=choices(codes.Industry), blank=True)
    # Every industry (CTDC typeOfLabour* flags are several); ``forced_labour_industry`` is the first of them.
    forced_labour_industries = models.JSONField(_("forced labour industries"), default=list, blank=True)
    sex_exploitation_types = models.JSONField(_("types of sexual exploitation"), default=list, blank=True)
    consent = models.BooleanField(_("consent to the processing of personal data"), null=True, blank=True)
    # Blank when the source holds no case status (CTDC): none is invented.
    case_status = models.CharField(_("case status"), max_length=20, choices=choices(codes.CaseStatus),
                                   default=codes.CaseStatus.ACTIVE.value, blank=True)
    reason_for_closure = models.TextField(_("reason for case closure"), blank=True)
    case_owner_name = models.CharField(_("case owner in the source system"), max_length=200, blank=True)
    data_source = models.CharField(_("data source"), max_length=20, choices=choices(codes.DataSource), blank=True)
    majority_status = models.CharField(_("minor or adult when registered (without an age)"), max_length=10,
                                       choices=choices(codes.MajorityStatus), blank=True)

    # Referral details (HTCDS cas_*): where the case came from and where it was sent.
    referring_organisation = models.CharField(_("referring organisation"), max_length=300, blank=True)
    incoming_referral_date = models.DateField(_("incoming referral date"), null=True, blank=True)
    referring_case_worker = models.CharField(_("referring primary case worker"), max_length=200, blank=True)
    incoming_referral_reason = models.CharField(_("reason for the incoming referral"), max_length=40,
                                                choices=choices(codes.ReferralReason), blank=True)
    incoming_referral_details = models.TextField(_("incoming referral details"), blank=True)
    referred_organisation = models.CharField(_("referred organisation"), max_length=300, blank=True)
    referred_case_worker = models.CharField(_("referred primary case worker"), max_length=200, blank=True)
    outgoing_referral_reason = models.CharField(_("reason for the outgoing referral"), max_length=40,
                                                choices=choices(codes.ReferralReason), blank=True)
    outgoing_referral_date = models.DateField(_("outgoing referral date"), null=True, blank=True)
    outgoing_referral_details = models.TextField(_("outgoing referral details"), blank=True)

    # Provenance: the file, its row, the import run and the version of the mapping that read it (docs/cases.md).
    source_file = models.CharField(_("source file"), max_length=300, blank=True, editable=False)
    source_row = models.PositiveIntegerField(_("row in the source file"), null=True, blank=True, editable=False)
    import_run = models.CharField(_("import run"), max_length=32, blank=True, editable=False)
    mapping_version = models.CharField(_("mapping version"), max_length=40, blank=True, editable=False)

    # Derived and stored for aggregation (see palermo.cases.rules and services.apply_derived).
    year_identified = models.PositiveSmallIntegerField(_("year of identification"), null=True, blank=True,
                                                       db_index=True, editable=False)
    age_band = models.CharField(_("age band (CTDC)"), max_length=5, blank=True, editable=False)
    is_minor = models.BooleanField(_("minor at exploitation"), null=True, blank=True, editable=False)
    country_of_exploitation = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True,
                                                related_name="+", verbose_name=_("country of exploitation"),
                                                db_index=False,
                                                editable=False)
    transit_countries = models.JSONField(_("transit countries"), default=list, blank=True, editable=False)
    thb_form_computed = models.CharField(_("form of THB by the rule"), max_length=20,
                                         choices=choices(codes.ThbFormCode), blank=True, editable=False)
    thb_form_override = models.CharField(_("form of THB set by the case worker"), max_length=20,
                                         choices=choices(codes.ThbFormCode), blank=True)
    thb_form_override_reason = models.CharField(_("reason for the override"), max_length=500, blank=True)
    thb_form_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                             blank=True, related_name="+", editable=False)
    thb_form_override_at = models.DateTimeField(null=True, blank=True, editable=False)
    thb_form = models.CharField(_("form of THB"), max_length=20, choices=choices(codes.ThbFormCode), blank=True,
                                editable=False)

    # Retention and data-subject rights (palermo.cases.services.retention and .subject; docs/cases.md).
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    legal_hold_since = models.DateTimeField(_("legal hold since"), null=True, blank=True, editable=False)
    legal_hold_reason = models.CharField(_("reason for the legal hold"), max_length=500, blank=True, editable=False)
    legal_hold_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", editable=False, verbose_name=_("legal hold set by"))
    identity_purged_at = models.DateTimeField(_("identity purged at the end of retention"), null=True, blank=True,
                                              editable=False)
    erased_at = models.DateTimeField(_("erased on request"), null=True, blank=True, editable=False)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", editable=False, verbose_name=_("erased by"))
    erasure_reason = models.CharField(_("ground for the erasure"), max_length=30, choices=choices(codes.ErasureReason),
                                      blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-identification_date", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_record_id"], condition=~models.Q(source=""),
                                    name="one_case_per_source_record"),
        ]
        # The scope of a list (owning country, then organisation) and its order (year identified, then id, either
        # way): a page of the case list and its capped count read this index alone, whatever the scope's size; a
        # year filter narrows the range (docs/cases.md, "Lists at scale").
        indexes = [models.Index(fields=["owner_country", "year_identified", "organisation", "id"],
                                name="case_scope_idx")]

    def __str__(self) -> str:
        return self.case_code

    @property
    def sex(self) -> str:
        return codes.SEX_OF_GENDER.get(self.gender, "unknown")

    def means_of_control_labels(self) -> list[str]:
        return labels(codes.MeansOfControl, self.means_of_control)

    def recruitment_method_labels(self) -> list[str]:
        return labels(codes.RecruitmentMethod, self.recruitment_methods)

    def sex_exploitation_labels(self) -> list[str]:
        return labels(codes.SexExploitationType, self.sex_exploitation_types)

    def relation_labels(self) -> list[str]:
        return labels(codes.RecruiterRelation, self.relation_codes())

    def industry_labels(self) -> list[str]:
        return labels(codes.Industry, self.industry_codes())

    def recruitment_website_labels(self) -> list[str]:
        return labels(codes.WebsiteOrApp, self.recruitment_websites)

    def exploitation_website_labels(self) -> list[str]:
        return labels(codes.WebsiteOrApp, self.exploitation_websites)

    def migration_status_labels(self) -> list[str]:
        return labels(codes.MigrationStatus, self.migration_statuses)

    def vulnerability_labels(self) -> list[str]:
        return labels(codes.Vulnerability, self.vulnerabilities)

    def citizenship_codes(self) -> list[str]:
        """Every citizenship; a record written before ``citizenships`` existed has its one citizenship."""
        return list(self.citizenships) or ([self.citizenship_id] if self.citizenship_id else [])

    def relation_codes(self) -> list[str]:
        return list(self.recruiter_relations) or ([self.recruiter_relation] if self.recruiter_relation else [])

    def industry_codes(self) -> list[str]:
        return list(self.forced_labour_industries) or (
            [self.forced_labour_industry] if self.forced_labour_industry else [])

    def form_codes(self) -> list[str]:
        return sorted(form.pk for form in self.forms.all())

    @property
    def minor_when_identified(self) -> bool | None:
        """What the "minor" badge shows (see ``minor_when_identified()``); None when neither age nor band is known."""
        known = rules.minor_when_identified(self.age_at_identification, self.age_band)
        if known is None and self.majority_status:
            return self.majority_status == codes.MajorityStatus.MINOR
        return known

    @property
    def on_legal_hold(self) -> bool:
        return self.legal_hold_since is not None

    @property
    def erased(self) -> bool:
        """A tombstone: erased on request, kept for the statistics only; it cannot be edited nor reopened."""
        return self.erased_at is not None


class StatusChange(models.Model):
    """One dated decision on the trafficking status: the history of possible / actual / not a victim."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("trafficking status"), max_length=20, choices=choices(codes.TraffickingStatus))
    decided_by = models.CharField(_("decided by"), max_length=40, choices=choices(codes.DecisionMaker), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["case", "recorded_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status}"


class TraffickingEvent(models.Model):
    """One leg of the route (HTCDS hte_*): recruitment, transit or exploitation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("type"), max_length=20, choices=choices(codes.EventType))
    sequence = models.PositiveSmallIntegerField(_("order on the route"), default=0)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("country"), db_index=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    # HTCDS hte_* details of a historic trafficking event; ``from_hte`` marks a leg read from hte_* columns (not from
    # Palermo's plm_ route columns), so that an export writes it back where it came from.
    city = models.CharField(_("city"), max_length=200, blank=True)
    state = models.CharField(_("state or province"), max_length=200, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=40, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    from_hte = models.BooleanField(_("read from the HTCDS historic events columns"), default=False)

    class Meta:
        ordering = ["case", "sequence", "pk"]
        verbose_name = _("trafficking event")
        verbose_name_plural = _("trafficking events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.country_id or ''}"


class Perpetrator(models.Model):
    """A perpetrator's profile as the victim knows it (HTCDS per_*, with the fields its issue #4 asks for)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    roles = models.JSONField(_("roles in the process"), default=list, blank=True)
    role_details = models.TextField(_("role details"), blank=True)
    is_legal_person = models.BooleanField(_("a business rather than a person"), default=False)
    gender = models.CharField(_("gender"), max_length=30, choices=choices(codes.Gender), blank=True)
    age_band = models.CharField(_("approximate age band"), max_length=5, blank=True)
    citizenship = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("citizenship"), db_index=False)
    relation_to_victim = models.CharField(_("relation to the victim"), max_length=30,
                                          choices=choices(codes.RecruiterRelation), blank=True)

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")

    def __str__(self) -> str:
        return f"{self.case_id}: {', '.join(self.roles)}"

    def role_labels(self) -> list[str]:
        return labels(codes.PerpetratorRole, self.roles)


class SearchToken(models.Model):
    """One keyed hash of a name part or of the birth year of a case: its blind index (``palermo.cases.blind``,
    ``palermo.cases.index``; docs/security.md). Written with the names by every path that writes them (the form,
    imports, key rotation), deleted when the identity is purged or erased. Hidden from the case's relations: it is
    no record about the person, and a subject-access export has nothing to show of it.

    The token is the first 64 bits of the HMAC, as a signed integer (an index on integers is built and searched much
    faster than one on text); the key is (case, token), so no sequence is drawn per row. No database foreign key:
    its check per row would double an import's cost of writing the index; the rows are written and deleted with
    their case, in its transaction, and a search joins the cases anyway."""

    pk = models.CompositePrimaryKey("case", "token")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False)
    token = models.BigIntegerField()
    key_id = models.CharField(max_length=8)

    class Meta:
        indexes = [models.Index(fields=["token", "case"], name="case_search_token_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.key_id}"


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: User) -> ImportJobQuerySet:
        """A case worker's own import jobs, in its organisation; nobody else's."""
        from palermo.cases.access import may_edit_cases

        if not may_edit_cases(user):
            return self.none()
        return self.filter(created_by=user, organisation_id=user.organisation_id)


class ImportJob(models.Model):
    """A file uploaded on the import page: what it is, where it waits, and the import's outcome and report.

    The import runs as a background job (``job``, palermo.jobs), which carries its progress; this row keeps the
    outcome once known. ``pending`` until then.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SUCCEEDED = "succeeded", _("imported")
        REJECTED = "rejected", _("rejected: nothing imported")
        FAILED = "failed", _("failed: nothing imported")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    owner_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=300)
    file_path = models.CharField(max_length=500)
    layout = models.CharField(_("format"), max_length=10)
    source = models.CharField(_("source"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    job = models.OneToOneField("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("background job"))
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status != self.Status.PENDING



class RetentionPolicyQuerySet(models.QuerySet["RetentionPolicy"]):
    def visible_to(self, user: User) -> RetentionPolicyQuerySet:
        """Every country's policy for the roles that see every country, the user's countries' for the others
        who may read them (``palermo.cases.access.may_read_retention``); none for anyone else."""
        from palermo.cases.access import may_read_retention

        if not may_read_retention(user):
            return self.none()
        codes_ = user.country_codes()
        return self.all() if codes_ is None else self.filter(country_id__in=codes_)


class RetentionPolicy(models.Model):
    """How long the identity of a closed case is kept in one owning country; without a policy nothing is purged."""

    country = models.OneToOneField(Country, on_delete=models.PROTECT, primary_key=True, related_name="+",
                                   verbose_name=_("owning country"))
    years_after_closure = models.PositiveSmallIntegerField(_("years kept after closure"))
    legal_basis = models.CharField(_("legal basis or source"), max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"))

    objects = RetentionPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["country"]
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.country_id}: {self.years_after_closure}"
