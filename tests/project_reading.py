"""Reading a project back in tests: documents, spans and refusals as plain tuples."""

from __future__ import annotations


def docs(store) -> list[tuple]:
    """(external id, title, text, meta, status) of every document, in project order."""
    out = []
    for doc, _ in store.documents.stream():
        out.append((doc.external_id, doc.title, doc.text, doc.meta, doc.status))
    return out


def all_spans(store) -> list[tuple]:
    """(document id, start, end, label, text, annotator, note, origin) of every span."""
    return [
        (s.document_id, s.start, s.end, s.label, s.text, s.annotator, s.note, s.origin)
        for _, spans in store.documents.stream()
        for s in spans
    ]


def refusal_lines(report) -> list[str]:
    return [str(r) for r in report.refused]
