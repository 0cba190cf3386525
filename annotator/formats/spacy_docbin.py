"""spaCy's ``DocBin`` out: each document tokenized by ``spacy.blank(lang)``, its spans in a
span group, and what spaCy has no place for (relations, attributes, notes, the document's own
fields) in ``doc.user_data``.

spaCy spans are made of whole tokens, ours of characters. A span whose edges fall on token
boundaries goes in exactly; one that does not is dropped (``align="strict"``), shrunk to the
tokens wholly inside it (``"contract"``) or widened to the tokens it touches (``"expand"``).
The report counts each case, so nothing is dropped in silence. spaCy is an optional extra,
imported only here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from annotator.formats.exporting import ExportError, ExportJob, ExportReport, export_id
from annotator.formats.installing import install_advice
from annotator.model import Document, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as TokenSpan

ALIGN_MODES = ("strict", "contract", "expand")


def check_align(align: str) -> None:
    if align not in ALIGN_MODES:
        raise ExportError(f"align must be one of {', '.join(ALIGN_MODES)}, not {align!r}")


def blank_pipeline(lang: str) -> Language:
    """``spacy.blank(lang)``, with the reasons it can fail said in a sentence."""
    try:
        import spacy
    except ImportError:
        raise ExportError(
            "the spacy format needs spaCy, which is not installed; install it with "
            + install_advice("spacy", "spacy")
        ) from None
    if not isinstance(lang, str) or not lang.strip():
        raise ExportError("the spacy format needs a language code (--lang), such as en")
    try:
        nlp = spacy.blank(lang)
    except ImportError as e:
        # An unknown code (E048), or a language whose tokenizer needs another package.
        if "E048" in str(e):
            raise ExportError(
                f"spaCy has no language {lang!r}; give a code spaCy knows, such as en, de, "
                "fr, es, nl or xx (several languages)"
            ) from None
        raise ExportError(f"spaCy cannot tokenize language {lang!r}: {e}") from None
    # Only the tokenizer runs: the length limit guards the memory of parsers we never use.
    nlp.max_length = 2**31
    return nlp


def write_docbin(job: ExportJob, out: IO[bytes], report: ExportReport) -> None:
    """Every document as a spaCy ``Doc`` in one ``DocBin`` file (``store_user_data=True``)."""
    check_align(job.options.align)
    key = job.options.spans_key
    if not isinstance(key, str) or not key:
        raise ExportError("the spans key (--spans-key) must be a non-empty name, such as sc")
    nlp = blank_pipeline(job.options.lang)
    from spacy.tokens import DocBin

    counts = {"exact": 0, "snapped": 0, "dropped": 0}
    dropped_relations = 0
    docs = DocBin(store_user_data=True)
    for doc, spans in job.counted(report):
        made, lost = spacy_doc(
            nlp, doc, spans, key, job.options.align, counts, analysts_of=job.analysts_of
        )
        dropped_relations += lost
        try:
            docs.add(made)
        except (TypeError, ValueError, OverflowError) as e:
            raise ExportError(
                f"document {export_id(doc)} ({doc.title!r}): its meta cannot be stored in "
                f"spaCy's user data ({e}); nothing was exported"
            ) from None
    report.details.update(counts)
    if dropped_relations:
        report.details["dropped relations"] = dropped_relations
    out.write(docs.to_bytes())


def spacy_doc(
    nlp: Language,
    doc: Document,
    spans: list[Span],
    key: str,
    align: str,
    counts: dict[str, int],
    *,
    analysts_of: Callable[[Span], list[str] | None] = lambda _span: None,
) -> tuple[Doc, int]:
    """One document as a ``Doc``, counting its spans into ``counts``; also how many of its
    relations were dropped with a span at one end. ``analysts_of`` gives a curated span's
    analysts, kept with its data."""
    made = nlp.make_doc(doc.text)
    group: list[TokenSpan] = []
    kept: list[dict[str, Any]] = []
    index: dict[int | None, int] = {}
    for span in spans:
        piece = made.char_span(span.start, span.end, label=span.label)
        if piece is not None:
            counts["exact"] += 1
        elif align != "strict":
            piece = made.char_span(span.start, span.end, label=span.label, alignment_mode=align)
            if piece is None or len(piece) == 0:  # no token inside, or only white space
                piece = None
                counts["dropped"] += 1
            else:
                counts["snapped"] += 1
        else:
            counts["dropped"] += 1
        if piece is None:
            continue
        index[span.id] = len(group)
        group.append(piece)
        kept.append(_span_data(span, analysts_of(span)))
    made.spans[key] = group
    relations = []
    for r in doc.relations:
        if r.head not in index or r.child not in index:
            continue
        head, child = group[index[r.head]], group[index[r.child]]
        relations.append(
            {
                "head": index[r.head],
                "child": index[r.child],
                "label": r.label,
                "head_start": head.start_char,
                "head_end": head.end_char,
                "child_start": child.start_char,
                "child_end": child.end_char,
                "annotator": r.annotator,
                "origin": r.origin,
            }
        )
    made.user_data.update(
        {
            "id": export_id(doc),
            "title": doc.title,
            "meta": doc.meta,
            "status": doc.status,
            "spans_key": key,
            "spans": kept,
            "relations": relations,
        }
    )
    return made, len(doc.relations) - len(relations)


def _span_data(span: Span, analysts: list[str] | None = None) -> dict[str, Any]:
    """What the span group cannot hold, in the group's order: the offsets as annotated (the
    span in the group may have been snapped to tokens), who made it, its note, attributes,
    for a suggestion what proposed it, and for a curated span the analysts it came from."""
    out: dict[str, Any] = {
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "annotator": span.annotator,
        "note": span.note,
        "origin": span.origin,
        "attributes": dict(span.attributes),
    }
    if span.suggester is not None or span.score is not None:
        out["suggester"] = span.suggester
        out["score"] = span.score
    if analysts is not None:
        out["analysts"] = analysts
    return out
