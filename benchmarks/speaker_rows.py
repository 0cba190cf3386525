"""How well the speakers suggester says who said each quote, scored per quote.

Three sets of articles, each run through a real project as `annotator suggest` runs (the
default suggesters, so the quotes are the quotes suggester's and the speakers suggester relates
each to its speaker):

- ``generated``: seeded news-like articles from ``speaker_articles.py`` in every attribution
  style, with their speakers' every mention known;
- ``given-quotes``: the same articles with their quotes tagged by the analyst first (the
  speakers suggester run alone), so that only the attribution is scored;
- ``written``: articles written by hand in other house styles, and the four sample articles,
  with their gold in ``gold/speakers.jsonl`` (a speaker is the list of ways the text names
  them).

A quote has a named speaker when the text names or describes who said it. For each of those,
the suggested relation from a suggested (or tagged) quote that covers it is right when its
speaker span is mostly (at least half of it) a mention of the right speaker. Precision is over
the relations suggested on such quotes, recall over such quotes; relations suggested on quotes
no one is said to have said are counted apart in the note. These rows run no clock.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import speaker_articles
from benchmarks.context import ANNOTATOR, HERE, Context
from benchmarks.measure import Figure, Stats

GOLD = HERE / "gold" / "speakers.jsonl"
TARGET = (0.8, 0.8)  # precision, recall
OVERLAP = 0.8  # of both the suggested quote and the gold one, as suggest-quality matches


@dataclass
class GoldQuote:
    start: int
    end: int
    mentions: list[tuple[int, int]] | None  # of its speaker; None: no one is said to say it
    style: str = ""


@dataclass
class GoldArticle:
    id: str
    text: str
    quotes: list[GoldQuote]


@dataclass
class Tally:
    right: int = 0
    suggested: int = 0  # relations on quotes with a named speaker
    wanted: int = 0  # quotes with a named speaker
    unattributed: int = 0  # relations on quotes no one is said to have said
    by_style: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, style: str, outcome: str) -> None:
        self.by_style.setdefault(style, Counter())[outcome] += 1


def generated(count: int) -> list[GoldArticle]:
    out = []
    for article in speaker_articles.articles(count):
        quotes = [
            GoldQuote(
                q.start,
                q.end,
                None if q.speaker is None else article.speakers[q.speaker],
                q.style,
            )
            for q in article.quotes
        ]
        out.append(GoldArticle(article.id, article.text, quotes))
    return out


def written(path: Path = GOLD) -> list[GoldArticle]:
    """The hand-written gold: each quote by its text (in order), each speaker by the strings
    that name them, every place they occur outside the quotes being a mention."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = record.get("text")
        if text is None:
            text = (HERE.parent / record["sample"]).read_text(encoding="utf-8")
        quotes, at = [], 0
        for q in record["quotes"]:
            start = text.index(q["quote"], at)
            quotes.append(GoldQuote(start, start + len(q["quote"]), None, "written"))
            at = start + 1
        for gold, q in zip(quotes, record["quotes"], strict=True):
            if q["speaker"] is not None:
                gold.mentions = _occurrences(text, q["speaker"], quotes)
        out.append(GoldArticle(record["id"], text, quotes))
    return out


def _occurrences(text: str, names: list[str], quotes: list[GoldQuote]) -> list[tuple[int, int]]:
    found = []
    for name in names:
        i = text.find(name)
        while i != -1:
            if not any(q.start <= i < q.end for q in quotes):
                found.append((i, i + len(name)))
            i = text.find(name, i + 1)
    return found


