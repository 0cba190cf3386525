"""Suggested relations: who said a quote, proposed beside the spans it joins.

A suggested relation is a relation of origin ``suggested``. It joins a suggestion to another
suggestion or to one of the current analyst's own spans (never two of the analyst's spans:
that would be a proposal with nothing in the window to accept it by). It goes with the
suggestion at either end: accepted together (:mod:`annotator.suggest.running`), dropped when
either is rejected or withdrawn.

The speakers suggester finds its labels and relation type in the project, never by name: the
quote label is the one the quotes suggester tags with (followed through renames), and the
first relation type whose heads name it gives the speaker label (its first child) and the
relation's name. A project with no such type gets no speaker suggestions, and is told why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.changes import Changes, changes_of
from annotator.model import Relation, RelationType, Span
from annotator.store.project import Store
from annotator.suggest.builtin import speakers
from annotator.suggest.builtin.patterns import Patterns
from annotator.suggest.builtin.suggestion import Suggestion

RelationKey = tuple[int, int, str]  # head span id, child span id, relation type


@dataclass(frozen=True)
class SpeakerScheme:
    """The project's names for what the speakers suggester proposes."""

    quote: str  # the label of quotes
    speaker: str  # the label of who said them
    relation: str  # the relation type from a quote to its speaker


def speaker_scheme(store: Store, named: Callable[[str], str | None]) -> SpeakerScheme | str:
    """The labels and relation type the speakers suggester uses in this project, or why it
    cannot run here (a sentence)."""
    quote = named(speakers.QUOTE_LABEL)
    if quote is None:
        return (
            f"this project has no {speakers.QUOTE_LABEL} label (the quotes suggester's), so "
            "there are no quotes to find speakers for"
        )
    for kind in store.relation_types.all():
        child = _speaker_label(kind, quote)
        if child is not None:
            return SpeakerScheme(quote, child, kind.name)
    return (
        f"no relation type goes from {quote} to another label, so there is no speaker to "
        f"suggest; add one, such as `annotator relations add said_by --head {quote} --child "
        "speaker`"
    )


def _speaker_label(kind: RelationType, quote: str) -> str | None:
    if quote not in kind.heads:
        return None
    return next((c for c in kind.children if c != quote), None)


@dataclass
class _Layer:
    """A document's spans as the speakers suggester sees them: the analyst's own and every
    suggestion, by (start, end, label)."""

    own: dict[tuple[int, int, str], Span]
    suggested: dict[tuple[int, int, str], Span]

    @classmethod
    def read(cls, store: Store, document_id: int) -> _Layer:
        own: dict[tuple[int, int, str], Span] = {}
        suggested: dict[tuple[int, int, str], Span] = {}
        for span in store.spans.in_document(document_id):
            key = (span.start, span.end, span.label)
            if span.origin == "suggested":
                suggested.setdefault(key, span)
            elif span.annotator == store.annotator and span.origin != "curated":
                own.setdefault(key, span)
        return cls(own, suggested)

    def find(self, key: tuple[int, int, str]) -> Span | None:
        """The analyst's own span there, else a suggestion."""
        return self.own.get(key) or self.suggested.get(key)


