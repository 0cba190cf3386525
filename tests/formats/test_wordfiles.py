"""Word documents (.docx) imported as articles: paragraphs, tables, captions, metadata, and
the refusal of a file that is not a .docx. Each document is made here with python-docx."""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from project_reading import docs, refusal_lines

from annotator.cli.main import cli
from annotator.formats.decoding import DecodeError
from annotator.formats.importing import import_paths
from annotator.formats.suffixes import KNOWN_SUFFIXES
from annotator.formats.wordfiles import NOT_DOCX, article_from_docx
from annotator.store.project import Store
from annotator.suggest.running import suggestions

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
CAPTION = "Lorries queue at the quarry gate on the B4412. Photo: Dana Whitcombe"


def quarry_document() -> docx.document.Document:
    document = docx.Document()
    properties = document.core_properties
    properties.title = ""
    properties.author = "Noor Haddad"
    properties.created = datetime.datetime(2025, 5, 2, 9, 30, tzinfo=datetime.timezone.utc)
    document.add_paragraph("Quarry expansion approved despite protests", style="Title")
    document.add_paragraph("")
    document.add_paragraph("   ")
    body = document.add_paragraph("The district council approved the expansion of Holm ")
    body.add_run("Quarry").bold = True
    body.add_run(" on Monday, by six votes to three.")
    document.add_paragraph(CAPTION, style="Caption")
    document.add_paragraph("Residents said the extra lorries would make the lane unsafe.")
    return document


def save(document, tmp_path: Path, name: str = "quarry.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def caption_texts(record: dict) -> list[str]:
    return [record["text"][s:e] for s, e in record["meta"]["captions"]]


def test_each_paragraph_is_one_paragraph_of_the_text_and_empty_ones_are_skipped(tmp_path):
    record = article_from_docx(save(quarry_document(), tmp_path), "quarry.docx")
    assert record["text"].split("\n\n") == [
        "Quarry expansion approved despite protests",
        "The district council approved the expansion of Holm Quarry on Monday, by six votes "
        "to three.",
        CAPTION,
        "Residents said the extra lorries would make the lane unsafe.",
    ]
    assert record["id"] == "quarry.docx"


def test_captions_are_paragraphs_of_their_own_and_in_meta(tmp_path):
    record = article_from_docx(save(quarry_document(), tmp_path), "quarry.docx")
    assert caption_texts(record) == [CAPTION]
    ((start, end),) = record["meta"]["captions"]
    assert record["text"][start - 2 : start] == "\n\n" and record["text"][end : end + 2] == "\n\n"


def test_a_style_based_on_caption_is_a_caption(tmp_path):
    document = docx.Document()
    style = document.styles.add_style("Photo caption", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Caption"]
    document.add_paragraph("Councillors voted late on Monday.")
    document.add_paragraph("The council chamber during the vote.", style="Photo caption")
    record = article_from_docx(save(document, tmp_path), "c.docx")
    assert caption_texts(record) == ["The council chamber during the vote."]


def test_title_from_the_properties_else_a_heading_else_the_first_paragraph(tmp_path):
    document = quarry_document()
    document.core_properties.title = "Holm Quarry vote"
    assert article_from_docx(save(document, tmp_path), "q.docx")["title"] == "Holm Quarry vote"

    assert (
        article_from_docx(save(quarry_document(), tmp_path), "q.docx")["title"]
        == "Quarry expansion approved despite protests"
    )

    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("Stand-first before the heading.")
    document.add_heading("Lorry numbers to double", level=1)
    assert article_from_docx(save(document, tmp_path), "q.docx")["title"] == (
        "Lorry numbers to double"
    )

    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("Only plain paragraphs here.")
    document.add_paragraph("A second one.")
    assert article_from_docx(save(document, tmp_path), "q.docx")["title"] == (
        "Only plain paragraphs here."
    )


def test_author_and_created_date_are_in_meta(tmp_path):
    meta = article_from_docx(save(quarry_document(), tmp_path), "q.docx")["meta"]
    assert meta["author"] == "Noor Haddad"
    assert meta["date"] == "2025-05-02"


def test_a_table_gives_each_cell_as_a_paragraph_in_reading_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("Lorry movements, before and after:")
    table = document.add_table(rows=3, cols=2)
    for row, (a, b) in enumerate([("Now", "120 a day"), ("From 2026", "240 a day")]):
        table.cell(row, 0).text = a
        table.cell(row, 1).text = b
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "Figures from the operator"
    document.add_paragraph("The lane has no footpath.")
    record = article_from_docx(save(document, tmp_path), "t.docx")
    assert record["text"].split("\n\n") == [
        "Lorry movements, before and after:",
        "Now",
        "120 a day",
        "From 2026",
        "240 a day",
        "Figures from the operator",
        "The lane has no footpath.",
    ]


def test_runs_in_hyperlinks_and_insertions_count_and_deleted_text_does_not(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("Read the ")
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {W}><w:r><w:t xml:space="preserve">planning report</w:t></w:r>'
            "</w:hyperlink>"
        )  # fmt: skip
    )
    paragraph._p.append(
        parse_xml(
            f'<w:ins {W} w:id="1" w:author="x"><w:r><w:t xml:space="preserve"> online'
            "</w:t></w:r></w:ins>"
        )  # fmt: skip
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {W} w:id="2" w:author="x"><w:r><w:delText>DELETED</w:delText></w:r></w:del>'
        )  # fmt: skip
    )
    paragraph.add_run(".\tLine one")
    paragraph.runs[-1].add_break()
    paragraph.add_run("line two")
    record = article_from_docx(save(document, tmp_path), "l.docx")
    assert record["text"] == "Read the planning report online.\tLine one\nline two"


