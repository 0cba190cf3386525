"""The spacy format: a DocBin whose span group, user data and counts say exactly what became
of each span, in each alignment mode."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from annotator.formats.exporting import ExportError, export
from annotator.model import text_hash
from annotator.store.project import Store

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402

TEXT = "“We will build it,” said Mayor Ana Ruiz 🚀. Admittedly, costs rose. The line opens in 2027."

# (start, end, label): four on token edges, two inside words, one of white space alone.
QUOTE = (0, 19, "quote")
HALF_WORDS = (1, 5, "claim")  # "We w"
SPEAKER = (25, 39, "speaker")
INSIDE_A_WORD = (26, 30, "speaker")  # "ayor"
WHITE_SPACE = (39, 40, "caption")  # " "
CONCESSION = (43, 65, "concession")
CLAIM = (67, 89, "claim")


@pytest.fixture
def project(tmp_path):
    """One crafted document; its relations reach spans that each mode keeps or drops."""
    path = tmp_path / "p.db"
    with Store(path, "ana") as store:
        with store.transaction():
            doc = store.documents.insert(
                text=TEXT,
                text_hash=text_hash(TEXT),
                title="Tram, “at last”",
                meta={"outlet": "Valebridge Post", "page": 3},
                external_id="tram-1",
            )
        made = {}
        for start, end, label in (
            QUOTE,
            HALF_WORDS,
            SPEAKER,
            INSIDE_A_WORD,
            WHITE_SPACE,
            CONCESSION,
            CLAIM,
        ):
            made[(start, end, label)] = store.spans.add(doc, start, end, label).id
        store.spans.set_note(made[QUOTE], "check the\nrecording")
        store.spans.set_attributes(made[QUOTE], {"speaker": "the mayor"})
        store.relations.add(made[QUOTE], made[SPEAKER], "said_by")
        store.relations.add(made[QUOTE], made[INSIDE_A_WORD], "said_by")
        store.relations.add(made[CONCESSION], made[HALF_WORDS], "concedes")
        store.relations.add(made[CONCESSION], made[CLAIM], "concedes")
        store.statuses.set(doc, "done")
    return path


def read(path, lang: str = "en"):
    nlp = spacy.blank(lang)
    return list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))


@pytest.mark.parametrize(
    ("align", "details"),
    [
        ("strict", {"exact": 4, "snapped": 0, "dropped": 3, "dropped relations": 2}),
        ("contract", {"exact": 4, "snapped": 1, "dropped": 2, "dropped relations": 1}),
        ("expand", {"exact": 4, "snapped": 2, "dropped": 1}),
    ],
)
def test_each_alignment_mode_counts_exact_snapped_and_dropped_spans(
    project, tmp_path, align, details
):
    out = tmp_path / f"{align}.spacy"
    with Store(project, "ana") as store:
        report = export(store, "spacy", out, align=align)
    assert report.details == details
    assert (report.documents, report.spans) == (1, 7)
    (doc,) = read(out)
    kept = details["exact"] + details["snapped"]
    assert len(doc.spans["sc"]) == len(doc.user_data["spans"]) == kept
    assert len(doc.user_data["relations"]) == 4 - details.get("dropped relations", 0)


def test_spans_keep_their_labels_and_snap_as_the_mode_says(project, tmp_path):
    got = {}
    for align in ("strict", "contract", "expand"):
        out = tmp_path / f"{align}.spacy"
        with Store(project, "ana") as store:
            export(store, "spacy", out, align=align)
        (doc,) = read(out)
        got[align] = [(s.start_char, s.end_char, s.label_, s.text) for s in doc.spans["sc"]]
    exact = [
        (0, 19, "quote", "“We will build it,”"),
        (25, 39, "speaker", "Mayor Ana Ruiz"),
        (43, 65, "concession", "Admittedly, costs rose"),
        (67, 89, "claim", "The line opens in 2027"),
    ]
    assert got["strict"] == exact
    assert got["contract"] == [exact[0], (1, 3, "claim", "We"), *exact[1:]]
    assert got["expand"] == [
        exact[0],
        (1, 8, "claim", "We will"),
        exact[1],
        (25, 30, "speaker", "Mayor"),
        *exact[2:],
    ]


def test_user_data_holds_relations_notes_attributes_and_the_document(project, tmp_path):
    out = tmp_path / "e.spacy"
    with Store(project, "ana") as store:
        export(store, "spacy", out, align="expand")
    (doc,) = read(out)
    data = doc.user_data
    assert (data["id"], data["title"], data["meta"], data["status"]) == (
        "tram-1",
        "Tram, “at last”",
        {"outlet": "Valebridge Post", "page": 3},
        "done",
    )
    group = doc.spans["sc"]
    # The spans as annotated, beside the group (which may hold them snapped).
    assert [(s["start"], s["end"], s["label"]) for s in data["spans"]] == [
        QUOTE,
        HALF_WORDS,
        SPEAKER,
        INSIDE_A_WORD,
        CONCESSION,
        CLAIM,
    ]
    quote = data["spans"][0]
    assert quote["note"] == "check the\nrecording"
    assert quote["attributes"] == {"speaker": "the mayor"}
    assert (quote["annotator"], quote["origin"]) == ("ana", "manual")
    assert all(s["note"] is None and s["attributes"] == {} for s in data["spans"][1:])
    joined = set()
    for r in data["relations"]:
        head, child = group[r["head"]], group[r["child"]]
        assert (r["head_start"], r["head_end"]) == (head.start_char, head.end_char)
        assert (r["child_start"], r["child_end"]) == (child.start_char, child.end_char)
        assert r["annotator"] == "ana"
        joined.add((r["label"], head.text, child.text))
    assert joined == {
        ("said_by", "“We will build it,”", "Mayor Ana Ruiz"),
        ("said_by", "“We will build it,”", "Mayor"),
        ("concedes", "Admittedly, costs rose", "We will"),
        ("concedes", "Admittedly, costs rose", "The line opens in 2027"),
    }


def test_another_spans_key_and_language(project, tmp_path):
    out = tmp_path / "de.spacy"
    with Store(project, "ana") as store:
        report = export(store, "spacy", out, spans_key="claims", lang="de")
    (doc,) = read(out, "de")
    assert "sc" not in doc.spans
    assert doc.user_data["spans_key"] == "claims"
    # German reads "2027." as one token (an ordinal), so the claim ending before the point is
    # off the token edges there, as it is not in English.
    assert doc[-1].text == "2027."
    assert [s.label_ for s in doc.spans["claims"]] == ["quote", "speaker", "concession"]
    assert report.details["dropped"] == 4


def test_suggestions_carry_what_proposed_them(project, tmp_path):
    with Store(project, "bot") as store:
        store.spans.add(1, 67, 70, "claim", origin="suggested", suggester="claims", score=0.4)
        out = tmp_path / "s.spacy"
        export(store, "spacy", out, include_suggestions=True)
        (doc,) = read(out)
        suggested = [s for s in doc.user_data["spans"] if s["origin"] == "suggested"]
        assert suggested == [
            {
                "start": 67,
                "end": 70,
                "label": "claim",
                "annotator": "bot",
                "note": None,
                "origin": "suggested",
                "attributes": {},
                "suggester": "claims",
                "score": 0.4,
            }
        ]
        export(store, "spacy", out)
        (doc,) = read(out)
        assert all(s["origin"] == "manual" for s in doc.user_data["spans"])


def test_an_unknown_language_is_refused_and_leaves_no_file(project, tmp_path):
    out = tmp_path / "x.spacy"
    with Store(project, "ana") as store, pytest.raises(ExportError, match="no language 'zz'"):
        export(store, "spacy", out, lang="zz")
    assert list(tmp_path.iterdir()) == [project]


def test_an_unknown_alignment_mode_is_refused(project, tmp_path):
    with Store(project, "ana") as store, pytest.raises(ExportError, match="strict, contract"):
        export(store, "spacy", tmp_path / "x.spacy", align="nearest")
    assert not (tmp_path / "x.spacy").exists()


def test_without_spacy_the_export_says_how_to_install_it(project, tmp_path, monkeypatch):
    for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy now fails
    with Store(project, "ana") as store, pytest.raises(ExportError) as refused:
        export(store, "spacy", tmp_path / "x.spacy")
    assert "-m pip install spacy" in str(refused.value)
    assert "annotator[" not in str(refused.value)
    assert not (tmp_path / "x.spacy").exists()


def test_the_spacy_format_cannot_go_to_standard_output(project):
    with Store(project, "ana") as store, pytest.raises(ExportError, match="standard output"):
        export(store, "spacy", "-")


def test_the_command_passes_the_options_and_prints_the_counts(project, tmp_path):
    from click.testing import CliRunner

    from annotator.cli.main import cli

    out = tmp_path / "c.spacy"
    args = ["--db", str(project), "export", "--format", "spacy", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--align", "contract", "--spans-key", "k"])
    assert result.exit_code == 0, result.output
    assert "; 4 exact; 1 snapped; 2 dropped; 1 dropped relations" in result.output
    (doc,) = read(out)
    assert len(doc.spans["k"]) == 5


@pytest.mark.parametrize("option", [["--align", "expand"], ["--lang", "de"], ["--spans-key", "k"]])
def test_the_command_refuses_spacy_options_with_another_format(project, tmp_path, option):
    from click.testing import CliRunner

    from annotator.cli.main import cli

    out = tmp_path / "c.jsonl"
    args = ["--db", str(project), "export", "--format", "prodigy", "-o", str(out), *option]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert f"{option[0]} applies to the spacy format only" in result.output
    assert not out.exists()


def test_meta_that_user_data_cannot_hold_is_refused_by_document(tmp_path):
    path = tmp_path / "big.db"
    with Store(path, "ana") as store:
        with store.transaction():
            store.documents.insert(
                text="A count.", text_hash=text_hash("A count."), title="t", meta={"n": 2**70}
            )
        out = tmp_path / "big.spacy"
        with pytest.raises(ExportError, match=r"document 1 \('t'\): its meta cannot be stored"):
            export(store, "spacy", out)
    assert not out.exists()


PIECES = ["🚀", "👨\u200d👩\u200d👧", "e\u0301", "مرحبا", ",", '"', "'", "\n", "\u2028", " ", "  "]
PIECES += ["word", "Dr.", "U.S.", "don't", "2027.", "\u00a0", "\t", "(", ")"]


@st.composite
def documents(draw):
    text = draw(
        st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), min_size=1, max_size=20)
        .map("".join)
        .map(lambda t: t.replace("\r", "\n").replace("\x00", " "))
        .filter(lambda t: t.strip())
    )
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(
                lambda p: p[0] < p[1]
            ),
            max_size=5,
        )
    )
    return text, spans


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(["strict", "contract", "expand"]))
@example(("000 ", [(0, 4)]), "expand")  # a trailing space no token holds
@example(("\U0001f680  ", [(1, 3)]), "expand")  # only white space, the second a token of its own
@example(("  \U0001f680", [(0, 1)]), "expand")  # a leading space of two
def test_any_span_is_kept_exactly_snapped_the_right_way_or_counted_as_dropped(case, align):
    text, pairs = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store(folder / "p.db", "ana") as store:
            with store.transaction():
                doc = store.documents.insert(text=text, text_hash=text_hash(text), title="t")
            for start, end in pairs:
                store.spans.add(doc, start, end, "claim")
            report = export(store, "spacy", folder / "s.spacy", align=align)
        (made,) = read(folder / "s.spacy")
    assert made.text == text
    details = report.details
    assert details["exact"] + details["snapped"] + details["dropped"] == len(pairs)
    group, data = made.spans["sc"], made.user_data["spans"]
    assert len(group) == len(data) == details["exact"] + details["snapped"]
    snapped = 0
    for piece, annotated in zip(group, data, strict=True):
        start, end = annotated["start"], annotated["end"]
        assert (start, end) in pairs and len(piece) > 0
        if (piece.start_char, piece.end_char) == (start, end):
            continue
        snapped += 1
        if align == "contract":
            assert start <= piece.start_char < piece.end_char <= end
        else:
            assert align == "expand"
            # every token the span touches, which leaves out white space at its edges
            # (a single space belongs to no token): the span's text without that white space
            # is inside; a span of white space alone is snapped to a token it touches (spaCy
            # makes a token of a second space)
            inner = text[start:end]
            core_start = start + len(inner) - len(inner.lstrip())
            core_end = end - (len(inner) - len(inner.rstrip()))
            if core_start < core_end:
                assert piece.start_char <= core_start < core_end <= piece.end_char
            else:
                assert piece.start_char < end and start < piece.end_char
    assert snapped == details["snapped"]
