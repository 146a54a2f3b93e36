"""The French pages read as French: a crawler over the pages a signed-in user reaches, and the two checks it
applies to each page's visible text (tags, scripts, styles and JSON blocks removed): no word that is English and
never French, no raw code (``forced_labour``, ``F_Construction``, ``isSexualExploit``). Used by
``tests/web/test_french_scan.py`` (docs/contributing.md, "Translations")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

# Words that are English and never French (checked as whole words, case-insensitive). Words both languages
# share ("action", "date", "total", "note", "source", "budget", "organisation", "exploitation", "type", "menu",
# "service", "article", "page", "code", "minute", "support", "report") are left out, and so are short words that
# are also French or Latin ("a", "as", "an", "on", "or", "in", "if", "per").
ENGLISH_WORDS = frozenset({
    "about", "above", "adult", "adults", "after", "age", "all", "amount", "and", "any", "are", "back", "been",
    "before", "below", "between", "boys", "breakdown", "can", "cancel", "cannot", "chart", "charts", "child",
    "children", "citizenship", "closed", "committed", "considers", "could", "countries", "country", "create",
    "created", "data", "day", "days", "delete", "detail", "details", "disbursed", "download", "downloads", "draft",
    "each", "edit", "every", "female", "filter", "filters", "flow", "flows", "for", "forced", "form", "forms",
    "found", "from", "gender", "girls", "had", "has", "have", "help", "hide", "home", "hours", "into", "is", "labor",
    "labour", "list", "lists", "male", "meeting", "men", "missing", "month", "must", "name", "names", "new", "next",
    "none", "not", "number", "objective", "objectives", "of", "only", "open", "other", "our", "overview", "partner",
    "partners", "people", "person", "persons", "previous", "referral", "results", "review", "save", "screening",
    "search", "sex", "sexual", "shall", "share", "shared", "shares", "should", "show", "sign", "since", "status",
    "steering", "than", "that", "the", "their", "then", "there", "these", "they", "this", "those", "today",
    "trafficking", "under", "unknown", "until", "update", "updated", "upon", "urges", "victim", "victims", "view",
    "views", "was", "week", "were", "what", "when", "where", "which", "while", "who", "whose", "will", "with",
    "without", "women", "would", "year", "years", "yes", "yesterday", "you", "your",
})

# Names of standards, bodies and publications, written as their owners write them in every language.
STANDARD_NAMES = ("Counter-Trafficking Data Collaborative", "dataUNODC", "Natural Earth", "HTCDS", "CTDC", "IATI",
                  "GRETA", "GLOTIP", "CC BY")

# Raw codes in visible text: snake_case (``forced_labour``), a capital letter and underscore (``F_Construction``),
# and camelCase flags (``isSexualExploit``) are not words.
RAW_CODE = re.compile(
    r"\b(?:[a-z]+(?:_[a-z0-9]+)+|[A-Z]_[A-Za-z]+|(?:is|has|type|age|majority)[A-Z][a-z]+(?:[A-Z][a-z]+)*)\b"
)

# Words with their accents ("Yémen" is one word, not "Y" and "men"); codes (with "_" or digits) are left to RAW_CODE.
WORD = re.compile(r"\w+")

# Visible text is what a reader sees: text nodes and the attributes read aloud or shown on hover.
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Not checked: scripts and data, code shown as code, what a form holds for editing, and what the page itself
# declares as not French (``lang="en"``) or not to be translated (``translate="no"``: names, standard codes).
HIDDEN_ELEMENTS = frozenset({"script", "style", "template", "noscript", "code", "pre", "kbd", "samp", "textarea"})
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                           "track", "wbr"})


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_tag = ""
        self.hidden_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Inside a hidden element only its own tag is counted: an unclosed <p> or <li> cannot hide the rest.
        if self.hidden_tag:
            self.hidden_depth += tag == self.hidden_tag
            return
        values = dict(attrs)
        foreign = values.get("translate") == "no" or not (values.get("lang") or "fr").startswith("fr")
        if (tag in HIDDEN_ELEMENTS or foreign) and tag not in VOID_ELEMENTS:
            self.hidden_tag, self.hidden_depth = tag, 1
            return
        for name in SHOWN_ATTRIBUTES:
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if self.hidden_tag == tag:
            self.hidden_depth -= 1
            if not self.hidden_depth:
                self.hidden_tag = ""

    def handle_data(self, data: str) -> None:
        if not self.hidden_tag:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return "\n".join(part.strip() for part in parser.parts if part.strip())


@dataclass(frozen=True)
class Finding:
    url: str
    kind: str  # "english", "code", "colon", "percent" or "iso-date"
    word: str
    context: str

    def __str__(self) -> str:
        return f"{self.url}: {self.kind} {self.word!r} in {self.context!r}"


# French typography: a non-breaking space (U+00A0 or the narrow U+202F) before ":" and "%", dates as dd/mm/yyyy.
SPACE_BEFORE = "\u00a0\u202f"
TYPOGRAPHY = {
    # a colon glued to a word or after an ordinary space, followed by a space ("Effet: ..." or "Effet :")
    "colon": re.compile(rf"(?:[^\s{SPACE_BEFORE}\d]| ):(?=\s|$)"),
    "percent": re.compile(r"\d ?%"),
    "iso-date": re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b"),
}


class Allowed:
    """Names and texts a page may show as they are: a finding inside one of them, where it stands on the line,
    is not one. Indexed by word, so that a page is checked in milliseconds against thousands of names."""

    PUNCTUATION = ":%-"

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.by_key: dict[str, list[str]] = {}
        for text in {*texts, *STANDARD_NAMES}:
            if not text.strip():
                continue
            keys = set(WORD.findall(text)) | {mark for mark in self.PUNCTUATION if mark in text}
            for key in keys:
                self.by_key.setdefault(key, []).append(text)

    def covers(self, line: str, start: int, end: int, key: str) -> bool:
        for text in self.by_key.get(key, ()):
            at = line.find(text)
            while at != -1:
                if at <= start and end <= at + len(text):
                    return True
                at = line.find(text, at + 1)
        return False


def findings(url: str, text: str, allowed: Allowed | None = None) -> list[Finding]:
    """The English words, raw codes and typographic slips of a page's visible text, except inside ``allowed``
    texts (names, and text stored in one language as it was typed)."""
    allowed = allowed or Allowed()
    found: list[Finding] = []
    for line in text.splitlines():
        context = line.strip()[:160]
        hits: list[tuple[str, re.Match[str], str]] = []
        hits += [("english", m, m.group(0)) for m in WORD.finditer(line)
                 if m.group(0).isalpha() and m.group(0).lower() in ENGLISH_WORDS]
        hits += [("code", m, m.group(0)) for m in RAW_CODE.finditer(line)]
        for kind, pattern in TYPOGRAPHY.items():
            hits += [(kind, m, "-" if kind == "iso-date" else m.group(0)[-1]) for m in pattern.finditer(line)]
        for kind, match, key in hits:
            if not allowed.covers(line, match.start(), match.end(), key):
                found.append(Finding(url, kind, match.group(0), context))
    return found


LINK = re.compile(r"""<a\s[^>]*href="(/[^"]*)\"""")


@dataclass
class Crawl:
    """Pages reached from ``start`` by following the site's own links, at most ``per_pattern`` pages per URL
    shape (numbers replaced by ``N``, query strings dropped): list pages in full, a few detail pages of each."""

    get: Callable[[str], tuple[int, str, str]]  # url -> (status, content type, text)
    skip: Callable[[str], bool]
    per_pattern: int = 2
    limit: int = 400
    seen: set[str] = field(default_factory=set)
    shapes: dict[str, int] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @staticmethod
    def shape(url: str) -> str:
        path = urlsplit(url).path
        return re.sub(r"\d+", "N", path)

    def run(self, start: Iterable[str]) -> dict[str, str]:
        """Every ``start`` page (a page reached only through a form, such as a filtered one), then what they link."""
        queue = list(start)
        always = set(queue)
        while queue and len(self.pages) < self.limit:
            url = urldefrag(queue.pop(0))[0]
            if url in self.seen or self.skip(url):
                continue
            self.seen.add(url)
            shape = self.shape(url)
            if self.shapes.get(shape, 0) >= self.per_pattern and url not in always:
                continue
            self.shapes[shape] = self.shapes.get(shape, 0) + 1
            status, content_type, text = self.get(url)
            if status >= 500 or status == 404:
                self.failures.append(f"{url}: {status}")
                continue
            if status != 200 or not content_type.startswith("text/html"):
                continue
            self.pages[url] = text
            queue.extend(match.replace("&amp;", "&") for match in LINK.findall(text))
        return self.pages
