"""The label-studio export (tasks, regions, relations, the config beside it) and Label Studio's
relation and per-region results on import; no Label Studio needed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from annotator.formats.exporting import ExportError, export
from annotator.formats.importing import import_paths
from annotator.formats.label_studio import ACROSS_LAYERS
from annotator.model import text_hash
from annotator.store.project import Store

TEXT = (
    "“We will build it 🚀,” said Mayor Ana Ruiz. Admittedly, costs rose 👍🏽 again.\n"
    "The line opens in 2027, officials said."
)


def at(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


@pytest.fixture
def source(tmp_path):
    """Two analysts on one article with emoji: overlapping spans, relations, an attribute,
    a note and a suggestion; and a second article with no spans."""
    path = tmp_path / "source.db"
    with Store(path, "ana") as store:
        with store.transaction():
            doc = store.documents.insert(
                text=TEXT,
                text_hash=text_hash(TEXT),
                title="Tram",
                external_id="tram-1",
                meta={"desk": "city", "text": "not the article"},
            )
            store.documents.insert(
                text="Nothing here.", text_hash=text_hash("Nothing here."), title="Nothing here."
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
    return path


def exported(source, tmp_path, **options) -> tuple[list[dict], object]:
    out = tmp_path / "out" / "tasks.json"
    with Store(source, "ana") as store:
        report = export(store, "label-studio", out, **options)
    return json.loads(out.read_text(encoding="utf-8")), report


def contents(path) -> tuple[set, set]:
    """Spans (analyst, start, end, label, note, attributes, origin, suggester, score) and
    relations (analyst, type, head, child) of a project."""
    spans, relations = set(), set()
    with Store(path, "check") as store:
        for doc in store.documents.ids():
            by_id = {s.id: s for s in store.spans.in_document(doc)}
            for s in by_id.values():
                spans.add(
                    (s.annotator, s.start, s.end, s.label, s.note, tuple(s.attributes.items()),
                     s.origin == "suggested", s.suggester, s.score)
                )  # fmt: skip
            for r in store.relations.in_document(doc):
                h, c = by_id[r.head], by_id[r.child]
                relations.add(
                    (r.annotator, r.label, (h.start, h.end, h.label), (c.start, c.end, c.label))
                )
    return spans, relations


def test_each_document_is_a_task_with_its_text_title_id_and_meta(source, tmp_path):
    tasks, report = exported(source, tmp_path)
    assert report.documents == 2
    task = tasks[0]
    assert task["data"]["text"] == TEXT
    assert task["data"]["title"] == "Tram"
    assert task["data"]["doc_id"] == "tram-1"
    assert task["data"]["desk"] == "city"  # meta beside the text, where it does not clash
    assert task["meta"] == {"desk": "city", "text": "not the article"}
    assert tasks[1]["annotations"] == [] and tasks[1]["data"]["doc_id"] == "2"


def test_one_annotation_per_analyst_with_region_ids_unique_in_the_task(source, tmp_path):
    tasks, _ = exported(source, tmp_path)
    annotations = tasks[0]["annotations"]
    analysts = [{r["meta"]["annotator"] for r in a["result"] if r["type"] == "labels"} for a in annotations]  # fmt: skip
    assert analysts == [{"ana"}, {"bo"}]
    ids = [r["id"] for a in annotations for r in a["result"] if r["type"] == "labels"]
    assert len(ids) == len(set(ids)) == 7
    for annotation in annotations:
        assert annotation["was_cancelled"] is False
        assert annotation["ground_truth"] is False  # Label Studio takes a missing one as true
        assert "completed_by" not in annotation  # Label Studio would refuse a name there


def test_relations_point_at_regions_of_their_own_annotation(source, tmp_path):
    tasks, _ = exported(source, tmp_path)
    seen = []
    for annotation in tasks[0]["annotations"]:
        regions = {r["id"]: r for r in annotation["result"] if r["type"] == "labels"}
        for result in annotation["result"]:
            if result["type"] == "relation":
                head, child = regions[result["from_id"]], regions[result["to_id"]]
                assert result["direction"] == "right"
                seen.append((result["labels"], head["value"]["labels"], child["value"]["labels"]))
    assert sorted(seen) == [
        (["concedes"], ["concession"], ["claim"]),
        (["said_by"], ["quote"], ["speaker"]),
        (["said_by"], ["quote"], ["speaker"]),
    ]


def test_offsets_count_code_points_past_an_emoji(source, tmp_path):
    tasks, _ = exported(source, tmp_path)
    (concession,) = [
        r for a in tasks[0]["annotations"] for r in a["result"]
        if r["type"] == "labels" and r["value"]["labels"] == ["concession"]
    ]  # fmt: skip
    value = concession["value"]
    assert (value["start"], value["end"]) == at("Admittedly, costs rose 👍🏽 again.")
    # After one astral character UTF-16 would count one more.
    assert (
        value["start"] == TEXT.encode("utf-16-le").find("Admittedly".encode("utf-16-le")) // 2 - 1
    )
    assert TEXT[value["start"] : value["end"]] == value["text"]


def test_attributes_and_notes_go_with_their_region(source, tmp_path):
    tasks, _ = exported(source, tmp_path)
    results = tasks[0]["annotations"][0]["result"]
    (quote,) = [r for r in results if r["type"] == "labels" and r["value"]["labels"] == ["quote"]]
    assert quote["meta"]["text"] == ["check audio"]
    (speaker,) = [r for r in results if r["type"] == "textarea"]
    assert speaker["id"] == quote["id"]
    assert speaker["from_name"] == "quote_speaker"
    assert speaker["value"]["text"] == ["the mayor"]
    assert (speaker["value"]["start"], speaker["value"]["end"]) == at("“We will build it 🚀,”")


def test_suggestions_are_predictions_of_their_suggester_with_scores(source, tmp_path):
    tasks, report = exported(source, tmp_path)
    assert "predictions" not in tasks[0]
    tasks, _ = exported(source, tmp_path, include_suggestions=True)
    (prediction,) = tasks[0]["predictions"]
    assert prediction["model_version"] == "claims"
    assert prediction["score"] == 0.4
    (result,) = prediction["result"]
    assert result["value"]["labels"] == ["claim"] and result["score"] == 0.4


def test_the_config_beside_names_every_label_relation_type_and_attribute(source, tmp_path):
    _, report = exported(source, tmp_path)
    config = tmp_path / "out" / "tasks.xml"
    assert report.also_written == [config]
    root = ET.fromstring(config.read_text(encoding="utf-8"))
    assert root.tag == "View"
    with Store(source, "ana") as store:
        labels = {lab.name: lab.color for lab in store.labels.all()}
        kinds = {kind.name for kind in store.relation_types.all()}
    (tags,) = root.iter("Labels")
    assert (tags.get("name"), tags.get("toName")) == ("label", "text")
    assert {t.get("value"): t.get("background") for t in tags.iter("Label")} == labels
    assert {t.get("value") for t in root.iter("Relation")} == kinds
    (text,) = root.iter("Text")
    assert (text.get("name"), text.get("value")) == ("text", "$text")
    (area,) = root.iter("TextArea")
    assert (area.get("name"), area.get("perRegion"), area.get("toName")) == (
        "quote_speaker",
        "true",
        "text",
    )
    # Every result of the export names a control of the config.
    controls = {e.get("name") for e in root.iter() if e.get("toName") == "text"}
    tasks = json.loads((tmp_path / "out" / "tasks.json").read_text(encoding="utf-8"))
    named = {
        r["from_name"] for t in tasks for a in t["annotations"] for r in a["result"]
        if r["type"] != "relation"
    }  # fmt: skip
    assert named == controls == {"label", "quote_speaker"}


def test_a_choice_attribute_becomes_per_region_choices(store, add_doc, tmp_path):
    store.conn.execute(
        "UPDATE labels SET attributes = ? WHERE name = 'claim'",
        (json.dumps([{"name": "checked", "kind": "choice", "values": ["yes", "no"]}]),),
    )
    doc = add_doc("The tram costs 3 million.")
    span = store.spans.add(doc, 4, 25, "claim")
    store.spans.set_attributes(span.id, {"checked": "no"})
    export(store, "label-studio", tmp_path / "c.json")
    root = ET.fromstring((tmp_path / "c.xml").read_text(encoding="utf-8"))
    (choices,) = root.iter("Choices")
    assert choices.get("name") == "claim_checked" and choices.get("perRegion") == "true"
    assert [c.get("value") for c in choices.iter("Choice")] == ["yes", "no"]
    (task,) = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    (chosen,) = [r for r in task["annotations"][0]["result"] if r["type"] == "choices"]
    assert chosen["value"]["choices"] == ["no"]
    again = tmp_path / "again.db"
    with Store(again, "bo") as other:
        other.conn.execute(
            "UPDATE labels SET attributes = ? WHERE name = 'claim'",
            (json.dumps([{"name": "checked", "kind": "choice", "values": ["yes", "no"]}]),),
        )
        assert import_paths(other, [tmp_path / "c.json"]).ok
        (back,) = other.spans.in_document(1)
        assert back.attributes == {"checked": "no"}


def test_standard_output_gets_the_tasks_and_no_config(source, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store(source, "ana") as store:
        report = export(store, "label-studio", "-")
    tasks = json.loads(capsys.readouterr().out)
    assert [t["data"]["doc_id"] for t in tasks] == ["tram-1", "2"]
    assert report.also_written == []
    assert not list(tmp_path.rglob("*.xml"))


def test_an_empty_export_is_an_empty_list(store, tmp_path):
    export(store, "label-studio", tmp_path / "none.json")
    assert json.loads((tmp_path / "none.json").read_text(encoding="utf-8")) == []


def test_a_relation_across_two_analysts_layers_is_counted_as_left_out(store, add_doc, tmp_path):
    doc = add_doc(TEXT)
    quote = store.spans.add(doc, *at("“We will build it 🚀,”"), "quote")
    with Store(store.path, "bo") as bo:
        speaker = bo.spans.add(doc, *at("Mayor Ana Ruiz"), "speaker")
    store.relations.add(quote.id, speaker.id, "said_by")
    report = export(store, "label-studio", tmp_path / "x.json")
    assert report.details == {ACROSS_LAYERS: 1}
    (task,) = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert not [r for a in task["annotations"] for r in a["result"] if r["type"] == "relation"]


def test_export_then_import_into_an_empty_project_gives_everything_back(source, tmp_path):
    out = tmp_path / "all.json"
    with Store(source, "ana") as store:
        export(store, "label-studio", out, include_suggestions=True)
    again = tmp_path / "again.db"
    with Store(again, "cy") as store:
        report = import_paths(store, [out])
        assert report.ok, [str(r) for r in report.refused]
        docs = [doc for doc, _ in store.documents.stream()]
        assert [(d.external_id, d.title, d.text) for d in docs] == [
            ("tram-1", "Tram", TEXT),
            ("2", "Nothing here.", "Nothing here."),
        ]
        assert docs[0].meta == {"desk": "city", "text": "not the article"}
    spans, relations = contents(again)
    want_spans, want_relations = contents(source)
    assert spans == want_spans and len(spans) == 8
    assert relations == want_relations and len(relations) == 3


def studio_task(results: list[dict], **extra) -> dict:
    """A task as Label Studio's own JSON export writes it (its ids, a user number)."""
    return {
        "id": 7,
        "data": {"text": TEXT},
        "annotations": [{"id": 3, "completed_by": 1, "result": results, "was_cancelled": False}],
        "predictions": [],
        **extra,
    }


