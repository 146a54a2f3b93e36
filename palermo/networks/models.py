"""Investigation networks on the FollowTheMoney model (``followthemoney``): entities as imported, the links between
them, the shared values (phones, e-mails, addresses, accounts, plates, document numbers) that become link nodes,
where each statement came from, and what analysts add (roles, links to case records, diagnoses).

Stored compactly for millions of rows: an entity keeps its merged FtM properties as one JSON value; each source's
part of it (its statements, with the source's document, agency, date and country) is one ``Fragment`` row; a link
between two entities is one ``Link`` row of integers (what the analysis reads as arrays); an edge entity with
properties of its own (a payment, a call) is also an ``Entity`` row that the link points to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import Principal, is_active_user, is_system
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.reference.models import Country

# Roles that read and work on networks (within their countries: owner or shared with).
NETWORK_ROLES = frozenset({Role.ANALYST, Role.NATIONAL_COORDINATOR})


class NetworkQuerySet(models.QuerySet["Network"]):
    def visible_to(self, user: Principal | None) -> NetworkQuerySet:
        """Analysts and national coordinators: the networks their countries own or that were shared with one of
        their countries. Everyone else: none (the steering committee reads diagnoses without identities)."""
        if is_system(user):
            return self.all()
        if not (is_active_user(user) and user.role in NETWORK_ROLES):
            return self.none()
        codes = user.country_codes()
        if codes is None:
            return self.all()
        return self.filter(Q(owner_country_id__in=codes) | Q(shared_with__code__in=codes)).distinct()


class Network(models.Model):
    """A named set of entities, owned by a country and shared with others. ``version`` grows with every change of
    its content; analyses are cached per version."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    owner_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="networks",
                                      verbose_name=_("owning country"))
    shared_with = models.ManyToManyField(Country, blank=True, related_name="networks_shared",
                                         verbose_name=_("shared with"))
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """Where statements came from: a document of an agency, of a date, from a country."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="sources", verbose_name=_("network"))
    name = models.CharField(_("name"), max_length=200)
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    document = models.CharField(_("document"), max_length=300, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["network", "name"]
        constraints = [models.UniqueConstraint(fields=["network", "name"], name="network_source_unique")]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


class EntityQuerySet(models.QuerySet["Entity"]):
    def visible_to(self, user: Principal | None) -> EntityQuerySet:
        return self.filter(network__in=Network.objects.visible_to(user))

    def nodes(self) -> EntityQuerySet:
        """Entities drawn as nodes (not the edge entities a link carries)."""
        return self.filter(is_edge=False)


class Entity(models.Model):
    """One FollowTheMoney entity of a network (Person, Company, Address, Vehicle, BankAccount, Payment, Call...):
    its FtM id, schema, caption and merged properties (``{property: [values]}``), the country of the source that
    first named it, and its temporal extent (for the timeline and period filters)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="entities",
                                verbose_name=_("network"))
    ftm_id = models.CharField(_("FollowTheMoney id"), max_length=128)
    schema = models.CharField(_("type"), max_length=40)
    caption = models.CharField(_("name"), max_length=300, blank=True)
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("country of the source"))
    is_edge = models.BooleanField(_("link entity"), default=False)
    first_date = models.DateField(_("from"), null=True, blank=True)
    last_date = models.DateField(_("to"), null=True, blank=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["network", "id"]
        constraints = [models.UniqueConstraint(fields=["network", "ftm_id"], name="network_entity_unique")]
        indexes = [models.Index(fields=["network", "schema"], name="network_entity_schema_idx")]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return self.caption or self.ftm_id


class PersonManager(models.Manager["Person"]):
    def get_queryset(self) -> models.QuerySet[Person]:
        return super().get_queryset().filter(schema="Person")


class Person(Entity):
    """The entities of schema Person (what entity resolution works on)."""

    objects = PersonManager()  # type: ignore[assignment,misc]

    class Meta:
        proxy = True
        verbose_name = _("person")
        verbose_name_plural = _("persons")


class Fragment(models.Model):
    """What one source says of one entity: its statements (``{property: [values]}``), with the row or line of the
    file they came from."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="fragments", verbose_name=_("entity"))
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fragments", verbose_name=_("source"))
    properties = models.JSONField(_("statements"), default=dict, blank=True)
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)

    class Meta:
        ordering = ["entity", "id"]
        verbose_name = _("statement set")
        verbose_name_plural = _("statement sets")

    def __str__(self) -> str:
        return f"{self.entity_id} ({self.source_id})"


class Link(models.Model):
    """A link between two entities of a network: an FtM edge (Associate, Family, Membership, Employment,
    Ownership, Payment...), a Call between two numbers' holders, a Trip's traveller... ``entity`` is the edge
    entity carrying its properties when there is one."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="links", verbose_name=_("network"))
    from_entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="links_out",
                                    verbose_name=_("from"), db_index=False)
    to_entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("to"),
                                  db_index=False)
    schema = models.CharField(_("type"), max_length=40)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("link entity"), db_index=False)
    weight = models.FloatField(_("weight"), default=1)
    date = models.DateField(_("date"), null=True, blank=True)
    amount = models.FloatField(_("amount or duration"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="links", verbose_name=_("source"),
                               db_index=False)

    class Meta:
        ordering = ["network", "id"]
        indexes = [models.Index(fields=["network", "from_entity"], name="network_link_from_idx"),
                   models.Index(fields=["network", "to_entity"], name="network_link_to_idx")]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return f"{self.from_entity_id} → {self.to_entity_id} ({self.schema})"


class SharedValue(models.Model):
    """A normalised value an entity carries that others may share (phone in E.164, e-mail, address, IBAN or
    account number, plate, document number): the entities sharing one are linked through it."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("e-mail")
        ADDRESS = "address", _("address")
        ACCOUNT = "account", _("account number")
        PLATE = "plate", _("registration plate")
        IDENTIFIER = "identifier", _("document number")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+", verbose_name=_("network"),
                                db_index=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=300)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="shared_values",
                               verbose_name=_("entity"))

    class Meta:
        ordering = ["network", "kind", "value"]
        indexes = [models.Index(fields=["network", "kind", "value"], name="network_value_idx")]
        verbose_name = _("shared value")
        verbose_name_plural = _("shared values")

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class RoleSuggestion(models.TextChoices):
    RECRUITER = "recruiter", _("recruiter")
    TRANSPORTER = "transporter", _("transporter")
    EXPLOITER = "exploiter", _("exploiter")
    MONEY_HANDLER = "money_handler", _("money handler")
    FACILITATOR = "facilitator", _("facilitator")


class RoleAnnotation(models.Model):
    """An analyst's note that an entity seems to play a role: an annotation, used with links and case data to
    suggest roles (always shown as suggestions)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="role_annotations",
                               verbose_name=_("entity"))
    role = models.CharField(_("role"), max_length=20, choices=RoleSuggestion.choices)
    note = models.TextField(_("note"), blank=True)
    annotated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("annotated by"))
    annotated_at = models.DateTimeField(_("annotated at"), auto_now_add=True)

    class Meta:
        ordering = ["entity", "role"]
        constraints = [models.UniqueConstraint(fields=["entity", "role"], name="network_role_unique")]
        verbose_name = _("role annotation")
        verbose_name_plural = _("role annotations")

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.role}"


