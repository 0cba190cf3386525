"""Who said each quote: the name or description a speech verb or a colon binds to it.

For each quote (a span the analyst tagged, or one the quotes suggester proposes) the rules look,
most certain first:

1. A paragraph that opens with a quotation mark while the quote before it was left open (news
   reopens a quote on every paragraph and closes it only at the end) continues that quote: the
   same speaker.
2. After a quote that ends in a comma, "?" or "!": ``“…,” said Edith Carver``, ``“…,” Carver
   said``, ``“…,” she said``, ``“…,” according to the ministry``; after any quote, a dash and
   a name alone (``“…” — Witkoff``).
3. Before it, in its sentence: the speech verb nearest the quote and its subject, ``Witkoff told
   CNN: “…”``, ``Ms Osei said the plan was “a disaster”``, ``According to Osei, “…”``; with no
   verb, a name and a colon alone (a headline's ``Witkoff: “…”``).
4. Another quote of the same paragraph that has a speaker (``“…,” she said. “…”``); a
   paragraph before it that ends "X said:"; the sentence before it, if it has a speech verb
   and a subject; a quote that opens the next paragraph after a quote with a speaker.

The subject of a verb is the stretch before it in its clause; in ``Ms Osei, who leads the
union, said`` the name, not the clause. A pronoun ("she said") stands for the last person named
before the quote, or for the subject of the sentence just before when that sentence reports
speech (a "Ms" or "Mr", or an earlier "he" or "she", must agree), and the speaker
span is that person's latest name before the quote, as the speaker label asks: the mention
nearest the quote. Names inside quotations are never speakers.

The speech verbs are the patterns file's ``speakers`` words (every form: "said", "says",
"told"...); "according to" names the speaker after it. English only.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.suggest.builtin import quotes as quote_rules
from annotator.suggest.builtin.patterns import Patterns
from annotator.suggest.builtin.people import NOT_NAMES, PARTICLES, People, find_people, fold
from annotator.suggest.builtin.suggestion import Suggestion

NAME = "speakers"
LABEL = "speaker"
QUOTE_LABEL = quote_rules.LABEL
MIN_QUOTE_SCORE = 0.5  # the quotes the quotes suggester would store

# How sure each rule is.
SCORES = {
    "continued": 0.85,
    "said-name": 0.92,  # “…,” said Edith Carver
    "name-said": 0.9,  # “…,” Carver said
    "name-said:": 0.88,  # Carver said: “…”
    "name-said-that": 0.8,  # Carver said the plan was “…”
    "according-to": 0.8,
    "name-colon": 0.75,  # Witkoff: “…”
    "dash-name": 0.75,  # “…” — Witkoff
    "same-paragraph": 0.75,
    "colon-paragraph": 0.8,
    "previous-sentence": 0.6,
    "previous-paragraph": 0.55,
}
PRONOUN_FACTOR = 0.85  # a pronoun's person is a guess
_FAR = 12  # words between a verb and its quote before the binding weakens

_HIDDEN = "\x00"
_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}
_GROUP_PRONOUNS = {"they", "it"}
_RELATIVE = {"who", "which", "that"}
# Words at the start of a clause that are not part of its subject.
_CONNECTIVES = {
    "but", "and", "so", "yet", "then", "meanwhile", "however", "later", "also", "now",
    "still", "instead", "indeed", "earlier", "separately", "again", "finally", "first",
    "afterwards", "previously", "today", "yesterday", "tonight",
}  # fmt: skip
# Words between a subject and its verb ("Osei has also said").
_AUXILIARIES = {
    "has", "have", "had", "is", "was", "were", "are", "will", "would", "also", "later",
    "then", "once", "often", "again", "just", "already", "previously", "earlier",
    "subsequently", "still", "never", "always", "did", "does", "do", "not", "first",
}  # fmt: skip
# Words after which a noun phrase that follows a verb has ended ("said Osei on Monday").
_NP_ENDS = {
    "on", "in", "at", "during", "after", "before", "when", "while", "as", "who", "which",
    "that", "adding", "and", "but", "yesterday", "today", "tonight", "last", "this", "earlier",
    "later", "told", "said", "from", "to", "with", "of", "about", "via", "because",
    "since", "although", "though", "noting", "saying", "explaining", "pointing", "referring",
    "speaking", "writing", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday",
}  # fmt: skip
_NP_KEEP = {"of", "for", "at"}  # inside a description: "a spokesperson for the ministry"
_DETERMINERS = {
    "the", "a", "an", "one", "another", "his", "her", "its", "their", "our", "my", "some",
    "several", "two", "three", "four", "five", "many", "most", "both", "this", "that",
}  # fmt: skip
_MAX_NP_WORDS = 9
_WORDS = re.compile(r"[^\s\x00]+")
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*(?=\s+[\"“‘«(\[]?[A-Z0-9À-ÖØ-Þ\x00])")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gov", "gen", "col",
                  "lt", "sgt", "capt", "jr", "sr", "no", "u.s", "u.k", "e.g", "i.e", "vs",
                  "inc", "co", "corp", "ltd", "rev", "mt", "ft"}  # fmt: skip


@dataclass(frozen=True)
class Attribution:
    """A quote's speaker as the rules found it: the span naming them, how sure, which rule."""

    quote: tuple[int, int]
    speaker: tuple[int, int]
    score: float
    rule: str