def region(rid: str, piece: str, label: str) -> dict:
    start, end = at(piece)
    return {
        "id": rid,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": piece, "labels": [label]},
    }


QUOTE = region("Xq1", "“We will build it 🚀,”", "quote")
SPEAKER = region("Yz7", "Mayor Ana Ruiz", "speaker")


def relation(head: str, child: str, labels: list[str] | None, direction="right") -> dict:
    out = {"from_id": head, "to_id": child, "type": "relation", "direction": direction}
    if labels is not None:
        out["labels"] = labels
    return out


def test_label_studio_relations_between_regions_are_imported(store, write):
    path = write("ls.json", [studio_task([QUOTE, SPEAKER, relation("Xq1", "Yz7", ["said_by"])])])
    report = import_paths(store, [path])
    assert report.ok, [str(r) for r in report.refused]
    spans = {s.id: s for s in store.spans.in_document(1)}
    (rel,) = store.relations.in_document(1)
    assert (spans[rel.head].label, spans[rel.child].label, rel.label) == (
        "quote",
        "speaker",
        "said_by",
    )
    assert store.documents.get(1).external_id == "7"  # no doc_id: Label Studio's own task id


def test_a_left_relation_runs_from_its_to_id_and_an_unlabelled_one_takes_the_only_fitting_type(
    store, write
):
    path = write("ls.json", [studio_task([QUOTE, SPEAKER, relation("Yz7", "Xq1", None, "left")])])
    assert import_paths(store, [path]).ok
    spans = {s.id: s for s in store.spans.in_document(1)}
    (rel,) = store.relations.in_document(1)
    assert (spans[rel.head].label, rel.label) == ("quote", "said_by")


