"""Offices and titles: recognising them in text and reducing them to a comparable key.

``office_key("U.S. Secretary of State")`` and ``office_key("secretary of state of the United
States")`` both give ``"secretary of state|united states"``: the title, then the jurisdiction
when the text names one. The knowledge base indexes offices by the same keys.
"""

from __future__ import annotations

import re

# Titles that name an office on their own. Longer titles are matched first.
TITLES: tuple[str, ...] = (
    "secretary of state",
    "secretary of defense",
    "secretary of the treasury",
    "secretary of homeland security",
    "secretary of commerce",
    "secretary of energy",
    "secretary of labor",
    "secretary of agriculture",
    "secretary of the interior",
    "secretary of education",
    "secretary of transportation",
    "secretary of health and human services",
    "secretary of veterans affairs",
    "secretary-general",
    "secretary general",
    "attorney general",
    "foreign secretary",
    "home secretary",
    "defence secretary",
    "defense secretary",
    "chancellor of the exchequer",
    "national security adviser",
    "national security advisor",
    "white house press secretary",
    "press secretary",
    "chief of staff",
    "vice president",
    "president",
    "prime minister",
    "deputy prime minister",
    "foreign minister",
    "finance minister",
    "defence minister",
    "defense minister",
    "interior minister",
    "health minister",
    "minister",
    "chancellor",
    "premier",
    "senator",
    "senate majority leader",
    "senate minority leader",
    "majority leader",
    "minority leader",
    "speaker of the house",
    "speaker",
    "representative",
    "congressman",
    "congresswoman",
    "governor",
    "lieutenant governor",
    "mayor",
    "ambassador",
    "king",
    "queen",
    "pope",
    "chief justice",
    "justice",
    "chief executive officer",
    "chief executive",
    "ceo",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "commissioner",
    "first lady",
    "president-elect",
    "vice president-elect",
    "special envoy",
    "envoy",
    "trade representative",
    "surgeon general",
    "fed chair",
    "federal reserve chair",
    "councillor",
    "councilor",
    "councilman",
    "councilwoman",
    "council member",
    "work and pensions secretary",
)

_JURISDICTIONS = {
    "u.s.": "united states",
    "us": "united states",
    "u.s": "united states",
    "american": "united states",
    "united states": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "british": "united kingdom",
    "britain": "united kingdom",
    "united kingdom": "united kingdom",
    "french": "france",
    "german": "germany",
    "mexican": "mexico",
    "canadian": "canada",
    "chinese": "china",
    "russian": "russia",
    "indian": "india",
    "japanese": "japan",
    "ecuadorian": "ecuador",
    "brazilian": "brazil",
    "italian": "italy",
    "spanish": "spain",
}
_JURISDICTION_RE = "|".join(sorted((re.escape(j) for j in _JURISDICTIONS), key=len, reverse=True))
_TITLE_RE = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))

# Cabinet posts named after their department, as British and Commonwealth papers write them:
# "Environment Secretary", "Work and Pensions Secretary", "Health Minister". Case-sensitive, so
# "the environment secretary" in running text and "The Minister" at a sentence start do not count.
_DEPARTMENT_TITLE_RE = (
    r"(?-i:(?!(?:The|A|An|Our|His|Her|Their|Its|This|That|Every|No)\b)"
    r"[A-Z][a-z]+ (?:Secretary|Minister))"
)

TITLE_PATTERN = re.compile(rf"\b(?:{_TITLE_RE}|{_DEPARTMENT_TITLE_RE})\b", re.IGNORECASE)
_LISTED_TITLE = re.compile(rf"\b(?:{_TITLE_RE})\b", re.IGNORECASE)
_PREFIX = re.compile(rf"(?:^|\s)({_JURISDICTION_RE})\s*$", re.IGNORECASE)
_SUFFIX = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?([A-Z][\w.\- ]+)$")
_MODIFIERS = re.compile(
    r"\b(?:former|then|acting|interim|incoming|outgoing|ex|current|sitting|new)\b[- ]*", re.IGNORECASE
)


