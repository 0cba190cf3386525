"""Names in an article, and which of them name the same person, found without a parser.

A name is a run of capitalised words ("Abena Osei", "José Núñez", "Jean-Luc O’Brien"), with
the title written before it ("Ms Osei", "Dr Miriam Castell", "Mayor Ana Ruiz") and the
particles names carry inside ("Ursula von der Leyen"). Words every sentence may open with
("The", "But", "Speaking"), days, months and words in capitals (datelines, "CNN") are not
names. A run that ends in a word such as "Council", "Street" or "University", or holds "of",
names a body or a place, not a person.

News names a person in full once and then by surname alone (AP style) or "Mr/Ms Surname"
(British papers): a later mention is the latest person named with that surname, and a "Ms" or
"Mr" picks between two of one surname. A word standing alone at the start of a sentence is a
name only when a person of that surname was named before, since "Meanwhile" and "Osei" look
alike there.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

# Titles written before a name; they belong to the mention. The gender some of them give
# picks between two people of one surname and checks "he" and "she".
TITLES = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "father": "m", "king": "m",
    "prince": "m", "ms": "f", "mrs": "f", "miss": "f", "dame": "f", "lady": "f",
    "sister": "f", "queen": "f", "princess": "f", "dr": None, "doctor": None, "prof": None,
    "professor": None, "mayor": None, "councillor": None, "councilor": None, "senator": None,
    "sen": None, "rep": None, "representative": None, "gov": None, "governor": None,
    "president": None, "judge": None, "justice": None, "chief": None, "inspector": None,
    "detective": None, "sergeant": None, "sgt": None, "captain": None, "capt": None,
    "coach": None, "general": None, "gen": None, "colonel": None, "col": None,
    "lieutenant": None, "lt": None, "minister": None, "secretary": None, "chancellor": None,
    "commissioner": None, "superintendent": None, "rev": None, "reverend": None,
    "bishop": None, "rabbi": None, "imam": None, "pastor": None, "deputy": None,
    "premier": None, "ambassador": None, "officer": None, "constable": None, "agent": None,
    "alderman": None, "assemblyman": "m", "assemblywoman": "f", "congressman": "m",
    "congresswoman": "f", "director": None, "principal": None,
}  # fmt: skip

# Capitalised words that open sentences and clauses, and never a name on their own.
NOT_NAMES = {
    "the", "a", "an", "but", "and", "or", "so", "yet", "nor", "in", "on", "at", "for", "with",
    "from", "to", "of", "by", "as", "after", "before", "when", "while", "if", "although",
    "though", "because", "since", "until", "during", "despite", "however", "meanwhile", "this",
    "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her",
    "their", "our", "my", "your", "there", "here", "what", "who", "whom", "whose", "why", "how",
    "where", "which", "some", "many", "most", "all", "each", "every", "both", "one", "two",
    "three", "four", "five", "six", "seven", "eight", "nine", "ten", "asked", "speaking",
    "according", "also", "still", "now", "then", "later", "earlier", "last", "next", "first",
    "yesterday", "today", "tonight", "photo", "picture", "image", "caption", "credit", "no",
    "not", "yes", "instead", "indeed", "even", "only", "just", "such", "other", "another",
    "more", "less", "few", "several", "under", "over", "about", "around", "between", "without",
    "within", "among", "against", "through", "into", "onto", "upon", "like", "unlike", "once",
    "again", "already", "perhaps", "maybe", "overall", "together", "elsewhere", "nearby",
    "mondays", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "do", "does", "did", "is", "are", "was", "were", "be",
    "has", "have", "had", "will", "would", "can", "could", "should", "must", "let", "please",
    "thanks", "thank", "oh", "well", "okay", "ok", "dear", "hello", "sorry", "we’re", "i’m",
    "it’s", "that’s", "there’s", "we're", "i'm", "it's", "that's", "there's", "don’t", "don't",
    "writing", "responding", "reporting", "additional", "editing", "update", "updated",
    "read", "watch", "see", "related", "more:", "advertisement", "breaking", "exclusive",
    "opinion", "analysis", "editorial", "live", "comment", "quote", "quotes", "note",
    "warning", "title", "headline", "subtitle", "question", "answer", "q",
}  # fmt: skip

# A run ending in one of these (or holding one) names a body, a place or a work, not a person.
_BODIES = {
    "council", "ministry", "department", "university", "college", "school", "hospital",
    "institute", "institution", "centre", "center", "agency", "authority", "office", "bureau",
    "service", "services", "commission", "committee", "board", "party", "union", "group",
    "company", "corporation", "corp", "inc", "ltd", "llc", "plc", "bank", "court", "police",
    "army", "navy", "force", "forces", "club", "league", "association", "society", "trust",
    "foundation", "fund", "network", "news", "times", "post", "gazette", "courier", "standard",
    "herald", "journal", "tribune", "telegraph", "guardian", "chronicle", "press", "radio",
    "television", "tv", "magazine", "review", "research", "systems", "technologies", "labs",
    "street", "st", "road", "rd", "avenue", "ave", "lane", "way", "square", "bridge", "river",
    "lake", "park", "station", "airport", "port", "harbour", "harbor", "market", "mill",
    "plant", "hall", "house", "tower", "building", "stadium", "city", "county", "state",
    "province", "region", "district", "island", "islands", "valley", "mountain", "mountains",
    "hills", "coast", "north", "south", "east", "west", "weir", "water", "energy", "health",
    "care", "chamber", "government", "parliament", "senate", "congress", "assembly", "cabinet",
    "council’s", "church", "cathedral", "mosque", "temple", "prison", "library", "museum",
    "gallery", "theatre", "theater", "festival", "games", "cup", "championship", "act", "bill",
    "report", "study", "plan", "programme", "program", "project", "line", "ward", "wing",
}  # fmt: skip

# Lower-case words that may stand inside a name: "Ursula von der Leyen", "Luis de la Cruz".
PARTICLES = {"von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le",
              "bin", "ibn", "al", "el", "ter", "dos", "das", "zu"}  # fmt: skip

# Words after which a name names a place ("in Kessel Park", "near Dunmore").
_PLACE_BEFORE = {"in", "at", "near", "across", "into", "outside", "inside", "towards",
                 "toward", "through", "around", "along", "via"}  # fmt: skip

# The words a name is made of: capitalised ones (any letter but a-z first; _capital checks),
# the particles inside names, and "of" (which tells bodies: "University of Lyston").
_WORD = re.compile(
    r"(?<![\w’'-])(?:[^\W\d_a-z]\w*(?:[’'\-]\w+)*\.?|(?:"
    + "|".join(sorted(PARTICLES | {"of"}))
    + r")(?![\w’'-]))"
)
_SPACE = {" ", "\u00a0", "\u202f"}
_OPENERS = set('"“‘«„‚([{—–-')


@lru_cache(maxsize=4096)
def fold(word: str) -> str:
    """A word as names are compared: case and a trailing point or possessive ignored."""
    word = word.rstrip(".")
    for tail in ("’s", "'s", "’", "'"):
        if word.endswith(tail) and len(word) > len(tail) + 1:
            word = word[: -len(tail)]
            break
    return word.casefold()


@dataclass
class Mention:
    """A name as written (with its title), and the person it names (an index into
    :attr:`People.persons`), or -1 for a body or place."""

    start: int
    end: int
    words: list[str]
    titled: bool
    gender: str | None
    person: int = -1


@dataclass
class Person:
    surname: str
    first: str | None
    gender: str | None
    mentions: list[int] = field(default_factory=list)


@dataclass
class People:
    """Every name of a text in order, and the people they name."""

    mentions: list[Mention]
    persons: list[Person]
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [m.start for m in self.mentions]

    def at(self, start: int, end: int) -> Mention | None:
        """The name that lies within [start, end) first, if any."""
        i = bisect_left(self.starts, start)
        if i < len(self.mentions) and self.mentions[i].end <= end:
            return self.mentions[i]
        return None

    def within(self, start: int, end: int) -> list[Mention]:
        """The names that lie within [start, end), in order."""
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def before(self, position: int) -> Iterator[Mention]:
        """The names that end at or before ``position``, latest first."""
        for i in range(bisect_left(self.starts, position) - 1, -1, -1):
            if self.mentions[i].end <= position:
                yield self.mentions[i]


@dataclass
class _Word:
    start: int
    end: int
    text: str


def _words(text: str, hidden: set[int] | None = None) -> list[_Word]:
    return [
        _Word(m.start(), m.end(), m.group())
        for m in _WORD.finditer(text)
        if not hidden or m.start() not in hidden
    ]


def _capital(word: str) -> bool:
    return word[:1].isupper() and not (len(word.rstrip(".")) > 1 and word.rstrip(".").isupper())


def _title(word: str) -> bool:
    return word.rstrip(".").casefold() in TITLES and word[:1].isupper()


def _joined(text: str, a: _Word, b: _Word) -> bool:
    """Whether two words are neighbours inside one name: one space apart, or "Dr. Smith",
    "J. K. Rowling"."""
    gap = text[a.end : b.start]
    return len(gap) == 1 and gap in _SPACE


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, a paragraph or a quotation."""
    i = start - 1
    while i >= 0 and (text[i] in _SPACE or text[i] in _OPENERS):
        if text[i] in '"“‘«„‚':
            return True
        i -= 1
    return i < 0 or text[i] in ".!?:\n…"