def test_a_caption_in_a_text_box_follows_its_paragraph_once(tmp_path):
    document = docx.Document()
    anchor = document.add_paragraph("The quarry face seen from Holm Lane.")
    box = (
        '<w:txbxContent><w:p><w:pPr><w:pStyle w:val="Caption"/></w:pPr>'
        "<w:r><w:t>The north face, where blasting would begin.</w:t></w:r></w:p></w:txbxContent>"
    )
    anchor._p.append(
        parse_xml(
            f"<w:r {W} {MC}><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing>{box}"
            f"</w:drawing></mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>"
        )
    )
    document.add_paragraph("Blasting would take place twice a week.")
    record = article_from_docx(save(document, tmp_path), "b.docx")
    assert record["text"].split("\n\n") == [
        "The quarry face seen from Holm Lane.",
        "The north face, where blasting would begin.",
        "Blasting would take place twice a week.",
    ]
    assert caption_texts(record) == ["The north face, where blasting would begin."]


def test_a_document_with_no_text_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("")
    with pytest.raises(DecodeError, match="the document holds no text"):
        article_from_docx(save(document, tmp_path), "e.docx")


# -- import ---------------------------------------------------------------------------------


def test_docx_is_a_known_suffix():
    assert ".docx" in KNOWN_SUFFIXES


def test_import_reads_a_docx_though_it_is_binary(store, tmp_path):
    path = save(quarry_document(), tmp_path)
    assert b"\x00" in path.read_bytes()  # the binary-file refusal must not catch it
    report = import_paths(store, [path])
    assert report.ok and report.documents_added == 1
    ((external_id, title, text, meta, _),) = docs(store)
    assert (external_id, title) == ("quarry.docx", "Quarry expansion approved despite protests")
    assert [text[s:e] for s, e in meta["captions"]] == [CAPTION]


def test_a_folder_import_takes_docx_files_too(store, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    save(quarry_document(), folder)
    (folder / "note.txt").write_text("A note\n\nSome text.", encoding="utf-8")
    report = import_paths(store, [folder])
    assert report.ok and report.documents_added == 2 and not report.skipped


def test_a_file_that_is_not_a_docx_is_refused_with_a_clear_message(store, write):
    text_file = write("renamed.docx", "This was a text file all along.")
    report = import_paths(store, [text_file])
    assert refusal_lines(report) == [f"{text_file}: {NOT_DOCX}"]
    assert store.documents.count() == 0


def test_a_damaged_docx_is_refused(store, tmp_path):
    good = save(quarry_document(), tmp_path)
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good.read_bytes()[:2000])
    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("notes.txt", "not a Word document")
    report = import_paths(store, [cut, other])
    reasons = refusal_lines(report)
    assert reasons[0] == f"{cut}: {NOT_DOCX}"
    assert reasons[1].startswith(
        f"{other}: it is a zip file but not a readable Word document (.docx): a part it needs "
        "is missing"
    )
    assert store.documents.count() == 0


