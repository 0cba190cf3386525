"""Which of a file's span and relation ids the team project keeps as they are.

Every project draws a block of ids of its own (see :mod:`annotator.store.migrations`), and a
packet is given a block below its lead's, so the ids of different files do not meet: a merge
keeps a file's id when no span (or relation) of the team project has it, and renumbers it from
the team project's own counter only when one does (two files whose blocks met, or ids made
before blocks, which are all below the first block and always renumbered).

An id is kept only below the team project's own block: SQLite numbers the next row past the
largest id in the table, so an id above the block would move the team project's own counter
into another file's block.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from annotator.store.migrations import ID_BLOCK_BITS
from annotator.store.project import Store


def kept_ids(into: Store, table: str, ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` (a file's, in ``table``: spans or relations) that the team project
    gives the same id."""
    block = into.get_setting("id_block")
    if not isinstance(block, int):
        return set()
    below = block << ID_BLOCK_BITS
    # One query whatever the ids (none kept included), so that a merge runs as many
    # statements for any number of documents.
    wanted = sorted({i for i in ids if 1 << ID_BLOCK_BITS <= i < below})
    taken = {
        r[0]
        for r in into.conn.execute(
            f"SELECT t.id FROM json_each(?) j JOIN {table} t ON t.id = j.value",
            (json.dumps(wanted),),
        )
    }
    return set(wanted) - taken


def numbered(into: Store, ids: list[int], first: int) -> list[int]:
    """The team project's id for each of ``ids`` (a file's spans to add, in order): the same
    where it is kept, else the next from ``first`` on."""
    kept = kept_ids(into, "spans", ids)
    out = []
    given = first
    for i in ids:
        if i in kept:
            out.append(i)
        else:
            out.append(given)
            given += 1
    return out