def find_people(text: str, hidden: set[int] | None = None) -> People:
    """The names in ``text`` and the people they name; words starting at ``hidden`` positions
    (the insides of quotations) are left out."""
    words = _words(text, hidden)
    found = [_mention(text, words, run) for run in _runs(text, words)]
    # A lone capitalised word is a name only where a fuller name gave that surname.
    known = {fold(m.words[-1]) for m, lone in found if m is not None and m.words and not lone}
    mentions = [
        m for m, lone in found if m is not None and (not lone or fold(m.words[-1]) in known)
    ]
    persons: list[Person] = []
    by_surname: dict[str, list[int]] = {}
    for i, mention in enumerate(mentions):
        _link(mention, persons, by_surname, i)
    return People(mentions, persons)


def _runs(text: str, words: list[_Word]) -> list[tuple[int, int]]:
    """Runs of capitalised words (and particles between them), as word index ranges."""
    runs = []
    i = 0
    while i < len(words):
        if not _capital(words[i].text):
            i += 1
            continue
        j = i + 1
        while j < len(words) and _joined(text, words[j - 1], words[j]):
            w = words[j].text
            if _capital(w):
                j += 1
            elif w in PARTICLES:
                k = j  # "van der Berg": particles, then a capital
                while k < len(words) and words[k].text in PARTICLES:
                    if k > j and not _joined(text, words[k - 1], words[k]):
                        break
                    k += 1
                if (
                    k < len(words)
                    and _capital(words[k].text)
                    and _joined(text, words[k - 1], words[k])
                ):
                    j = k + 1
                else:
                    break
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _mention(text: str, words: list[_Word], run: tuple[int, int]) -> tuple[Mention | None, bool]:
    """The name a run of capitalised words holds, and whether it is one untitled word."""
    i, j = run
    # Leading words that open sentences ("But", "The") are not part of a name.
    while i < j and fold(words[i].text) in NOT_NAMES:
        i += 1
    if i >= j:
        return None, False
    titled = False
    gender = None
    k = i
    while k < j and _title(words[k].text):
        titled = True
        gender = gender or TITLES[words[k].text.rstrip(".").casefold()]
        k += 1
    name = [w.text for w in words[k:j]]
    if not name:
        return None, False
    folded = [fold(w) for w in name]
    if any(f in _BODIES for f in folded) or "of" in folded or folded[-1] in NOT_NAMES:
        return _body(words, i, j), False
    if not titled and (_after_place_word(text, words[i]) or _after_of(text, words, i)):
        return _body(words, i, j), False
    mention = Mention(words[i].start, _end(words[j - 1]), name, titled, gender)
    return mention, j - k == 1 and not titled