def test_annotator_import_of_a_docx_then_suggest_proposes_its_caption(tmp_path):
    document = quarry_document()
    document.add_paragraph("Councillors toured the site in April.", style="Caption")
    path = save(document, tmp_path)
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 document added" in result.output
    result = runner.invoke(cli, ["--db", db, "suggest", "--suggester", "captions"])
    assert result.exit_code == 0, result.output
    from annotator.store.project import Store

    store = Store(Path(db), "tester")
    try:
        ((doc, _),) = list(store.documents.stream())
        proposed = {doc.text[s.start : s.end] for s in suggestions(store, doc.id)}
    finally:
        store.close()
    assert {CAPTION, "Councillors toured the site in April."} <= proposed


def test_a_docx_that_unpacks_to_too_much_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from annotator.formats import wordfiles

    path = save(quarry_document(), tmp_path)
    monkeypatch.setattr(wordfiles, "MAX_UNPACKED_BYTES", 1000)  # the file holds more than that
    with pytest.raises(DecodeError, match=r"unpacks to \d+ MB, over the 0 MB"):
        article_from_docx(path, path.name)
    with zipfile.ZipFile(path) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 1000


# -- files made to cost far more memory than they hold ------------------------------------------


def with_body(tmp_path: Path, name: str, body: Iterable[bytes]) -> Path:
    """python-docx's blank document with ``body`` (streamed) as the XML of its body, packed
    as tightly as zip packs."""
    blank = io.BytesIO()
    docx.Document().save(blank)
    path = tmp_path / name
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "word/document.xml":
                out.writestr(info, data)
                continue
            start, end = data.split(b"<w:body>", 1)[0], data.split(b"</w:body>", 1)[1]
            packed = zipfile.ZipInfo(info.filename)
            packed.compress_type = zipfile.ZIP_DEFLATED
            with out.open(packed, "w") as part:
                part.write(start + b"<w:body>")
                for piece in body:
                    part.write(piece)
                part.write(b"</w:body>" + end)
    return path


