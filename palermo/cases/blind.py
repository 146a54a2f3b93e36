"""The blind index of sealed names: search by name and birth year without decrypting the table. Plain Python.

A case's index is the set of keyed hashes (HMAC-SHA-256, its first 64 bits as a signed integer) of its *tokens*:
each part of its first, middle and second names, normalised, as ``n:<part>``, and its birth year as ``y:<year>``.
A search hashes the tokens of what was typed the same way and looks for cases holding all of them: equal tokens
give equal hashes, so the database compares hashes and never sees a name; without the key a hash cannot be
recomputed from a guess.

Normalisation (the same for the index and the query):

1. lower case (``casefold``); the Cyrillic letters that Unicode would decompose into another letter (``й``, ``ѓ``,
   ``ќ``) are written out first (``y``, ``gj``, ``kj``);
2. NFKD decomposition and every combining mark dropped: ``Ștefănescu`` -> ``stefanescu``, ``Gjergj Kastrioti``
   unchanged, ``Ë``/``Ç`` -> ``e``/``c``;
3. Cyrillic (Serbian, Macedonian, Montenegrin, Bulgarian, and the Russian and Ukrainian letters besides) and Greek
   transliterated to Latin by the small tables below, chosen so that a name written in Cyrillic and in its Latin
   spelling of the same country meets: Serbian ``Ђорђевић`` and ``Đorđević`` both give ``djordjevic``; Latin
   letters that do not decompose (``đ``, ``ß``, ``ø``, ``æ``, ``œ``, ``ł``, ``ı``, ``þ``) are written out too;
4. digraphs folded: ``zh``, ``ch``, ``sh`` -> ``z``, ``c``, ``s`` and ``ts`` -> ``c``, so that Bulgarian
   ``Zhivkov``/``Живков``, Serbian ``Živković`` and Greek ``Christos``/``Χρήστος`` each meet their other spelling
   (the price: a few more names collide, ``Sasha`` and ``Sasa``; a search lists candidates, the case worker opens
   them);
5. apostrophes dropped (``O'Brien`` -> ``obrien``); any other character that is not a letter separates parts
   (spaces, hyphens: ``Popescu-Ionescu`` is two parts); parts of one letter (initials) are not indexed.

What the tables cannot do: Greek ``αυ``/``ευ`` are written ``av``/``ev`` (``af``/``ef`` before a voiceless
consonant, as ELOT 743 does), so a Latin spelling that departs from ELOT is found only as written; Macedonian
``ѓ``/``ќ`` as ``gj``/``kj`` (their Latin ``ǵ``/``ḱ`` give ``g``/``k``); Bulgarian ``ъ`` as ``a``; no spelling
variant beyond these (``Jovana``/``Yovana``) is guessed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# 64 bits of the HMAC: two distinct tokens among a million share a hash with a probability of about 3 in 10^8, and
# then a search lists one case too many (the case worker opens it); never one too few.
HASH_BYTES = 8
NAME_PREFIX, YEAR_PREFIX = "n:", "y:"
MIN_PART = 2
YEARS = range(1900, 2101)

# Letters Unicode would decompose into another base letter: written out before the decomposition.
_BEFORE = str.maketrans({"й": "y", "ѓ": "gj", "ќ": "kj"})
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "c", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "џ": "dzh", "ш": "sh",
    "ѕ": "dz", "щ": "sht", "ъ": "a", "ь": "", "ю": "yu", "я": "ya", "ы": "y", "э": "e", "є": "ye", "і": "i",
    "ґ": "g",
}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
_LATIN = {"đ": "dj", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "ı": "i", "þ": "th", "ð": "d"}
_LETTERS = str.maketrans({**_CYRILLIC, **_GREEK, **_LATIN})
_GREEK_PAIRS = (("ου", "ou"), ("γγ", "ng"), ("γξ", "nx"), ("γχ", "nch"))
# αυ, ευ, ηυ: af, ef, if before a voiceless consonant or at the end of a word; av, ev, iv otherwise (ELOT 743).
_GREEK_F = re.compile(r"([αεη])υ(?=[θκξπσςτφχψ]|[^α-ω]|$)")
_GREEK_V = re.compile(r"([αεη])υ")
_APOSTROPHES = str.maketrans("", "", "'’ʼ`´")
FOLDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ts", "c"))
_PARTS = re.compile(r"[^a-z]+")
_DATE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[./-](\d{1,2})[./-](\d{4}))\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


def gettext_noop(message: str) -> str:
    """Marks a message for the French catalogue without importing Django; it is translated where shown."""
    return message


def _greek(text: str) -> str:
    for pair, latin in _GREEK_PAIRS:
        text = text.replace(pair, latin)
    text = _GREEK_F.sub(lambda match: _GREEK[match.group(1)] + "f", text)
    return _GREEK_V.sub(lambda match: _GREEK[match.group(1)] + "v", text)


def normalise(text: str) -> str:
    """A name as the index compares it: lower case, plain Latin letters, digraphs folded, parts separated by one
    space (see this module's docstring)."""
    text = text.casefold().translate(_BEFORE)
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    text = _greek(text).translate(_LETTERS).translate(_APOSTROPHES)
    for pair, folded in FOLDS:
        text = text.replace(pair, folded)
    return " ".join(part for part in _PARTS.split(text) if part)


def name_parts(*names: str) -> list[str]:
    """The distinct indexed parts of names (two letters or more), in the order met."""
    seen: dict[str, None] = {}
    for name in names:
        for part in normalise(name or "").split():
            if len(part) >= MIN_PART:
                seen.setdefault(part, None)
    return list(seen)


def tokens(*, names: Iterable[str], birth_year: int | None) -> list[str]:
    """The tokens of a person: one per name part, one for the birth year when known."""
    found = [NAME_PREFIX + part for part in name_parts(*names)]
    if birth_year is not None:
        found.append(f"{YEAR_PREFIX}{birth_year}")
    return found


class Hasher:
    """HMAC-SHA-256 of tokens under one index key (``palermo.cases.crypto.FieldCipher.index_key``)."""

    def __init__(self, key: bytes, key_id: str) -> None:
        self._key = key
        self.key_id = key_id
        self._cache: dict[str, int] = {}

    def digest(self, token: str) -> int:
        found = self._cache.get(token)
        if found is None:
            raw = hmac.new(self._key, token.encode(), hashlib.sha256).digest()[:HASH_BYTES]
            found = int.from_bytes(raw, "big", signed=True)
            if len(self._cache) < 200_000:  # names repeat: an import hashes each distinct part once
                self._cache[token] = found
        return found

    def digests(self, values: Iterable[str]) -> list[int]:
        return [self.digest(value) for value in values]

    def fingerprint(self, values: Iterable[str]) -> str:
        """One keyed hash of a whole query (its sorted tokens), for the audit log: whoever holds the key can check
        whether a given name was searched; the log itself holds no name."""
        return hmac.new(self._key, "\n".join(sorted(values)).encode(), hashlib.sha256).hexdigest()[:16]


class QueryError(ValueError):
    """What was typed cannot be searched; the message says why (translated where shown), ``field`` where."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Query:
    parts: tuple[str, ...]
    birth_year: int | None = None
    birth_date: date | None = None

    @property
    def tokens(self) -> list[str]:
        found = [NAME_PREFIX + part for part in self.parts]
        if self.birth_year is not None:
            found.append(f"{YEAR_PREFIX}{self.birth_year}")
        return found

    @property
    def birth_kind(self) -> str:
        return "date" if self.birth_date else "year" if self.birth_year is not None else "none"


def read_birth(text: str) -> tuple[int | None, date | None]:
    """A birth date (``1999-03-04``, ``04/03/1999``, ``04.03.1999``) or a year (``1999``); (None, None) when empty.
    Raises QueryError for anything else."""
    text = (text or "").strip()
    if not text:
        return None, None
    if (year_match := _YEAR.match(text)) is not None:
        year = int(year_match.group(1))
        if year not in YEARS:
            raise QueryError(gettext_noop("A year of birth between 1900 and 2100."), "birth")
        return year, None
    if (date_match := _DATE.match(text)) is not None:
        iso_year, iso_month, iso_day, day, month, year_text = date_match.groups()
        try:
            found = (date(int(iso_year), int(iso_month), int(iso_day)) if iso_year
                     else date(int(year_text), int(month), int(day)))
        except ValueError as error:
            raise QueryError(gettext_noop("This date does not exist."), "birth") from error
        if found.year not in YEARS:
            raise QueryError(gettext_noop("A year of birth between 1900 and 2100."), "birth")
        return found.year, found
    raise QueryError(gettext_noop("Give the date of birth as 31/12/1999 or 1999-12-31, or only the year."), "birth")


def read_query(name: str, birth: str = "") -> Query:
    """The search typed: name parts (at least one of two letters or more) and, optionally, a birth date or year.
    A year typed among the names counts as the birth year."""
    words = (name or "").split()
    years = [word for word in words if _YEAR.match(word)]
    if years and not (birth or "").strip():
        birth = years[-1]
    names = " ".join(word for word in words if not _YEAR.match(word))
    parts = tuple(name_parts(names))
    if not parts:
        raise QueryError(gettext_noop("Give at least one name of two letters or more."))
    year, day = read_birth(birth)
    return Query(parts, year, day)