def _body(words: list[_Word], i: int, j: int) -> Mention:
    return Mention(words[i].start, _end(words[j - 1]), [], False, None)


def _end(word: _Word) -> int:
    """Where a name's last word ends: a possessive ("Osei’s") is not part of the name."""
    text = word.text
    for tail in ("’s", "'s"):
        if text.endswith(tail):
            return word.end - len(tail)
    return word.end - (1 if text.endswith(".") and not _title(text) else 0)


def _after_place_word(text: str, word: _Word) -> bool:
    before = text[max(0, word.start - 12) : word.start].split()
    return bool(before) and before[-1].casefold() in _PLACE_BEFORE


def _after_of(text: str, words: list[_Word], i: int) -> bool:
    """Whether a name follows "X of" ("the Journal of Freshwater Chemistry"): part of a body."""
    return (
        i >= 2
        and words[i - 1].text == "of"
        and _capital(words[i - 2].text)
        and text[words[i - 1].end : words[i].start] == " "
    )


def _link(
    mention: Mention, persons: list[Person], by_surname: dict[str, list[int]], index: int
) -> None:
    """Give ``mention`` its person: the latest of that surname whose gender and first name do
    not disagree, else a new one."""
    if not mention.words:
        return
    surname = fold(mention.words[-1])
    first = fold(mention.words[0]) if len(mention.words) > 1 else None
    for number in reversed(by_surname.get(surname, [])):
        p = persons[number]
        if first is not None and p.first is not None and first != p.first:
            continue
        if mention.gender and p.gender and mention.gender != p.gender:
            continue
        mention.person = number
        p.mentions.append(index)
        p.first = p.first or first
        p.gender = p.gender or mention.gender
        return
    mention.person = len(persons)
    by_surname.setdefault(surname, []).append(len(persons))
    persons.append(Person(surname, first, mention.gender, [index]))
