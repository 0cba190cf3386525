"""A stand-in for a user's own model that proposes who said a quote, run by `annotator suggest
--command` in the tests.

    python speaker_model.py good|bad-index|bad-type|forbidden|not-a-list|bad-score

good: the first quote of each text (a span from its first “ to the next ”,) and the first
"Ms ..." after it as its speaker, with a said_by relation between them (head and child are
indexes into the line's spans); the other modes spoil the relation in one way each.
"""

from __future__ import annotations

import json
import re
import sys


def main() -> None:
    mode = sys.argv[1]
    tasks = [json.loads(line) for line in sys.stdin.read().split("\n") if line.strip()]
    for task in tasks:
        text = task["text"]
        quote = re.search(r"“[^”]*,”", text)
        speaker = re.search(r"Ms \w+", text[quote.end() :]) if quote else None
        if quote is None or speaker is None:
            print(json.dumps({"id": task["id"], "spans": []}))
            continue
        at = quote.end()
        spans = [
            {"start": quote.start(), "end": quote.end(), "label": "quote", "score": 0.9},
            {"start": at + speaker.start(), "end": at + speaker.end(), "label": "speaker"},
        ]
        relation = {"head": 0, "child": 1, "label": "said_by", "score": 0.8}
        relations: object = [relation]
        if mode == "bad-index":
            relation["child"] = 7
        elif mode == "bad-type":
            relation["label"] = "spoken_by"
        elif mode == "forbidden":
            relation["head"], relation["child"] = 1, 0
        elif mode == "not-a-list":
            relations = relation
        elif mode == "bad-score":
            relation["score"] = 2
        print(json.dumps({"id": task["id"], "spans": spans, "relations": relations}))


if __name__ == "__main__":
    main()
