"""Seeded, deterministic news-like articles with spans, written as annotator JSONL tasks.

Every article carries the four labels (claim, quote, caption, concession), most of them with
one overlap (a claim nested in a quote or around a concession, or crossing one), and the text
holds what trips offset code: astral characters (🚀, 👍🏽), NBSP and Arabic words. Offsets are
code points, end exclusive, and every span's ``text`` is ``text[start:end]``.

Articles are assembled from a pool of sentences drawn once per seed, so 100,000 of them take
seconds. The same seed and sizes give the same bytes; ``GENERATOR_VERSION`` names the cache.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 1
SEED = 1729
LABELS = ("claim", "quote", "caption", "concession")
NBSP = "\u00a0"

_PLACES = [
    "Northbrook", "Valebridge", "Kessel Park", "St Aldric's", "Wendle", "Corvane",
    "Harbour Street", "Oster Bridge", "Lindenau", "Marrow Cross", "Eastfield", "Port Selby",
]  # fmt: skip
_NAMES = [
    "Hanne Brauer", "José Núñez", "Piet Olsen", "Amira Haddad", "Lena Marić", "Tomasz Wójcik",
    "Chidi Okafor", "Mei-Ling Chen", "Rashid Al-Farsi", "Sofia Lindqvist", "Dara O'Neill",
    "Yusuf Demir", "Ingrid Halvorsen", "Kwame Mensah", "Ana Ribeiro", "Oskar Nyberg",
]  # fmt: skip
_ROLES = [
    "the mayor", "a council spokesperson", "the head nurse", "the study's lead author",
    "a union representative", "the transport committee chair", "a local shopkeeper",
    "the company's chief executive", "an opposition councillor", "a hospital manager",
]  # fmt: skip
_PAPERS = ["Northbrook Courier", "Valebridge Post", "Wendle Gazette", "Corvane Herald"]
_TOPICS = [
    "tram extension", "nurse shortfall", "microplastics study", "plant closure",
    "housing plan", "flood defences", "school budget", "bus corridor", "library reopening",
]  # fmt: skip
_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Arabic phrases (with their English gloss) seen on banners and in quotes.
_ARABIC = [
    ("مدينة للجميع", "a city for all"),
    ("النقل العام", "public transport"),
    ("مستشفى المدينة", "the city hospital"),
    ("شكرا للممرضات", "thank you, nurses"),
    ("الماء النظيف", "clean water"),
    ("لا للإغلاق", "no to the closure"),
]
_EMOJI = ["🚀", "👍🏽", "🚋", "💧", "👏🏾"]

_CLAIMS = [
    "The council approved the {topic} by {a} votes to {b}.",
    "The project is expected to cost €" + NBSP + "{n} million.",
    "Construction is scheduled to begin in {month} {year}.",
    "Unemployment in {place} fell to {pct}% in the last quarter.",
    "The hospital has {n} vacancies on its nursing staff.",
    "The study found {n} particles per litre at {k} of the {m} sites sampled.",
    "The new line will be {k}" + NBSP + "km long and add {a} stops.",
    "About {n},000 residents live within a ten-minute walk of the route.",
    "The plant employed {n} people at its peak in {year}.",
    "Ridership on the line rose by {pct}% between {year} and {year2}.",
]
_QUOTES = [
    "We ran out of beds by {day}",
    "This is the most important decision this chamber has made in a decade",
    "For twenty years people in {place} have been told to wait",
    "We are buying a postcard, not a transport policy",
    "Nobody in {place} should have to choose between rent and medicine",
    "The numbers are tight, but they add up",
    "We will not be rushed {e}",
    "Great news for the east side {e}",
    "I have never seen the square this full {e}{e2}",
]
# Quotes with a checkable assertion inside: the claim nests in the quote.
_QUOTED_CLAIMS = [
    "the line will carry {n},000 passengers a day",
    "we lost {a} nurses in {month} alone",
    "the water at {place} is {k} times cleaner than in {year}",
    "the site will close by the end of {year}",
]
_CAPTIONS = [
    "Photo: A tram crosses the {place} bridge during the evening rush hour. ({name} / {paper})",
    "Photo: Nurses leave {place} hospital after a night shift. ({name} / {paper})",
    "Chart: Particles per litre at each of the {m} sites, {year}–{year2}. (Source: {paper})",
    "Image: Protesters outside the {place} plant hold a banner reading «{arabic}». ({name})",
    "Photo: Residents queue at the {place} library on its first day back {e}. ({name} / {paper})",
]
_CONCESSIONS = [
    ("Although the study sampled only {k} sites", "its authors stand by the findings"),
    ("Admittedly, the city's own consultants doubted the figures in {year}", "the vote went ahead"),
    ("Critics note that turnout at the consultation was low", "the council calls it a mandate"),
    ("Although the budget is tight", "the committee voted to fund {a} more posts"),
    ("It is true that the route misses {place}", "the plan still serves most commuters"),
    ("To be fair, the company warned of job losses in {month}", "staff say they heard nothing"),
]
_FILLERS = [
    "The meeting at {place} town hall lasted {a} hours.",
    "Residents gathered outside on {day} morning, some with flasks of coffee.",
    "Banners in Arabic read «{arabic}» ({gloss}).",
    "One post about the decision, shared {n} times, read simply “{e}{e2}{e}”.",
    "The session opened at 10" + NBSP + "a.m. and closed shortly after {h}" + NBSP + "p.m.",
    "{name} of the {paper} contributed reporting.",
    "A second vote is expected in {month}.",
    "The {topic} has divided opinion in {place} for years.",
    "Local shops on {place} reported a busy {day}.",
    "Officials declined to comment further on {day}.",
    "The full report runs to {n} pages and is published online.",
    "Signs in the waiting room say «{arabic}» beside the English.",
]
_HEADLINES = [
    "{place} council backs {topic} in {a}–{b} vote",
    "{topic} leaves {place} divided",
    "What the {topic} means for {place}",
    "{place} waits for answers on the {topic}",
]


@dataclass(frozen=True)
class Sentence:
    """A sentence and the spans it can carry, as offsets relative to its start."""

    text: str
    marks: tuple[tuple[int, int, str], ...] = ()


class _Pools:
    """Sentences drawn once per seed; articles are assembled from these."""

    def __init__(self, rng: random.Random, size: int = 400) -> None:
        fill = self._fill
        self.claims = [Sentence(t, ((0, len(t), "claim"),)) for t in fill(rng, _CLAIMS, size)]
        self.fillers = [Sentence(t) for t in fill(rng, _FILLERS, size)]
        self.captions = [Sentence(t, ((0, len(t), "caption"),)) for t in fill(rng, _CAPTIONS, size)]
        self.quotes = [self._quote(rng, q) for q in fill(rng, _QUOTES, size)]
        self.quoted_claims = []
        for claim in fill(rng, _QUOTED_CLAIMS, size):
            q = self._quote(rng, claim[0].upper() + claim[1:] + ", and we will keep saying so")
            inner = q.text.index("“") + 1
            self.quoted_claims.append(
                Sentence(q.text, q.marks + ((inner, inner + len(claim), "claim"),))
            )
        self.concessions = []
        for _ in range(size):
            clause, main = rng.choice(_CONCESSIONS)
            clause, main = self._slots(rng, clause), self._slots(rng, main, capital=False)
            text = f"{clause}, {main}."
            self.concessions.append(Sentence(text, ((0, len(clause), "concession"),)))
        self.headlines = fill(rng, _HEADLINES, size)

    @staticmethod
    def _slots(rng: random.Random, template: str, *, capital: bool = True) -> str:
        year = rng.randint(2015, 2026)
        arabic, gloss = rng.choice(_ARABIC)
        values = {
            "place": rng.choice(_PLACES),
            "name": rng.choice(_NAMES),
            "paper": rng.choice(_PAPERS),
            "topic": rng.choice(_TOPICS),
            "month": rng.choice(_MONTHS),
            "day": rng.choice(_DAYS),
            "year": year,
            "year2": year + rng.randint(1, 4),
            "a": rng.randint(2, 12),
            "b": rng.randint(1, 9),
            "h": rng.randint(1, 9),
            "k": rng.randint(2, 30),
            "m": rng.randint(31, 60),
            "n": rng.randint(40, 990),
            "pct": rng.randint(2, 40),
            "arabic": arabic,
            "gloss": gloss,
            "e": rng.choice(_EMOJI),
            "e2": rng.choice(_EMOJI),
        }
        text = template.format(**values)
        return text[0].upper() + text[1:] if capital else text

    def _fill(self, rng: random.Random, templates: list[str], size: int) -> list[str]:
        return [self._slots(rng, rng.choice(templates)) for _ in range(size)]

    def _quote(self, rng: random.Random, words: str) -> Sentence:
        quoted = f"“{words},”"
        who = rng.choice([*_NAMES, *_ROLES])
        text = f"{quoted} said {who}."
        return Sentence(text, ((0, len(quoted), "quote"),))


class _Text:
    """Appends pieces and keeps the code-point offset of each, so spans need no searching."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, piece: str) -> int:
        start = self.pos
        self.parts.append(piece)
        self.pos += len(piece)
        return start

    def value(self) -> str:
        return "".join(self.parts)