def jurisdiction_key(text: str) -> str:
    """A place or demonym reduced to a comparable key ("U.S." and "American" -> "united states")."""
    lowered = text.strip().lower().removeprefix("the ").strip()
    return _JURISDICTIONS.get(lowered, lowered)


def office_key(text: str) -> str | None:
    """The comparable key of an office named in ``text``, or None when it names none.

    Modifiers that say *when* ("former", "then-", "acting") are dropped: they belong to the
    role's tense, not to the office.
    """
    cleaned = re.sub(r"(?:'s|\u2019s)$", "", _MODIFIERS.sub("", text).strip(" ,.")).strip()
    match = TITLE_PATTERN.search(cleaned)
    if not match:
        return None
    title = match.group(0).lower()
    title = {
        "secretary general": "secretary-general",
        "national security advisor": "national security adviser",
        "chief executive officer": "ceo",
        "chief executive": "ceo",
        "defence secretary": "defense secretary",
        "chairwoman": "chair",
        "chairman": "chair",
        "congressman": "representative",
        "congresswoman": "representative",
        "defence minister": "defense minister",
        "councilor": "councillor",
        "councilman": "councillor",
        "councilwoman": "councillor",
        "council member": "councillor",
    }.get(title, title)
    before = cleaned[: match.start()]
    after = cleaned[match.end() :]
    place = None
    prefix = _PREFIX.search(before)
    if prefix and prefix.group(1):
        place = jurisdiction_key(prefix.group(1))
    elif before.strip() and before.strip()[-1:] != "-":
        possessive = re.search(r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)(?:'s|\u2019s)\s*$", before.strip())
        if possessive:
            place = jurisdiction_key(possessive.group(1))
    suffix = _SUFFIX.search(after)
    if suffix:
        place = jurisdiction_key(suffix.group(1))
    return f"{title}|{place}" if place else title


def title_in_style_of(label: str, written: str) -> str:
    """The title of office ``label`` written the way the story wrote another title.

    ``title_in_style_of("United States Secretary of State", "U.S. Senator")`` is "U.S. Secretary
    of State": the fix keeps the story's form of the country (or its absence) and the title
    only, not the knowledge base's full label.
    """
    # a title of the list before the department form, which reads "States Secretary" in
    # "United States Secretary of State"
    match = _LISTED_TITLE.search(label) or TITLE_PATTERN.search(label)
    if not match:
        return label
    title = match.group(0)
    if title.islower():
        title = title.title()
    own = TITLE_PATTERN.search(written)
    prefix = _PREFIX.search(written[: own.start()]) if own else None
    return f"{prefix.group(1)} {title}" if prefix else title


def same_office(a: str, b: str) -> bool:
    """Whether two office keys can name the same office (a missing jurisdiction matches any)."""
    title_a, _, place_a = a.partition("|")
    title_b, _, place_b = b.partition("|")
    return title_a == title_b and (not place_a or not place_b or place_a == place_b)


# Offices nobody holds together with another of them: a president is not also prime minister, a
# senator is not also a governor or a cabinet secretary. Other pairs can be held at once (a deputy
# prime minister who is foreign secretary, a chair who is chief executive).
_ONE_AT_A_TIME = {
    "president",
    "vice president",
    "president-elect",
    "vice president-elect",
    "prime minister",
    "chancellor",
    "premier",
    "king",
    "queen",
    "pope",
    "governor",
    "lieutenant governor",
    "mayor",
    "senator",
    "representative",
    "speaker of the house",
    "chief justice",
    "justice",
    "attorney general",
    "first lady",
}


def incompatible_offices(a: str, b: str) -> bool:
    """Whether one person cannot hold the offices with keys ``a`` and ``b`` at the same time."""
    title_a, title_b = a.partition("|")[0], b.partition("|")[0]
    if same_office(a, b):
        return False

    def exclusive(title: str) -> bool:
        return title in _ONE_AT_A_TIME or title.startswith("secretary of ")

    return exclusive(title_a) and exclusive(title_b)
