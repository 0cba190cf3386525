"""A lead's project with gold documents, and analysts who work their packets by script at
known times, for the gold-check tests."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from packet_project import lead_project, uneven_texts
from progress_project import Clock

from annotator.store.project import Store
from annotator.team.curation import settle
from annotator.team.gold import mark_gold

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday
LABELS = ("claim", "quote")


def random_spans(rng: random.Random, length: int, count: int) -> list[tuple[int, int, str]]:
    """``count`` spans somewhere in a text of ``length`` characters (they may overlap)."""
    spans = []
    for _ in range(count):
        start = rng.randrange(0, max(1, length - 12))
        spans.append((start, min(length, start + rng.randint(3, 40)), rng.choice(LABELS)))
    return spans


def gold_lead(path, *, documents: int = 30, gold: int = 6, seed: int = 1) -> Store:
    """A lead's project of ``documents`` uneven texts whose first ``gold`` have a curated
    layer (a few spans each, settled by the lead) and are marked gold."""
    store = lead_project(path, uneven_texts(documents, seed))
    rng = random.Random(seed)
    ids = store.documents.ids()
    for doc in ids[:gold]:
        length = len(store.documents.text(doc))
        for start, end, label in random_spans(rng, length, rng.randint(1, 5)):
            store.spans.add(doc, start, end, label, origin="curated")
        settle(store, doc)
    mark_gold(store, [str(doc) for doc in ids[:gold]])
    return store


def curated_by_hash(store: Store) -> dict[str, list[tuple[int, int, str]]]:
    """The curated spans of every document, by the document's text hash."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    for digest, start, end, label in store.conn.execute(
        'SELECT d.text_hash, s.start, s."end", l.name FROM spans s JOIN documents d'
        " ON d.id = s.document_id JOIN labels l ON l.id = s.label_id"
        " WHERE s.origin = 'curated'"
    ):
        out.setdefault(digest, []).append((start, end, label))
    return out


def work_packet(
    path, analyst: str, reference: dict[str, list[tuple[int, int, str]]], *, seed: int, every: float
) -> dict[str, datetime]:
    """Annotate a packet as ``analyst``, document by document in their queue, each marked
    done ``every`` days after the one before: each curated span (where the document has
    them) kept, moved, relabelled or left out by chance, and spans of their own added.
    Returns when each document (by text hash) was marked done."""
    rng = random.Random(f"{seed} {analyst}")
    clock = Clock(START)
    done: dict[str, datetime] = {}
    with Store(path, analyst, clock=clock) as packet:
        for i, doc in enumerate(packet.documents.ids()):
            clock.at(i * every * 86400)
            text = packet.documents.text(doc)
            digest = packet.documents.get(doc).text_hash
            for start, end, label in reference.get(digest, []):
                roll = rng.random()
                if roll < 0.55:
                    packet.spans.add(doc, start, end, label)
                elif roll < 0.7:
                    moved = min(len(text), end + rng.randint(1, 3))
                    packet.spans.add(doc, start, moved, label)
                elif roll < 0.8:
                    other = LABELS[1 - LABELS.index(label)]
                    packet.spans.add(doc, start, end, other)
            for start, end, label in random_spans(rng, len(text), rng.randint(0, 2)):
                packet.spans.add(doc, start, end, label)
            clock.at(i * every * 86400 + 60)
            packet.statuses.set(doc, "done")
            done[digest] = clock.now
    return done


def later(days: float) -> datetime:
    return START + timedelta(days=days)


def relate(store: Store, doc: int, head, child, kind: str, origin: str = "manual") -> None:
    """A relation of ``kind`` between two new spans, each (start, end, label)."""
    h = store.spans.add(doc, head[0], head[1], head[2], origin=origin)
    c = store.spans.add(doc, child[0], child[1], child[2], origin=origin)
    store.relations.add(h.id, c.id, kind, origin=origin)
