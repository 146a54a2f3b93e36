"""Attendance sheets as people keep them (CSV or XLSX, English or French headers), imported all or nothing.

The file is read by the cases import's readers (``palermo.cases.importing.readers``, with their ``Limits``); each
row is checked as a participant added by hand (``services.participant_problems``). One bad row and nothing is
written; the report names every bad row, its column and the reason. A row naming a participant already on the
training (same family name, given name and email, case ignored) updates it, so importing the same sheet twice, or
the sheet completed with the post-test scores, does not duplicate anyone. One audit row names the import.

Columns (header names, case and accents ignored; the first matching header wins):

====================  ===========================================================================
given_name            Given name, First name, Prénom                              (required)
family_name           Family name, Surname, Last name, Nom, Nom de famille        (required)
sex                   Sex, Gender, Sexe, Genre: female/F/woman/femme, male/M/man/homme/H, other/autre
profession            Profession, Métier: a code (``judge``) or its English or French name
organisation          Organisation, Organization, Institution, Employer, Employeur
email                 Email, E-mail, Courriel
attended              Attended, Present, Présent: yes/no, oui/non, 1/0, x (empty: yes)
pre_score             Pre-test, Pre score, Pré-test, Score avant
post_score            Post-test, Post score, Score après
====================  ===========================================================================
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.capacity.choices import Profession, Sex
from palermo.capacity.models import Participant, Training
from palermo.capacity.services import (
    ParticipantData,
    locked_training,
    participant_problems,
    refresh_figures,
    require_edit,
)
from palermo.cases.importing.readers import Limits, UnreadableFile, read_table
from palermo.cases.importing.records import ROW_KEY

LIMITS = Limits(max_bytes=20 * 1024 * 1024, max_uncompressed_bytes=100 * 1024 * 1024, max_rows=100_000,
                max_columns=100)
MAX_PROBLEMS = 1000  # kept in the report; the count goes on
HEADERS: dict[str, tuple[str, ...]] = {
    "given_name": ("given name", "givenname", "first name", "firstname", "forename", "prenom"),
    "family_name": ("family name", "familyname", "surname", "last name", "lastname", "nom", "nom de famille"),
    "sex": ("sex", "gender", "sexe", "genre"),
    "profession": ("profession", "metier", "occupation"),
    "organisation": ("organisation", "organization", "institution", "employer", "employeur", "structure"),
    "email": ("email", "e mail", "courriel", "adresse electronique"),
    "attended": ("attended", "present", "presence", "attendance"),
    "pre_score": ("pre test", "pretest", "pre score", "prescore", "score avant", "pre test score"),
    "post_score": ("post test", "posttest", "post score", "postscore", "score apres", "post test score"),
}
REQUIRED = ("given_name", "family_name", "sex", "profession")
SEXES = {"female": Sex.FEMALE, "f": Sex.FEMALE, "woman": Sex.FEMALE, "women": Sex.FEMALE, "w": Sex.FEMALE,
         "femme": Sex.FEMALE, "feminin": Sex.FEMALE, "male": Sex.MALE, "m": Sex.MALE, "man": Sex.MALE,
         "men": Sex.MALE, "homme": Sex.MALE, "h": Sex.MALE, "masculin": Sex.MALE, "other": Sex.OTHER,
         "autre": Sex.OTHER, "x": Sex.OTHER}
YES = frozenset({"", "yes", "y", "oui", "o", "1", "true", "vrai", "x"})
NO = frozenset({"no", "n", "non", "0", "false", "faux", "absent", "absente"})
PROFESSION_WORDS = {
    "police officer": Profession.POLICE, "policier": Profession.POLICE, "policiere": Profession.POLICE,
    "border police officer": Profession.BORDER_POLICE, "border guard": Profession.BORDER_POLICE,
    "garde frontiere": Profession.BORDER_POLICE, "prosecutor": Profession.PROSECUTOR,
    "procureur": Profession.PROSECUTOR, "judge": Profession.JUDGE, "juge": Profession.JUDGE,
    "labour inspector": Profession.LABOUR_INSPECTOR, "labor inspector": Profession.LABOUR_INSPECTOR,
    "inspecteur du travail": Profession.LABOUR_INSPECTOR, "social worker": Profession.SOCIAL_WORKER,
    "travailleur social": Profession.SOCIAL_WORKER, "travailleuse sociale": Profession.SOCIAL_WORKER,
    "health worker": Profession.HEALTH_STAFF, "doctor": Profession.HEALTH_STAFF, "nurse": Profession.HEALTH_STAFF,
    "teacher": Profession.TEACHER, "enseignant": Profession.TEACHER, "enseignante": Profession.TEACHER,
    "ngo": Profession.NGO_STAFF, "ong": Profession.NGO_STAFF, "consular officer": Profession.CONSULAR_STAFF,
    "consul": Profession.CONSULAR_STAFF,
    # the French names, whatever the catalogue says
    "policiers": Profession.POLICE, "police aux frontieres": Profession.BORDER_POLICE,
    "police des frontieres": Profession.BORDER_POLICE, "procureurs": Profession.PROSECUTOR,
    "magistrat du parquet": Profession.PROSECUTOR, "juges": Profession.JUDGE, "magistrat du siege": Profession.JUDGE,
    "inspecteurs du travail": Profession.LABOUR_INSPECTOR, "travailleurs sociaux": Profession.SOCIAL_WORKER,
    "personnel de sante": Profession.HEALTH_STAFF, "soignant": Profession.HEALTH_STAFF,
    "enseignants": Profession.TEACHER, "personnel d ong": Profession.NGO_STAFF,
    "personnel des ong": Profession.NGO_STAFF, "personnel consulaire": Profession.CONSULAR_STAFF,
    "agent consulaire": Profession.CONSULAR_STAFF,
}


def normal(text: str) -> str:
    """Lower case, accents, punctuation and extra spaces removed: "Pré-test" -> "pre test"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


