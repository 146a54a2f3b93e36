"""French typography in the French catalogues: a no-break space before ":" and "%", a narrow one before ";", "!"
and "?", and inside « ». ``python scripts/french_typography.py`` rewrites every ``palermo/*/locale/fr`` catalogue
that needs it (then compile them: ``make messages`` or msgfmt); ``tests/test_translations.py`` fails on any entry
it would change.

A "%" is a percent sign only when it is not a Python placeholder (``%(name)s``, ``%s``, ``%d``); an ordinary space
is replaced, a missing one is added only before ":" that follows a letter and ends a label (never in "http://")."""

from __future__ import annotations

import re
import sys
from pathlib import Path

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
_RULES = [
    (re.compile(r" :"), NBSP + ":"),
    (re.compile(r"(?<=[^\W\d_»)]):(?=\s|$)"), NBSP + ":"),  # "Source: x" -> "Source : x"
    (re.compile(r" ([;!?])"), NARROW_NBSP + r"\1"),
    (re.compile(r" %(?![(sdifr])"), NBSP + "%"),
    (re.compile(r"« "), "«" + NBSP),
    (re.compile(r" »"), NBSP + "»"),
]


def fixed(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def _fixed_block(lines: list[str]) -> list[str]:
    """The quoted strings of one msgstr, fixed as one text (a " :" may straddle two lines) and cut again where
    they were cut: every rule but the added space keeps the length, and that one never straddles a cut."""
    texts = [line[line.index('"') + 1 : line.rindex('"')] for line in lines]
    joined = "".join(texts)
    if "Content-Type:" in joined:  # the catalogue's header
        return lines
    for pattern, replacement in _RULES:
        if pattern.pattern != _RULES[1][0].pattern:
            joined = pattern.sub(replacement, joined)
    out, start = [], 0
    for line, text in zip(lines, texts, strict=True):
        piece = _RULES[1][0].sub(_RULES[1][1], joined[start : start + len(text)])
        start += len(text)
        out.append(line[: line.index('"') + 1] + piece + line[line.rindex('"') :])
    return out


def fix_file(path: Path) -> bool:
    """Rewrites the msgstr lines of a catalogue in place, leaving every other line as it was."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("msgstr"):
            block = [line]
            index += 1
            while index < len(lines) and lines[index].startswith('"'):
                block.append(lines[index])
                index += 1
            out.extend(_fixed_block(block))
            continue
        out.append(line)
        index += 1
    if out == lines:
        return False
    path.write_text("\n".join(out), encoding="utf-8")
    return True


def main(root: Path) -> int:
    changed = 0
    for path in sorted(root.glob("palermo/*/locale/fr/LC_MESSAGES/django.po")):
        if fix_file(path):
            changed += 1
            print(f"rewrote {path}")
    return changed


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
