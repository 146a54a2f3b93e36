"""The lists a campaign is described with: target populations, channels, languages, risks, material kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.awareness import measures, risk


class Population(models.TextChoices):
    CHILDREN = "children", _("children and adolescents")
    PARENTS_TEACHERS = "parents_teachers", _("parents and teachers")
    MINORITIES = "minorities", _("Roma and other minorities")
    MIGRANTS = "migrants", _("migrants and asylum seekers on the route")
    WOMEN = "women_precarious", _("women in precarious situations")
    JOB_SEEKERS = "job_seekers", _("job seekers going abroad")
    STUDENTS = "students", _("students")
    PROFESSIONALS = "professionals", _("professionals")


class Channel(models.TextChoices):
    SCHOOLS = "schools", _("schools")
    SOCIAL_MEDIA = "social_media", _("social media")
    BROADCAST = "broadcast", _("radio and television")
    STREET = "street", _("street outreach")
    BORDER = "border", _("border and transit points")
    HOTLINE = "hotline", _("hotlines")
    JOB_FAIRS = "job_fairs", _("job fairs")


class Language(models.TextChoices):
    """BCP 47 tags: Serbian in both scripts, Montenegrin (cnr) and Romani (rom) by their ISO 639 codes."""

    ALBANIAN = "sq", _("Albanian")
    BOSNIAN = "bs", _("Bosnian")
    BULGARIAN = "bg", _("Bulgarian")
    CROATIAN = "hr", _("Croatian")
    GREEK = "el", _("Greek")
    MACEDONIAN = "mk", _("Macedonian")
    MONTENEGRIN = "cnr", _("Montenegrin")
    ROMANIAN = "ro", _("Romanian")
    SERBIAN_LATIN = "sr-Latn", _("Serbian (Latin script)")
    SERBIAN_CYRILLIC = "sr-Cyrl", _("Serbian (Cyrillic script)")
    ROMANI = "rom", _("Romani")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class Risk(models.TextChoices):
    JOB_OFFERS = "job_offers", _("deceptive job offers")
    GROOMING = "online_grooming", _("online grooming")
    LOVER_BOY = "lover_boy", _("\"lover boy\" recruitment")
    BEGGING = "forced_begging", _("forced begging")
    LABOUR_ABROAD = "labour_abroad", _("labour exploitation abroad")
    MARRIAGE = "forced_marriage", _("forced marriage")
    ROUTE = "migration_route", _("exploitation on the migration route")


class MaterialKind(models.TextChoices):
    MESSAGE = "message", _("key message")
    LEAFLET = "leaflet", _("leaflet")
    POSTER = "poster", _("poster")
    VIDEO = "video", _("video")
    RADIO = "radio", _("radio spot")
    POST = "post", _("social media post")
    LESSON = "lesson", _("lesson plan")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    APPROVED = "approved", _("approved")
    CHANGES = "changes", _("changes requested")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")


AGE_BAND_CHOICES = [(band, band) for band in measures.AGE_BANDS]
PROFILE_AGE_BAND_CHOICES = [(band, band) for band in risk.AGE_BANDS]
DIMENSION_LABELS = {
    "citizenship": _("citizenship"),
    "sex": _("sex"),
    "age_band": _("age band"),
    "recruitment": _("recruitment method"),
    "form": _("form of exploitation"),
    "thb_form": _("form of THB"),
}
