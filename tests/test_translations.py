"""Every page is in French and English: every catalogue entry is translated and compiled."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("palermo/*/locale/fr/LC_MESSAGES/django.po"))


def test_every_app_with_strings_has_a_french_catalogue() -> None:
    apps_with_catalogues = {po.parents[3].name for po in CATALOGUES}
    assert {"web", "accounts", "audit", "api", "partners", "reference"} <= apps_with_catalogues


@pytest.mark.parametrize("po_path", CATALOGUES, ids=[p.parents[3].name for p in CATALOGUES])
def test_the_catalogue_is_fully_translated_and_compiled(po_path: Path) -> None:
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {po_path}"
    assert fuzzy == [], f"fuzzy in {po_path}"
    with po_path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, f"{po_path}: recompile (make messages)"
