"""A lead's project for the work-packet tests: documents of very uneven lengths."""

from __future__ import annotations

import random

from annotator.model import text_hash
from annotator.store.project import Store


def uneven_texts(n: int, seed: int = 1) -> list[str]:
    """``n`` distinct texts of very uneven lengths (a long tail, from a line to pages)."""
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        words = max(3, int(rng.lognormvariate(5, 1.0)))
        texts.append(f"Article {i}. " + " ".join(f"w{rng.randint(0, 999)}" for _ in range(words)))
    return texts


def add_texts(store: Store, texts: list[str]) -> None:
    with store.transaction():
        for i, text in enumerate(texts):
            store.documents.insert(
                text=text, text_hash=text_hash(text), title=f"t{i}", external_id=f"doc-{i}"
            )


def lead_project(path, texts: list[str]) -> Store:
    store = Store(path, "lead")
    add_texts(store, texts)
    return store


def packet_made_meanwhile(monkeypatch, lead_path, make) -> None:
    """While the next packet is built, another process (a Store of its own on the lead's
    project at ``lead_path``) makes a packet with ``make(store)``, once."""
    from annotator.team import packets as packets_module

    real = packets_module._build
    calls = []

    def meanwhile(*args, **kwargs):
        real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            with Store(lead_path, "other") as other:
                make(other)

    monkeypatch.setattr(packets_module, "_build", meanwhile)
