"""The window's learning worker (``annotator.suggest.learned.background``), held or broken on
purpose for the window's tests.

    python learning_worker.py MODE FLAG WORKER-ARGUMENTS...

MODE ``gate`` trains once the file FLAG exists; ``midway`` trains up to its third step, then
writes FLAG and waits to be killed; ``broken`` fails with a RuntimeError in the middle of
training; ``crash`` ends at once with exit code 3, saying nothing.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from annotator.suggest.learned import background, training


def main() -> int:
    mode, flag, args = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    real = training.learn_file

    def held(*a, **options):
        if mode == "gate":
            while not flag.exists():
                time.sleep(0.01)
        progress = options["progress"]

        def tick(done: int, steps: int, what: str) -> None:
            progress(done, steps, what)
            if mode == "midway" and done == 3:
                flag.write_text("midway", encoding="utf-8")
                time.sleep(3600)
            if mode == "broken" and done == 3:
                raise RuntimeError("the weights came out crooked")

        return real(*a, **{**options, "progress": tick})

    if mode == "crash":
        os._exit(3)
    training.learn_file = held
    return background.main(args)


if __name__ == "__main__":
    sys.exit(main())