def suggest(text: str, patterns: Patterns) -> list[Suggestion]:
    """The speaker spans of the quotes the quotes suggester finds (the relations need the
    project's quotes: see :func:`attribute`)."""
    found = attribute(text, patterns, rule_quotes(text, patterns))
    best: dict[tuple[int, int], float] = {}
    for a in found:
        best[a.speaker] = max(best.get(a.speaker, 0.0), a.score)
    return [Suggestion(s, e, LABEL, score) for (s, e), score in sorted(best.items())]


def rule_quotes(text: str, patterns: Patterns) -> list[tuple[int, int]]:
    """The quotes the quotes suggester would store on ``text``."""
    return [
        (s.start, s.end) for s in quote_rules.suggest(text, patterns) if s.score >= MIN_QUOTE_SCORE
    ]


class SpeechVerbs:
    """The patterns file's speech verbs, found word by word (a set lookup per word is much
    faster on a long article than one pattern of a hundred alternatives)."""

    _WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")

    def __init__(self, words: list[str]) -> None:
        self.single = {w.casefold() for w in words if " " not in w.strip()}
        self.double: dict[str, set[str]] = {}
        for w in words:
            first, *rest = w.casefold().split()
            if rest:
                self.double.setdefault(first, set()).add(" ".join(rest))

    def find(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every speech verb in ``text``."""
        found = []
        matches = list(self._WORD.finditer(text))
        for i, m in enumerate(matches):
            word = m.group().casefold()
            if word in self.double and i + 1 < len(matches):
                after = matches[i + 1]
                if text[m.end() : after.start()].isspace() and (
                    after.group().casefold() in self.double[word]
                ):
                    found.append((m.start(), after.end()))
                    continue
            hyphened = text[m.end() : m.end() + 1] == "-" or text[m.start() - 1 : m.start()] == "-"
            if word in self.single and not hyphened:  # "so-called" is no speech verb
                found.append((m.start(), m.end()))
        return found


def speech_verbs(patterns: Patterns) -> SpeechVerbs | None:
    words = [r.value for r in patterns.of(NAME, "word")]
    return SpeechVerbs(words) if words else None


def attribute(
    text: str, patterns: Patterns, quotes: Sequence[tuple[int, int]]
) -> list[Attribution]:
    """The speaker of each quote of ``quotes`` that the rules can tell (others are left out)."""
    verbs = speech_verbs(patterns)
    if verbs is None or not quotes:
        return []
    closers = {closing for opening, closing in (r.value for r in patterns.of("quotes", "pair"))}
    article = _Article(text, sorted(set(quotes)), verbs, closers)
    return article.attribute_all()


@dataclass
class _Found:
    speaker: tuple[int, int]
    score: float
    rule: str


class _Article:
    """An article read once for attributing its quotes: its paragraphs, the insides of its
    quotes hidden, its speech verbs and its names."""

    def __init__(
        self, text: str, quotes: list[tuple[int, int]], verbs: SpeechVerbs, closers: set[str]
    ) -> None:
        self.text = text
        self.quotes = quotes
        self.closers = closers
        chars = list(text)
        hidden: set[int] = set()
        for s, e in quotes:
            for i in range(s, e):
                chars[i] = _HIDDEN
            hidden.update(range(s, e))
        self.masked = "".join(chars)
        self.verbs = verbs.find(self.masked)
        self.verb_starts = [s for s, _ in self.verbs]
        self.people: People = find_people(text, hidden)
        self.ends = self._sentence_ends()
        self.found: dict[tuple[int, int], _Found] = {}
        self.latest: tuple[int, int] | None = None  # the last speaker that is a name

    # -- the article's layout --------------------------------------------------------------

    def _sentence_ends(self) -> list[int]:
        """Where sentences end: at . ! ? outside quotes, at a quote that ends its sentence,
        and at every paragraph's end."""
        ends = set()
        for m in _SENTENCE_END.finditer(self.masked):
            word = re.findall(r"[\w.]+$", self.masked[max(0, m.start() - 12) : m.start()])
            if word and (
                word[0].lower().rstrip(".") in _ABBREVIATIONS
                or (len(word[0]) == 1 and word[0].isupper())  # an initial: "John F. Kennedy"
            ):
                continue
            ends.add(m.end())
        for s, e in self.quotes:
            if self._ends_sentence(s, e):
                ends.add(e)
        for m in re.finditer("\n", self.text):
            ends.add(m.start())
        ends.add(len(self.text))
        return sorted(ends)

    def _ends_sentence(self, start: int, end: int) -> bool:
        """A quote ending in "." (or "?", "!") followed by a capital or a paragraph's end."""
        inner = self.text[start:end].rstrip("".join(self.closers) + " ")
        if not inner or inner[-1] not in ".!?…":
            return False
        rest = self.text[end : end + 3].lstrip(" \u00a0")
        return not rest or rest[0] == "\n" or not rest[0].islower()

    def paragraph(self, i: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, i) + 1
        end = self.text.find("\n", i)
        return start, len(self.text) if end == -1 else end

    def sentence_start(self, i: int) -> int:
        """The start of the sentence holding position ``i``."""
        k = bisect_right(self.ends, i) - 1
        start = self.ends[k] if k >= 0 else 0
        while start < i and self.text[start] in " \n\u00a0\t":
            start += 1
        return start

    def sentence_end(self, i: int) -> int:
        k = bisect_right(self.ends, i)
        return self.ends[k] if k < len(self.ends) else len(self.text)

    def previous_sentence(self, begin: int) -> tuple[int, int]:
        """The sentence that ends before ``begin`` (white space between them skipped)."""
        end = begin
        while end > 0 and self.text[end - 1].isspace():
            end -= 1
        return (self.sentence_start(end - 1), end) if end > 0 else (0, 0)

    def verbs_in(self, start: int, end: int) -> list[tuple[int, int]]:
        i, j = bisect_left(self.verb_starts, start), bisect_left(self.verb_starts, end)
        return [v for v in self.verbs[i:j] if v[1] <= end]

    # -- attributing -------------------------------------------------------------------------

    def attribute_all(self) -> list[Attribution]:
        out = []
        for n, quote in enumerate(self.quotes):
            found = (
                self._continued(n)
                or self._own(quote)
                or self._same_paragraph(n)
                or self._before_paragraph(n)
            )
            if found is not None:
                self.found[quote] = found
                if self._is_name(found.speaker):
                    self.latest = found.speaker
                out.append(Attribution(quote, found.speaker, round(found.score, 4), found.rule))
        return out

    def _continued(self, n: int) -> _Found | None:
        """A paragraph that reopens the quote the paragraph before left open."""
        if n == 0:
            return None
        start, _ = self.quotes[n]
        previous = self.quotes[n - 1]
        p_start, _ = self.paragraph(start)
        if self.text[p_start:start].strip() or previous[1] > p_start:
            return None
        before_start, before_end = self.paragraph(previous[0])
        if self.text[previous[1] : before_end].strip():
            return None  # the previous quote did not run to its paragraph's end
        if self.text[previous[0] : previous[1]].rstrip()[-1:] in self.closers:
            return None  # it was closed
        if self.text[before_end:p_start].strip():
            return None  # another paragraph between them
        earlier = self.found.get(previous)
        if earlier is None:
            return None
        return _Found(earlier.speaker, min(earlier.score, SCORES["continued"]), "continued")

    def _own(self, quote: tuple[int, int]) -> _Found | None:
        """What the quote's own sentence says: after it when it ends in a comma (or "?",
        "!"), else before it first."""
        start, end = quote
        inner = self.text[start:end].rstrip("".join(self.closers) + " ")
        open_ended = bool(inner) and inner[-1] in ",?!—–-"
        after = self._after(quote)
        if after is not None and (open_ended or after.rule == "dash-name"):
            return after
        before = self._before(quote)
        if before is not None:
            return before
        if after is not None and not self._ends_sentence(start, end):
            return after
        return None

    def _after(self, quote: tuple[int, int]) -> _Found | None:
        """``“…,” said X``, ``“…,” X said``, ``“…,” according to X``."""
        _, end = quote
        stop = self._after_stop(end)
        i = end
        while i < stop and self.masked[i] in " ,;—–-\u00a0":
            i += 1
        if i >= stop:
            return None
        verbs = self.verbs_in(i, stop)
        if verbs and verbs[0][0] == i:  # the verb first: said X, according to X
            v_start, v_end = verbs[0]
            rule = "according-to" if self._according(v_start, v_end) else "said-name"
            speaker = self._noun_phrase_after(v_end, stop, quote[0])
            if speaker is None:
                return None
            return _Found(speaker[0], SCORES[rule] * speaker[1], rule)
        for v_start, _v_end in verbs:
            if not self._near(i, v_start):
                break
            if self._according(v_start, _v_end):
                continue
            speaker = self._subject(i, v_start, quote[0])
            if speaker is not None:
                return _Found(speaker[0], SCORES["name-said"] * speaker[1], "name-said")
            break
        return self._dash_name(end, i, stop)

    def _dash_name(self, end: int, i: int, stop: int) -> _Found | None:
        """``“…” — Witkoff``: a dash after the quote, then a name and nothing more."""
        if not any(ch in "—–" for ch in self.masked[end:i]) or self.verbs_in(i, stop):
            return None
        name_end = len(self.masked[:stop].rstrip(" .\u00a0"))
        if name_end <= i or not self._is_name((i, name_end)):
            return None
        return _Found((i, name_end), SCORES["dash-name"], "dash-name")

    def _near(self, start: int, verb: int) -> bool:
        """Whether a verb is close enough after a quote to be its attribution: a few words,
        or more when they are a name and a clause set off by commas ("“…,” Rosa Kettering,
        who runs the bakery near the stop, said")."""
        stretch = self.masked[start:verb]
        words = len(_WORDS.findall(stretch))
        if words <= _FAR:
            return True
        head = stretch.split(",", 1)[0]
        return (
            words <= 2 * _FAR
            and stretch.rstrip().endswith(",")
            and self._is_name((start, start + len(head.rstrip())))
        )

    def _after_stop(self, end: int) -> int:
        """Where the words after a quote that may name its speaker stop: the sentence's end,
        or the next quote."""
        stop = self.sentence_end(end)
        if stop == end:  # the quote ended its sentence; "?" and "!" may still go on
            stop = self.sentence_end(end + 1)
        hidden = self.masked.find(_HIDDEN, end, stop)
        return stop if hidden == -1 else hidden

    def _before(self, quote: tuple[int, int]) -> _Found | None:
        """``X said: “…”``, ``X told CNN that it was “…”``, ``According to X, “…”``, and a
        headline's ``Osei: “…”``."""
        start = quote[0]
        begin = self.sentence_start(start)
        verbs = self.verbs_in(begin, start)
        if not verbs:
            return self._name_colon(begin, start)
        v_start, v_end = verbs[-1]
        if self._according(v_start, v_end):
            speaker = self._noun_phrase_after(v_end, start, start)
            if speaker is None:
                return None
            return _Found(speaker[0], SCORES["according-to"] * speaker[1], "according-to")
        between = self.masked[v_end:start].strip()
        if self._participle(begin, v_start, v_end):
            subject = self._main_subject(begin, v_start)
        else:
            subject = self._subject(begin, v_start, start)
        if subject is None:
            return None
        if between.endswith((":", ",")) and len(_WORDS.findall(between)) <= 8:
            rule, score = "name-said:", SCORES["name-said:"]
        else:
            rule, score = "name-said-that", SCORES["name-said-that"]
            if len(_WORDS.findall(between)) > _FAR:
                score -= 0.15
        return _Found(subject[0], score * subject[1], rule)

    def _name_colon(self, begin: int, start: int) -> _Found | None:
        """A name and a colon, and nothing else, before a quote: ``Witkoff: “Talks are
        over”`` (headlines, live pages)."""
        lead = self.masked[begin:start].rstrip()
        if not lead.endswith(":"):
            return None
        end = begin + len(lead) - 1
        words = self._words((begin, end))
        if not self._is_name((begin, end)) or any(_bare(w.group()) in NOT_NAMES for w in words):
            return None  # "Photo: “…”", "Update: “…”"
        return _Found((begin, end), SCORES["name-colon"], "name-colon")

    def _participle(self, begin: int, v_start: int, v_end: int) -> bool:
        """``…, saying``: a verb in -ing after a comma, whose subject is its sentence's."""
        return self.text[v_start:v_end].casefold().endswith("ing") and self.masked[
            begin:v_start
        ].rstrip().endswith(",")

    def _main_subject(self, begin: int, verb: int) -> tuple[tuple[int, int], float] | None:
        """The name a sentence opens with ("General manager Tina Okonkwo announced …, saying
        …"): the subject of its main verb."""
        head = self.masked[begin:verb].split(",", 1)[0]
        named = [m for m in self.people.within(begin, begin + len(head)) if m.person >= 0]
        if not named or len(_WORDS.findall(self.text[begin : named[0].start])) > 3:
            return None
        return (begin, named[0].end), 1.0

    def _same_paragraph(self, n: int) -> _Found | None:
        """Another quote earlier in the paragraph, with a speaker: ``“…,” she said. “…”``."""
        start, _ = self.quotes[n]
        p_start, _ = self.paragraph(start)
        for quote in reversed(self.quotes[:n]):
            if quote[0] < p_start:
                break
            found = self.found.get(quote)
            if found is not None:
                return _Found(found.speaker, SCORES["same-paragraph"], "same-paragraph")
        return None

    def _before_paragraph(self, n: int) -> _Found | None:
        """A quote with nothing said of it in its own paragraph: the paragraph before, if it
        ends "X said:", or its last sentence has a speech verb and a subject, or it holds a
        quote with a speaker and this quote opens its paragraph."""
        start, _ = self.quotes[n]
        p_start, _ = self.paragraph(start)
        begin = self.sentence_start(start)
        if begin > p_start:  # the sentence before is in this paragraph
            return self._sentence_speaker(*self.previous_sentence(begin), start)
        previous_end = p_start - 1
        while previous_end > 0 and not self.text[previous_end - 1 : previous_end].strip():
            previous_end -= 1  # blank lines between paragraphs
        if previous_end <= 0:
            return None
        q_start, _ = self.paragraph(previous_end - 1)
        if self.text[q_start:previous_end].rstrip().endswith(":"):
            found = self._sentence_speaker(*self.previous_sentence(previous_end), start)
            if found is not None:
                return _Found(found.speaker, SCORES["colon-paragraph"], "colon-paragraph")
        last = self.quotes[n - 1] if n else None
        if last is not None and q_start <= last[0] and last[1] <= previous_end:
            found = self.found.get(last)  # the paragraph before holds a quote
            if found is not None and not self.text[p_start:start].strip():
                return _Found(found.speaker, SCORES["previous-paragraph"], "previous-paragraph")
            return None
        return self._sentence_speaker(*self.previous_sentence(previous_end), start)

    def _sentence_speaker(self, begin: int, end: int, quote_start: int) -> _Found | None:
        """The subject of the first speech verb of a sentence that holds no quote that has
        one ("X said she welcomed …": X)."""
        if _HIDDEN in self.masked[begin:end]:
            return None
        for v_start, v_end in self.verbs_in(begin, end):
            if self._according(v_start, v_end):
                continue
            subject = self._subject(begin, v_start, quote_start)
            if subject is not None:
                score = SCORES["previous-sentence"] * subject[1]
                return _Found(subject[0], score, "previous-sentence")
        return None

    def _according(self, start: int, end: int) -> bool:
        return self.text[start:end].casefold().startswith("according")

    # -- noun phrases ------------------------------------------------------------------------

    def _noun_phrase_after(
        self, start: int, stop: int, quote_start: int
    ) -> tuple[tuple[int, int], float] | None:
        """The name or description right after a verb (``said chief executive Owen Marsh,``;
        ``according to a spokesperson for the ministry``), and how sure it is."""
        words = [m for m in _WORDS.finditer(self.masked, start, stop)]
        kept: list[re.Match[str]] = []
        for m in words:
            word = m.group()
            bare = word.strip(",.;:!?)(").casefold()
            if (
                kept
                and bare in _NP_ENDS
                and (bare not in _NP_KEEP or kept[-1].group()[:1].isupper())
            ):
                break  # "said Osei at a rally", but "a spokesperson at the ministry"
            if not kept and bare in _NP_ENDS:
                return None  # "said in a statement": the subject is elsewhere
            kept.append(m)
            if len(kept) >= _MAX_NP_WORDS or (word[-1] in ",.;:!?" and not _initial(word)):
                break
        if not kept:
            return None
        first = kept[0].group().strip(",.;:").casefold()
        if len(kept) == 1 and first in _PRONOUNS:
            return self._pronoun(first, kept[0].start(), quote_start)
        return self._shaped(kept[0].start(), kept[-1].end(), quote_start)

    def _subject(
        self, begin: int, verb: int, quote_start: int
    ) -> tuple[tuple[int, int], float] | None:
        """The subject of the verb at ``verb``: the stretch before it in its clause; in
        ``Ms Osei, who leads the union, said`` the name before the clause."""
        parts = self._parts(begin, verb)
        if not parts:
            return None
        last = parts[-1]
        chosen: tuple[int, int] | None = last
        if _bare(self.text[last[0] : last[1]]) in _RELATIVE or not self._words(last):
            chosen = self._head_part(parts[:-1] if self._words(last) else parts)
        if chosen is None:
            return None
        words = self._words(chosen)
        if len(words) == 1 and _bare(words[0].group()) in _PRONOUNS:
            return self._pronoun(_bare(words[0].group()), words[0].start(), quote_start)
        if len(words) == 1 and _bare(words[0].group()) in _GROUP_PRONOUNS:
            return None
        return self._shaped(chosen[0], chosen[1], quote_start)

    def _parts(self, begin: int, verb: int) -> list[tuple[int, int]]:
        """The clause before a verb cut at commas, dashes and colons, each part trimmed of
        connectives before it and auxiliaries after it ("Osei has also said")."""
        stretch = self.masked[begin:verb]
        if _HIDDEN in stretch:
            begin += stretch.rfind(_HIDDEN) + 1
        earlier = self.verbs_in(begin, verb)
        if earlier:  # a subject holds no speech verb: "X said she welcomed": she
            begin = earlier[-1][1]
        parts = []
        at = begin
        for m in re.finditer(r"[,;:—–()]|\s-\s", self.masked[begin:verb] + ","):
            parts.append((at, begin + m.start()))
            at = begin + m.end()
        out = []
        for s, e in parts:
            words = [w for w in _WORDS.finditer(self.masked, s, e) if _has_word(w.group())]
            while words and _bare(words[0].group()) in _CONNECTIVES:
                words.pop(0)
            while words and (
                _bare(words[-1].group()) in _AUXILIARIES or _bare(words[-1].group()).endswith("ly")
            ):
                if len(words) == 1:
                    break
                words.pop()
            out.append((words[0].start(), words[-1].end()) if words else (e, e))
        while len(out) > 1 and out[-1][0] == out[-1][1]:
            out.pop()
            if out and out[-1][0] != out[-1][1]:
                out.append((verb, verb))  # "X, the leader, said": the verb follows a comma
                break
        return out

    def _words(self, part: tuple[int, int]) -> list[re.Match[str]]:
        return list(_WORDS.finditer(self.masked, part[0], part[1]))

    def _head_part(self, parts: list[tuple[int, int]]) -> tuple[int, int] | None:
        """Of the parts before ``, said``, the one that names the subject: the first that is
        a name, else the first description ("The mayor, who..., said")."""
        filled = [p for p in parts if self._words(p)]
        for p in filled:
            first = _bare(self._words(p)[0].group())
            if first not in _DETERMINERS and first not in _RELATIVE and self._names(p):
                return p
        for p in filled:
            if _bare(self._words(p)[0].group()) in _DETERMINERS:
                return p
        return None

    def _names(self, part: tuple[int, int]) -> bool:
        """Whether a part is a name, or ends in a person's name ("board chair Oskar Núñez")."""
        if self._is_name(part):
            return True
        named = self.people.within(*part)
        return (
            bool(named) and named[-1].person >= 0 and not self.text[named[-1].end : part[1]].strip()
        )

    def _is_name(self, part: tuple[int, int]) -> bool:
        """A short stretch of capitalised words (and the particles names hold), ending in
        one: "Witkoff", "Jun van der Berg"."""
        words = [w.group() for w in self._words(part)]
        return (
            0 < len(words) <= 6
            and words[-1][:1].isupper()
            and all(w[:1].isupper() or w in PARTICLES for w in words)
        )

    def _shaped(
        self, start: int, end: int, quote_start: int
    ) -> tuple[tuple[int, int], float] | None:
        """A subject or object stretch as a speaker span: a name with the title and role
        words before it ("chief executive Owen Marsh"), or a short description ("the
        ministry", "a spokesperson for the ministry")."""
        while end > start and self.text[end - 1] in ",.;:!?\"'”’) \u00a0":
            end -= 1
        for tail in ("’s", "'s"):
            if self.text[start:end].endswith(tail):
                return None  # "Osei’s plan said": not the speaker
        words = list(_WORDS.finditer(self.text, start, end))
        if not words or len(words) > _MAX_NP_WORDS:
            return None
        if _bare(words[0].group()) in _RELATIVE or _bare(words[0].group()) in _GROUP_PRONOUNS:
            return None
        persons = [m for m in self.people.within(start, end) if m.person >= 0]
        if persons:
            name = persons[0]
            if self.text[name.end : end].strip():
                return (name.start, name.end), 1.0  # "Professor Haddad of the university"
            if len(_WORDS.findall(self.text[start : name.start])) > 4:
                return (name.start, name.end), 1.0
            return (start, end), 1.0  # with its title: "chief executive Owen Marsh"
        if not any(ch.isalpha() for ch in self.text[start:end]):
            return None
        capitalised = words[-1].group()[:1].isupper()
        described = _bare(words[0].group()) in _DETERMINERS
        if len(words) > (8 if described else 4) and not capitalised:
            return None  # a long lower-case stretch is a clause, not a description
        return (start, end), 1.0 if capitalised else 0.95

    def _pronoun(
        self, pronoun: str, at: int, quote_start: int
    ) -> tuple[tuple[int, int], float] | None:
        """The latest name before ``at`` (outside quotes) of a person ``pronoun`` can stand
        for; its span is the mention nearest the quote."""
        gender = _PRONOUNS[pronoun]
        position = min(at, quote_start)
        said = self._reported_before(quote_start)
        if said is not None and not self._disagrees(said.speaker, gender):
            return said.speaker, PRONOUN_FACTOR  # "X said …. “…,” she said": X
        earlier = [self.latest] if self.latest and self.latest[1] <= position else []
        for mention in self.people.before(position):
            if mention.person < 0:
                continue
            person = self.people.persons[mention.person]
            known = mention.gender or person.gender
            if known and known != gender:
                continue
            if earlier and earlier[-1][1] > mention.end and self._is_name(earlier[-1]):
                candidate = earlier[-1]  # a speaker named since, that no name list holds
                if not self._disagrees(candidate, gender):
                    return candidate, PRONOUN_FACTOR
            person.gender = person.gender or gender
            return (mention.start, mention.end), PRONOUN_FACTOR
        if earlier and self._is_name(earlier[-1]) and not self._disagrees(earlier[-1], gender):
            return earlier[-1], PRONOUN_FACTOR
        return None

    def _reported_before(self, quote_start: int) -> _Found | None:
        """The speaker of the sentence just before the quote's own, in its paragraph."""
        begin = self.sentence_start(quote_start)
        p_start, _ = self.paragraph(quote_start)
        if begin <= p_start:
            return None
        return self._sentence_speaker(*self.previous_sentence(begin), begin - 1)

    def _disagrees(self, span: tuple[int, int], gender: str) -> bool:
        mention = self.people.at(*span)
        if mention is None or mention.person < 0:
            return False
        known = mention.gender or self.people.persons[mention.person].gender
        return bool(known) and known != gender


def _initial(word: str) -> bool:
    """A point that ends no sentence: an initial ("F.") or a title ("Dr.", "Jr.")."""
    bare = word[:-1]
    return word.endswith(".") and (
        (len(bare) == 1 and bare.isupper()) or bare.casefold() in _ABBREVIATIONS
    )


def _has_word(token: str) -> bool:
    """Whether a stretch between spaces holds a letter or digit (not a lone mark or dash)."""
    return any(ch.isalnum() for ch in token)


def _bare(word: str) -> str:
    return fold(word.strip(",.;:!?()\"'“”‘’"))
