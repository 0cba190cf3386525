"""Learned models: what a model learns from, and each training's record (part of the store).

A model is trained on the documents analysts marked done (each analyst's spans there are the
spans to find, everything they left untagged is not one) or on the curated layer of the
documents a curator settled. Its record keeps the library that fitted it and its version, the
labels, the documents it learned from, when and by whom, its held-out figures, and its
parameters as JSON. Only the newest model's parameters are kept: a new model takes the
place of the one before (whose record stays, so a suggestion that names it can be traced),
and the file does not grow with every training.

The parameters are stored and returned as text; what they mean is the suggesting code's
business (``annotator.suggest.learned.model``), which checks them before any use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from annotator import __version__
from annotator.model import utc_now
from annotator.store.connection import Part
from annotator.store.statuses import MY_STATUS

LAYERS = ("done", "curated")
_COLUMNS = (
    "id, library, library_version, made_by, layer, labels, documents, trained_at, trained_by,"
    " figures"
)


@dataclass
class LearningExample:
    """One document as a model learns from it: the spans of one analyst who marked it done
    (``analyst``), or of the curated layer (``analyst`` None)."""

    document: int
    analyst: str | None
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, label


@dataclass
class ModelRecord:
    """A training's record; ``parameters`` is None once a newer model has replaced it."""

    id: int
    library: str
    library_version: str
    made_by: str
    layer: str
    labels: list[str]
    documents: list[int]
    trained_at: str
    trained_by: str
    figures: dict[str, Any]
    parameters: str | None = None


def _record(row: tuple[Any, ...], parameters: str | None = None) -> ModelRecord:
    return ModelRecord(
        row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), json.loads(row[6]), row[7],
        row[8], json.loads(row[9]), parameters,
    )  # fmt: skip