def propose_speakers(
    store: Store,
    document_id: int,
    text: str,
    patterns: Patterns,
    scheme: SpeakerScheme,
    floor: float,
    keep: Callable[[list[Suggestion]], Changes],
    counts: Counter[str],
) -> Changes:
    """Propose the speaker of each quote of a document that has none yet (the analyst's
    quotes and the suggested ones): the speaker span as a suggestion (unless the analyst
    tagged it already), which ``keep`` stores as the suggester's suggestions on the document,
    and the relation as a suggested one (counted by type in ``counts``). Earlier speaker
    suggestions and relations no longer proposed are withdrawn."""
    layer = _Layer.read(store, document_id)
    quotes = {
        (s, e): span
        for (s, e, label), span in [*layer.suggested.items(), *layer.own.items()]
        if label == scheme.quote
    }
    relations = store.relations.in_document(document_id)
    settled = {r.head for r in relations if r.label == scheme.relation and r.origin != "suggested"}
    found = [
        a
        for a in speakers.attribute(text, patterns, sorted(quotes))
        if a.score >= floor and quotes[a.quote].id not in settled
    ]
    wanted: list[Suggestion] = []
    for a in found:
        key = (*a.speaker, scheme.speaker)
        there = layer.find(key)
        if there is None or (there.origin == "suggested" and there.suggester == speakers.NAME):
            wanted.append(Suggestion(a.speaker[0], a.speaker[1], scheme.speaker, a.score))
    changes = keep(wanted)
    layer = _Layer.read(store, document_id)
    proposed: set[RelationKey] = set()
    for a in found:
        head = quotes[a.quote]
        child = layer.find((*a.speaker, scheme.speaker))
        if child is None or (head.origin != "suggested" and child.origin != "suggested"):
            continue  # rejected before, or both the analyst's own
        assert head.id is not None and child.id is not None
        proposed.add((head.id, child.id, scheme.relation))
    ours = {s.id for s in layer.suggested.values() if s.suggester == speakers.NAME}
    others = {s.id for s in layer.suggested.values() if s.suggester != speakers.NAME}
    earlier = [
        r
        for r in store.relations.in_document(document_id)
        if r.origin == "suggested"
        and r.label == scheme.relation
        and (r.child in ours or r.child not in others)
    ]
    return changes | keep_relations(store, proposed, earlier, counts)


def keep_relations(
    store: Store, proposed: set[RelationKey], earlier: Iterable[Relation], counts: Counter[str]
) -> Changes:
    """Make a suggester's suggested relations exactly ``proposed``: those of ``earlier`` not
    proposed again go, new ones are added (counted by type in ``counts``)."""
    changes = Changes()
    there: dict[RelationKey, Relation] = {}
    for r in earlier:
        key = (r.head, r.child, r.label)
        if key in proposed and key not in there:
            there[key] = r
        elif r.id is not None:
            changes |= changes_of(store.relations.delete(r.id))
    for head, child, label in sorted(proposed - there.keys()):
        changes |= changes_of(store.relations.add(head, child, label, origin="suggested"))
        counts[label] += 1
    return changes


def suggested_links(store: Store, span_id: int) -> list[Relation]:
    """The suggested relations a span is an end of."""
    return [r for r in store.relations.of_span(span_id) if r.origin == "suggested"]


@dataclass(frozen=True)
class ProposedRelation:
    """A relation a program proposed, between two of the spans it proposed on a document."""

    head: Suggestion
    child: Suggestion
    label: str
    score: float


def keep_proposed_relations(
    store: Store,
    document_id: int,
    suggester: str,
    proposed: Iterable[ProposedRelation],
    counts: Counter[str],
) -> Changes:
    """Store a program's relations on a document, once its spans are stored: each end is the
    suggestion it made there, or the analyst's own span where one was tagged already (a
    rejected end leaves its relation out). Its suggested relations from an earlier run that
    it does not propose again are withdrawn."""
    layer = _Layer.read(store, document_id)
    mine = {key: span for key, span in layer.suggested.items() if span.suggester == suggester}
    wanted: set[RelationKey] = set()
    for p in proposed:
        ends = []
        for end in (p.head, p.child):
            key = (end.start, end.end, end.label)
            ends.append(layer.own.get(key) or mine.get(key))
        head, child = ends
        if (
            head is None
            or child is None
            or (head.origin != "suggested" and child.origin != "suggested")
        ):
            continue
        assert head.id is not None and child.id is not None
        wanted.add((head.id, child.id, p.label))
    ids = {span.id for span in mine.values()}
    earlier = [
        r
        for r in store.relations.in_document(document_id)
        if r.origin == "suggested" and (r.head in ids or r.child in ids)
    ]
    return keep_relations(store, wanted, earlier, counts)
