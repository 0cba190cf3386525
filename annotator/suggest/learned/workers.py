"""How annotator's worker processes are started: with the same code as the process that
starts them (``batch``'s proposing workers, ``background``'s training and proposing)."""

from __future__ import annotations

import os
from pathlib import Path


def worker_environment() -> dict[str, str]:
    """This process's environment, with the folder ``annotator`` is imported from first on
    the path: a worker (``python -m annotator...``) runs the same code as its caller."""
    package = Path(__file__).resolve().parents[3]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(package), env.get("PYTHONPATH")) if p)
    return env
