"""Every page is in French and English: every catalogue entry is translated and compiled."""

from __future__ import annotations

import gettext
import importlib.util
from pathlib import Path
from types import ModuleType

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


def _typography() -> ModuleType:
    spec = importlib.util.spec_from_file_location("french_typography", ROOT / "scripts" / "french_typography.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("po_path", CATALOGUES, ids=[p.parents[3].name for p in CATALOGUES])
def test_french_typography_no_break_spaces(po_path: Path) -> None:
    """A no-break space before ":" and "%" (narrow before ";", "!", "?") and inside « »: fix with
    ``python scripts/french_typography.py``."""
    fixed = _typography().fixed
    entries = polib.pofile(str(po_path))
    wrong = [entry.msgstr for entry in entries if entry.msgstr and fixed(entry.msgstr) != entry.msgstr]
    assert wrong == []


def test_the_typography_rules() -> None:
    fixed = _typography().fixed
    assert fixed("Source : « texte » ; 33 % et 10 %% ; %(count)s %(name)s: voir http://x") == (
        "Source\u00a0: «\u00a0texte\u00a0»\u202f; 33\u00a0% et 10\u00a0%%\u202f; %(count)s %(name)s\u00a0: voir http://x"
    )