def _span(text: str, start: int, end: int, label: str) -> dict[str, Any]:
    return {"start": start, "end": end, "label": label, "text": text[start:end]}


def _paragraph(out: _Text, sentences: list[Sentence]) -> list[int]:
    starts = []
    for i, s in enumerate(sentences):
        if i:
            out.add(" ")
        starts.append(out.add(s.text))
    return starts


def _article(rng: random.Random, pools: _Pools, number: int, size: int) -> dict[str, Any]:
    out = _Text()
    title = rng.choice(pools.headlines)
    place = rng.choice(_PLACES).upper()
    day = rng.randint(1, 28)
    out.add(f"{title}\n\nBy {rng.choice(_NAMES)} · {rng.choice(_PAPERS)} · story {number}\n\n")
    out.add(f"{place} — ")
    claim = rng.choice(pools.claims)
    claim_at = _paragraph(out, [claim, rng.choice(pools.fillers)])[0]
    out.add("\n\n")
    caption = rng.choice(pools.captions)
    caption_at = out.add(caption.text)
    out.add("\n\n")
    variant = rng.randrange(4)
    quote = rng.choice(pools.quoted_claims if variant == 0 else pools.quotes)
    quote_at = _paragraph(out, [rng.choice(pools.fillers), quote, rng.choice(pools.fillers)])[1]
    out.add("\n\n")
    concession = rng.choice(pools.concessions)
    extra_claim = rng.choice(pools.claims)
    conc_at, _, extra_at = _paragraph(out, [concession, rng.choice(pools.fillers), extra_claim])
    while out.pos < size:
        out.add("\n\n")
        _paragraph(out, [rng.choice(pools.fillers) for _ in range(rng.randint(3, 6))])
    out.add("\n")
    text = out.value()

    marks = [(claim_at, claim), (caption_at, caption), (quote_at, quote), (conc_at, concession)]
    spans = [_span(text, at + s, at + e, label) for at, sent in marks for s, e, label in sent.marks]
    conc_start, conc_end, _ = concession.marks[0]
    if variant == 1:  # a claim around the whole concession sentence: the concession nests in it
        spans.append(_span(text, conc_at, conc_at + len(concession.text), "claim"))
    elif variant == 2:  # a claim crossing the end of the concession clause
        last_word = text.rindex(" ", conc_at, conc_at + conc_end) + 1
        spans.append(_span(text, last_word, conc_at + len(concession.text), "claim"))
    elif variant == 3:  # no overlap: a second, separate claim
        spans.append(_span(text, extra_at, extra_at + len(extra_claim.text), "claim"))
    spans.sort(key=lambda s: (s["start"], -s["end"]))
    return {
        "id": f"bench-{number:06d}",
        "title": title,
        "text": text,
        "meta": {
            "source": rng.choice(_PAPERS),
            "section": rng.choice(["city", "health", "science", "business"]),
            "published": f"2025-{rng.randint(1, 12):02d}-{day:02d}",
        },
        "spans": spans,
    }


