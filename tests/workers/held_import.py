"""A real import that stays inside its transaction for a while, for the concurrency tests.

It imports FILE into PROJECT through ``import_paths`` (exactly as ``annotator import`` does),
but the first time the importer reports progress (inside the file's transaction, after its
first records were written) it prints ``writing`` and sleeps HOLD seconds (or, with HOLD
"release", waits until a line comes on its standard input), so the test can run other
programs while the import is known to be mid-write, however slowly they start. At the end it
prints ``done <documents added>``.

    python held_import.py PROJECT FILE HOLD
"""

from __future__ import annotations

import sys
import time

from annotator.formats.importing import import_paths
from annotator.store.project import Store


def main() -> None:
    project, source, hold = sys.argv[1], sys.argv[2], sys.argv[3]
    held = False

    def progress(done: int, total: int) -> None:
        nonlocal held
        if not held and store.conn.in_transaction:
            held = True
            print("writing", flush=True)
            if hold == "release":
                sys.stdin.readline()
            else:
                time.sleep(float(hold))

    with Store(project, "held-import") as store:
        report = import_paths(store, [source], progress=progress)
    print(f"done {report.documents_added}", flush=True)
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
