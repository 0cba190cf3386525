"""The brat format both ways: a folder of .txt/.ann pairs that brat reads, and that imports back
into a project with the same spans, relations, attributes, notes and analysts."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli.main import cli
from annotator.formats.brat.writing import LINE_BREAKS, fragments, note_text, parse_note
from annotator.formats.exporting import ExportError, export
from annotator.formats.importing import import_paths
from annotator.model import text_hash
from annotator.store.project import Store

TEXT = (
    "Harbour line opens 🚀 in 2027\n"
    "\n"
    "“We will build it,” said Mayor Ana Ruiz. Admittedly, costs rose\n"
    "by a third since the first plan.\n"
    "قال الوزير إن الخط سيفتح\n"
    "The council approved the budget; notes: follow up.\n"
)


def at(needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def declare_scheme(store: Store) -> None:
    """A choice attribute, and a label, attribute and value whose names brat cannot hold."""
    store.labels.set_attributes(
        "claim", [{"name": "certainty", "kind": "choice", "values": ["low", "high"]}]
    )
    store.labels.add("hedged claim")
    store.labels.set_attributes(
        "hedged claim",
        [{"name": "how sure", "kind": "choice", "values": ["quite sure", "not: sure"]}],
    )


@pytest.fixture
def source(tmp_path) -> Path:
    """Two analysts' work on one article: overlapping and nested spans, a span across a line
    break, relations, a choice and a free-text attribute, notes; and a label, an attribute and
    a value whose names brat cannot hold."""
    path = tmp_path / "source.db"
    with Store(path, "ana") as ana:
        with ana.transaction():
            doc = ana.documents.insert(
                text=TEXT, text_hash=text_hash(TEXT), title="Harbour", external_id="news/01 a?"
            )
        assert doc is not None
        declare_scheme(ana)
        quote = ana.spans.add(doc, *at("“We will build it,”"), "quote")
        speaker = ana.spans.add(doc, *at("Mayor Ana Ruiz"), "speaker")
        ana.spans.add(doc, *at("Ana Ruiz"), "claim")  # nested in the speaker
        across = ana.spans.add(doc, *at("Admittedly, costs rose\nby a third"), "concession")
        claim = ana.spans.add(doc, *at("costs rose\nby a third since the first plan."), "claim")
        ana.relations.add(quote.id, speaker.id, "said_by")
        ana.relations.add(across.id, claim.id, "concedes")
        ana.spans.set_attributes(quote.id, {"speaker": "the mayor; of Valebridge"})
        ana.spans.set_attributes(claim.id, {"certainty": "high"})
        ana.spans.set_note(across.id, "two lines:\nsee the plan\\budget")
        rtl = ana.spans.add(doc, *at("قال الوزير إن الخط سيفتح"), "quote")
        ana.spans.set_attributes(rtl.id, {"speaker": "الوزير"})
    with Store(path, "bo") as bo:
        bo.spans.add(1, *at("Harbour line opens 🚀 in 2027"), "claim")
        bo.spans.add(1, *at("🚀"), "caption")
        bo_quote = bo.spans.add(1, *at("“We will build it,”"), "quote")  # the same as ana's
        bo_speaker = bo.spans.add(1, *at("Ana Ruiz"), "speaker")
        bo.relations.add(bo_quote.id, bo_speaker.id, "said_by")
        hedge = bo.spans.add(1, *at("The council approved the budget"), "hedged claim")
        bo.spans.set_attributes(hedge.id, {"how sure": "not: sure"})
        bo.spans.set_note(hedge.id, "notes: follow up; ask ana")
        ana_spans = {
            (s.start, s.end, s.label): s for s in bo.spans.in_document(1) if s.annotator == "ana"
        }
        rtl_quote = ana_spans[(*at("قال الوزير إن الخط سيفتح"), "quote")]
        mayor = ana_spans[(*at("Mayor Ana Ruiz"), "speaker")]
        bo.relations.add(rtl_quote.id, mayor.id, "said_by")  # bo relates two of ana's spans
    return path


def spans_of(path: Path) -> set[tuple]:
    with Store(path, "check") as store:
        return {
            (
                s.start,
                s.end,
                s.label,
                s.annotator,
                s.note,
                tuple(sorted(s.attributes.items())),
                s.text,
            )
            for doc in store.documents.ids()
            for s in store.spans.in_document(doc)
        }


def relations_of(path: Path) -> set[tuple]:
    with Store(path, "check") as store:
        out = set()
        for doc in store.documents.ids():
            spans = {s.id: s for s in store.spans.in_document(doc)}
            for r in store.relations.in_document(doc):
                h, c = spans[r.head], spans[r.child]
                out.add((r.label, r.annotator, h.start, h.end, h.label, c.start, c.end, c.label))
        return out


def exported(source: Path, folder: Path) -> Path:
    with Store(source, "ana") as store:
        report = export(store, "brat", folder)
    assert report.path == folder and report.documents == 1
    return folder


def test_a_brat_export_imports_back_with_nothing_lost(source, tmp_path):
    folder = exported(source, tmp_path / "out")
    again = tmp_path / "again.db"
    with Store(again, "cy") as store:
        declare_scheme(store)
        report = import_paths(store, [folder])
        assert report.ok, [str(r) for r in report.refused]
        assert report.skipped == []  # the .ann and .conf files are part of the documents
        (doc,) = [store.documents.get(i) for i in store.documents.ids()]
        assert doc.text == TEXT
        assert doc.external_id == "news_01_a_"
    assert spans_of(again) == spans_of(source)
    assert relations_of(again) == relations_of(source) != set()
    assert {r[1] for r in relations_of(again)} == {"ana", "bo"}
    assert len(spans_of(source)) == 11


def test_the_folder_holds_a_txt_and_ann_per_document_and_the_configuration(source, tmp_path):
    folder = exported(source, tmp_path / "out")
    assert sorted(p.name for p in folder.iterdir()) == [
        "annotation.conf",
        "news_01_a_.ann",
        "news_01_a_.txt",
        "visual.conf",
    ]
    assert (folder / "news_01_a_.txt").read_bytes() == TEXT.encode("utf-8")
    conf = (folder / "annotation.conf").read_text(encoding="utf-8")
    sections = re.split(r"^\[(\w+)\]$", conf, flags=re.M)
    section = dict(
        zip(sections[1::2], (s.strip().splitlines() for s in sections[2::2]), strict=True)
    )
    assert section["entities"] == [
        "claim", "quote", "caption", "concession", "speaker", "hedged_claim"
    ]  # fmt: skip
    assert "said_by\tArg1:quote, Arg2:speaker" in section["relations"]
    assert "concedes\tArg1:concession, Arg2:claim" in section["relations"]
    assert section["events"] == []
    assert "certainty\tArg:claim, Value:low|high" in section["attributes"]
    assert "how_sure\tArg:hedged_claim, Value:quite_sure|not__sure" in section["attributes"]
    assert '# annotator: hedged_claim stands for "hedged claim"' in conf
    visual = (folder / "visual.conf").read_text(encoding="utf-8")
    assert "quote\tbgColor:#e8923a" in visual and "said_by\tcolor:#c0504d" in visual


def test_a_span_across_a_line_break_is_written_as_fragments(source, tmp_path):
    folder = exported(source, tmp_path / "out")
    ann = (folder / "news_01_a_.ann").read_text(encoding="utf-8")
    start, end = at("Admittedly, costs rose\nby a third")
    brk = TEXT.index("\n", start)
    assert f"concession {start} {brk};{brk + 1} {end}\tAdmittedly, costs rose by a third" in ann
    assert "#" in ann and "AnnotatorNotes" in ann
    assert "note: two lines:\\nsee the plan\\\\budget" in ann
    assert "annotator: bo" in ann and "attribute speaker: the mayor\\; of Valebridge" in ann
    assert re.search(r"^A\d+\tcertainty T\d+ high$", ann, re.M)


def test_fragments_keep_the_span_ends_and_drop_white_space_at_the_breaks():
    text = "one  \n  two\n\nthree"
    assert fragments(text, 0, len(text)) == [(0, 3), (8, 11), (13, 18)]
    assert fragments(text, 4, 9) == [(8, 9)]  # a piece of white space alone is left out
    assert fragments("a\u2028b", 0, 3) == [(0, 1), (2, 3)]  # every line break splitlines knows
    assert fragments("\n\n", 0, 2) == []


@pytest.mark.parametrize(
    "items",
    [
        [("annotator", "ana"), ("note", "a; b\nc \\ d: e")],
        [("attribute who: it", "x;y"), ("note", "\t\u2028 trailing ")],
    ],
)
def test_a_note_reads_back_as_written(items):
    text = note_text(items)
    assert not any(ch in text for ch in "\n\r\t\u2028")
    assert parse_note(text) == items


def test_a_note_typed_in_brat_is_the_span_note_as_it_stands():
    assert parse_note("check this; maybe wrong") is None
    assert parse_note("annotator: bo") == [("annotator", "bo")]


def test_the_folder_appears_whole_or_not_at_all(source, tmp_path, monkeypatch):
    import annotator.formats.brat.writing as brat

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(brat, "visual_conf", broken)
    with Store(source, "ana") as store, pytest.raises(ExportError, match="No space left"):
        export(store, "brat", tmp_path / "out")
    assert [p.name for p in tmp_path.iterdir() if "out" in p.name] == []


def test_a_folder_that_is_not_empty_is_refused(source, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with Store(source, "ana") as store, pytest.raises(ExportError, match="not empty"):
        export(store, "brat", folder)
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with Store(source, "ana") as store:
        export(store, "brat", empty)
    assert (empty / "annotation.conf").is_file()


def test_without_a_destination_a_new_folder_goes_to_exports(source, tmp_path):
    with Store(source, "ana") as store:
        first = export(store, "brat", exports_dir=tmp_path / "exports")
        second = export(store, "brat", exports_dir=tmp_path / "exports")
    assert first.path is not None and second.path is not None
    assert first.path != second.path
    assert re.fullmatch(r"source-brat-\d{8}-\d{6}(-2)?", first.path.name)
    assert (first.path / "annotation.conf").is_file() and first.path.parent == tmp_path / "exports"


def test_the_command_line_writes_a_brat_folder(source, tmp_path):
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        cli, ["--db", str(source), "export", "--format", "brat", "--status", "any", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Exported 1 document and 11 spans (brat)" in result.stdout  # not an error
    assert "written as fragments" in result.output
    refused = CliRunner().invoke(
        cli, ["--db", str(source), "export", "--format", "brat", "-o", "-"]
    )
    assert refused.exit_code != 0 and "standard output" in refused.output


def test_file_names_are_safe_and_unique(tmp_path):
    path = tmp_path / "p.db"
    with Store(path, "ana") as store:
        for i, name in enumerate(["a/b", "A_b", "../x", "con", "", "é" * 200]):
            text = f"text {i}"
            with store.transaction():
                store.documents.insert(
                    text=text, text_hash=text_hash(text), title="t", external_id=name
                )
        export(store, "brat", tmp_path / "out")
    names = sorted(p.stem for p in (tmp_path / "out").glob("*.txt"))
    assert len(names) == 6
    assert len({n.casefold() for n in names}) == 6
    assert all("/" not in n and not n.startswith(".") for n in names)
    assert all(len(n.encode()) <= 160 for n in names)


def test_a_document_imported_from_a_text_file_gets_one_extension(tmp_path):
    article = tmp_path / "in" / "harbour.txt"
    article.parent.mkdir()
    article.write_text("Harbour line opens\n\nThe council agreed.\n", encoding="utf-8")
    path = tmp_path / "p.db"
    with Store(path, "ana") as store:
        import_paths(store, [article])
        export(store, "brat", tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "annotation.conf",
        "harbour.ann",
        "harbour.txt",
        "visual.conf",
    ]
    with Store(tmp_path / "again.db", "bo") as again:  # and the pair reads back
        import_paths(again, [tmp_path / "out"])
        assert again.documents.text(1) == article.read_text(encoding="utf-8")


def test_the_suffix_an_id_took_from_its_file_is_dropped_and_names_stay_unique(tmp_path):
    ids = [
        "story.txt",
        "Story.TXT",
        "story.md",
        "notes.txt.txt",
        "page.html",
        ".txt",
        "v1.2",
        "a.txt.",
    ]
    path = tmp_path / "p.db"
    with Store(path, "ana") as store:
        for i, name in enumerate(ids):
            text = f"text {i}"
            with store.transaction():
                store.documents.insert(
                    text=text, text_hash=text_hash(text), title=name, external_id=name
                )
        export(store, "brat", tmp_path / "out")
    stems = {p.read_text(encoding="utf-8"): p.name for p in (tmp_path / "out").glob("*.txt")}
    assert [stems[f"text {i}"] for i in range(len(ids))] == [
        "story.txt",
        "Story-2.txt",
        "story-3.txt",
        "notes.txt",
        "page.txt",
        "txt.txt",  # a name that is only a suffix keeps it, less the leading dot
        "v1.2.txt",
        "a.txt",
    ]
    anns = sorted(p.name for p in (tmp_path / "out").glob("*.ann"))
    assert anns == sorted(name.replace(".txt", ".ann") for name in stems.values())


# -- an independent reader: every T's text is the .txt's at its offsets -----------------------


def read_ann_independently(ann: Path) -> list[tuple[str, list[tuple[int, int]], str]]:
    """T lines as brat's documentation describes them, read without annotator's parser."""
    out = []
    for line in ann.read_text(encoding="utf-8").split("\n"):
        if not line.startswith("T"):
            continue
        tid, middle, text = line.split("\t", 2)
        kind, offsets = middle.split(" ", 1)
        pieces = [tuple(int(x) for x in part.split(" ")) for part in offsets.split(";")]
        out.append((kind, pieces, text))  # type: ignore[arg-type]
    return out


def test_every_t_line_holds_the_text_at_its_offsets(source, tmp_path):
    folder = exported(source, tmp_path / "out")
    anns = list(folder.glob("*.ann"))
    assert anns
    checked = 0
    for ann in anns:
        with open(ann.with_suffix(".txt"), encoding="utf-8", newline="") as f:
            text = f.read()
        for kind, pieces, written in read_ann_independently(ann):
            assert re.fullmatch(r"[\w-]+", kind)
            assert " ".join(text[a:b] for a, b in pieces) == written
            assert all("\n" not in text[a:b] for a, b in pieces)
            checked += 1
    assert checked == 11


def test_a_published_brat_reader_reads_the_export(source, tmp_path):
    """bratly (PyPI) checks each line's grammar and each T's length against its offsets."""
    bratly_io = pytest.importorskip("bratly.io")
    folder = exported(source, tmp_path / "out")
    (ann,) = folder.glob("*.ann")
    text = ann.with_suffix(".txt").read_text(encoding="utf-8")
    collection = bratly_io.read_and_load_ann_file(
        str(ann), no_duplicates=False, sorting=False, renumerotize=False
    )
    assert collection is not None
    kinds = {type(a).__name__ for a in collection.annotations}
    assert {"EntityAnnotation", "RelationAnnotation", "AttributeAnnotation"} <= kinds
    entities = [a for a in collection.annotations if type(a).__name__ == "EntityAnnotation"]
    assert len(entities) == 11
    for entity in entities:
        assert " ".join(text[f.start : f.end] for f in entity.fragments) == entity.content


# -- import refusals ---------------------------------------------------------------------------


def write_pair(folder: Path, text: str, ann: str, name: str = "doc") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_bytes(text.encode("utf-8"))
    (folder / f"{name}.ann").write_bytes(ann.encode("utf-8"))
    return folder


@pytest.mark.parametrize(
    ("ann", "line", "says"),
    [
        ("T1\tclaim 0 99\tx\n", 1, "past the end of the text"),
        ("T1\tclaim 0 3\tTwo\n", 1, "is not the text at 0 3"),
        ("T1\tclaim 0 3\tOne\nR1\tsaid_by Arg1:T1 Arg2:T9\n", 2, "T9 is not the id of a T line"),
        ("T1\tclaim 0 3\tOne\nA1\tcertainty T4 high\n", 2, "T4 is not the id"),
        ("T1\tclaim 0 3\tOne\n#1\tAnnotatorNotes T2\tx\n", 2, "T2 is not the id of a T or R"),
        ("T1\tclaim 0 3\tOne\nX1\tsomething\n", 2, "unknown line type 'X'"),
        ("T1\tclaim 0 3\tOne\nE1\tclaim:T1\n", 2, "events (E lines)"),
        ("T1\tclaim 3 0\tOne\n", 1, "empty or reversed"),
        ("T1\tclaim zero 3\tOne\n", 1, "are not START END"),
        ("T1\tclaim 0 3\tOne\nT1\tclaim 4 7\ttwo\n", 2, "T1 is given twice"),
    ],
)
def test_a_bad_ann_line_is_refused_by_file_and_line(store, tmp_path, ann, line, says):
    folder = write_pair(tmp_path / "in", "One two\nthree\n", ann)
    (folder / "other.txt").write_text("A plain article.\n", encoding="utf-8")
    write_pair(folder, "Fine text\n", "T1\tclaim 0 4\tFine\n", name="fine")
    report = import_paths(store, [folder])
    bad = [str(r) for r in report.refused]
    assert any(r.startswith(f"{folder / 'doc.ann'}:{line}: ") and says in r for r in bad), bad
    assert store.documents.count() == 2  # the pair is left out whole; the others go in
    assert report.skipped == []


def test_an_unknown_type_is_refused_unless_labels_may_be_created(store, tmp_path):
    folder = write_pair(tmp_path / "in", "One two\n", "T1\tPerson 0 3\tOne\n")
    report = import_paths(store, [folder])
    assert any("unknown label 'Person'" in str(r) for r in report.refused)
    assert store.documents.count() == 0
    report = import_paths(store, [folder], create_labels=True)
    assert report.ok and report.labels_created == ["Person"]
    (span,) = store.spans.in_document(store.documents.ids()[0])
    assert (span.start, span.end, span.label, span.annotator) == (0, 3, "Person", "tester")


def test_fragments_with_words_between_come_in_as_one_span_each(store, tmp_path):
    folder = write_pair(tmp_path / "in", "One two three\n", "T1\tclaim 0 3;8 13\tOne three\n")
    report = import_paths(store, [folder])
    assert report.ok
    spans = store.spans.in_document(store.documents.ids()[0])
    assert [(s.start, s.end) for s in spans] == [(0, 3), (8, 13)]
    assert "each fragment was read as a span of its own" in report.summary()


def test_a_lone_ann_is_refused_and_a_crlf_text_keeps_its_characters(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "lone.ann").write_text("T1\tclaim 0 3\tOne\n", encoding="utf-8")
    (folder / "win.txt").write_bytes(b"One\r\nTwo words\r\n")
    (folder / "win.ann").write_bytes(b"T1\tclaim 5 14\tTwo words\r\n")
    report = import_paths(store, [folder])
    assert [str(r) for r in report.refused] == [
        f"{folder / 'lone.ann'}: no lone.txt beside it: brat keeps a document's text in a .txt of the same name"
    ]
    (span,) = store.spans.in_document(store.documents.ids()[0])
    assert (span.start, span.end, span.text) == (4, 13, "Two words")


def test_a_byte_order_mark_counts_as_brat_counts_it(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbfOne two\n")
    (folder / "bom.ann").write_bytes(b"T1\tclaim 5 8\ttwo\n")
    assert import_paths(store, [folder]).ok
    doc = store.documents.get(store.documents.ids()[0])
    (span,) = store.spans.in_document(doc.id)
    assert doc.text == "One two\n" and (span.start, span.end, span.text) == (4, 7, "two")


def test_an_ann_named_on_the_command_line_imports_its_txt(store, tmp_path):
    folder = write_pair(tmp_path / "in", "One two\n", "T1\tclaim 0 3\tOne\n")
    for paths in (
        [folder / "doc.ann", folder / "doc.txt"],
        [folder / "doc.txt", folder / "doc.ann"],
    ):
        report = import_paths(store, paths)
        assert report.ok and report.files[0].records == 1 and len(report.files) == 1
    assert len(store.spans.in_document(store.documents.ids()[0])) == 1


def test_a_span_that_starts_or_ends_on_a_line_break_comes_back_exactly(tmp_path):
    text = "First line\n\nSecond line\n"
    path = tmp_path / "p.db"
    with Store(path, "ana") as store:
        with store.transaction():
            doc = store.documents.insert(text=text, text_hash=text_hash(text), title="t")
        assert doc is not None
        store.spans.add(doc, 5, 12, "claim")  # " line\n\n": ends on two line breaks
        store.spans.add(doc, 10, 18, "quote")  # "\n\nSecond"
        export(store, "brat", tmp_path / "out")
    again = tmp_path / "again.db"
    with Store(again, "bo") as store:
        assert import_paths(store, [tmp_path / "out"]).ok
    assert {s[:3] for s in spans_of(again)} == {(5, 12, "claim"), (10, 18, "quote")}


def test_suggestions_come_back_as_suggestions(tmp_path):
    text = "The line opens in 2027.\n"
    path = tmp_path / "p.db"
    with Store(path, "ana") as store:
        with store.transaction():
            doc = store.documents.insert(text=text, text_hash=text_hash(text), title="t")
        assert doc is not None
        store.conn.execute(
            'INSERT INTO spans (document_id, start, "end", label_id, text, annotator, origin,'
            " created_at, updated_at, suggester, score) VALUES (?, 0, 8, ?, 'The line', 'ana',"
            " 'suggested', 'now', 'now', 'claims', 0.25)",
            (doc, store.labels.ids()["claim"]),
        )
        store.conn.commit()
        export(store, "brat", tmp_path / "out", include_suggestions=True)
    again = tmp_path / "again.db"
    with Store(again, "bo") as store:
        assert import_paths(store, [tmp_path / "out"]).ok
        (span,) = store.spans.in_document(store.documents.ids()[0])
        assert (span.origin, span.suggester, span.score) == ("suggested", "claims", 0.25)


def test_a_file_where_the_folder_should_be_is_refused(source, tmp_path):
    taken = tmp_path / "out"
    taken.write_text("a file")
    with Store(source, "ana") as store, pytest.raises(ExportError, match="not a folder"):
        export(store, "brat", taken)
    assert taken.read_text() == "a file"


# -- any text, any spans ------------------------------------------------------------------------

PIECES = [
    "🚀", "👍🏽", "👨\u200d👩\u200d👧", "e\u0301", "مرحبا", "\u200f", "\u00a0", "\t", "\n", "\n\n",
    "\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c", " ", "  ", "word", ";", "\\", ":", "Ω",
]  # fmt: skip
LABELS = ["claim", "quote", "caption", "concession", "speaker"]


@st.composite
def documents(draw):
    """A text (never empty of words; no NUL or leading U+FEFF, which a .txt cannot carry) and
    spans by several analysts, each with a note or none."""
    text = "x" + "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25)))
    spans = {}
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        label = draw(st.sampled_from(LABELS))
        who = draw(st.sampled_from(["ana", "bo", "a; b\\n", "c:  d"]))
        note = draw(st.none() | st.text(min_size=1, max_size=12).filter(lambda t: t.strip()))
        spans[(start, end, label, who)] = note
    return text, spans


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_text_and_spans_come_back_from_brat(case):
    text, spans = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for who in {key[3] for key in spans} | {"ana"}:
            with Store(folder / "p.db", who) as store:
                if not store.documents.ids():
                    with store.transaction():
                        store.documents.insert(text=text, text_hash=text_hash(text), title="t")
                for (start, end, label, by), note in spans.items():
                    if by == who:
                        span = store.spans.add(1, start, end, label)
                        if note is not None:
                            store.spans.set_note(span.id, note)
        with Store(folder / "p.db", "ana") as store:
            report = export(store, "brat", folder / "out")
        kept = {
            (start, end, label, who, note)
            for (start, end, label, who), note in spans.items()
            if text[start:end].strip(LINE_BREAKS)
        }
        assert report.details.get("left out (nothing but line breaks)", 0) == len(spans) - len(kept)
        with Store(folder / "again.db", "cy") as store:
            imported = import_paths(store, [folder / "out"])
            assert imported.ok, [str(r) for r in imported.refused]
            (doc,) = store.documents.ids()
            assert store.documents.get(doc).text == text
            got = {
                (s.start, s.end, s.label, s.annotator, s.note) for s in store.spans.in_document(doc)
            }
    assert got == kept


def test_a_killed_exports_folder_is_removed_by_the_next_but_a_running_ones_is_kept(
    source, tmp_path
):
    import fcntl
    import os

    killed = tmp_path / ".out.0123456789ab.partial"
    killed.mkdir()
    (killed / "half.txt").write_text("half")
    running = tmp_path / ".out.ba9876543210.partial"
    running.mkdir()
    held = os.open(running, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        exported(source, tmp_path / "out")
        assert not killed.exists() and running.is_dir()
    finally:
        os.close(held)


def test_a_link_to_an_empty_folder_is_written_through(source, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    exported(source, link)
    assert link.is_symlink() and (real / "annotation.conf").is_file()


def test_an_ann_line_that_is_not_utf8_is_refused_by_line(store, tmp_path):
    folder = write_pair(tmp_path / "in", "One two\n", "")
    (folder / "doc.ann").write_bytes(b"T1\tclaim 0 3\tOne\n#1\tAnnotatorNotes T1\tbad \xff\n")
    report = import_paths(store, [folder])
    (refusal,) = [str(r) for r in report.refused]
    assert refusal == f"{folder / 'doc.ann'}:2: not valid UTF-8 at byte 42 (0xff)"
    assert store.documents.count() == 0


def test_lines_may_name_annotations_given_further_down(store, tmp_path):
    ann = (
        "#1\tAnnotatorNotes R1\tannotator: bo\n"
        "A1\tcertainty T1 low\n"
        "R1\tsaid_by Arg1:T1 Arg2:T2\n"
        "T2\tspeaker 12 14\tBo\n"
        "T1\tquote 0 6\t“Yes,”\n"
    )
    store.labels.set_attributes(
        "quote", [{"name": "certainty", "kind": "choice", "values": ["low", "high"]}]
    )
    folder = write_pair(tmp_path / "in", "“Yes,” said Bo.\n", ann)
    report = import_paths(store, [folder])
    assert report.ok, [str(r) for r in report.refused]
    doc = store.documents.ids()[0]
    (quote,) = [s for s in store.spans.in_document(doc) if s.label == "quote"]
    assert quote.attributes == {"certainty": "low"}
    (relation,) = store.relations.in_document(doc)
    assert (relation.head, relation.annotator) == (quote.id, "bo")


def test_the_folder_is_on_disk_before_it_takes_its_name(source, tmp_path, monkeypatch):
    from annotator.formats.brat import writing as brat

    synced: list[str] = []
    real_fsync = brat.os.fsync

    def counted(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    # Where the system has no syncfs, each file is synced in turn.
    monkeypatch.setattr(brat, "_syncfs", lambda fd: False)
    monkeypatch.setattr(brat.os, "fsync", counted)
    with Store(source, "ana") as store:
        export(store, "brat", tmp_path / "out")
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert {Path(p).name for p in synced if not p.endswith(".partial")} >= written
    # With syncfs, one call for the whole file system.
    calls: list[int] = []
    monkeypatch.setattr(brat, "_syncfs", lambda fd: calls.append(fd) or True)
    synced.clear()
    with Store(source, "ana") as store:
        export(store, "brat", tmp_path / "again")
    assert len(calls) == 1 and synced == []
