"""Check the label-studio export against a running Label Studio, and back.

Not part of the test suite: it needs a Label Studio server and its API token.

    label-studio start --no-browser --port 8089 --username you@example.org \\
        --password ... --user-token <40 hex digits> --enable-legacy-api-token
    .venv/bin/python -m benchmarks.check_label_studio --url http://localhost:8089 \\
        --token <token> [--db study.db]

It exports the project (by default a small one made here: emoji, overlapping spans, two
analysts, relations, an attribute and a note) as label-studio, suggestions included, creates a Label Studio project
with the config written beside the export, imports the tasks through the API, exports them
again through the API, and checks that every span (start, end, label, text) and every
relation came back (and that every prediction was taken in). It then imports Label Studio's own export into an empty annotator project
and checks that it holds the same spans (offsets, label, analyst, note, attributes) and
relations as the source. Prints what it found; exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from annotator.formats.exporting import export
from annotator.formats.importing import import_paths
from annotator.model import text_hash
from annotator.store.project import Store

SAMPLE = (
    "“We will build it 🚀,” said Mayor Ana Ruiz. Admittedly, costs rose 👍🏽 again.\n"
    "The line opens in 2027, officials said."
)


def make_sample(path: Path) -> None:
    """Two analysts' work on one article with astral characters, overlaps and relations."""

    def at(piece: str) -> tuple[int, int]:
        start = SAMPLE.index(piece)
        return start, start + len(piece)

    with Store(path, "ana") as store:
        with store.transaction():
            doc = store.documents.insert(
                text=SAMPLE, text_hash=text_hash(SAMPLE), title="Tram", meta={"desk": "city"}
            )
        quote = store.spans.add(doc, *at("“We will build it 🚀,”"), "quote", note="check audio")
        speaker = store.spans.add(doc, *at("Mayor Ana Ruiz"), "speaker")
        store.spans.add(doc, *at("Ana Ruiz"), "claim")  # inside the speaker
        store.relations.add(quote.id, speaker.id, "said_by")
        store.spans.set_attributes(quote.id, {"speaker": "the mayor"})
    with Store(path, "bo") as store:
        quote = store.spans.add(1, *at("“We will build it 🚀,”"), "quote")
        speaker = store.spans.add(1, *at("Mayor Ana Ruiz"), "speaker")
        concession = store.spans.add(1, *at("Admittedly, costs rose 👍🏽 again."), "concession")
        claim = store.spans.add(1, *at("The line opens in 2027"), "claim")
        store.relations.add(quote.id, speaker.id, "said_by")
        store.relations.add(concession.id, claim.id, "concedes")
        store.spans.add(1, *at("officials said"), "claim", origin="suggested", suggester="claims", score=0.4)  # fmt: skip


class Studio:
    """The few calls of Label Studio's REST API this check needs."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read().decode("utf-8") or "null")
        except urllib.error.HTTPError as e:
            sys.exit(f"{method} {path}: HTTP {e.code}: {e.read().decode('utf-8', 'replace')}")


def regions(task: dict[str, Any]) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """A task's spans (analyst, start, end, label, text) and relations (analyst, type, head
    span, child span), each annotation's region ids resolved to what they mark."""
    spans: Counter[tuple[Any, ...]] = Counter()
    relations: Counter[tuple[Any, ...]] = Counter()
    for annotation in task.get("annotations", []):
        marked = {}
        for result in annotation["result"]:
            if result.get("type") == "labels":
                value = result["value"]
                who = (result.get("meta") or {}).get("annotator")
                for label in value["labels"]:
                    key = (who, value["start"], value["end"], label, value.get("text"))
                    spans[key] += 1
                    marked.setdefault(result["id"], key)
        for result in annotation["result"]:
            if result.get("type") == "relation":
                head, child = marked[result["from_id"]], marked[result["to_id"]]
                for label in result.get("labels", []):
                    relations[(head[0], label, head[1:4], child[1:4])] += 1
    return spans, relations


def project_contents(path: Path) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """An annotator project's spans and relations, as comparable values."""
    spans: Counter[tuple[Any, ...]] = Counter()
    relations: Counter[tuple[Any, ...]] = Counter()
    with Store(path, "check") as store:
        for doc in store.documents.ids():
            by_id = {s.id: s for s in store.spans.in_document(doc)}
            for s in by_id.values():
                if s.origin != "suggested":
                    key = (
                        s.annotator,
                        s.start,
                        s.end,
                        s.label,
                        s.note,
                        tuple(s.attributes.items()),
                    )
                    spans[key] += 1
            for r in store.relations.in_document(doc):
                h, c = by_id[r.head], by_id[r.child]
                relations[(r.label, (h.start, h.end, h.label), (c.start, c.end, c.label))] += 1
    return spans, relations


