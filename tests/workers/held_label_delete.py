"""A label deleted with its spans by another program, inside a transaction held a while.

It takes the write lock, prints ``writing``, sleeps HOLD seconds (so the test can start a
program that reads the project as it is, then waits to write), deletes LABEL and its spans
through the store (exactly as ``annotator labels delete LABEL --force`` does), commits, and
prints ``done <spans deleted>``.

    python held_label_delete.py PROJECT LABEL HOLD
"""

from __future__ import annotations

import sys
import time

from annotator.store.project import Store


def main() -> None:
    project, label, hold = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with Store(project, "held-delete") as store, store.transaction():
        print("writing", flush=True)
        time.sleep(hold)
        count = store.labels.delete(label, delete_spans=True)
    print(f"done {count}", flush=True)


if __name__ == "__main__":
    main()
