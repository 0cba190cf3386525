"""Running suggesters over a project and keeping their suggestions; accepting and rejecting.

A suggestion is a span with origin ``suggested``, the name of its suggester and a score. It
never changes a document's status, is counted apart from annotations, and is left out of
exports unless asked for. Running a suggester again on a document replaces its earlier
suggestions there (those still proposed keep their ids). Nothing is proposed that an analyst
rejected on that document, or that is already annotated there with the same label.

Suggestions may also come from a program of the user's own (``run_command``): it reads tasks
as JSONL on its standard input, ``{"id", "text", "meta"}`` one per line, and writes JSONL on
its standard output, ``{"id", "spans": [{"start", "end", "label", "score"}]}``. Its output is
checked as an import is; a bad line stores nothing.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from annotator.changes import Change, Changes, changes_of, with_changes
from annotator.model import (
    Refused,
    Relation,
    RelationType,
    Span,
    SpanError,
    check_span,
    utc_now,
)
from annotator.printable import printable
from annotator.store.project import Store
from annotator.suggest.builtin import quotes as quotes_rules
from annotator.suggest.builtin import speakers
from annotator.suggest.builtin.patterns import (
    PatternError,
    Patterns,
    default_path,
    for_project,
    load,
)
from annotator.suggest.builtin.registry import DEFAULT, built_in
from annotator.suggest.builtin.suggestion import Suggestion
from annotator.suggest.relating import (
    ProposedRelation,
    SpeakerScheme,
    keep_proposed_relations,
    propose_speakers,
    speaker_scheme,
    suggested_links,
)

# Below these, a built-in suggester's proposals are not stored unless --min-score says so:
# scare quotes (0.3) stay out of the quotes; concessions and claims are low by nature.
DEFAULT_MIN_SCORES = {
    "quotes": 0.5,
    "captions": 0.5,
    "concessions": 0.0,
    "claims": 0.0,
    "speakers": 0.5,
}
COMMAND_TIMEOUT = 300.0


class SuggestError(Refused):
    """Suggestions that cannot be made or stored; nothing was stored."""


@dataclass
class SuggestReport:
    documents: int = 0
    proposed: dict[str, Counter[str]] = field(default_factory=dict)  # suggester → label → n
    kept: int = 0  # still proposed from an earlier run
    withdrawn: int = 0  # earlier suggestions no longer proposed
    not_again: int = 0  # rejected before, or already annotated
    #: Suggested relations added: suggester → relation type → n.
    relations: dict[str, Counter[str]] = field(default_factory=dict)
    #: Suggesters that could not run on this project, and why.
    skipped: dict[str, str] = field(default_factory=dict)
    #: Every suggestion added or withdrawn, for a window to show without reading them back.
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> str:
        lines = [f"Suggested on {self.documents} document{'' if self.documents == 1 else 's'}:"]
        for name, counts in self.proposed.items():
            shown = printable(name)
            if name in self.skipped:
                lines.append(f"  {shown}: not run, since {self.skipped[name]}.")
                continue
            total = sum(counts.values())
            parts = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
            line = f"  {shown}: {total} ({parts})" if total else f"  {shown}: none"
            related = self.relations.get(name)
            if related and sum(related.values()):
                line += "; relations: " + ", ".join(
                    f"{kind} {n}" for kind, n in sorted(related.items())
                )
            lines.append(line)
        extra = []
        if self.kept:
            extra.append(f"{self.kept} already there")
        if self.withdrawn:
            extra.append(f"{self.withdrawn} earlier ones withdrawn")
        if self.not_again:
            extra.append(f"{self.not_again} left out (rejected before, or already tagged)")
        if extra:
            lines.append("  " + "; ".join(extra) + ".")
        return "\n".join(lines)

    def merge(self, other: SuggestReport) -> SuggestReport:
        """This report and another's over the same documents, as one."""
        proposed = {name: Counter(c) for name, c in self.proposed.items()}
        for name, counts in other.proposed.items():
            proposed.setdefault(name, Counter()).update(counts)
        relations = {name: Counter(c) for name, c in self.relations.items()}
        for name, counts in other.relations.items():
            relations.setdefault(name, Counter()).update(counts)
        return SuggestReport(
            documents=max(self.documents, other.documents),
            proposed=proposed,
            kept=self.kept + other.kept,
            withdrawn=self.withdrawn + other.withdrawn,
            not_again=self.not_again + other.not_again,
            changes=self.changes | other.changes,
            relations=relations,
            skipped={**self.skipped, **other.skipped},
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "documents": self.documents,
            "suggested": {name: dict(c) for name, c in self.proposed.items()},
            "relations": {name: dict(c) for name, c in self.relations.items()},
            "kept": self.kept,
            "withdrawn": self.withdrawn,
            "left_out": self.not_again,
        }
        if self.skipped:
            out["not_run"] = dict(self.skipped)
        return out


