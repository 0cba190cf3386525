"""A scripted annotation session for the reliability tests, run as its own process.

Before each action it prints ``begin <json>`` and after the store call returns (committed) it
prints ``done <json>``, flushing both, so a test that kills it knows exactly what was
acknowledged and what was in flight.

    python scripted_session.py PROJECT SEED COUNT [adds-only]
"""

from __future__ import annotations

import json
import random
import sys

from annotator.store.project import Store

LABELS = ("claim", "quote", "caption", "concession")


def say(kind: str, record: dict) -> None:
    sys.stdout.write(f"{kind} {json.dumps(record)}\n")
    sys.stdout.flush()


def main() -> None:
    path, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    adds_only = len(sys.argv) > 4 and sys.argv[4] == "adds-only"
    rng = random.Random(seed)
    store = Store(path, "worker")  # one analyst, session after session
    documents = {d: len(store.documents.text(d)) for d in store.documents.ids()}
    mine: list[int] = []
    say("ready", {})
    for i in range(count):
        choice = (
            "add"
            if adds_only or not mine
            else rng.choice(["add", "add", "relabel", "note", "delete", "status"])
        )
        if choice == "add":
            doc = rng.choice(list(documents))
            start = rng.randrange(documents[doc] - 1)
            end = rng.randrange(start + 1, min(documents[doc], start + 40) + 1)
            record = {
                "i": i,
                "action": "add",
                "document": doc,
                "start": start,
                "end": end,
                "label": rng.choice(LABELS),
            }
            say("begin", record)
            span = store.spans.add(doc, start, end, record["label"])
            mine.append(span.id)
            record["span"] = span.id
        elif choice == "relabel":
            record = {
                "i": i,
                "action": "relabel",
                "span": rng.choice(mine),
                "label": rng.choice(LABELS),
            }
            say("begin", record)
            store.spans.relabel(record["span"], record["label"])
        elif choice == "note":
            record = {"i": i, "action": "note", "span": rng.choice(mine), "note": f"note {i}"}
            say("begin", record)
            store.spans.set_note(record["span"], record["note"])
        elif choice == "delete":
            record = {"i": i, "action": "delete", "span": mine.pop(rng.randrange(len(mine)))}
            say("begin", record)
            store.spans.delete(record["span"])
        else:
            record = {
                "i": i,
                "action": "status",
                "document": rng.choice(list(documents)),
                "status": rng.choice(["done", "skipped", "in_progress"]),
            }
            say("begin", record)
            store.statuses.set(record["document"], record["status"])
        say("done", record)
    store.close()


if __name__ == "__main__":
    main()
