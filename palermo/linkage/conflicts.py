"""Facts a merge would join that cannot both be true of one person: two dates of birth, two documents of one kind
from one country with different numbers (a person holds one passport per country at a time).

Pure: no Django. The messages are marked for translation by the caller's gettext.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from gettext import gettext
from typing import Any

from palermo.linkage.records import normal_document


def _dobs(facts: Iterable[Mapping[str, Any]]) -> set[str]:
    return {str(f["dob"]) for f in facts if f.get("dob")}


def _documents(facts: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    by_country: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        for country, number in fact.get("documents") or []:
            if country and number:
                by_country[str(country)].add(normal_document(number))
    return by_country


def conflicts_between(left: Iterable[Mapping[str, Any]], right: Iterable[Mapping[str, Any]],
                      translate: Any = gettext) -> list[str]:
    """The conflicts the union of two groups of records adds (those already inside one group are not new)."""
    _ = translate
    left, right = list(left), list(right)
    found: list[str] = []
    left_dobs, right_dobs = _dobs(left), _dobs(right)
    if left_dobs and right_dobs and left_dobs != right_dobs:
        found.append(_("two dates of birth: %(dates)s") % {
            "dates": ", ".join(sorted(left_dobs | right_dobs))})
    left_docs, right_docs = _documents(left), _documents(right)
    for country in sorted(set(left_docs) & set(right_docs)):
        if left_docs[country] != right_docs[country]:
            found.append(_("two passports of %(country)s: %(numbers)s") % {
                "country": country, "numbers": ", ".join(sorted(left_docs[country] | right_docs[country]))})
    return found
