"""What the model sees of a candidate: plain strings, one per fact ("shape=heading",
"sec:give"), each worth a learned weight.

Most facts say where the candidate stands, not what it says: its kind (line, sentence,
clause) and place in its sentence and line, the shape of its line and of the lines around
it, the words of the heading, section heading and sub-heading above it, whether the paragraph
before quotes someone, how far into its section it is. Such facts hold for a candidate whose
words the model never saw, which is how it finds a convention (the items under "What each
side could give up") rather than a vocabulary. The candidate's own words are facts too, for
conventions that do live in words, but each counts for a quarter of a fact about places (see
``WORDS_COUNT``). A few facts are crossed with the candidate's place ("its place and the
section's words"), since a linear model cannot combine them itself.

The facts a line's candidates share are one list, made once per line (and those crossed with
a place, once per place and line), so that a scorer can add up their weights once.

``FEATURES`` names this set; a model records it and is refused by a version whose features
differ, since its weights would mean something else.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple

from annotator.suggest.learned.candidates import Candidate, Line, Structure

FEATURES = "places-3"
MAX_BAG = 30  # the candidate's own words counted, at most
# What a fact about words counts for, against 1 for a fact about places: a word must then be
# a strong sign to weigh as much as a place (the weights are kept small, so each must earn its
# size), and a convention the analysts keep by place is learned by place, to hold for words
# never seen.
WORDS_COUNT = 0.25
BAG = "w:"  # the facts of the candidate's own words: "w:tram"


class Facts(NamedTuple):
    """A candidate's facts. ``bag`` holds its own words as they are (the facts ``w:<word>``,
    kept unprefixed so that a scorer can look them up without making a string each); every
    list but ``words`` and ``bag`` may be shared with other candidates (the same list object,
    never changed)."""

    places: list[str]
    words: list[str]
    bag: list[str]
    line: list[str]
    crossed: list[str]
    line_words: list[str]

    def all_places(self) -> list[str]:
        return self.places + self.line + self.crossed

    def all_words(self) -> list[str]:
        return self.words + [BAG + w for w in self.bag] + self.line_words


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    """The first of ``edges`` that ``n`` is at most; ">last" past them all."""
    i = bisect_left(edges, n)
    return str(edges[i]) if i < len(edges) else f">{edges[-1]}"


def _sentence_place(c: Candidate) -> str:
    if c.sentences == 1:
        return "only"
    if c.sentence == 0:
        return "first"
    return "last" if c.sentence == c.sentences - 1 else "mid"


def _line_facts(
    st: Structure, line: Line, headed: dict[tuple[str, int], list[str]] | None = None
) -> list[str]:
    """What every candidate on a line shares. ``headed`` keeps the facts of the headings'
    words for the document's next lines (many lines stand under the same ones)."""
    headed = {} if headed is None else headed
    lines = st.lines
    before = lines[line.index - 1] if line.index else None
    after = lines[line.index + 1] if line.index + 1 < len(lines) else None
    out = [
        f"shape={line.shape}",
        f"pshape={before.shape if before else '^'}",
        f"nshape={after.shape if after else '$'}",
        f"ins={_bucket(line.in_section, (0, 1, 2, 4))}",
        f"txt={_bucket(line.text_index, (0, 1, 2, 4, 8))}",
        f"rel={10 * line.index // max(len(lines), 1)}",
        f"lwn={_bucket(line.words, (3, 6, 10, 20, 40))}",
        f"plc:{before.last_char if before else '^'}",
        f"pwn={_bucket(before.words, (3, 6, 10, 20)) if before else '^'}",
    ]
    if line.blank_before:
        out.append("blank_before")
    if line.blank_after:
        out.append("blank_after")
    if line.marker:
        out.append("marker")
    if line.quotes:
        out.append("lq")
    if before is not None and before.quotes:
        out.append("pq")
    if after is not None and after.quotes:
        out.append("nq")
    if line.sub is not None:
        out.append("sub")
        out += _heading_words(st, "sub:", line.sub, headed)
    out += _heading_words(st, "sec:", line.section, headed) or ["sec=none"]
    out += _heading_words(st, "hd:", line.heading, headed) or ["hd=none"]
    return out


def _heading_words(
    st: Structure, prefix: str, index: int | None, headed: dict[tuple[str, int], list[str]]
) -> list[str]:
    """A heading's words as facts: ``prefix`` and the word."""
    if index is None:
        return []
    made = headed.get((prefix, index))
    if made is None:
        made = headed[(prefix, index)] = [prefix + w for w in st.line_words(index)]
    return made


def _line_words(st: Structure, line: Line) -> list[str]:
    """The words around a line that its candidates share: its first word, and the words of
    the line before it (what kind of paragraph it follows)."""
    before = st.lines[line.index - 1] if line.index else None
    out = [f"lfw:{line.first_word}", f"pfw:{before.first_word if before else '^'}"]
    if before is not None:
        out += [f"pw:{w}" for w in before.words_lower[:MAX_BAG]]
    return out