@cache
def _professions() -> dict[str, str]:
    words = {normal(code): code for code in Profession.values} | {normal(k): v for k, v in PROFESSION_WORDS.items()}
    for language in ("en", "fr"):
        with translation.override(language):
            words |= {normal(str(label)): code for code, label in Profession.choices}
    return words


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    value: str
    reason: str


@dataclass
class AttendanceReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> header used
    ignored_columns: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and not self.problem_count

    def add(self, row: int, name: str, value: str, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, name, value, reason))

    def as_dict(self, *, with_values: bool = True) -> dict[str, Any]:
        return {"ok": self.ok, "rows": self.rows, "created": self.created, "updated": self.updated,
                "error": self.error, "problem_count": self.problem_count, "columns": self.columns,
                "ignored_columns": self.ignored_columns,
                "problems": [{"row": p.row, "field": p.field, "reason": p.reason}
                             | ({"value": p.value} if with_values else {}) for p in self.problems]}


def match_columns(names: list[str]) -> tuple[dict[str, str], list[str]]:
    """The header of the file used for each field, and the headers used for none."""
    found: dict[str, str] = {}
    for name in names:
        key = normal(name)
        for target, aliases in HEADERS.items():
            if target not in found and (key == normal(target) or key in aliases):
                found[target] = name
                break
    used = set(found.values())
    return found, [name for name in names if name not in used and not name.startswith("__")]


def _score(text: str) -> Decimal | None:
    text = text.strip().replace(",", ".").replace("\u202f", "").replace("\xa0", "").removesuffix("%").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Not a number.")) from None
    if not value.is_finite():
        raise ValueError(_("Not a number."))
    return value


def parse_row(raw: dict[str, str], columns: dict[str, str], training: Training,
              problem: Callable[[str, str, str], None]) -> ParticipantData | None:
    """One participant from one row, or None after reporting its problems through ``problem(field, value, why)``."""
    cell = {name: (raw.get(header) or "").strip() for name, header in columns.items()}
    bad = False
    sex = SEXES.get(normal(cell.get("sex", "")), cell.get("sex", ""))
    profession = _professions().get(normal(cell.get("profession", "")), cell.get("profession", ""))
    attended_text = normal(cell.get("attended", ""))
    if attended_text not in YES and attended_text not in NO:
        problem("attended", cell["attended"], _("Write yes or no."))
        bad = True
    scores: dict[str, Decimal | None] = {}
    for name in ("pre_score", "post_score"):
        try:
            scores[name] = _score(cell.get(name, ""))
        except ValueError as error:
            problem(name, cell.get(name, ""), str(error))
            scores[name], bad = None, True
    data = ParticipantData(given_name=cell.get("given_name", ""), family_name=cell.get("family_name", ""),
                           sex=sex, profession=profession, organisation=cell.get("organisation", ""),
                           email=cell.get("email", ""), attended=attended_text not in NO, **scores)
    for name, reason in participant_problems(data, training.max_score).items():
        problem(name, cell.get(name, ""), reason)
        bad = True
    return None if bad else data


