"""Where the bundled label scheme and sample articles live.

In a wheel they are copied into ``annotator/resources``; in a source checkout or an editable
install they stay in the top-level ``resources/`` folder beside the package.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def resource_dir() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "labels.json").is_file():
            return candidate
    raise FileNotFoundError("annotator's resources folder is missing from this installation")


def default_labels() -> list[dict[str, Any]]:
    with open(resource_dir() / "labels.json", encoding="utf-8") as f:
        return json.load(f)


def default_relation_types() -> list[dict[str, Any]]:
    with open(resource_dir() / "relations.json", encoding="utf-8") as f:
        return json.load(f)


def sample_articles() -> list[Path]:
    return sorted((resource_dir() / "samples").glob("*.txt"))