def empty_paragraphs(count: int) -> Iterator[bytes]:
    """Paragraphs with nothing in them, which pack some thousand times."""
    for _ in range(count // 10_000):
        yield b"<w:p/>" * 10_000
    yield b"<w:p><w:r><w:t>The only words.</w:t></w:r></w:p>"


def distinct_paragraphs(count: int) -> Iterator[bytes]:
    """Paragraphs of a word each, all different, which pack only a few times."""
    words = os.urandom(4 * count).hex()
    for i in range(0, count, 1000):
        yield b"".join(
            f"<w:p><w:r><w:t>{words[8 * j : 8 * j + 8]}</w:t></w:r></w:p>".encode()
            for j in range(i, min(i + 1000, count))
        )


# The peak is read from /proc (VmHWM): getrusage's ru_maxrss in a new process starts from its
# parent's size (Linux keeps it across exec), and this test's process is large.
PEAK = (
    "import re, sys\n"
    "from pathlib import Path\n"
    "from annotator.formats.decoding import DecodeError\n"
    "from annotator.formats.wordfiles import article_from_docx\n"
    "try:\n"
    "    print('read', len(article_from_docx(Path(sys.argv[1]), 'x.docx')['text']))\n"
    "except DecodeError as e:\n"
    "    print('refused:', e)\n"
    "status = open('/proc/self/status').read()\n"
    "print(int(re.search(r'VmHWM:\\s*(\\d+) kB', status).group(1)) // 1024)\n"
)


def read_apart(path: Path) -> tuple[str, int]:
    """What reading the file in a process of its own says, and that process's peak memory
    (MB)."""
    run = subprocess.run(
        [sys.executable, "-c", PEAK, str(path)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    said, peak = run.stdout.strip().splitlines()
    return said, int(peak)


def test_a_small_docx_that_unpacks_a_thousand_times_is_refused_in_little_memory(tmp_path):
    path = with_body(tmp_path, "bomb.docx", empty_paragraphs(1_500_000))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("word/document.xml").compress_size < 20_000
    said, peak = read_apart(path)
    assert said.startswith("refused: its part word/document.xml unpacks to 9.0 MB, "), said
    assert "times its packed size, and a Word document does not pack so tightly" in said
    assert peak < 150, peak

    # On the command line: one line naming the file, nothing written.
    db = tmp_path / "p.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(path)])
    assert f"{path}: its part word/document.xml unpacks to 9.0 MB" in result.output
    assert "Traceback" not in result.output
    with Store(db, "tester") as store:
        assert docs(store) == []


@pytest.mark.slow
def test_a_docx_of_more_xml_nodes_than_are_read_is_refused_in_little_memory(tmp_path):
    path = with_body(tmp_path, "many.docx", distinct_paragraphs(350_000))  # 1,050,000 nodes
    said, peak = read_apart(path)
    assert said == (
        "refused: its XML parts hold more than 1,000,000 elements and attributes (counted to "
        "word/document.xml), more than a Word document is read with; it is damaged or not an "
        "ordinary .docx"
    )
    assert peak < 150, peak


def test_the_xml_nodes_of_every_part_count_together(tmp_path, monkeypatch):
    from annotator.formats import wordfiles

    path = with_body(tmp_path, "some.docx", distinct_paragraphs(2000))
    monkeypatch.setattr(wordfiles, "MAX_XML_NODES", 6000)  # the body alone holds 6000
    with pytest.raises(DecodeError, match=r"more than 6,000 elements and attributes"):
        article_from_docx(path, path.name)
    monkeypatch.setattr(wordfiles, "MAX_XML_NODES", 100_000)
    assert article_from_docx(path, path.name)["text"].count("\n\n") == 1999


@pytest.mark.parametrize("depth", [150, 300])
def test_xml_nested_too_deep_is_refused_with_a_message(tmp_path, depth):
    body = [b"<w:ins>" * depth + b"<w:r><w:t>Deep.</w:t></w:r>" + b"</w:ins>" * depth]
    path = with_body(tmp_path, "deep.docx", [b"<w:p>", *body, b"</w:p>"])
    with pytest.raises(DecodeError) as refused:
        article_from_docx(path, path.name)
    assert str(refused.value) == (
        "its part word/document.xml nests XML elements more than 100 deep; it is damaged or "
        "not an ordinary .docx"
    )


def test_a_part_that_is_mostly_zeros_is_refused(tmp_path):
    path = save(quarry_document(), tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image9.png", bytes(50_000_000))
    said, peak = read_apart(path)
    assert said.startswith("refused: its part word/media/image9.png unpacks to 50.0 MB, "), said
    assert peak < 150, peak


def test_a_cell_that_says_it_spans_a_billion_columns_is_read_once(tmp_path):
    cell = (
        b'<w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr>'
        b"<w:p><w:r><w:t>Wide cell.</w:t></w:r></w:p></w:tc>"
    )
    row = b"<w:tr>" + cell + b"</w:tr>"
    merged = b"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>"  # nothing above it
    table = b"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>" + merged + row + row + b"</w:tbl>"
    path = with_body(tmp_path, "wide.docx", [table, b"<w:p><w:r><w:t>After.</w:t></w:r></w:p>"])
    said, peak = read_apart(path)
    assert said == "read " + str(len("Wide cell.\n\nWide cell.\n\nAfter.")), said
    assert article_from_docx(path, path.name)["text"] == "Wide cell.\n\nWide cell.\n\nAfter."
    assert peak < 150, peak


def test_an_encrypted_part_is_refused_with_a_message(tmp_path):
    path = save(quarry_document(), tmp_path)
    data = bytearray(path.read_bytes())
    # Its entry in the zip's central directory says it is encrypted (bit 0 of its flags).
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + length] == b"word/document.xml":
            data[entry + 8] |= 0x1
        entry = data.find(b"PK\x01\x02", entry + 1)
    locked = tmp_path / "locked.docx"
    locked.write_bytes(bytes(data))
    with zipfile.ZipFile(locked) as archive:
        assert archive.getinfo("word/document.xml").flag_bits & 0x1
    with pytest.raises(DecodeError, match=r"its part word/document.xml is encrypted"):
        article_from_docx(locked, locked.name)


def test_a_part_that_starts_as_xml_and_breaks_off_is_refused(tmp_path):
    # Word refuses such a file too; read on, what follows the break would go uncounted.
    path = save(quarry_document(), tmp_path)
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    parts["customXml/item1.xml"] = b"<?xml version='1.0'?><a><b></a>" + b"<c/>" * 5000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(DecodeError) as refused:
        article_from_docx(path, path.name)
    assert str(refused.value).startswith(
        "its part customXml/item1.xml is not well-formed XML (Opening and ending tag mismatch"
    )
    assert str(refused.value).endswith("; it is damaged or not an ordinary .docx")
