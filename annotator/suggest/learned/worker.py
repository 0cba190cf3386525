"""A worker of ``batch``: proposes a run of texts with a model, file to file, as JSON.

    python -m annotator.suggest.learned.worker MODEL.json TEXTS.jsonl OUT.jsonl MIN_SCORE

TEXTS.jsonl holds one JSON string a line; OUT.jsonl gets, for each, one line:
``{"spans": [[start, end, label, score], ...], "uncertainty": x}``. The model is read as a stored one is, every value checked.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from annotator.collector import collector_paused
from annotator.suggest.learned.model import loads


def main(argv: list[str]) -> int:
    parameters, given, out, floor = argv
    model = loads(Path(parameters).read_text(encoding="utf-8"), "the learned model")
    part = Path(out + ".part")
    with (
        collector_paused(),
        open(given, encoding="utf-8") as texts,
        open(part, "w", encoding="utf-8") as written,
    ):
        for line in texts:
            found, uncertainty = model.read(json.loads(line), float(floor))
            spans = [[s.start, s.end, s.label, s.score] for s in found]
            written.write(json.dumps({"spans": spans, "uncertainty": uncertainty}) + "\n")
    part.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
