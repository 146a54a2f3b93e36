"""Generated person records of the region with the errors agencies make, and the truth: for the benchmark, the
demo and tests. Seeded: the same size and seed give the same records.

Each person gets one to four records from different sources; a record may carry a typo in a name, the name in
Cyrillic or Greek, diacritics dropped, first name and surname swapped, a nickname, a date of birth with a typo or
with day and month swapped, a missing date or document, a document number with a typo.

Pure: no Django.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import polars as pl

FIRST = ["Ardit", "Besnik", "Gëzim", "Dritan", "Elira", "Arta", "Aleksandar", "Nikola", "Jovan", "Marija",
         "Jelena", "Milica", "Đorđe", "Stefan", "Dimitar", "Georgi", "Ivan", "Petar", "Elena", "Ana", "Katerina",
         "Ion", "Mihai", "Andrei", "Ioana", "Maria", "Cristina", "Giorgos", "Nikos", "Eleni", "Sofia", "Dragan",
         "Zoran", "Goran", "Vesna", "Snežana", "Tomislav", "Ivana", "Luka", "Marko", "Emina", "Amir", "Edin",
         "Mirela", "Violeta", "Valentina", "Bogdan", "Radu", "Florin", "Daniela", "Natalia", "Vasile", "Olga",
         "Iulian", "Kristina", "Anastasia", "Dafina", "Kaltrina", "Blerina", "Fatmir", "Ilir", "Lulzim", "Teuta"]
SURNAMES = ["Hoxha", "Krasniqi", "Gashi", "Berisha", "Shala", "Morina", "Jovanović", "Petrović", "Nikolić",
            "Marković", "Đorđević", "Stojanović", "Ilić", "Popović", "Kovačević", "Hodžić", "Begović", "Hadžić",
            "Dimitrov", "Georgiev", "Ivanov", "Petrova", "Stoyanova", "Popescu", "Ionescu", "Rusu", "Munteanu",
            "Țurcanu", "Ceban", "Papadopoulos", "Nikolaidis", "Georgiou", "Horvat", "Kovač", "Babić", "Novak",
            "Trajkovski", "Stojanovski", "Nikolovski", "Dervishi", "Kelmendi", "Lleshi", "Rama", "Basha", "Leka",
            "Mustafa", "Osmani", "Delić", "Savić", "Lazarević", "Radu", "Stan", "Dumitru", "Moraru", "Lungu"]
_ROOTS = ["Hox", "Kras", "Gash", "Beris", "Shal", "Mor", "Jovan", "Petr", "Nikol", "Mark", "Đorđ", "Stojan", "Il",
          "Pop", "Kovač", "Hodž", "Beg", "Hadž", "Dimitr", "Georgi", "Ivan", "Stoyan", "Ion", "Rus", "Munt", "Ceb",
          "Papad", "Nikola", "Horv", "Bab", "Nov", "Trajk", "Derv", "Kelm", "Llesh", "Ram", "Bash", "Lek", "Must",
          "Osman", "Del", "Sav", "Lazar", "Radu", "Stan", "Dumitr", "Mor", "Lung", "Vuk", "Mil", "Drag", "Zor",
          "Gor", "Ves", "Tom", "Luk", "Mir", "Bogd", "Flor", "Vas", "Olg", "Krist", "Anast", "Daf", "Kaltr", "Bler",
          "Fatm", "Ilir", "Lulz", "Teut", "Mehm", "Ahm", "Hasan", "Husein", "Ibr", "Yusuf", "Kurt", "Tod", "Hrist",
          "Angel", "Atan", "Bor", "Cvet", "Dan", "Emil", "Filip", "Gavr", "Jakov", "Kost", "Lyub", "Mitr", "Ned",
          "Ognj", "Pavl", "Rad", "Sim", "Tih", "Vel", "Zdrav", "Mart", "Grig", "Const", "Andr", "Nicol", "Tudor",
          "Manol", "Spir", "Thanas", "Vang", "Yann", "Kyr", "Chris", "Sot", "Stath", "Lamp", "Kour", "Bard", "Leon"]
_ENDINGS = ["ović", "ević", "ić", "ovski", "evski", "oski", "i", "aj", "aku", "ani", "escu", "eanu", "u", "ov", "ova",
            "ev", "eva", "opoulos", "idis", "akis", "iou", "ović", "inović", "anović", "ac", "ar", "ari", "ollari",
            "ja", "iqi"]
SURNAMES = SURNAMES + [root + ending for root in _ROOTS for ending in _ENDINGS]
CITIES = ["Tirana", "Durrës", "Prishtina", "Skopje", "Belgrade", "Novi Sad", "Sarajevo", "Podgorica", "Sofia",
          "Plovdiv", "Bucharest", "Iași", "Chișinău", "Zagreb", "Athens", "Thessaloniki", "Elbasan", "Shkodër"]
SOURCES = ["police-al", "ngo-al", "police-rs", "ngo-rs", "police-ro", "ngo-md", "io-regional", "police-gr"]
NICK = {"Aleksandar": "Saša", "Nikola": "Kole", "Jovan": "Jovo", "Marija": "Maja", "Jelena": "Lena",
        "Dimitar": "Mitko", "Georgi": "Gogo", "Petar": "Pero", "Giorgos": "George", "Nikos": "Nick", "Ivan": "Vanja",
        "Ion": "Ionel", "Mihai": "Mihail", "Ardit": "Ardi"}
_CYR = {"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "đ": "ђ", "e": "е", "ž": "ж", "z": "з", "i": "и",
        "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т",
        "ć": "ћ", "u": "у", "f": "ф", "h": "х", "c": "ц", "č": "ч", "š": "ш"}
_GR = {"a": "α", "b": "μπ", "g": "γ", "d": "ντ", "e": "ε", "z": "ζ", "i": "ι", "k": "κ", "l": "λ", "m": "μ",
       "n": "ν", "o": "ο", "p": "π", "r": "ρ", "s": "σ", "t": "τ", "f": "φ", "h": "χ", "v": "β", "u": "ου"}
_PLAIN = str.maketrans("ëçćčšžđțșăâîĐŠŽČĆȚȘ", "eccczsdtsaaiDSZCCTS")
_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def _script(name: str, table: dict[str, str]) -> str:
    out = "".join(table.get(ch, ch) for ch in name.lower())
    return out[:1].upper() + out[1:]


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    kind = rng.random()
    if kind < 0.3:
        return text[:i] + text[i + 1:]  # deletion
    if kind < 0.6:
        return text[:i] + rng.choice(_KEYBOARD) + text[i + 1:]  # substitution
    if kind < 0.8 and i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]  # transposition
    return text[:i] + rng.choice(_KEYBOARD) + text[i:]  # insertion


def _name_variant(rng: random.Random, name: str, *, first: bool) -> str:
    roll = rng.random()
    if roll < 0.08:
        return _typo(rng, name)
    if roll < 0.14:
        return name.translate(_PLAIN)
    if roll < 0.17:
        return _script(name.translate(_PLAIN), _CYR)
    if roll < 0.19:
        return _script(name.translate(_PLAIN), _GR)
    if first and roll < 0.23 and name in NICK:
        return NICK[name]
    if roll < 0.25:
        return name.upper()
    return name


def _dob_variant(rng: random.Random, year: int, month: int, day: int) -> str | None:
    roll = rng.random()
    if roll < 0.05:
        return None
    if roll < 0.09 and day <= 12:
        month, day = day, month  # day and month swapped
    elif roll < 0.14:
        digits = list(f"{year:04d}{month:02d}{day:02d}")
        position = rng.randrange(2, 8)
        digits[position] = str(rng.randrange(10))
        return f"{''.join(digits[:4])}-{''.join(digits[4:6])}-{''.join(digits[6:])}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _records(size: int, seed: int) -> Iterator[tuple[str, str, str, str, str | None, str, str, str]]:
    rng = random.Random(seed)
    made = person = 0
    while made < size:
        person += 1
        first, surname = rng.choice(FIRST), rng.choice(SURNAMES)
        year, month, day = rng.randrange(1950, 2008), rng.randrange(1, 13), rng.randrange(1, 29)
        country = rng.choice(["AL", "RS", "RO", "MD", "GR", "BG", "MK", "XK"])
        passport = f"{country}{rng.randrange(10**6, 10**7)}"
        city = rng.choice(CITIES)
        copies = rng.choices([1, 2, 3, 4], weights=[45, 30, 15, 10])[0]
        for source in rng.sample(SOURCES, copies):
            if made >= size:
                break
            made += 1
            f, s = _name_variant(rng, first, first=True), _name_variant(rng, surname, first=False)
            if rng.random() < 0.04:
                f, s = s, f  # the name order of another file
            document = "" if rng.random() < 0.3 else (_typo(rng, passport) if rng.random() < 0.05 else passport)
            yield (f"r{made}", source, f, s, _dob_variant(rng, year, month, day), document,
                   city if rng.random() < 0.7 else "", str(person))


def generate(size: int, *, seed: int = 12) -> pl.DataFrame:
    """``size`` records: unique_id, source_dataset, first_name, surname, dob, documents, city, truth."""
    columns = ("unique_id", "source_dataset", "first_name", "surname", "dob", "documents", "city", "truth")
    rows = list(_records(size, seed))
    return pl.DataFrame({name: [row[i] for row in rows] for i, name in enumerate(columns)},
                        schema={name: pl.Utf8 for name in columns})
