"""Several analysts' projects brought into one team project, each analyst's work kept apart.

Documents are matched by their text hash, labels by name. Every span, note, status and history
entry keeps its analyst. A project has an id of its own, and the team project remembers,
for each analyst on each document, which project that work came from: merging the same file
again brings only what changed in it since (nothing, if nothing did), while the same analyst
name with different work on one document in two files is refused, so that two people who
share a name are never mixed (``renames`` tells them apart; a rename onto a name someone
else already has is refused, for the same reason).

A file whose history is shorter than what was merged from it before (an older copy, a
backup), or parts from it, would take its analysts' work back in time: that is refused,
with what it would undo, unless asked for (``allow_older``).

The team project never holds what it would itself refuse: a label's attribute declarations
come with it (the same attribute declared as free text in one file and as a choice in another
is refused; two choices take both lists of values), a relation type of the same name allows
the ends both files allow, and a span or relation that fits neither is refused.

A merge is one transaction: refused, it leaves the team project as it was. The sources are
only read, through a copy made without writing anything beside them (see
:mod:`annotator.store.snapshot`), so a file still open in a window, or in a folder the user may
only read, can be merged.

Here are the entry points; the parts are modules of their own: reading a file
(:mod:`~annotator.team.merge_source`), the checks that refuse a merge before it would mix two
people's work or take it back in time (:mod:`~annotator.team.merge_checks`), the scheme
taking each file's (:mod:`~annotator.team.merge_scheme`), one file's work written into the
team project (:mod:`~annotator.team.merge_work`), and what a merge answers
(:mod:`~annotator.team.merge_report`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from annotator.model import AnalystNameError, check_analyst_name
from annotator.printable import printable
from annotator.store.project import Store
from annotator.store.project_file import ProjectError
from annotator.team.merge_checks import check_renames
from annotator.team.merge_packets import check_packet, record_history
from annotator.team.merge_report import MergeError, MergeReport, SourceReport
from annotator.team.merge_source import Staging, check_staged_texts, read_source
from annotator.team.merge_work import merge_one

__all__ = ["MergeError", "MergeReport", "SourceReport", "merge_projects", "parse_renames"]


def parse_renames(values: Sequence[str]) -> dict[str, str]:
    """``OLD=NEW`` pairs, refused with a message when malformed or contradictory."""
    renames: dict[str, str] = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise MergeError(f"--rename {value!r}: write it as OLD=NEW")
        try:
            new = check_analyst_name(new)
        except AnalystNameError as e:
            raise MergeError(f"--rename {value!r}: {e}") from None
        if old in renames and renames[old] != new:
            raise MergeError(f"--rename gives {old!r} two new names")
        others = [name for name, given in renames.items() if given == new and name != old]
        if others:
            raise MergeError(
                f"--rename gives {others[0]!r} and {old!r} the same new name {new!r}, which "
                "would make two analysts one; give each a name of their own"
            )
        renames[old] = new
    return renames


def merge_projects(
    into: Store,
    sources: Sequence[str | os.PathLike[str]],
    renames: Mapping[str, str] | None = None,
    *,
    allow_older: bool = False,
    allow_other_analyst: bool = False,
) -> MergeReport:
    """Merge each of ``sources`` into the project ``into``; one transaction for them all.

    A file older than the work merged from it before is refused, saying what it would undo,
    unless ``allow_older``: then its work replaces the newer. A packet is refused unless it
    is this project's, merged under its analyst's name (another, given by ``renames``, only
    with ``allow_other_analyst``), the one copy of it annotated, and not overtaken by a newer
    packet for the same documents (see :mod:`~annotator.team.merge_packets`).
    """
    renames = dict(renames or {})
    report = MergeReport(str(into.path))
    team_id = str(into.get_setting("id"))
    with Staging(into.conn) as staging:
        read = []
        for raw in sources:
            path = Path(raw)
            try:
                source = read_source(path, renames, staging)
            except ProjectError as e:
                raise MergeError(str(e)) from None
            if source.project_id == team_id:
                raise MergeError(f"{printable(path)} is the team project itself")
            read.append(source)
        declared: dict[tuple[str, str], Path] = {}  # (label, attribute): the file declaring it
        # Every reference the merge writes is one it made (a document matched or added, a
        # label the team project has, a span just copied): SQLite's check of each is left off.
        with into.bulk_writes(256), into.references_made_here(), into.transaction():
            check_renames(into, read, renames)
            for source in read:
                check_staged_texts(into.conn, source)
                check_packet(into, source, team_id, other_analyst=allow_other_analyst)
                report.sources.append(merge_one(into, source, declared, allow_older))
                record_history(into.conn, source)
            if any(s.added_anything for s in report.sources):
                into.record_change(
                    "merge",
                    sources=[s.path for s in report.sources],
                    documents=sum(s.documents_added for s in report.sources),
                    spans=sum(s.spans_added for s in report.sources),
                )
    return report