def label_names(store: Store) -> Callable[[str], str | None]:
    """The label a suggester's label name stands for now: the label of that name, else the
    label renamed from it (the history is read only when a name is not a label now); None
    when there is none."""
    current = set(store.labels.ids())
    former: dict[str, str] | None = None

    def now(name: str) -> str | None:
        nonlocal former
        if name in current:
            return name
        if former is None:
            former = store.labels.former_names()
        return former.get(name)

    return now


def documents_to_suggest(
    store: Store, statuses: Sequence[str] | None = None, document: int | None = None
) -> list[int]:
    """The documents named, else those with the given statuses (the current analyst's), else
    every document the current analyst has not marked done."""
    if document is not None:
        return [document]
    rows = store.documents.rows()
    wanted = set(statuses) if statuses else {"new", "in_progress", "skipped"}
    return [r.id for r in rows if r.status in wanted]


def run_suggesters(
    store: Store,
    names: Sequence[str] | None = None,
    *,
    documents: Sequence[int],
    min_score: float | None = None,
    patterns: Patterns | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SuggestReport:
    """Run built-in suggesters on ``documents`` and store what they propose (one transaction).

    ``min_score`` (for every suggester) replaces each one's own default threshold.
    """
    available = built_in()
    chosen = _in_order(list(names or DEFAULT))
    unknown = [n for n in chosen if n not in available]
    if unknown:
        raise SuggestError(
            f"no suggester {unknown[0]!r}; the built-in ones are {', '.join(available)}, and "
            "learned proposes with the model `annotator train` made"
        )
    patterns = patterns or for_project(store.path)
    named = label_names(store)
    report = SuggestReport(proposed={n: Counter() for n in chosen})
    scheme = speaker_scheme(store, named) if speakers.NAME in chosen else None
    if isinstance(scheme, str):
        report.skipped[speakers.NAME] = scheme
    speech = _with_speech_verbs(patterns) if isinstance(scheme, SpeakerScheme) else patterns
    with store.transaction():
        for i, doc in enumerate(documents):
            text = store.documents.text(doc)
            meta = store.documents.get(doc).meta
            for name in chosen:
                if name == speakers.NAME:
                    if isinstance(scheme, SpeakerScheme):
                        floor = DEFAULT_MIN_SCORES[name] if min_score is None else min_score
                        report.changes |= _speakers_on(
                            store, doc, text, speech, scheme, floor, report
                        )
                    continue
                if name == "captions":
                    from annotator.suggest.builtin import captions

                    found = captions.suggest(text, patterns, meta)
                else:
                    found = available[name](text, patterns)
                floor = DEFAULT_MIN_SCORES.get(name, 0.0) if min_score is None else min_score
                kept = [
                    replace(s, label=label)
                    for s in found
                    if s.score >= floor and (label := named(s.label)) is not None
                ]
                report.changes |= keep_suggestions(store, doc, name, kept, report)
            report.documents += 1
            if progress:
                progress(i + 1, len(documents))
    return report


def _speakers_on(
    store: Store,
    doc: int,
    text: str,
    patterns: Patterns,
    scheme: SpeakerScheme,
    floor: float,
    report: SuggestReport,
) -> Changes:
    """The speakers suggester on one document: its speaker spans kept as every suggester's
    are, its relations counted in ``report``."""

    def keep(wanted: list[Suggestion]) -> Changes:
        return keep_suggestions(store, doc, speakers.NAME, wanted, report)

    counts = report.relations.setdefault(speakers.NAME, Counter())
    return propose_speakers(store, doc, text, patterns, scheme, floor, keep, counts)


def _in_order(names: list[str]) -> list[str]:
    """The suggesters in the order they must run: speakers last, after the quotes it finds
    speakers for, which run with it even when not named (a speaker needs its quote)."""
    if speakers.NAME not in names:
        return names
    rest = [n for n in names if n != speakers.NAME]
    if quotes_rules.NAME not in rest:
        rest.insert(0, quotes_rules.NAME)
    return [*rest, speakers.NAME]


def _with_speech_verbs(patterns: Patterns) -> Patterns:
    """``patterns``, or, when they have no speakers lines (a patterns file written before
    there was a speakers suggester), those lines from the defaults."""
    if patterns.of(speakers.NAME, "word"):
        return patterns
    defaults = load(default_path())
    return Patterns(patterns.rules + defaults.of(speakers.NAME, "word"), patterns.source)


def propose_captions(store: Store, documents: list[int]) -> int:
    """The captions a web page or Word file brought, as caption suggestions (the captions
    suggester reads them from the meta); how many were proposed. Importers call it with the
    documents a file brought, in the file's transaction."""
    report = run_suggesters(store, ["captions"], documents=documents)
    return sum(report.proposed["captions"].values())


def caption_lines(store: Store) -> Callable[[str], bool]:
    """Whether a line is a picture's caption by the captions suggester's patterns (the
    project's own patterns file, else the defaults): importers leave such a line out of a
    text file's title. The patterns are read when a title is first chosen; a patterns file
    that cannot be read (which ``suggest`` reports) leaves the defaults to decide."""
    from annotator.suggest.builtin import captions

    chosen: list[Callable[[str], bool]] = []

    def is_caption(line: str) -> bool:
        if not chosen:
            try:
                patterns = for_project(store.path)
            except PatternError:
                patterns = load(default_path())
            chosen.append(captions.caption_line(patterns))
        return chosen[0](line)

    return is_caption


def _of_suggester(suggester: str, family: str | None) -> tuple[str, list[str | int]]:
    """SQL matching a suggester's rows (and, with ``family``, those of ``family#...``)."""
    if family is None:
        return "suggester = ?", [suggester]
    return "(suggester = ? OR suggester = ? OR substr(suggester, 1, ?) = ?)", [
        suggester,
        family,
        len(family) + 1,
        family + "#",
    ]


def keep_suggestions(
    store: Store,
    document_id: int,
    suggester: str,
    found: Sequence[Suggestion],
    report: SuggestReport,
    *,
    family: str | None = None,
) -> Changes:
    """Make ``suggester``'s suggestions on a document exactly ``found`` (less what was rejected
    or is already annotated), keeping the ids of those it proposed before.

    With ``family`` (a learned model's ``learned``), every suggester named ``family#...`` is
    the same one: a newer model's suggestions replace an older one's, and what was rejected
    from any of them is not proposed again.
    """
    return keep_suggestions_in(store, [(document_id, found)], suggester, report, family=family)


_Key = tuple[int, int, str]  # a suggestion's start, end and label


def keep_suggestions_in(
    store: Store,
    found_in: Sequence[tuple[int, Sequence[Suggestion]]],
    suggester: str,
    report: SuggestReport,
    *,
    family: str | None = None,
    texts: Mapping[int, str] | None = None,
) -> Changes:
    """:func:`keep_suggestions` on many documents at once ((document, found) each): what is
    there is read by one query of each kind, and what changes is written by one statement of
    each kind, so that storing thousands of documents does not cost a dozen statements
    each. ``texts`` may give the documents' texts, read already."""
    documents = [doc for doc, _ in found_in]
    same, params = _of_suggester(suggester, family)
    rejected = _keys_in(
        store, f'SELECT document_id, start, "end", label FROM rejections WHERE {same}', params,
        documents,
    )  # fmt: skip
    annotated = _keys_in(
        store,
        'SELECT s.document_id, s.start, s."end", l.name FROM spans s'
        " JOIN labels l ON l.id = s.label_id WHERE s.origin != 'suggested'",
        [],
        documents,
        column="s.document_id",
    )
    earlier: dict[int, dict[_Key, tuple[int, str]]] = {doc: {} for doc in documents}
    for chunk in _chunks(documents):
        for doc, sid, start, end, label, made_by in store.conn.execute(
            'SELECT s.document_id, s.id, s.start, s."end", l.name, s.suggester FROM spans s'
            " JOIN labels l ON l.id = s.label_id"
            f" WHERE s.origin = 'suggested' AND {same}"
            f" AND s.document_id IN ({', '.join('?' * len(chunk))})",
            (*params, *chunk),
        ):
            earlier[doc][(start, end, label)] = (sid, made_by)
    changes = Changes()
    again: list[tuple[int, str, float]] = []
    new: list[tuple[int, int, int, str, str, float]] = []
    for doc, found in found_in:
        wanted: dict[_Key, Suggestion] = {}
        for s in found:
            key = (s.start, s.end, s.label)
            if key in rejected[doc] or key in annotated[doc]:
                report.not_again += 1
                continue
            if key not in wanted or s.score > wanted[key].score:
                wanted[key] = s
        for key, (sid, _) in earlier[doc].items():
            if key not in wanted:
                changes |= store.spans.delete(sid).changes  # type: ignore[attr-defined]
                report.withdrawn += 1
        for key, s in sorted(wanted.items()):
            if key in earlier[doc]:
                sid, made_by = earlier[doc][key]
                if made_by != suggester:  # proposed again by a newer model: it says so
                    again.append((sid, suggester, round(s.score, 4)))
                report.kept += 1
                continue
            new.append((doc, s.start, s.end, s.label, suggester, round(s.score, 4)))
    spans: dict[int, Change[Span]] = {}
    for restamped in store.spans.restamp_many(again):
        spans.update(restamped.changes.spans)  # type: ignore[attr-defined]
    counts = report.proposed.setdefault(suggester, Counter())
    for span in store.spans.add_suggestions_in(new, texts):
        assert span.id is not None
        spans[span.id] = Change(None, span)
        counts[span.label] += 1
    return changes | Changes(spans=spans)


def _chunks(documents: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    """Documents a few hundred at a time: as many as one statement may name."""
    for first in range(0, len(documents), size):
        yield documents[first : first + size]


def _keys_in(
    store: Store,
    query: str,
    params: list[str | int],
    documents: Sequence[int],
    *,
    column: str = "document_id",
) -> dict[int, set[_Key]]:
    """The (start, end, label) of each row ``query`` finds on each of ``documents``."""
    found: dict[int, set[_Key]] = {doc: set() for doc in documents}
    for chunk in _chunks(documents):
        marks = ", ".join("?" * len(chunk))
        for doc, start, end, label in store.conn.execute(
            f"{query} AND {column} IN ({marks})", (*params, *chunk)
        ):
            found[doc].add((start, end, label))
    return found


def accept_suggestion(
    store: Store,
    span_id: int,
    *,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Span:
    """The suggestion becomes the current analyst's span (its label, or ``label``; its edges,
    or ``start`` and ``end``), with what is suggested along with it (see
    :func:`accept_with_partners`). Returns the new span, with ``.changes``."""
    accepted, changes = accept_with_partners(store, span_id, label=label, start=start, end=end)
    return with_changes(accepted[0][1], changes)


def accept_with_partners(
    store: Store,
    span_id: int,
    *,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> tuple[list[tuple[Span, Span]], Changes]:
    """Accept a suggestion, and with it its suggested relations and the suggestions at their
    other ends (a quote, its speaker and the relation between them, in one step). Every
    relation either of them had moves to the span it became: one between the spans accepted
    together becomes the analyst's; one to a third span stays suggested. A relation its type
    no longer allows (the suggestion was accepted as another label) is dropped, so the project
    never holds a relation its types forbid. The history records which suggestion each span
    came from. Returns (suggestion, span) pairs, the one asked for first, and the changes."""
    with store.transaction():
        suggestion = store.spans.get(span_id)
        if suggestion.origin != "suggested":
            raise SpanError(f"span {span_id} is not a suggestion")
        links = store.relations.of_span(span_id)
        span, changes = _accept_one(store, suggestion, label, start, end)
        accepted = {span_id: span}
        pairs = [(suggestion, span)]
        for link in links:
            other_id = link.child if link.head == span_id else link.head
            other = store.spans.get(other_id)
            if not _fits(store, link, span_id, span, other):
                continue  # accepted as a label the type does not allow: the relation goes
            if link.origin == "suggested" and other.origin == "suggested":
                if other_id not in accepted:
                    theirs = [r for r in store.relations.of_span(other_id)]
                    accepted[other_id], more = _accept_one(store, other, None, None, None)
                    pairs.append((other, accepted[other_id]))
                    changes |= more | _moved(store, theirs, other_id, accepted[other_id], None)
                other = accepted[other_id]
            origin = "manual" if link.origin == "suggested" else link.origin
            changes |= _moved(store, [link], span_id, span, origin, other)
        return pairs, changes


def _fits(store: Store, link: Relation, old_id: int, span: Span, other: Span) -> bool:
    """Whether ``link`` still fits its type with ``span`` in the place of span ``old_id``."""
    head, child = (span, other) if link.head == old_id else (other, span)
    return store.relation_types.get(link.label).fits(head.label, child.label)


def _accept_one(
    store: Store, suggestion: Span, label: str | None, start: int | None, end: int | None
) -> tuple[Span, Changes]:
    """One suggestion made the analyst's span (its relations go with the suggestion)."""
    assert suggestion.id is not None
    removed = store.spans.delete(suggestion.id)
    span = store.spans.add(
        suggestion.document_id,
        suggestion.start if start is None else start,
        suggestion.end if end is None else end,
        label or suggestion.label,
    )
    store.record_change(
        "accept_suggestion",
        suggestion.document_id,
        span.id,
        suggestion=suggestion.id,
        suggester=suggestion.suggester,
        score=suggestion.score,
        label=span.label,
    )
    return span, removed.changes | span.changes  # type: ignore[attr-defined]


def _moved(
    store: Store,
    links: Sequence[Relation],
    old_id: int,
    span: Span,
    origin: str | None,
    other: Span | None = None,
) -> Changes:
    """``links`` (relations of the span ``old_id`` that was deleted) made again with ``span``
    in its place, and ``other`` (when given) at their other end; each keeps its origin unless
    ``origin`` is given. Those whose type does not allow the new ends are left out."""
    changes = Changes()
    for link in links:
        far = (
            other
            if other is not None
            else store.spans.get(link.child if link.head == old_id else link.head)
        )
        if not _fits(store, link, old_id, span, far):
            continue
        head, child = (span, far) if link.head == old_id else (far, span)
        assert head.id is not None and child.id is not None
        made = store.relations.add(head.id, child.id, link.label, origin=origin or link.origin)
        changes |= changes_of(made)
    return changes


def reject_suggestion(store: Store, span_id: int) -> Span:
    """Reject a suggestion: it goes, with its relations, and is not proposed again on this
    document. A speaker the speakers suggester proposed for it alone goes too (withdrawn, not
    rejected: it may be proposed again with another quote). Returns it as it was (so
    :func:`unreject_suggestion` can put it back), with ``.changes``, which name the speaker
    and relations that went with it."""
    with store.transaction():
        suggestion = store.spans.get(span_id)
        if suggestion.origin != "suggested":
            raise SpanError(f"span {span_id} is not a suggestion")
        links = suggested_links(store, span_id)
        removed = store.spans.delete(span_id)
        store.conn.execute(
            'INSERT INTO rejections (document_id, start, "end", label, suggester, annotator,'
            " rejected_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                suggestion.document_id,
                suggestion.start,
                suggestion.end,
                suggestion.label,
                suggestion.suggester or "",
                store.annotator,
                utc_now(),
            ),
        )
        store.record_change("reject_suggestion", suggestion.document_id, span_id)
        changes = removed.changes  # type: ignore[attr-defined]
        for link in links:
            if link.head != span_id:
                continue
            speaker = store.spans.get(link.child)
            if (
                speaker.origin == "suggested"
                and speaker.suggester == speakers.NAME
                and not store.relations.of_span(link.child)
            ):
                changes |= changes_of(store.spans.delete(link.child))
        return with_changes(suggestion, changes)


def unreject_suggestion(
    store: Store,
    suggestion: Span,
    *,
    along: Sequence[Span] = (),
    relations: Sequence[Relation] = (),
) -> Span:
    """Undo a rejection: the suggestion is back under its own id, and may be proposed again;
    ``along`` (suggestions that went with it) and ``relations`` come back too."""
    with store.transaction():
        store.conn.execute(
            'DELETE FROM rejections WHERE document_id = ? AND start = ? AND "end" = ?'
            " AND label = ? AND suggester = ?",
            (
                suggestion.document_id,
                suggestion.start,
                suggestion.end,
                suggestion.label,
                suggestion.suggester or "",
            ),
        )
        back = store.spans.restore(suggestion)
        changes = changes_of(back)
        for span in along:
            changes |= changes_of(store.spans.restore(span))
        for relation in relations:
            changes |= changes_of(store.relations.restore(relation))
        return with_changes(back, changes)


def suggestions(store: Store, document_id: int) -> list[Span]:
    """A document's suggestions in text order."""
    return [s for s in store.spans.in_document(document_id) if s.origin == "suggested"]


def suggestion_counts(store: Store, documents: Sequence[int] | None = None) -> dict[int, int]:
    """How many suggestions each document (of ``documents``, else of the project) has;
    documents with none are left out."""
    if documents is not None:
        return store.spans.suggested_counts(documents)
    rows = store.conn.execute(
        "SELECT document_id, count(*) FROM spans WHERE origin = 'suggested' GROUP BY document_id"
    )
    return {doc: n for doc, n in rows}


# -- a program of the user's own --------------------------------------------------------------


def run_command(
    store: Store,
    command: str,
    *,
    documents: Sequence[int],
    name: str = "command",
    timeout: float = COMMAND_TIMEOUT,
    min_score: float = 0.0,
) -> tuple[SuggestReport, str]:
    """Ask the user's program for suggestions on ``documents``; returns the report and what
    the program wrote on its standard error. Raises SuggestError, storing nothing, when the
    program fails, hangs past ``timeout`` seconds, or writes anything that is not right."""
    args = command_words(command)
    tasks = []
    for doc in documents:
        d = store.documents.get(doc)
        tasks.append(json.dumps({"id": doc, "text": d.text, "meta": d.meta}, ensure_ascii=False))
    feed = ("\n".join(tasks) + "\n") if tasks else ""
    returncode, stdout, stderr = _run_program(args, feed.encode("utf-8"), timeout)
    if returncode != 0:
        raise SuggestError(
            f"{printable(args[0])} failed (exit code {returncode}); nothing was stored"
            + (f". It said: {stderr[-800:]}" if stderr else "")
        )
    by_document, links, problems = _read_output(store, stdout, set(documents))
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise SuggestError(
            f"the output of {printable(args[0])} was refused, nothing was stored:\n  "
            + "\n  ".join(problems[:5])
            + more
        )
    report = SuggestReport(proposed={name: Counter()})
    with store.transaction():
        for doc in documents:
            found = [s for s in by_document.get(doc, []) if s.score >= min_score]
            report.changes |= keep_suggestions(store, doc, name, found, report)
            related = [
                r
                for r in links.get(doc, [])
                if min(r.score, r.head.score, r.child.score) >= min_score
            ]
            counts = report.relations.setdefault(name, Counter())
            report.changes |= keep_proposed_relations(store, doc, name, related, counts)
            report.documents += 1
    return report, stderr


def _run_program(args: list[str], feed: bytes, timeout: float) -> tuple[int, bytes, str]:
    """Run the user's program on ``feed``: its exit code, standard output and what it said on
    standard error. It runs in a session of its own, so that on a timeout (or Ctrl+C) every
    process it started is stopped with it; its pipes are read for ``timeout`` seconds at most,
    even when something it started keeps them open after it ended."""
    program = printable(args[0])
    held = _HeldInterrupts()
    try:
        process = _start(program, args)
    except BaseException:
        held.release()
        raise
    with process:
        try:
            held.release()  # a Ctrl+C typed while it started is raised here, and stops it
            stdout, stderr = process.communicate(feed, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            ended = _has_ended(process)
            _stop_all(process)
            said = (e.stderr or b"").decode("utf-8", "replace").strip()
            why = (
                ": it ended, but a process it started kept its output open. Every process it "
                "started was stopped"
                if ended
                else " and was stopped, with every process it started"
            )
            raise SuggestError(
                f"{program} did not finish within {timeout:g} s{why}; nothing was stored"
                + (f". It said: {said[-800:]}" if said else "")
            ) from None
        except BaseException:  # Ctrl+C reaches only this process now: stop the program too
            _stop_all(process)
            raise
    return process.returncode, stdout, stderr.decode("utf-8", "replace").strip()


def _start(program: str, args: list[str]) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise SuggestError(f"{program}: no such program") from None
    except PermissionError:
        raise SuggestError(f"{program}: cannot be run (permission denied)") from None
    except OSError as e:  # not a program at all, such as a script with no #! line
        raise SuggestError(f"{program}: cannot be run ({e.strerror or e})") from None


class _HeldInterrupts:
    """Ctrl+C held back while the program starts. The program runs in a session of its own,
    so the terminal's Ctrl+C never reaches it: an interrupt that landed after it started but
    before it was in our hands would leave it running with no one to stop it."""

    def __init__(self) -> None:
        self.caught = False
        self.previous: Any = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if previous is not None:  # None: a handler set outside Python, left alone
                self.previous = signal.signal(signal.SIGINT, self._catch)

    def _catch(self, signum: int, frame: object) -> None:
        self.caught = True

    def release(self) -> None:
        """Put the usual handler back and hand it an interrupt that came meanwhile."""
        if self.previous is None:
            return
        signal.signal(signal.SIGINT, self.previous)
        self.previous = None
        if self.caught:
            signal.raise_signal(signal.SIGINT)


def _has_ended(process: subprocess.Popen[bytes]) -> bool:
    """Whether the program itself has ended, leaving it unreaped: until it is reaped, its
    process id cannot be another's, so its process group can still be stopped safely."""
    if process.returncode is not None:
        return True
    if not hasattr(os, "waitid"):  # pragma: no cover - Windows
        return False
    flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
    return os.waitid(os.P_PID, process.pid, flags) is not None


def _stop_all(process: subprocess.Popen[bytes]) -> None:
    """Kill the program and every process it started (its process group), then reap it."""
    if process.returncode is None:  # once reaped, its id may be another process's
        try:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows has no process groups to kill
                process.kill()
        except OSError:  # already gone
            pass
    process.wait()


def command_words(command: str) -> list[str]:
    """The program and its arguments, split as a POSIX shell would (no shell runs them)."""
    try:
        args = shlex.split(command)
    except ValueError as e:  # shlex's own words: "No closing quotation", "No escaped character"
        why = {
            "No closing quotation": "a quotation mark is not closed",
            "No escaped character": "it ends in a backslash with nothing after it",
        }.get(str(e), str(e))
        raise SuggestError(f"--command cannot be read, {why}: {printable(command)}") from None
    if not args:
        raise SuggestError("--command is empty")
    return args


def _read_output(
    store: Store, output: bytes, asked: set[int]
) -> tuple[dict[int, list[Suggestion]], dict[int, list[ProposedRelation]], list[str]]:
    """The program's suggestions and relations by document, and every reason a line is
    refused."""
    named = label_names(store)
    kinds = {kind.name: kind for kind in store.relation_types.all()}
    problems: list[str] = []
    found: dict[int, list[Suggestion]] = {}
    links: dict[int, list[ProposedRelation]] = {}
    try:
        text = output.decode("utf-8")
    except UnicodeDecodeError as e:
        return {}, {}, [f"its output is not UTF-8 (byte {e.start})"]
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            record = json.loads(line)
        except ValueError as e:
            problems.append(f"{where}: not JSON ({e})")
            continue
        if not isinstance(record, dict) or "id" not in record or "spans" not in record:
            problems.append(f'{where}: expected {{"id": ..., "spans": [...]}}')
            continue
        doc = record["id"]
        if isinstance(doc, bool) or not isinstance(doc, int) or doc not in asked:
            problems.append(f"{where}: id {doc!r} is not one of the documents it was given")
            continue
        spans = record["spans"]
        if not isinstance(spans, list):
            problems.append(f'{where}: "spans" must be a list')
            continue
        text_of = store.documents.text(doc)
        line_spans: list[Suggestion | None] = []
        for i, span in enumerate(spans):
            checked = _output_span(span, text_of, named, f"{where}: spans[{i}]", problems)
            line_spans.append(checked)
            if checked is not None:
                found.setdefault(doc, []).append(checked)
        relations = record.get("relations", [])
        if not isinstance(relations, list):
            problems.append(f'{where}: "relations" must be a list')
            continue
        for i, relation in enumerate(relations):
            proposed = _output_relation(
                relation, line_spans, kinds, f"{where}: relations[{i}]", problems
            )
            if proposed is not None:
                links.setdefault(doc, []).append(proposed)
    return found, links, problems


def _output_span(
    span: Any,
    text: str,
    named: Callable[[str], str | None],
    at: str,
    problems: list[str],
) -> Suggestion | None:
    """One span of the program's output, checked; None (and a problem) when refused."""
    if not isinstance(span, dict):
        problems.append(f"{at}: a span must be an object")
        return None
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    score = span.get("score", 1.0)
    current = named(label) if isinstance(label, str) else None
    if current is None:
        problems.append(f"{at}: unknown label {label!r}")
        return None
    try:
        check_span(text, start, end, span.get("text"))
    except SpanError as e:
        problems.append(f"{at}: {e}")
        return None
    if not _is_score(score):
        problems.append(f"{at}: the score must be a number from 0 to 1, not {score!r}")
        return None
    assert isinstance(start, int) and isinstance(end, int)  # check_span saw to it
    return Suggestion(start, end, current, float(score))


def _output_relation(
    relation: Any,
    spans: list[Suggestion | None],
    kinds: dict[str, RelationType],
    at: str,
    problems: list[str],
) -> ProposedRelation | None:
    """One relation of the program's output: ``head`` and ``child`` are indexes into the same
    line's ``spans``, ``label`` a relation type whose ends allow those spans' labels."""
    if not isinstance(relation, dict):
        problems.append(f"{at}: a relation must be an object")
        return None
    ends = []
    for end in ("head", "child"):
        index = relation.get(end)
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(spans):
            problems.append(
                f"{at}: {end} {index!r} is not the index of one of the line's {len(spans)} spans"
            )
            return None
        ends.append(spans[index])
    head, child = ends
    if relation["head"] == relation["child"]:
        problems.append(f"{at}: a span cannot be related to itself")
        return None
    label = relation.get("label")
    kind = kinds.get(label) if isinstance(label, str) else None
    if kind is None:
        known = ", ".join(kinds) or "none"
        problems.append(f"{at}: unknown relation type {label!r} (this project has: {known})")
        return None
    score = relation.get("score", 1.0)
    if not _is_score(score):
        problems.append(f"{at}: the score must be a number from 0 to 1, not {score!r}")
        return None
    if head is None or child is None:
        return None  # the span itself was refused, and said so
    if not kind.fits(head.label, child.label):
        problems.append(
            f"{at}: {kind.name} goes from {' or '.join(kind.heads) or 'any label'} to "
            f"{' or '.join(kind.children) or 'any label'}, not from {head.label} to "
            f"{child.label}"
        )
        return None
    return ProposedRelation(head, child, kind.name, float(score))


def _is_score(score: Any) -> bool:
    return not isinstance(score, bool) and isinstance(score, (int, float)) and 0 <= score <= 1
