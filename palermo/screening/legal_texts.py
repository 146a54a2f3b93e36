"""The words of the legal qualification in English and French. Pure Python: the command line and the API
speak them without Django's catalogues, so both languages live side by side here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")


@dataclass(frozen=True)
class Text:
    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


class HasArticle(Protocol):
    @property
    def article(self) -> str: ...


MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
}

MESSAGES: dict[str, Text] = {
    # input
    "not_an_object": Text("The facts must be a JSON object such as {{\"age\": 16, \"acts\": [\"recruitment\"]}}.",
                          "Les faits doivent être un objet JSON tel que {{\"age\": 16, \"acts\": [\"recruitment\"]}}."),
    "unknown_field": Text("Unknown field; the fields are: {expected}.",
                          "Champ inconnu ; les champs sont\u00a0: {expected}."),
    "age_not_number": Text("The age must be a whole number of years, or null when it is not known.",
                           "L'âge doit être un nombre entier d'années, ou null s'il n'est pas connu."),
    "age_range": Text("The age must be between 0 and {max}.", "L'âge doit être compris entre 0 et {max}."),
    "not_a_list": Text("Give a list of codes ([] when there was none, null when it is not known); codes: {expected}.",
                       "Donnez une liste de codes ([] s'il n'y en a aucun, null si ce n'est pas connu) ; "
                       "codes\u00a0: {expected}."),
    "unknown_codes": Text("Unknown code(s) {codes}; the codes are: {expected}.",
                          "Code(s) inconnu(s) {codes} ; les codes sont\u00a0: {expected}."),
    "consent_not_bool": Text("The consent must be true, false or null.",
                             "Le consentement doit valoir true, false ou null."),
    "bad_date": Text("The date must be a day written YYYY-MM-DD, such as 2025-03-01.",
                     "La date doit être un jour écrit AAAA-MM-JJ, par exemple 2025-03-01."),
    # dates
    "no_date": Text("No date is given: the facts are read against the instrument as it applies today.",
                    "Aucune date n'est donnée\u00a0: les faits sont lus au regard de l'instrument tel qu'il s'applique "
                    "aujourd'hui."),
    "before_instrument": Text("The facts ({date}) precede this instrument, which applies from {applies_from} "
                              "({what}) and so does not govern them.",
                              "Les faits ({date}) sont antérieurs à cet instrument, qui s'applique depuis le "
                              "{applies_from} ({what}) et ne les régit donc pas."),
    # act
    "act_met": Text("Act: {acts}.", "Acte\u00a0: {acts}."),
    "act_not_met": Text("No act (recruitment, transportation, transfer, harbouring or receipt of a person) took "
                        "place.",
                        "Aucun acte (recrutement, transport, transfert, hébergement ou accueil d'une personne) n'a "
                        "eu lieu."),
    "act_unknown": Text("Whether there was an act (recruitment, transportation, transfer, harbouring or receipt) is "
                        "not known.",
                        "On ne sait pas s'il y a eu un acte (recrutement, transport, transfert, hébergement ou "
                        "accueil)."),
    # means and age
    "child": Text("The person is a child (aged {age}, under 18): no means is needed.",
                  "La personne est un enfant ({age} ans, moins de 18 ans)\u00a0: aucun moyen n'est requis."),
    "child_means_too": Text("Means were also used: {means}.", "Des moyens ont aussi été employés\u00a0: {means}."),
    "adult_means_met": Text("The person is an adult (aged {age}); means: {means}.",
                            "La personne est majeure ({age} ans) ; moyens\u00a0: {means}."),
    "adult_means_not_met": Text("The person is an adult (aged {age}) and no means was used: for an adult the "
                                "definition needs one.",
                                "La personne est majeure ({age} ans) et aucun moyen n'a été employé\u00a0: pour un "
                                "adulte, la définition en exige un."),
    "adult_means_unknown": Text("The person is an adult (aged {age}); whether a means was used is not known, and "
                                "an adult needs one.",
                                "La personne est majeure ({age} ans) ; on ne sait pas si un moyen a été employé, or "
                                "un adulte en exige un."),
    "unknown_age_means_met": Text("The age is not known; means: {means}. With a means, the age does not matter.",
                                  "L'âge n'est pas connu ; moyens\u00a0: {means}. Avec un moyen, l'âge importe peu."),
    "unknown_age_no_means": Text("The age is not known and no means was used: under 18 no means is needed, at 18 or "
                                 "over one is, so the age must be established.",
                                 "L'âge n'est pas connu et aucun moyen n'a été employé\u00a0: avant 18 ans aucun moyen "
                                 "n'est requis, à 18 ans ou plus il en faut un ; l'âge doit donc être établi."),
    "unknown_age_means_unknown": Text("Neither the age nor the use of a means is known.",
                                      "Ni l'âge ni l'emploi d'un moyen ne sont connus."),
    "age_presumption": Text("Where the age is uncertain and there are reasons to believe the person is a child, "
                            "they are presumed a child for their protection ({article}).",
                            "Lorsque l'âge est incertain et qu'il existe des raisons de croire que la personne est "
                            "un enfant, elle est présumée enfant pour sa protection ({article})."),
    # consent
    "consent_means": Text("The consent given is irrelevant, because a means was used ({article}).",
                          "Le consentement donné est indifférent, puisqu'un moyen a été employé ({article})."),
    "consent_no_means": Text("The person consented and no means was used: consent is set aside only where a means "
                             "was used ({article}).",
                             "La personne a consenti et aucun moyen n'a été employé\u00a0: le consentement n'est "
                             "écarté que lorsqu'un moyen a été employé ({article})."),
    "consent_means_unknown": Text("The consent given would be irrelevant if any means was used ({article}): find "
                                  "out whether one was.",
                                  "Le consentement donné serait indifférent si un moyen a été employé "
                                  "({article})\u00a0: il faut établir s'il l'a été."),
    "consent_child": Text("A child's consent changes nothing: no means is needed.",
                          "Le consentement d'un enfant ne change rien\u00a0: aucun moyen n'est requis."),
    # purposes
    "purpose_unknown": Text("The purpose of exploitation is not known.",
                            "Le but d'exploitation n'est pas connu."),
    "purpose_none": Text("There was no purpose of exploitation.", "Il n'y avait aucun but d'exploitation."),
    "purpose_named": Text("Purpose: {purpose}, named in {article}.", "But\u00a0: {purpose}, cité à l'{article}."),
    "purpose_included": Text("Purpose: {purpose}, named in {article} as part of {under}.",
                             "But\u00a0: {purpose}, cité à l'{article} comme relevant du {under}."),
    "purpose_under": Text("Purpose: {purpose}, not named in {article}, falls under {under} where the work or "
                          "service is exacted under the menace of a penalty.",
                          "But\u00a0: {purpose}, non cité à l'{article}, relève du {under} lorsque le travail ou le "
                          "service est exigé sous la menace d'une peine."),
    "purpose_added": Text("Purpose: {purpose}, added to the list by Directive (EU) 2024/1712 ({article}).",
                          "But\u00a0: {purpose}, ajouté à la liste par la directive (UE) 2024/1712 ({article})."),
    "purpose_open": Text("Purpose: {purpose} is not named in {article}, whose list is a minimum: it counts only "
                         "where the facts also amount to a named form (such as servitude, slavery or a practice "
                         "similar to slavery, or forced labour or services); record that form if they do.",
                         "But\u00a0: {purpose} n'est pas cité à l'{article}, dont la liste est un minimum\u00a0: "
                         "il ne compte que si les faits constituent aussi une forme citée (servitude, esclavage ou "
                         "pratique analogue, travail ou services forcés, par exemple) ; enregistrez cette forme le "
                         "cas échéant."),
    # verdicts
    "verdict_trafficking": Text("Every element is met: the facts point to trafficking under this instrument.",
                                "Tous les éléments sont réunis\u00a0: les faits relèvent de la traite au sens de cet "
                                "instrument."),
    "verdict_not_trafficking": Text("An element the definition needs is missing: not trafficking under this "
                                    "instrument (another offence may still apply).",
                                    "Un élément requis par la définition manque\u00a0: pas de traite au sens de cet "
                                    "instrument (une autre infraction peut s'appliquer)."),
    "verdict_not_in_force": Text("Not trafficking under this instrument, which did not apply at the time; see the "
                                 "instruments that did.",
                                 "Pas de traite au sens de cet instrument, qui ne s'appliquait pas à l'époque ; "
                                 "voir les instruments alors applicables."),
    "verdict_age_decides": Text("Insufficient information: the age decides.",
                                "Informations insuffisantes\u00a0: l'âge est déterminant."),
    "verdict_insufficient": Text("Insufficient information: establish the unknown elements.",
                                 "Informations insuffisantes\u00a0: établissez les éléments inconnus."),
    "unverified_wording": Text("The wording of {articles} has not been checked against the official text in this "
                               "project.",
                               "La formulation de {articles} n'a pas été vérifiée sur le texte officiel dans ce "
                               "projet."),
    "notice": Text("An indication for professionals, not a court's finding.",
                   "Une indication pour les professionnels, pas une décision de justice."),
}


def _localised(value: Any, language: Language) -> Any:
    return value.get(language) if isinstance(value, Text) else value


def say(key: str, **params: Any) -> Text:
    """The message ``key`` in both languages, its ``{placeholders}`` filled (a ``Text`` value per language)."""
    message = MESSAGES[key]
    return Text(*(getattr(message, lang).format(**{k: _localised(v, lang) for k, v in params.items()})
                  for lang in LANGUAGES))


def join_labels(labels: Sequence[Text]) -> Text:
    return Text(", ".join(label.en for label in labels), ", ".join(label.fr for label in labels))


def long_date(day: date) -> Text:
    return Text(f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}",
                f"{day.day} {MONTHS['fr'][day.month - 1]} {day.year}")


def article_list(articles: Iterable[HasArticle], separator: str = "; ") -> str:
    """The articles in order of first use, each once: ``Art. 3(a); Art. 3(c)``."""
    seen: list[str] = []
    for article in articles:
        if article.article not in seen:
            seen.append(article.article)
    return separator.join(seen)
