"""The legal qualification, instrument by instrument, on worked cases (no database, no Django)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from palermo.screening import legal
from palermo.screening.legal_texts import MESSAGES

P, W, D11, D24 = "palermo_protocol", "warsaw_convention", "eu_directive_2011_36", "eu_directive_2024_1712"
T, N, U = "trafficking", "not_trafficking", "insufficient_information"
ADULT = {"age": 30, "acts": ["recruitment"], "means": ["deception"], "date": "2025-03-01"}
CHILD = {"age": 16, "acts": ["recruitment"], "means": [], "date": "2025-03-01"}


def facts(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


# (name, facts, {instrument: verdict}, {instrument: (act, means, purpose)} or None)
CASES: list[tuple[str, dict[str, Any], dict[str, str], dict[str, tuple[str, str, str]] | None]] = [
    # ---------------------------------------------------------------- each element
    ("adult, all three elements", facts(ADULT, purposes=["sexual_exploitation"]),
     {P: T, W: T, D11: T, D24: T}, {P: ("met", "met", "met")}),
    ("adult, no act", facts(ADULT, acts=[], purposes=["forced_labour"]),
     {P: N, W: N, D11: N, D24: N}, {P: ("not_met", "met", "met")}),
    ("adult, act unknown", facts(ADULT, acts=None, purposes=["forced_labour"]),
     {P: U, W: U, D11: U, D24: U}, {P: ("unknown", "met", "met")}),
    ("adult, act key missing", {k: v for k, v in facts(ADULT, purposes=["forced_labour"]).items() if k != "acts"},
     {P: U, W: U, D11: U, D24: U}, {P: ("unknown", "met", "met")}),
    ("adult, no means", facts(ADULT, means=[], purposes=["forced_labour"]),
     {P: N, W: N, D11: N, D24: N}, {P: ("met", "not_met", "met")}),
    ("adult, means unknown", facts(ADULT, means=None, purposes=["forced_labour"]),
     {P: U, W: U, D11: U, D24: U}, {P: ("met", "unknown", "met")}),
    ("adult, no purpose", facts(ADULT, purposes=[]),
     {P: N, W: N, D11: N, D24: N}, {P: ("met", "met", "not_met")}),
    ("adult, purpose unknown", facts(ADULT, purposes=None),
     {P: U, W: U, D11: U, D24: U}, {P: ("met", "met", "unknown")}),
    ("every act counts: receipt", facts(ADULT, acts=["receipt"], purposes=["servitude"]),
     {P: T, W: T, D11: T, D24: T}, None),
    ("every act counts: harbouring", facts(ADULT, acts=["harbouring"], purposes=["slavery"]),
     {P: T, W: T, D11: T, D24: T}, None),
    ("every means counts: payments", facts(ADULT, means=["payments"], purposes=["organ_removal"]),
     {P: T, W: T, D11: T, D24: T}, None),
    ("every means counts: abuse of vulnerability", facts(ADULT, means=["abuse_of_vulnerability"],
                                                         purposes=["forced_labour"]),
     {P: T, W: T, D11: T, D24: T}, None),
    ("nothing known at all", {}, {P: U, W: U, D11: U, D24: U}, {P: ("unknown", "unknown", "unknown")}),
    ("everything known to be absent", {"age": 25, "acts": [], "means": [], "purposes": []},
     {P: N, W: N, D11: N, D24: N}, {P: ("not_met", "not_met", "not_met")}),
    ("a missing element outweighs an unknown one", facts(ADULT, acts=None, purposes=[]),
     {P: N, W: N, D11: N, D24: N}, None),
    # ---------------------------------------------------------------- the child rule
    ("child of 17, no means", facts(CHILD, age=17, purposes=["sexual_exploitation"]),
     {P: T, W: T, D11: T, D24: T}, {P: ("met", "not_met", "met")}),
    ("18, no means: an adult needs one", facts(CHILD, age=18, purposes=["sexual_exploitation"]),
     {P: N, W: N, D11: N, D24: N}, None),
    ("17, means unknown: not needed", facts(CHILD, age=17, means=None, purposes=["forced_labour"]),
     {P: T, W: T, D11: T, D24: T}, {P: ("met", "unknown", "met")}),
    ("18, means unknown", facts(CHILD, age=18, means=None, purposes=["forced_labour"]),
     {P: U, W: U, D11: U, D24: U}, None),
    ("17, means used as well", facts(CHILD, age=17, means=["threat"], purposes=["forced_labour"]),
     {P: T, W: T, D11: T, D24: T}, None),
    ("newborn, illegal adoption (2024 directive only)", facts(CHILD, age=0, purposes=["illegal_adoption"]),
     {P: U, W: U, D11: U, D24: T}, None),
    ("unknown age, no means: the age decides", facts(CHILD, age=None, purposes=["sexual_exploitation"]),
     {P: U, W: U, D11: U, D24: U}, {P: ("met", "not_met", "met")}),
    ("unknown age, means used: the age does not matter", facts(CHILD, age=None, means=["force"],
                                                              purposes=["sexual_exploitation"]),
     {P: T, W: T, D11: T, D24: T}, None),
    ("unknown age, means unknown", facts(CHILD, age=None, means=None, purposes=["sexual_exploitation"]),
     {P: U, W: U, D11: U, D24: U}, None),
    ("unknown age, no means, no act", facts(CHILD, age=None, acts=[], purposes=["sexual_exploitation"]),
     {P: N, W: N, D11: N, D24: N}, None),
    ("child, no purpose", facts(CHILD, purposes=[]), {P: N, W: N, D11: N, D24: N}, None),
    # ---------------------------------------------------------------- consent
    ("adult consented, deception used", facts(ADULT, consent=True, purposes=["forced_labour"]),
     {P: T, W: T, D11: T, D24: T}, None),
    ("adult consented, no means", facts(ADULT, consent=True, means=[], purposes=["forced_labour"]),
     {P: N, W: N, D11: N, D24: N}, None),
    ("adult consented, means unknown", facts(ADULT, consent=True, means=None, purposes=["forced_labour"]),
     {P: U, W: U, D11: U, D24: U}, None),
    ("child consented, no means", facts(CHILD, consent=True, purposes=["sexual_exploitation"]),
     {P: T, W: T, D11: T, D24: T}, None),
    ("adult did not consent, force used", facts(ADULT, consent=False, means=["force"], purposes=["servitude"]),
     {P: T, W: T, D11: T, D24: T}, None),
    # ---------------------------------------------------------------- each instrument's purposes
    ("begging, adult", facts(ADULT, purposes=["begging"]), {P: T, W: T, D11: T, D24: T}, None),
    ("begging, child", facts(CHILD, purposes=["begging"]), {P: T, W: T, D11: T, D24: T}, None),
    ("forced criminality", facts(ADULT, purposes=["forced_criminality"]), {P: T, W: T, D11: T, D24: T}, None),
    ("forced marriage", facts(ADULT, purposes=["forced_marriage"]), {P: U, W: U, D11: U, D24: T},
     {P: ("met", "met", "unknown"), D24: ("met", "met", "met")}),
    ("forced marriage amounting to servitude", facts(ADULT, purposes=["forced_marriage", "servitude"]),
     {P: T, W: T, D11: T, D24: T}, None),
    ("surrogacy", facts(ADULT, purposes=["surrogacy"]), {P: U, W: U, D11: U, D24: T}, None),
    ("illegal adoption", facts(ADULT, purposes=["illegal_adoption"]), {P: U, W: U, D11: U, D24: T}, None),
    ("removal of organs", facts(ADULT, purposes=["organ_removal"]), {P: T, W: T, D11: T, D24: T}, None),
    ("forced marriage but no means, adult", facts(ADULT, means=[], purposes=["forced_marriage"]),
     {P: N, W: N, D11: N, D24: N}, None),
    # ---------------------------------------------------------------- dates
    ("2024 additions before the 2024 directive applies", facts(ADULT, purposes=["surrogacy"], date="2024-07-13"),
     {P: U, W: U, D11: U, D24: N}, {D24: ("met", "met", "met")}),
    ("2024 additions on the day it applies", facts(ADULT, purposes=["surrogacy"], date="2024-07-14"),
     {P: U, W: U, D11: U, D24: T}, None),
    ("2010: before Directive 2011/36", facts(ADULT, purposes=["begging"], date="2010-06-01"),
     {P: T, W: T, D11: N, D24: N}, None),
    ("2005: before the Warsaw Convention", facts(ADULT, purposes=["forced_labour"], date="2005-06-01"),
     {P: T, W: N, D11: N, D24: N}, None),
    ("2002: before the Palermo Protocol", facts(ADULT, purposes=["forced_labour"], date="2002-06-01"),
     {P: N, W: N, D11: N, D24: N}, None),
    ("no date: read as today", facts(ADULT, purposes=["forced_marriage"], date=None),
     {P: U, W: U, D11: U, D24: T}, None),
]


@pytest.mark.parametrize(("name", "given", "verdicts", "elements"), CASES, ids=[case[0] for case in CASES])
def test_worked_case(name: str, given: dict[str, Any], verdicts: dict[str, str],
                     elements: dict[str, tuple[str, str, str]] | None) -> None:
    answer = legal.qualify_json(given)
    assert {code: result["verdict"] for code, result in answer.items()} == verdicts
    for code, (act, means, purpose) in (elements or {}).items():
        assert answer[code]["elements"] == {"act": act, "means": means, "purpose": purpose}


def test_there_are_at_least_forty_worked_cases() -> None:
    assert len(CASES) >= 40


def reason(given: dict[str, Any], instrument: str = P, language: str = "en") -> str:
    return legal.qualify_json(given, language)[instrument]["reason"]  # type: ignore[arg-type]


def test_the_child_rule_is_explained_with_its_article() -> None:
    answer = legal.qualify_json(facts(CHILD, age=17, purposes=["sexual_exploitation"]))[P]
    assert "The person is a child (aged 17, under 18): no means is needed." in answer["reason"]
    assert answer["article"] == "Art. 3(a); Art. 3(c); Art. 3(d)"
    assert answer["wording_verified"] is False  # REFERENCE.md §2.1 marks (b) to (d) unverified


def test_an_adult_case_with_verified_wording_says_so() -> None:
    answer = legal.qualify_json(facts(ADULT, purposes=["sexual_exploitation"]))[P]
    assert answer["article"] == "Art. 3(a); Art. 3(d)"
    assert "has not been checked" in answer["reason"]  # 3(d), the age limit, is unverified
    nothing_about_age = legal.qualify_json({"acts": ["recruitment"], "means": ["force"], "purposes": ["slavery"]})
    assert "Art. 3(c)" in nothing_about_age[P]["article"]


def test_consent_is_explained() -> None:
    assert "The consent given is irrelevant, because a means was used (Art. 3(b))." in reason(
        facts(ADULT, consent=True, purposes=["forced_labour"]))
    assert "consent is set aside only where a means was used (Art. 3(b))" in reason(
        facts(ADULT, consent=True, means=[], purposes=["forced_labour"]))
    assert "A child's consent changes nothing" in reason(facts(CHILD, consent=True, purposes=["forced_labour"]))
    assert "consent" not in reason(facts(ADULT, consent=False, purposes=["forced_labour"]))


def test_unknown_age_without_means_names_the_warsaw_presumption() -> None:
    given = facts(CHILD, age=None, purposes=["forced_labour"])
    assert "presumed a child for their protection (Art. 10(3))" in reason(given, W)
    assert "presumed" not in reason(given, P)
    assert "the age must be established" in reason(given, P)


def test_begging_and_criminality_under_each_instrument() -> None:
    assert "forced begging, not named in Art. 3(a), falls under forced labour or services" in reason(
        facts(ADULT, purposes=["begging"]))
    assert "forced begging, named in Art. 2(3) as part of forced labour or services" in reason(
        facts(ADULT, purposes=["begging"]), D11)
    assert "exploitation of criminal activities, named in Art. 2(3)" in reason(
        facts(ADULT, purposes=["forced_criminality"]), D11)
    assert "exploitation of criminal activities, not named in Art. 4(a), falls under" in reason(
        facts(ADULT, purposes=["forced_criminality"]), W)


def test_the_2024_additions_cite_the_amended_article() -> None:
    answer = legal.qualify_json(facts(ADULT, purposes=["forced_marriage"]))
    assert answer[D24]["article"] == "Art. 2(1); Art. 2(6); Art. 2(3) as amended"
    assert "added to the list by Directive (EU) 2024/1712" in answer[D24]["reason"]
    assert "whose list is a minimum" in answer[D11]["reason"]


def test_a_date_before_an_instrument_is_explained() -> None:
    text = reason(facts(ADULT, purposes=["surrogacy"], date="2024-07-13"), D24)
    assert text.startswith("The facts (13 July 2024) precede this instrument, which applies from 14 July 2024")
    french = reason(facts(ADULT, purposes=["surrogacy"], date="2024-07-13"), D24, "fr")
    assert french.startswith("Les faits (13 juillet 2024) sont antérieurs à cet instrument")
    assert "No date is given" in reason(facts(ADULT, purposes=["surrogacy"], date=None))


def test_every_answer_says_it_is_an_indication_in_both_languages() -> None:
    english = legal.qualify_json(ADULT)
    french = legal.qualify_json(ADULT, "fr")
    assert {a["notice"] for a in english.values()} == {"An indication for professionals, not a court's finding."}
    assert {a["notice"] for a in french.values()} == {"Une indication pour les professionnels, pas une décision "
                                                      "de justice."}
    assert french[P]["instrument"] == "Protocole de Palerme (ONU, 2000)"
    assert french[P]["reason"].startswith("Acte\u00a0: recrutement.")


def test_the_output_has_the_documented_shape() -> None:
    answer = legal.qualify_json(ADULT)
    assert list(answer) == [P, W, D11, D24]
    assert set(answer[P]) == {"verdict", "elements", "reason", "article", "instrument", "applies_from",
                              "wording_verified", "notice"}
    assert answer[D24]["applies_from"] == "2024-07-14"


@pytest.mark.parametrize(("given", "field", "message"), [
    ([], "facts", "The facts must be a JSON object"),
    ({"purpose": ["begging"]}, "purpose", "Unknown field; the fields are: age, acts, means, purposes, consent, date."),
    ({"age": "16"}, "age", "The age must be a whole number of years, or null when it is not known."),
    ({"age": True}, "age", "The age must be a whole number"),
    ({"age": 16.5}, "age", "The age must be a whole number"),
    ({"age": -1}, "age", "The age must be between 0 and 130."),
    ({"acts": "recruitment"}, "acts", "Give a list of codes ([] when there was none, null when it is not known)"),
    ({"means": ["violence"]}, "means", "Unknown code(s) violence; the codes are: threat, force,"),
    ({"purposes": [1]}, "purposes", "Give a list of codes"),
    ({"consent": "yes"}, "consent", "The consent must be true, false or null."),
    ({"date": "01/03/2025"}, "date", "The date must be a day written YYYY-MM-DD"),
    ({"date": "2025-02-30"}, "date", "The date must be a day written YYYY-MM-DD"),
    ({"date": 20250301}, "date", "The date must be a day written YYYY-MM-DD"),
])
def test_bad_input_names_the_field(given: Any, field: str, message: str) -> None:
    with pytest.raises(legal.FactsError) as caught:
        legal.parse_facts(given)
    messages = caught.value.messages()
    assert list(messages) == [field]
    assert messages[field][0].startswith(message)


def test_every_bad_field_is_reported_at_once_in_both_languages() -> None:
    with pytest.raises(legal.FactsError) as caught:
        legal.parse_facts({"age": "x", "acts": ["walking"], "consent": 1})
    assert sorted(caught.value.messages()) == ["acts", "age", "consent"]
    assert caught.value.messages("fr")["consent"] == ["Le consentement doit valoir true, false ou null."]


def test_null_and_empty_lists_differ() -> None:
    assert legal.parse_facts({"means": None}).means is None
    assert legal.parse_facts({"means": []}).means == frozenset()


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    import string

    for key, text in MESSAGES.items():
        assert text.en and text.fr, key
        names = [{field for _, field, _, _ in string.Formatter().parse(part) if field} for part in (text.en, text.fr)]
        assert names[0] == names[1], key


def test_every_instrument_rules_on_every_purpose_and_names_its_source() -> None:
    codes, instruments = legal.load()
    assert [i.code for i in instruments] == [P, W, D11, D24]
    for instrument in instruments:
        assert set(instrument.purposes) == set(codes.purposes)
        assert instrument.source
    added = {code for code, rule in instruments[3].purposes.items() if rule.rule == "added"}
    assert added == {"surrogacy", "forced_marriage", "illegal_adoption"}


def test_the_pure_modules_import_nothing_from_django() -> None:
    for name in ("legal.py", "legal_texts.py"):
        tree = ast.parse((Path(legal.__file__).parent / name).read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(module.startswith(("django", "rest_framework")) for module in imported), name