def compare(what: str, expected: Counter[Any], got: Counter[Any]) -> bool:
    missing, extra = expected - got, got - expected
    print(f"{what}: {sum(expected.values())} expected, {sum(got.values())} found", end="")
    if not missing and not extra:
        print(" — all there")
        return True
    print()
    for item in missing.elements():
        print(f"  missing: {item}")
    for item in extra.elements():
        print(f"  unexpected: {item}")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8089")
    parser.add_argument("--token", required=True, help="a Label Studio API token")
    parser.add_argument("--db", type=Path, help="the project to check (default: a sample)")
    args = parser.parse_args(argv)
    studio = Studio(args.url, args.token)
    version = studio.call("GET", "/api/version")
    print(f"Label Studio {version.get('release') or version.get('label-studio-os-package')}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = args.db
        if source is None:
            source = folder / "sample.db"
            make_sample(source)
        exported = folder / "tasks.json"
        with Store(source, "check") as store:
            report = export(store, "label-studio", exported, include_suggestions=True)
        print(f"annotator wrote {report.documents} tasks, {report.spans} spans: {exported.name}")
        config = exported.with_suffix(".xml").read_text(encoding="utf-8")
        tasks = json.loads(exported.read_text(encoding="utf-8"))

        project = studio.call(
            "POST", "/api/projects", {"title": "annotator check", "label_config": config}
        )
        imported = studio.call("POST", f"/api/projects/{project['id']}/import", tasks)
        predictions = sum(len(t.get("predictions", [])) for t in tasks)
        print(
            f"Label Studio imported {imported.get('task_count')} tasks, "
            f"{imported.get('annotation_count')} annotations and "
            f"{imported.get('prediction_count')} predictions (of {predictions}) "
            f"into project {project['id']}"
        )
        ok = imported.get("prediction_count") == predictions
        back = studio.call(
            "GET",
            f"/api/projects/{project['id']}/export?exportType=JSON&download_all_tasks=true",
        )
        ok &= len(back) == len(tasks)
        print(f"Label Studio exported {len(back)} tasks")
        by_doc = {t["data"]["doc_id"]: t for t in back}
        expected_spans: Counter[Any] = Counter()
        expected_relations: Counter[Any] = Counter()
        got_spans: Counter[Any] = Counter()
        got_relations: Counter[Any] = Counter()
        for task in tasks:
            s, r = regions(task)
            expected_spans += s
            expected_relations += r
            theirs = by_doc.get(task["data"]["doc_id"])
            if theirs is None:
                print(f"task {task['data']['doc_id']!r} is missing from Label Studio's export")
                ok = False
                continue
            if theirs["data"]["text"] != task["data"]["text"]:
                print(f"task {task['data']['doc_id']!r}: the text changed")
                ok = False
            s, r = regions(theirs)
            got_spans += s
            got_relations += r
        ok &= compare("spans in Label Studio", expected_spans, got_spans)
        ok &= compare("relations in Label Studio", expected_relations, got_relations)

        studio_file = folder / "from-label-studio.json"
        studio_file.write_text(json.dumps(back, ensure_ascii=False), encoding="utf-8")
        again = folder / "again.db"
        with Store(source, "check") as store:
            labels, kinds = store.labels.all(), store.relation_types.all()
        with Store(again, "check") as store:
            # The source's labels (with their attributes) and relation types, for what comes in.
            have = {lab.name for lab in store.labels.all()}
            for label in labels:
                if label.name not in have:
                    store.labels.add(label.name, label.color)
                if label.attributes:
                    store.labels.set_attributes(label.name, label.attributes)
            have = {kind.name for kind in store.relation_types.all()}
            for kind in kinds:
                if kind.name not in have:
                    store.relation_types.add(kind.name, kind.color, kind.heads, kind.children)
            result = import_paths(store, [studio_file])
        if not result.ok:
            for refusal in result.refused:
                print(f"refused: {refusal}")
            return 1
        want_spans, want_relations = project_contents(source)
        have_spans, have_relations = project_contents(again)
        ok &= compare("spans imported back into annotator", want_spans, have_spans)
        ok &= compare("relations imported back into annotator", want_relations, have_relations)
    print("OK" if ok else "DIFFERENCES FOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
