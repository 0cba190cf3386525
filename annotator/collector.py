"""Python's cycle collector paused around work that makes many objects and keeps them.

A collection walks every object still alive; while thousands are made and kept (a long
article's spans, the proposals of ten thousand documents), the collector runs again and
again and walks them each time. Work without reference cycles loses nothing by pausing it:
reference counting frees what it makes as it goes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside; as it was after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
