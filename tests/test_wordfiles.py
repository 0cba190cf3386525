"""Word documents (.docx) imported as articles: paragraphs, tables, captions, metadata, and
the refusal of a file that is not a .docx. Each document is made here with python-docx."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from project_reading import docs, refusal_lines

from annotator.cli import cli
from annotator.decoding import DecodeError
from annotator.importers import import_paths
from annotator.readers import KNOWN_SUFFIXES
from annotator.suggesting import suggestions
from annotator.wordfiles import NOT_DOCX, article_from_docx

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
    assert store.count_documents() == 0


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
    assert store.count_documents() == 0


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
    from annotator.store import Store

    store = Store(Path(db), "tester")
    try:
        ((doc, _),) = list(store.iter_documents())
        proposed = {doc.text[s.start : s.end] for s in suggestions(store, doc.id)}
    finally:
        store.close()
    assert {CAPTION, "Councillors toured the site in April."} <= proposed


def test_a_docx_that_unpacks_to_too_much_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from annotator import wordfiles

    path = save(quarry_document(), tmp_path)
    monkeypatch.setattr(wordfiles, "MAX_UNPACKED_BYTES", 1000)  # the file holds more than that
    with pytest.raises(DecodeError, match=r"unpacks to \d+ MB, over the 0 MB"):
        article_from_docx(path, path.name)
    with zipfile.ZipFile(path) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 1000