class CaseLink(models.Model):
    """A person of a network who is a victim or perpetrator of a case record (within the linking user's scope)."""

    class Role(models.TextChoices):
        VICTIM = "victim", _("victim")
        PERPETRATOR = "perpetrator", _("perpetrator")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="case_links",
                               verbose_name=_("person"))
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    role = models.CharField(_("role in the case"), max_length=20, choices=Role.choices)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("linked by"))
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["entity", "case"]
        constraints = [models.UniqueConstraint(fields=["entity", "case"], name="network_case_link_unique")]
        verbose_name = _("link to a case")
        verbose_name_plural = _("links to cases")

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.case_id} ({self.role})"


class Analysis(models.Model):
    """The figures of one analysis of a network at one version (cached: the pages read them)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="analyses",
                                verbose_name=_("network"))
    version = models.PositiveIntegerField(_("version"))
    key = models.CharField(_("options"), max_length=100, default="")
    figures = models.JSONField(_("figures"), default=dict)
    seconds = models.FloatField(_("seconds"), default=0)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        ordering = ["network", "-version"]
        constraints = [models.UniqueConstraint(fields=["network", "version", "key"], name="network_analysis_unique")]
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")

    def __str__(self) -> str:
        return f"{self.network_id} v{self.version} {self.key}"


class DiagnosisQuerySet(models.QuerySet["Diagnosis"]):
    def visible_to(self, user: Principal | None) -> DiagnosisQuerySet:
        """The network's readers; the source country's national coordinator once shared; the programme manager,
        the embassy officers and the auditor (the steering committee) once co-signed, without identities."""
        if is_system(user):
            return self.all()
        if not is_active_user(user):
            return self.none()
        readers = Q(network__in=Network.objects.visible_to(user))
        if user.role == Role.NATIONAL_COORDINATOR:
            readers |= Q(source_country_id__in=user.country_codes() or []) & ~Q(status=Diagnosis.Status.DRAFTING)
        if user.role in {Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER, Role.AUDITOR}:
            readers |= Q(status=Diagnosis.Status.COSIGNED)
        return self.filter(readers).distinct()


class Diagnosis(models.Model):
    """A network diagnosis of a year: drafted, shared with the source country's national coordinator, commented,
    co-signed. Each step is a ``DiagnosisStep``; ``jointly`` tells the steering review it was established with the
    source country."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("drafting")
        SHARED = "shared", _("shared with the source country")
        COMMENTED = "commented", _("commented")
        COSIGNED = "cosigned", _("co-signed")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="diagnoses",
                                verbose_name=_("network"))
    year = models.PositiveIntegerField(_("year"))
    source_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("source country"))
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFTING)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("drafted by"))
    cosigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("co-signed by"))
    cosigned_at = models.DateTimeField(_("co-signed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DiagnosisQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "network"]
        constraints = [models.UniqueConstraint(fields=["network", "year"], name="network_diagnosis_year_unique")]
        verbose_name = _("network diagnosis")
        verbose_name_plural = _("network diagnoses")

    def __str__(self) -> str:
        return f"{self.network.name} {self.year}"

    @property
    def jointly(self) -> bool:
        return self.status == self.Status.COSIGNED


class DiagnosisStep(models.Model):
    """One recorded step of a diagnosis: drafted, shared, commented, co-signed."""

    class Step(models.TextChoices):
        DRAFTED = "drafted", _("drafted")
        SHARED = "shared", _("shared")
        COMMENTED = "commented", _("commented")
        COSIGNED = "cosigned", _("co-signed")

    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="steps",
                                  verbose_name=_("diagnosis"))
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("country"))
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["diagnosis", "at", "id"]
        verbose_name = _("diagnosis step")
        verbose_name_plural = _("diagnosis steps")

    def __str__(self) -> str:
        return f"{self.diagnosis_id}: {self.step}"