def test_region_ids_are_scoped_to_their_annotation(store, write):
    task = studio_task([QUOTE, SPEAKER, relation("Xq1", "Yz7", ["said_by"])])
    # A second annotation made from the first keeps its region ids.
    task["annotations"].append(
        {"id": 4, "completed_by": {"email": "bo@example.org"}, "result": [QUOTE, SPEAKER]}
    )
    assert import_paths(store, [write("ls.json", [task])]).ok
    assert sorted(s.annotator for s in store.spans.in_document(1)) == [
        "bo@example.org",
        "bo@example.org",
        "tester",
        "tester",
    ]
    assert len(store.relations.in_document(1)) == 1


@pytest.mark.parametrize(
    ("results", "reason"),
    [
        (
            [QUOTE, relation("Xq1", "Nope", ["said_by"])],
            "annotations[0].result[1]: to_id: 'Nope' is not the id of a region of this annotation",
        ),
        (
            [QUOTE, SPEAKER, relation("Yz7", "Xq1", ["said_by"])],
            "annotations[0].result[2]: said_by goes from quote to speaker, not from speaker "
            "to quote",
        ),
        (
            [QUOTE, SPEAKER, relation("Xq1", "Yz7", ["blames"])],
            "annotations[0].result[2]: unknown relation type 'blames'",
        ),
        (
            [QUOTE, region("C1", "Ana Ruiz", "claim"), relation("Xq1", "C1", [])],
            "annotations[0].result[2]: the relation has no type",
        ),
        (
            [QUOTE, relation("Xq1", "Gone", [])],
            "annotations[0].result[1]: to_id: 'Gone' is not the id of a region of this annotation",
        ),
        (
            [QUOTE, {"type": "relation", "from_id": "Xq1", "labels": ["said_by"]}],
            "annotations[0].result[1]: a relation needs from_id and to_id",
        ),
    ],
)
def test_bad_relation_results_are_refused_with_file_and_line(store, write, dump, results, reason):
    good = studio_task([QUOTE])
    bad = studio_task(results)
    bad["data"] = {"text": TEXT + " Again."}
    path = write("bad.json", [good, bad])
    before = dump(store.path)
    report = import_paths(store, [path])
    (refusal,) = report.refused
    assert str(refusal).startswith(f"{path}:")
    assert refusal.line is not None and refusal.line > 1
    assert reason in refusal.reason
    assert dump(store.path) == before  # the file is all or nothing