def suggested_relations(
    ctx: Context, name: str, articles: list[GoldArticle], *, quotes_tagged: bool
) -> list[list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Each article's suggested relations as (quote span, speaker span), from a project that
    holds the articles (with their gold quotes tagged by the analyst, if asked)."""
    from annotator.model import text_hash
    from annotator.store.project import Store
    from annotator.suggest.running import run_suggesters

    path = ctx.fresh_path(f"{name}.db")
    store = Store(path, ANNOTATOR)
    try:
        with store.transaction():
            ids = [
                store.documents.insert(text=a.text, text_hash=text_hash(a.text), title=a.id)
                for a in articles
            ]
            if quotes_tagged:
                for doc, article in zip(ids, articles, strict=True):
                    for q in article.quotes:
                        store.spans.add(doc, q.start, q.end, "quote")
        run_suggesters(store, ["speakers"] if quotes_tagged else None, documents=ids)
        out = []
        for doc in ids:
            spans = {s.id: s for s in store.spans.in_document(doc)}
            out.append(
                [
                    (
                        (spans[r.head].start, spans[r.head].end),
                        (spans[r.child].start, spans[r.child].end),
                    )
                    for r in store.relations.in_document(doc)
                    if r.origin == "suggested" and r.label == "said_by"
                ]
            )
        return out
    finally:
        store.close()


def score(
    articles: Iterable[GoldArticle],
    relations: Iterable[list[tuple[tuple[int, int], tuple[int, int]]]],
) -> Tally:
    tally = Tally()
    for article, found in zip(articles, relations, strict=True):
        for q in article.quotes:
            mine = [speaker for quote, speaker in found if _same_quote(quote, (q.start, q.end))]
            if q.mentions is None:
                tally.unattributed += bool(mine)
                continue
            tally.wanted += 1
            if not mine:
                tally.add(q.style, "missed")
                continue
            tally.suggested += 1
            right = _names(mine[0], q.mentions, article.quotes)
            tally.right += right
            tally.add(q.style, "right" if right else "wrong")
    return tally


def _same_quote(a: tuple[int, int], b: tuple[int, int]) -> bool:
    common = min(a[1], b[1]) - max(a[0], b[0])
    return common >= OVERLAP * (a[1] - a[0]) and common >= OVERLAP * (b[1] - b[0])


def _names(
    speaker: tuple[int, int], mentions: list[tuple[int, int]], quotes: list[GoldQuote]
) -> bool:
    """Whether a speaker span is mostly a mention of the right speaker, outside the quotes."""
    if any(q.start < speaker[1] and speaker[0] < q.end for q in quotes):
        return False
    length = speaker[1] - speaker[0]
    return any(min(speaker[1], e) - max(speaker[0], s) >= length / 2 for s, e in mentions)


def _figure(name: str, what: str, tally: Tally) -> Figure:
    precision = tally.right / tally.suggested if tally.suggested else 0.0
    recall = tally.right / tally.wanted if tally.wanted else 0.0
    styles = {
        style: f"{c['right']}/{sum(c.values())}" for style, c in sorted(tally.by_style.items())
    }
    return Figure(
        row="speakers",
        name=f"speakers ({name})",
        what=what,
        target=f"P ≥ {TARGET[0]:g}, R ≥ {TARGET[1]:g}",
        ours=Stats([precision]),
        reference=Stats([recall]),
        unit="fraction",
        met=precision >= TARGET[0] and recall >= TARGET[1],
        note=f"precision {precision:.3f} ({tally.right}/{tally.suggested}), recall "
        f"{recall:.3f} ({tally.right}/{tally.wanted}); {tally.unattributed} relation(s) on "
        "quotes no one is said to have said; the reference column is recall",
        extra={
            "right": tally.right,
            "suggested": tally.suggested,
            "wanted": tally.wanted,
            "unattributed": tally.unattributed,
            "by_style": styles if name != "written" else {},
        },
    )


def quality(ctx: Context) -> list[Figure]:
    count = ctx.sizes.speaker_articles
    made = generated(count)
    by_hand = written()
    return [
        _figure(
            "generated",
            f"{count} seeded articles, quotes and speakers suggested by `annotator suggest`",
            score(made, suggested_relations(ctx, "speakers-generated", made, quotes_tagged=False)),
        ),
        _figure(
            "given-quotes",
            f"the same {count} articles with their quotes tagged first (attribution alone)",
            score(made, suggested_relations(ctx, "speakers-given", made, quotes_tagged=True)),
        ),
        _figure(
            "written",
            f"{len(by_hand)} articles written by hand and the samples (gold/speakers.jsonl)",
            score(
                by_hand, suggested_relations(ctx, "speakers-written", by_hand, quotes_tagged=False)
            ),
        ),  # fmt: skip
    ]
