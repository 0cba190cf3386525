"""A web page's or Word file's image captions are proposed as caption suggestions as soon as
it is imported: the analyst opens the article to find them dashed, ready to accept."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner

from annotator.cli.main import cli
from annotator.formats.importing import import_paths
from annotator.store.project import Store
from annotator.suggest.running import propose_captions, suggestions

PAGE = Path(__file__).parent.parent / "fixtures" / "webpages" / "harrowfield-reservoir.html"


def proposed(store: Store) -> list[tuple[str, str, str]]:
    out = []
    for doc, _ in store.documents.stream():
        for s in suggestions(store, doc.id):
            out.append((doc.text[s.start : s.end], s.label, s.suggester))
    return out


def test_a_pages_captions_are_suggested_on_import_exactly_at_their_offsets(tmp_path):
    db = tmp_path / "p.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(PAGE)])
    assert result.exit_code == 0, result.output
    with Store(db, "ana") as store:
        ((doc, spans),) = list(store.documents.stream(suggestions=False))
        captions = [doc.text[a:b] for a, b in doc.meta["captions"]]
        got = proposed(store)
        assert spans == [] and captions
        assert sorted(t for t, _, _ in got) == sorted(c.strip() for c in captions)
        assert {(label, who) for _, label, who in got} == {("caption", "captions")}
    assert f"{len(captions)} image caption" in result.output
    assert "proposed as caption suggestions" in result.output
    # suggesting again finds them already there: nothing twice
    again = CliRunner().invoke(cli, ["--db", str(db), "suggest", "--suggester", "captions"])
    assert again.exit_code == 0 and "already there" in again.output
    with Store(db, "ana") as store:
        assert len(proposed(store)) == len(captions)


def test_raw_pages_and_projects_without_a_caption_label_get_none(tmp_path):
    with Store(tmp_path / "raw.db", "ana") as store:
        report = import_paths(store, [PAGE], raw=True)
        assert report.ok and proposed(store) == []
    with Store(tmp_path / "plain.db", "ana") as store:
        store.labels.delete("caption")
        report = import_paths(store, [PAGE])
        assert report.ok and proposed(store) == []
        assert "caption suggestion" not in report.summary()


def test_a_word_files_caption_paragraphs_are_suggested(tmp_path):
    document = docx.Document()
    document.add_paragraph("Quarry lorries to be rerouted", style="Title")
    document.add_paragraph("The county will move quarry traffic off the B4412 from March.")
    document.add_paragraph("Lorries queue at the quarry gate in May.", style="Caption")
    document.add_paragraph("Residents had asked for the change for six years.")
    path = tmp_path / "quarry.docx"
    document.save(path)
    with Store(tmp_path / "p.db", "ana") as store:
        report = import_paths(store, [path], propose_captions=propose_captions)
        assert report.ok
        assert [t for t, _, _ in proposed(store)] == ["Lorries queue at the quarry gate in May."]