def articles(n: int, *, seed: int = SEED, size: int = 2800) -> Iterator[dict[str, Any]]:
    """``n`` distinct articles of about ``size`` characters with five spans each."""
    rng = random.Random(seed)
    pools = _Pools(rng)
    for number in range(1, n + 1):
        yield _article(rng, pools, number, size)


def long_article(
    *, chars: int = 1_000_000, spans: int = 10_000, seed: int = SEED
) -> dict[str, Any]:
    """One article of about ``chars`` characters carrying exactly ``spans`` distinct spans."""
    rng = random.Random(seed + 1)
    pools = _Pools(rng)
    out = _Text()
    title = "The long read: a year of the " + rng.choice(_TOPICS)
    out.add(title + "\n\n")
    candidates: list[tuple[int, int, str]] = []
    sentences: list[tuple[int, Sentence]] = []
    kinds = [pools.claims, pools.quotes, pools.quoted_claims, pools.concessions, pools.fillers]
    weights = [3, 2, 1, 2, 4]
    while out.pos < chars:
        if sentences:
            out.add("\n\n")
        if rng.random() < 0.05:
            chosen = [rng.choice(pools.captions)]
        else:
            picks = rng.choices(kinds, weights, k=rng.randint(3, 6))
            chosen = [rng.choice(pool) for pool in picks]
        for at, s in zip(_paragraph(out, chosen), chosen, strict=True):
            sentences.append((at, s))
            candidates += [(at + a, at + b, label) for a, b, label in s.marks]
    out.add("\n")
    text = out.value()
    unique = set(candidates)
    # Whole sentences, then word ranges inside them, until there are enough distinct spans.
    for at, s in sentences:
        if len(unique) >= spans:
            break
        unique.add((at, at + len(s.text), rng.choice(LABELS)))
    while len(unique) < spans:
        at, s = rng.choice(sentences)
        words = [i + 1 for i, ch in enumerate(s.text) if ch == " "]
        if len(words) < 2:
            continue
        a, b = sorted(rng.sample([0, *words], 2))
        unique.add((at + a, at + b - 1, rng.choice(LABELS)))
    chosen_spans = sorted(rng.sample(sorted(unique), spans), key=lambda t: (t[0], -t[1], t[2]))
    return {
        "id": "bench-long",
        "title": title,
        "text": text,
        "meta": {"source": "Valebridge Post", "section": "long read", "published": "2025-06-01"},
        "spans": [_span(text, a, b, label) for a, b, label in chosen_spans],
    }


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    """Write records one per line to ``path``, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(dumps(record))
            f.write("\n")
    os.replace(tmp, path)
    return path


def articles_path(cache: Path, n: int, *, seed: int = SEED) -> Path:
    return cache / f"articles-{n}-seed{seed}-v{GENERATOR_VERSION}.jsonl"


def articles_file(cache: Path, n: int, *, seed: int = SEED) -> Path:
    """The JSONL file of ``articles(n)``, generated once into ``cache``."""
    path = articles_path(cache, n, seed=seed)
    if not path.exists():
        write_jsonl(path, articles(n, seed=seed))
    return path


def long_article_file(cache: Path, chars: int, spans: int, *, seed: int = SEED) -> Path:
    path = cache / f"long-{chars}-{spans}-seed{seed}-v{GENERATOR_VERSION}.jsonl"
    if not path.exists():
        write_jsonl(path, [long_article(chars=chars, spans=spans, seed=seed)])
    return path


def check_spans(record: dict[str, Any]) -> list[str]:
    """What is wrong with a record's spans (empty when every span is valid)."""
    text = record["text"]
    problems = []
    for s in record["spans"]:
        if s["label"] not in LABELS:
            problems.append(f"unknown label {s['label']!r}")
        if not (0 <= s["start"] < s["end"] <= len(text)):
            problems.append(f"span [{s['start']}, {s['end']}) outside the text")
        elif text[s["start"] : s["end"]] != s["text"]:
            problems.append(f"span [{s['start']}, {s['end']}) text differs")
    return problems