class Models(Part):
    """``store.models``: learned models and the layers they learn from."""

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Reads that see one state of the project, even while another program writes."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def learning_layer(
        self, *, curated: bool = False
    ) -> tuple[list[LearningExample], dict[int, str]]:
        """What a model learns from, and the texts of its documents, read in one snapshot.

        Without ``curated``: for each analyst who marked a document done, their spans on it
        (made or imported; spans imported under the name of someone with no status on the
        document count as the spans of whoever marked it done). With ``curated``: the curated
        spans of each document a curator settled.
        """
        with self._snapshot():
            examples = self._curated() if curated else self._done()
            texts = self._texts(sorted({e.document for e in examples}))
        return examples, texts

    def done_documents(self) -> int:
        """How many documents some analyst marked done: what a training learns from."""
        row = self.conn.execute(
            "SELECT count(DISTINCT document_id) FROM statuses WHERE status = 'done'"
        ).fetchone()
        return int(row[0])

    def _done(self) -> list[LearningExample]:
        statuses: dict[int, dict[str, str]] = {}
        for doc, who, status in self.conn.execute(
            "SELECT document_id, annotator, status FROM statuses WHERE document_id IN"
            " (SELECT document_id FROM statuses WHERE status = 'done')"
        ):
            statuses.setdefault(doc, {})[who] = status
        examples = {
            (doc, who): LearningExample(doc, who)
            for doc, people in statuses.items()
            for who, status in people.items()
            if status == "done"
        }
        rows = self.conn.execute(
            'SELECT s.document_id, s.annotator, s.origin, s.start, s."end", l.name FROM spans s'
            " JOIN labels l ON l.id = s.label_id WHERE s.origin IN ('manual', 'imported')"
            " AND s.document_id IN (SELECT document_id FROM statuses WHERE status = 'done')"
            ' ORDER BY s.document_id, s.start, s."end", s.id'
        )
        for doc, who, origin, start, end, label in rows:
            people = statuses.get(doc, {})
            if who in people:
                owners = [who] if people[who] == "done" else []
            elif origin == "imported":
                owners = [p for p, status in people.items() if status == "done"]
            else:
                owners = []
            for owner in owners:
                examples[(doc, owner)].spans.append((start, end, label))
        return sorted(examples.values(), key=lambda e: (e.document, e.analyst or ""))

    def _curated(self) -> list[LearningExample]:
        examples = {
            doc: LearningExample(doc, None)
            for (doc,) in self.conn.execute("SELECT document_id FROM curations ORDER BY 1")
        }
        for doc, start, end, label in self.conn.execute(
            'SELECT s.document_id, s.start, s."end", l.name FROM spans s'
            " JOIN labels l ON l.id = s.label_id WHERE s.origin = 'curated'"
            " AND s.document_id IN (SELECT document_id FROM curations)"
            ' ORDER BY s.document_id, s.start, s."end", s.id'
        ):
            examples[doc].spans.append((start, end, label))
        return list(examples.values())

    def _texts(self, documents: list[int]) -> dict[int, str]:
        texts: dict[int, str] = {}
        for i in range(0, len(documents), 500):
            chunk = documents[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            texts.update(
                self.conn.execute(f"SELECT id, text FROM documents WHERE id IN ({marks})", chunk)
            )
        return texts

    # -- the models ------------------------------------------------------------------------

    def add(
        self,
        *,
        parameters: str,
        library: str,
        library_version: str,
        layer: str,
        labels: list[str],
        documents: list[int],
        figures: dict[str, Any],
    ) -> int:
        """Store a newly trained model, in one short transaction; the one before it keeps its
        record but not its parameters. Returns its id."""
        if layer not in LAYERS:
            raise ValueError(f"layer must be one of {', '.join(LAYERS)}, not {layer!r}")
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO models (library, library_version, made_by, layer, labels, documents,"
                " trained_at, trained_by, figures, parameters)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    library,
                    library_version,
                    f"annotator {__version__}",
                    layer,
                    json.dumps(labels, ensure_ascii=False),
                    json.dumps(documents),
                    utc_now(),
                    self.annotator,
                    json.dumps(figures, ensure_ascii=False, allow_nan=False),
                    parameters,
                ),
            )
            model_id = cur.lastrowid
            assert model_id is not None
            self.conn.execute(
                "UPDATE models SET parameters = NULL WHERE id != ? AND parameters IS NOT NULL",
                (model_id,),
            )
            self.record_change(
                "train_model", model=model_id, layer=layer, labels=labels, documents=len(documents)
            )
        return model_id

    def latest(self) -> ModelRecord | None:
        """The newest model that still has its parameters, with them; None when there is none."""
        row = self.conn.execute(
            f"SELECT {_COLUMNS}, parameters FROM models WHERE parameters IS NOT NULL"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else _record(row[:-1], row[-1])

    def get(self, model_id: int) -> ModelRecord | None:
        """A model's record (and its parameters, while it has them); None when there is none."""
        row = self.conn.execute(
            f"SELECT {_COLUMNS}, parameters FROM models WHERE id = ?", (model_id,)
        ).fetchone()
        return None if row is None else _record(row[:-1], row[-1])

    def all(self) -> list[ModelRecord]:
        """Every training's record, oldest first, without parameters."""
        rows = self.conn.execute(f"SELECT {_COLUMNS} FROM models ORDER BY id")
        return [_record(r) for r in rows]

    def latest_id(self) -> int | None:
        """The id of the newest model that still has its parameters (a read of one row's
        key, so a window can ask it often and read the model itself only when it changed)."""
        row = self.conn.execute(
            "SELECT id FROM models WHERE parameters IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else int(row[0])

    # -- how unsure a model is about each document -----------------------------------------

    def keep_uncertainties(self, model_id: int, uncertain: dict[int, float]) -> None:
        """Remember how unsure model ``model_id`` is about each document (0 to 1), in place of
        what an earlier model said: the documents are then ordered by it in SQL (see
        ``store.documents.rows(order="uncertain")``)."""
        if not uncertain:
            return
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO uncertainties (document_id, model_id, uncertainty) VALUES (?, ?, ?)"
                " ON CONFLICT (document_id) DO UPDATE SET model_id = excluded.model_id,"
                " uncertainty = excluded.uncertainty",
                [(doc, model_id, min(1.0, max(0.0, u))) for doc, u in uncertain.items()],
            )

    def lacks_uncertainties(self, model_id: int) -> bool:
        """Whether some document the current analyst has not marked done has no uncertainty
        from model ``model_id`` (one indexed look, however many documents there are)."""
        row = self.conn.execute(
            f"SELECT 1 FROM documents d LEFT JOIN uncertainties u ON u.document_id = d.id"
            f" WHERE {MY_STATUS} != 'done' AND (u.model_id IS NULL OR u.model_id != ?) LIMIT 1",
            (self.annotator, model_id),
        ).fetchone()
        return row is not None

    def uncertainties(self) -> dict[int, tuple[int, float]]:
        """Each document's uncertainty as last kept, with the model that said it."""
        rows = self.conn.execute("SELECT document_id, model_id, uncertainty FROM uncertainties")
        return {doc: (model, u) for doc, model, u in rows}
