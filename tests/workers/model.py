"""A stand-in for a user's own model, run by `annotator suggest --command` in the tests.

    python model.py good|garbage|out-of-range|hang|fail

good: one "claim" span over each text's first word, score 0.7; garbage: prints nonsense;
out-of-range: a span past the end of each text; hang: never answers; fail: exits with 3.
"""

from __future__ import annotations

import json
import re
import sys
import time


def main() -> None:
    mode = sys.argv[1]
    tasks = [json.loads(line) for line in sys.stdin.read().split("\n") if line.strip()]
    if mode == "hang":
        time.sleep(600)
    if mode == "fail":
        print("the model could not load", file=sys.stderr)
        sys.exit(3)
    if mode == "garbage":
        print("this is not JSON at all")
        return
    print(f"read {len(tasks)} tasks", file=sys.stderr)
    for task in tasks:
        first = re.search(r"\w+", task["text"])
        if mode == "out-of-range":
            spans = [{"start": 0, "end": len(task["text"]) + 5, "label": "claim"}]
        else:
            spans = [{"start": first.start(), "end": first.end(), "label": "claim", "score": 0.7}]
        print(json.dumps({"id": task["id"], "spans": spans}))


if __name__ == "__main__":
    main()