# -- shorter articles, for a project of a million -------------------------------------------


def _short_article(rng: random.Random, pools: _Pools, number: int, size: int) -> dict[str, Any]:
    """A news brief of about ``size`` characters: a claim and a quote, among fillers."""
    out = _Text()
    title = rng.choice(pools.headlines)
    out.add(f"{title}\n\n{rng.choice(_PLACES).upper()} — ")
    claim = rng.choice(pools.claims)
    quote = rng.choice(pools.quotes)
    claim_at, _, quote_at = _paragraph(out, [claim, rng.choice(pools.fillers), quote])
    while out.pos < size:
        out.add(" ")
        out.add(rng.choice(pools.fillers).text)
    out.add(f" (story {number})\n")
    text = out.value()
    spans = [
        _span(text, at + s, at + e, label)
        for at, sent in ((claim_at, claim), (quote_at, quote))
        for s, e, label in sent.marks
    ]
    return {
        "id": f"brief-{number:07d}",
        "title": title,
        "text": text,
        "meta": {"source": rng.choice(_PAPERS), "section": rng.choice(["city", "health"])},
        "spans": spans,
    }


def short_articles(n: int, *, seed: int = SEED, size: int = 560) -> Iterator[dict[str, Any]]:
    """``n`` distinct briefs of about ``size`` characters with two spans each (a claim and a
    quote): the shape of a big archive's articles."""
    rng = random.Random(seed + 3)
    pools = _Pools(rng)
    for number in range(1, n + 1):
        yield _short_article(rng, pools, number, size)


def short_articles_file(cache: Path, n: int, *, seed: int = SEED) -> Path:
    """The JSONL file of ``short_articles(n)``, generated once into ``cache``."""
    path = cache / f"briefs-{n}-seed{seed}-v{GENERATOR_VERSION}.jsonl"
    if not path.exists():
        write_jsonl(path, short_articles(n, seed=seed))
    return path