def _crossed(place: str, st: Structure, line: Line) -> list[str]:
    """The candidate's place crossed with the facts about its line that conventions combine
    with it."""
    before = st.lines[line.index - 1] if line.index else None
    out = [
        f"P={place}",
        f"P={place}&shape={line.shape}",
        f"P={place}&pshape={before.shape if before else '^'}",
        f"P={place}&ins={_bucket(line.in_section, (0, 1, 2))}",
        f"P={place}&pq={before is not None and before.quotes}",
        f"P={place}&lq={line.quotes}",
        f"P={place}&sub={line.sub is not None}",
    ]
    out += [f"P={place}&sec:{w}" for w in st.line_words(line.section)]
    out += [f"P={place}&hd:{w}" for w in st.line_words(line.heading)]
    return out


def _own(key: tuple[str, str, str, int, int, str, str, int, str, bool]) -> list[str]:
    kind, clause, sentence, sentences, segments, before, after, count, last, capital = key
    return [
        f"K={kind}",
        f"cl={clause}",
        f"si={sentence}",
        f"sn={_bucket(sentences, (1, 2, 3, 5))}",
        f"seg={_bucket(segments, (1, 2, 3, 5))}",
        f"brb={before}",
        f"bra={after}",
        f"cw={_bucket(count, (2, 4, 7, 12, 20, 35))}",
        f"end={last if last in '.!?:;,”’»)' else 'w'}",
        f"cap={capital}",
    ]


class _Shared:
    """The lists of facts made so far, by what they are made from, kept while a batch of
    documents is read so that equal lists are one object (and are added up once)."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self.own: dict[tuple[str, str, str, int, int, str, str, int, str, bool], list[str]] = {}
        self.crossed: dict[tuple[str, int], list[str]] = {}
        # Each line's context (see _context) as a number, so that a key of ``crossed`` is
        # quick to look up.
        self.contexts: dict[tuple[object, ...], int] = {}

    def trim(self) -> None:
        if len(self.own) > self.LIMIT:
            self.own.clear()
        if len(self.crossed) > self.LIMIT or len(self.contexts) > self.LIMIT:
            self.crossed.clear()  # its keys name contexts by their numbers
            self.contexts.clear()

    def context(self, st: Structure, line: Line) -> int:
        found = _context(st, line)
        number = self.contexts.get(found)
        if number is None:
            number = self.contexts[found] = len(self.contexts)
        return number


_SHARED = _Shared()


def _context(st: Structure, line: Line) -> tuple[object, ...]:
    """What the crossed facts read of a line (equal for many lines)."""
    before = st.lines[line.index - 1] if line.index else None
    return (
        line.shape,
        before.shape if before else "^",
        min(line.in_section, 3),
        before is not None and before.quotes,
        line.quotes,
        line.sub is not None,
        tuple(st.line_words(line.section)),
        tuple(st.line_words(line.heading)),
    )


def candidate_facts(st: Structure) -> list[Facts]:
    """The facts of each of the structure's candidates, in the order of ``st.candidates``."""
    made = _SHARED
    made.trim()
    lines: dict[int, _LineShared] = {}
    headed: dict[tuple[str, int], list[str]] = {}
    out: list[Facts] = []
    text = st.text
    for c in st.candidates:
        line = st.lines[c.line]
        shared = lines.get(c.line)
        if shared is None:
            shared = lines[c.line] = _LineShared(
                _line_facts(st, line, headed), _line_words(st, line), made.context(st, line)
            )
        kind = "+".join(sorted(c.kinds)) if len(c.kinds) > 1 else next(iter(c.kinds))
        sentence = _sentence_place(c)
        place = f"{kind}|{c.clause}|{sentence}"
        key = (place, shared.context)
        cross = made.crossed.get(key)
        if cross is None:
            cross = made.crossed[key] = _crossed(place, st, line)
        starts = line.word_starts
        own = line.words_lower[bisect_left(starts, c.start) : bisect_left(starts, c.end)]
        own_key = (
            kind, c.clause, sentence, c.sentences, c.segments, c.before, c.after, len(own),
            text[c.end - 1], text[c.start].isupper(),
        )  # fmt: skip
        places = made.own.get(own_key)
        if places is None:
            places = made.own[own_key] = _own(own_key)
        lexical = [
            f"wb:{c.word_before}",
            f"wa:{c.word_after}",
            f"fw:{own[0] if own else ''}",
            f"f2:{' '.join(own[:2])}",
            f"lw:{own[-1] if own else ''}",
        ]
        if c.word_after:
            lexical.append(f"P={place}&wa:{c.word_after}")
        if c.word_before:
            lexical.append(f"P={place}&wb:{c.word_before}")
        out.append(Facts(places, lexical, own[:MAX_BAG], shared.facts, cross, shared.words))
    return out


class _LineShared(NamedTuple):
    """What a line's candidates share: its facts, its words' facts, and the number of what
    its crossed facts read (``_context``)."""

    facts: list[str]
    words: list[str]
    context: int