def _key(data: ParticipantData | Participant) -> tuple[str, str, str]:
    return (normal(data.family_name), normal(data.given_name), data.email.strip().lower())


def _raw_key(raw: dict[str, str], columns: dict[str, str]) -> tuple[str, str, str]:
    def cell(name: str) -> str:
        return (raw.get(columns[name]) or "").strip() if name in columns else ""

    return (normal(cell("family_name")), normal(cell("given_name")), cell("email").lower())


def import_attendance(*, acting_user: Actor, training: Training, path: str | Path, limits: Limits = LIMITS,
                      progress: Callable[[int], None] | None = None) -> AttendanceReport:
    """Read, check and write the sheet: every row or none (the report says why none)."""
    report = AttendanceReport()
    require_edit(acting_user, training)
    try:
        names, rows = read_table(path, limits)
        report.columns, report.ignored_columns = match_columns(names)
        missing = [name for name in REQUIRED if name not in report.columns]
        if missing:
            report.error = _("Missing column(s): %(names)s.") % {"names": ", ".join(missing)}
            return report
        parsed: list[tuple[int, ParticipantData]] = []
        seen: dict[tuple[str, str, str], int] = {}
        for raw in rows:
            number = int(raw[ROW_KEY])
            if not any(value.strip() for key, value in raw.items() if key != ROW_KEY):
                continue  # a blank line of the sheet
            report.rows += 1
            data = parse_row(raw, report.columns, training,
                             lambda name, value, why, number=number: report.add(number, name, value, why))
            key = _raw_key(raw, report.columns)
            if key[0] and key[1]:
                if key in seen:
                    report.add(number, "family_name", raw.get(report.columns["family_name"], ""),
                               _("The same participant is already on row %(row)d.") % {"row": seen[key]})
                    continue
                seen[key] = number
            if data is not None:
                parsed.append((number, data))
            if progress is not None and report.rows % 1000 == 0:
                progress(report.rows)
    except UnreadableFile as error:
        report.error = str(error)
        return report
    if not report.rows and not report.problem_count:
        report.error = _("The file holds no participant.")
    if not report.ok:
        return report
    _write(acting_user, training, parsed, report)
    return report


@transaction.atomic
def _write(acting_user: Actor, training: Training, parsed: list[tuple[int, ParticipantData]],
           report: AttendanceReport) -> None:
    locked = locked_training(training)
    require_edit(acting_user, locked)
    existing = {_key(p): p for p in Participant.objects.filter(training=locked)}
    new: list[Participant] = []
    changed: list[Participant] = []
    fields = ["given_name", "family_name", "sex", "profession", "organisation", "email", "attended", "pre_score",
              "post_score"]
    for _number, data in parsed:
        values = {"given_name": data.given_name.strip(), "family_name": data.family_name.strip(), "sex": data.sex,
                  "profession": data.profession, "organisation": data.organisation.strip(),
                  "email": data.email.strip().lower(), "attended": data.attended, "pre_score": data.pre_score,
                  "post_score": data.post_score}
        found = existing.get(_key(data))
        if found is None:
            new.append(Participant(training=locked, **values))
            continue
        for name, value in values.items():
            setattr(found, name, value)
        changed.append(found)
    Participant.objects.bulk_create(new, batch_size=2000)
    Participant.objects.bulk_update(changed, fields, batch_size=2000)
    report.created, report.updated = len(new), len(changed)
    record(actor=acting_user, action=AuditEvent.Action.IMPORT, object_type="capacity.training",
           object_id=locked.pk, country=locked.country_id,
           detail={"rows": report.rows, "created": report.created, "updated": report.updated})
    refresh_figures(acting_user, [locked.action_id])