def test_a_relation_in_another_annotation_does_not_reach_this_ones_regions(store, write):
    task = studio_task([QUOTE, SPEAKER])
    task["annotations"].append({"id": 4, "result": [relation("Xq1", "Yz7", ["said_by"])]})
    report = import_paths(store, [write("ls.json", [task])])
    (refusal,) = report.refused
    assert "annotations[1].result[0]: from_id: 'Xq1' is not the id of a region" in refusal.reason


def test_per_region_results_for_no_attribute_are_passed_over_and_counted(store, write):
    comment = {
        "id": "Xq1",
        "from_name": "comment",
        "to_name": "text",
        "type": "textarea",
        "value": {**QUOTE["value"], "text": ["hm"]},
    }
    speaker = {**comment, "from_name": "speaker", "value": {"start": 0, "end": 21, "text": ["Ana"]}}
    report = import_paths(store, [write("ls.json", [studio_task([QUOTE, comment, speaker])])])
    assert report.ok
    (quote,) = store.spans.in_document(1)
    assert quote.attributes == {"speaker": "Ana"}  # a control named for the attribute alone
    (passed,) = report.files[0].passed_over.values()
    assert passed == 1


def test_a_config_that_cannot_be_written_leaves_no_export(source, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    config = folder / "tasks.xml"
    config.write_text("<View/>", encoding="utf-8")
    config.chmod(0o444)  # read-only files are not replaced
    with Store(source, "ana") as store, pytest.raises(ExportError) as refused:
        export(store, "label-studio", folder / "tasks.json")
    assert "tasks.xml: the labelling config could not be written" in str(refused.value)
    assert sorted(p.name for p in folder.iterdir()) == ["tasks.xml"]
    assert config.read_text(encoding="utf-8") == "<View/>"


def test_the_curated_layer_is_the_ground_truth(store, add_doc, tmp_path):
    doc = add_doc("The tram costs 3 million.")
    with Store(store.path, "bo") as bo:
        bo.spans.add(doc, 4, 25, "claim")
    with Store(store.path, "lead") as lead:
        lead.spans.add(doc, 4, 25, "claim", origin="curated")
    export(store, "label-studio", tmp_path / "g.json")
    (task,) = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    truth = {a["result"][0]["meta"]["annotator"]: a["ground_truth"] for a in task["annotations"]}
    assert truth == {"bo": False, "lead": True}
