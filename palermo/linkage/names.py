"""Names of the region written the same way before they are compared: Cyrillic (Serbian, Macedonian, Bulgarian,
Russian, Ukrainian) and Greek transliterated to Latin, diacritics dropped, letters only, lower case; a nickname
replaced by the name it stands for; a rough sound key per name so that "Hoxha", "Hodja" and "Hodža" meet.

Pure: no Django. Splink compares what comes out of here (``settings.py``); nothing here scores a pair.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Cyrillic -> Latin: the Serbian/Macedonian official Latin spellings (Ђ đ, Ћ ć, Џ dž, Љ lj, Њ nj, Ќ ḱ, Ѓ ǵ, Ѕ dz),
# with the Bulgarian/Russian/Ukrainian letters Serbian lacks (ISO 9 / BGN simplified). Diacritics go afterwards.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "c", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "џ": "dz", "ш": "sh",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "й": "y", "щ": "sht", "ъ": "a", "ь": "", "ю": "yu", "я": "ya", "ы": "y",
    "э": "e", "ё": "yo", "є": "ye", "і": "i", "ї": "yi", "ґ": "g",
}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
# Greek digraphs first (ELOT 743): ου -> ou, αι -> ai, μπ -> b at the start, ντ -> d at the start, γγ -> ng.
_GREEK_DIGRAPHS = (("ου", "ou"), ("γγ", "ng"), ("γκ", "gk"))
# Latin letters NFKD does not decompose.
_LATIN_EXTRA = {"đ": "dj", "ð": "d", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "ı": "i", "þ": "th"}

_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_GREEK_LATIN_TABLE = str.maketrans({**_GREEK, **_LATIN_EXTRA})
_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")

# Short and familiar forms -> the name they stand for (the region's and English ones the test sets use).
NICKNAMES: dict[str, str] = {
    # Albanian, South Slavic, Greek, Romanian, Bulgarian
    "ardi": "ardit", "beni": "besnik", "gezi": "gezim", "dritan": "dritan", "lulzim": "lulzim",
    "aco": "aleksandar", "saso": "aleksandar", "sasha": "aleksandar", "sasa": "aleksandar", "aca": "aleksandar",
    "alex": "aleksandar", "aleksa": "aleksandar", "alexandros": "aleksandar", "alexandru": "aleksandar",
    "alexander": "aleksandar", "aleksandr": "aleksandar", "sandu": "aleksandar",
    "jovo": "jovan", "jole": "jovan", "ivo": "ivan", "vanja": "ivan", "ion": "ivan", "ioannis": "ivan",
    "giannis": "ivan", "yannis": "ivan", "john": "ivan", "johnny": "ivan", "jack": "ivan", "jon": "ivan",
    "gjon": "ivan", "janko": "ivan", "nikola": "nikola", "nikos": "nikola", "nick": "nikola",
    "nicolae": "nikola", "nikolaos": "nikola", "nicholas": "nikola", "kole": "nikola", "nicu": "nikola",
    "dimitris": "dimitar", "mitko": "dimitar", "mitre": "dimitar", "dimitrios": "dimitar",
    "dumitru": "dimitar", "dimitri": "dimitar", "mite": "dimitar",
    "giorgos": "georgi", "george": "georgi", "gjorgji": "georgi", "gheorghe": "georgi",
    "giorgi": "georgi", "gjergj": "georgi", "gogo": "georgi", "goce": "georgi", "zoki": "zoran",
    "pero": "petar", "petros": "petar", "peter": "petar", "petru": "petar", "pjeter": "petar",
    "mile": "milan", "mica": "milica", "maja": "marija", "mara": "marija", "maria": "marija",
    "mary": "marija", "mariana": "marija", "mimi": "marija", "ana": "ana", "anna": "ana", "ani": "ana",
    "lena": "jelena", "elena": "jelena", "helen": "jelena", "eleni": "jelena", "ela": "jelena",
    "kate": "katerina", "katie": "katerina", "katarina": "katerina", "ekaterina": "katerina",
    "kathy": "katerina", "catherine": "katerina", "kati": "katerina",
    "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert", "bert": "robert",
    "bill": "william", "billy": "william", "will": "william", "liam": "william",
    "jim": "james", "jimmy": "james", "jamie": "james", "mike": "michael", "mick": "michael",
    "mihail": "michael", "mihai": "michael", "mihailo": "michael", "mihal": "michael", "michail": "michael",
    "dave": "david", "davey": "david", "tom": "thomas", "tommy": "thomas", "toma": "thomas",
    "tomislav": "tomislav", "joe": "joseph", "joey": "joseph", "josip": "joseph", "jose": "joseph",
    "iosif": "joseph", "sam": "samuel", "ben": "benjamin", "benji": "benjamin", "dan": "daniel",
    "danny": "daniel", "dani": "daniel", "chris": "christopher", "kris": "christopher", "hristo": "christopher",
    "christos": "christopher", "matt": "matthew", "steve": "stephen", "stefan": "stephen", "stevan": "stephen",
    "stefanos": "stephen", "stjepan": "stephen", "tony": "anthony", "anton": "anthony", "antonio": "anthony",
    "andy": "andrew", "andrei": "andrew", "andrija": "andrew", "andreas": "andrew", "drew": "andrew",
    "liz": "elizabeth", "beth": "elizabeth", "lizzie": "elizabeth", "eliza": "elizabeth", "betty": "elizabeth",
    "jen": "jennifer", "jenny": "jennifer", "sue": "susan", "suzy": "susan", "susie": "susan",
    "meg": "margaret", "maggie": "margaret", "peggy": "margaret", "margarita": "margaret",
    "margareta": "margaret", "nat": "natalie", "natasha": "natalie", "natalia": "natalie", "natalija": "natalie",
    "vicky": "victoria", "viktorija": "victoria", "tori": "victoria", "becky": "rebecca", "kim": "kimberley",
    "kimberly": "kimberley", "jess": "jessica", "jessie": "jessica", "sophie": "sophia", "sofia": "sophia",
    "sofija": "sophia", "zoe": "zoe", "ellie": "eleanor", "nell": "eleanor", "charlie": "charles",
    "chuck": "charles", "ted": "edward", "ed": "edward", "eddie": "edward", "ned": "edward",
    "harry": "henry", "hal": "henry", "hank": "henry", "fred": "frederick", "freddie": "frederick",
    "alf": "alfred", "sandy": "alexandra", "sasho": "aleksandar", "lexi": "alexandra",
}

_NICKNAME_TABLE = NICKNAMES


def fold(text: str | None) -> str:
    """Latin letters only, lower case, single spaces: "Đorđe Petrović" -> "djordje petrovic", "Ђорђе" -> "djordje",
    "Γιώργος" -> "giorgos". Hyphens and apostrophes join ("Al-Hassan" -> "alhassan")."""
    if not text:
        return ""
    # Cyrillic first, whole letters (й is not и with a breve), then accents off (the Greek tonos, Latin
    # diacritics), then Greek digraphs and letters
    lowered = unicodedata.normalize("NFC", str(text)).lower().translate(_CYRILLIC_TABLE)
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch))
    for greek, latin_pair in _GREEK_DIGRAPHS:
        stripped = stripped.replace(greek, latin_pair)
    latin = stripped.translate(_GREEK_LATIN_TABLE)
    latin = latin.replace("-", "").replace("'", "").replace("’", "")
    return _SPACES.sub(" ", _NOT_LETTER.sub(" ", latin)).strip()


def canonical_forename(folded: str) -> str:
    """The name a nickname stands for ("bob" -> "robert", "sasha" -> "aleksandar"), else the name itself."""
    return _NICKNAME_TABLE.get(folded, folded)


# Spellings of one sound across the region's alphabets and transcriptions, reduced to one form (order matters).
_SOUNDS = (
    ("tch", "c"), ("sch", "s"), ("xh", "dj"), ("dzh", "dj"), ("dz", "dj"), ("dh", "d"), ("gj", "dj"),
    ("zh", "j"), ("sh", "s"), ("ch", "c"), ("kh", "h"), ("ph", "f"), ("th", "t"), ("ts", "c"), ("tz", "c"),
    ("cs", "c"), ("sz", "s"), ("ck", "k"), ("qu", "kv"), ("x", "ks"), ("q", "k"), ("w", "v"), ("y", "i"),
    ("j", "i"), ("ll", "l"), ("rr", "r"), ("ou", "u"), ("ai", "e"), ("ei", "i"), ("oi", "i"),
)
_REPEATS = re.compile(r"(.)\1+")


def sound_key(folded: str) -> str:
    """A rough key of how a folded name sounds: "hoxha", "hodja" and "hodza" -> "hodia"; "jovanovic",
    "yovanovich" and "iovanovici" start alike. Used to block and as one comparison level, never alone."""
    key = folded.replace(" ", "")
    for spelling, sound in _SOUNDS:
        key = key.replace(spelling, sound)
    key = _REPEATS.sub(r"\1", key)
    # "-vich"/"-vici" endings of the same family name: keep the stem
    for ending in ("vici", "vic", "vics"):
        if key.endswith(ending) and len(key) > len(ending) + 2:
            key = key[: -len(ending)] + "v"
            break
    return key


_UPPER_WORD = re.compile(r"^[^\W\d_]{2,}$")


def split_full_name(full_name: str) -> tuple[str, str]:
    """(forename, surname) of a name written whole: "HOXHA Ardit" (the surname in capitals, as police files write
    it) -> ("Ardit", "HOXHA"); "Hoxha, Ardit" -> ("Ardit", "Hoxha"); "Ardit Hoxha" -> ("Ardit", "Hoxha");
    "A. Hodja" -> ("A", "Hodja")."""
    text = _SPACES.sub(" ", (full_name or "").replace(".", " ")).strip()
    if not text:
        return "", ""
    if "," in text:
        surname, _, forename = text.partition(",")
        return forename.strip(), surname.strip()
    words = text.split(" ")
    if len(words) == 1:
        return "", words[0]
    capitals = [word for word in words if _UPPER_WORD.match(word) and word.isupper()]
    if capitals and len(capitals) < len(words):
        surname = " ".join(capitals)
        return " ".join(word for word in words if word not in capitals), surname
    return " ".join(words[:-1]), words[-1]


def fold_all(values: Iterable[str | None]) -> dict[str, str]:
    """``fold`` of each distinct value, for a column of many repeated names (folds each once)."""
    return {value: fold(value) for value in {v for v in values if v}}
