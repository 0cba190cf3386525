"""Saved web pages imported as articles: main text, captions put back in place, metadata, the
page's charset, --raw, and the refusal of a page with no article in it."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from project_reading import docs, refusal_lines

from annotator.cli.main import cli
from annotator.formats.decoding import DecodeError
from annotator.formats.importing import import_paths
from annotator.formats.webpages.charset import declared_charset, decode_page
from annotator.formats.webpages.reading import NO_TEXT, article_from_html
from annotator.suggest.running import run_suggesters, suggestions

PAGES = Path(__file__).parent.parent / "fixtures" / "webpages"
FERRY = PAGES / "lakeside-ferry.html"
ALLOTMENTS = PAGES / "brackwater-allotments.html"
RESERVOIR = PAGES / "harrowfield-reservoir.html"
MYRTILLE = PAGES / "echo-myrtille-latin1.html"

FERRY_CAPTIONS = [
    "The MV Ostermere Lass moored at Pellham quay on Wednesday, the day before her first sea "
    "trial. Photograph: Tomas Reinholt/Lakeside Gazette",
    "One of the two new engines being lowered into the hull in January. Photograph: Pellham "
    "Marine Engineering",
]
ALLOTMENT_CAPTIONS = [
    "Plot holders at the Mill Lane allotments, where rents will rise from £38 to £76 a year. "
    "Picture: Sam Oduya",
    "Allotment holders outside the town hall before Tuesday’s meeting. Photograph: Lee "
    "Carver/Getty Images",
]
RESERVOIR_CAPTIONS = [
    "Cracked mud where the water line stood in June, on the east bank of Harrowfield "
    "reservoir. Photo: Aoife Lindgren for the Northern Ledger",
    "A sailing club's jetty now ends forty metres short of the water.",
    "The roofs of Low Sowerby, drowned when the valley was flooded, have reappeared. (Image: "
    "Pennine Water)",
]
MYRTILLE_CAPTIONS = [
    "Les bénévoles ont vendu plus de deux tonnes de tartes aux myrtilles. Photo : Benoît Schaller"
]


def article(path: Path) -> dict:
    return article_from_html(decode_page(path.read_bytes()).text, path.name)


def paragraphs(record: dict) -> list[str]:
    return record["text"].split("\n\n")


def caption_texts(record: dict) -> list[str]:
    return [record["text"][s:e] for s, e in record["meta"]["captions"]]


BODY = (
    "<p>The harbour board met on Monday and agreed to dredge the eastern channel before the "
    "autumn storms, at a cost of forty thousand pounds.</p>"
    "<p>Fishing crews had warned for a year that boats were grounding at low tide, and two "
    "trawlers were stuck on the bar in March.</p>"
)


def page(head: str = "", body: str = BODY) -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}</article></body></html>"


# -- the article's text ---------------------------------------------------------------------


def test_a_news_page_keeps_its_paragraphs_and_captions_and_leaves_out_the_page_around_them():
    record = article(FERRY)
    text = record["text"]
    for kept in (
        "The Ostermere ferry will carry passengers across the lake again from Saturday",
        "“People have been driving forty minutes round the south shore to get to work,” said "
        "Ines Varga",
        "The first sailing on Saturday leaves Pellham at 7.15am.",
        *FERRY_CAPTIONS,
    ):
        assert kept in text
    for left_out in (
        "We use cookies",  # cookie banner
        "Accept all cookies",
        "What's on",  # site navigation
        "Transport",  # breadcrumb
        "Ferry refit delayed again",  # related links
        "Rust on the hull",  # a teaser's caption in the related block
        "Read more",
        "Lake levels fall",
        "Share on Facebook",  # share buttons
        "WhatsApp",
        "About time too",  # comments
        "School catchment",  # most read
        "All rights reserved",  # footer
        "Privacy policy",
    ):
        assert left_out not in text, left_out


def test_paragraphs_are_separated_by_a_blank_line_and_hold_no_markup():
    record = article(FERRY)
    assert "\n\n\n" not in record["text"]
    assert paragraphs(record)[2].startswith("The Ostermere ferry will carry passengers")
    assert paragraphs(record)[2].endswith("£1.9m more than it had budgeted.")
    for paragraph in paragraphs(record):
        assert paragraph == paragraph.strip() and "\n" not in paragraph
        assert "<" not in paragraph and ">" not in paragraph and "&pound;" not in paragraph
        assert "  " not in paragraph


def test_table_cells_and_list_items_are_paragraphs_in_order():
    body = (
        BODY + "<table><tr><th>Party</th><th>Seats</th></tr><tr><td>Harbour First</td>"
        "<td>12</td></tr></table><ul><li>Dredging in September</li><li>Closures of two days"
        "<ul><li>at most twice a week</li></ul></li></ul><p>The board meets again in the "
        "spring, when the cost of the work will be known and the contract can be signed.</p>"
    )
    parts = article_from_html(page(body=body), "t.html")["text"].split("\n\n")
    assert parts[2:9] == [
        "Party",
        "Seats",
        "Harbour First",
        "12",
        "Dredging in September",
        "Closures of two days",
        "at most twice a week",
    ]


def test_script_and_style_content_never_appears():
    for path in (FERRY, ALLOTMENTS, RESERVOIR):
        dumped = json.dumps(article(path), ensure_ascii=False)
        assert "SHOULD-NEVER-APPEAR" not in dumped
        assert "dataLayer" not in dumped and "STYLE-RULE-TEXT" not in dumped
    inline = page(
        body="<p>The harbour board met on Monday <script>document.write('INLINE-X')</script>and "
        "agreed to dredge the eastern channel before the autumn storms this year.</p>"
        "<noscript><p>NOSCRIPT-X please turn on scripts to see the video.</p></noscript>" + BODY
    )
    text = article_from_html(inline, "inline.html")["text"]
    assert "INLINE-X" not in text and "NOSCRIPT-X" not in text and "document.write" not in text
    assert "The harbour board met on Monday and agreed" in text


def test_each_caption_is_a_paragraph_after_the_paragraph_before_its_figure():
    record = article(FERRY)
    parts = paragraphs(record)
    # The headline first, then the lead picture, before any paragraph of the article.
    assert parts[:2] == ["Harbour ferry returns after two-year refit", FERRY_CAPTIONS[0]]
    inline = parts.index(FERRY_CAPTIONS[1])
    assert parts[inline - 1].startswith("The council’s cabinet member for transport")
    assert parts[inline + 1].startswith("Opposition councillors have asked")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (FERRY, FERRY_CAPTIONS),
        (ALLOTMENTS, ALLOTMENT_CAPTIONS),
        (RESERVOIR, RESERVOIR_CAPTIONS),
        (MYRTILLE, MYRTILLE_CAPTIONS),
    ],
)
def test_meta_captions_cover_exactly_each_caption_paragraph(path, expected):
    record = article(path)
    assert caption_texts(record) == expected
    text = record["text"]
    for start, end in record["meta"]["captions"]:
        assert start == 0 or text[start - 2 : start] == "\n\n"
        assert end == len(text) or text[end : end + 2] == "\n\n"
    for caption in expected:
        assert text.count(caption) == 1


def test_a_caption_after_an_img_without_a_figure_is_kept_with_its_credit():
    record = article(ALLOTMENTS)
    parts = paragraphs(record)
    # The caption and the credit line under the picture are one caption, before the text.
    assert ALLOTMENT_CAPTIONS[0] in parts
    assert parts.index(ALLOTMENT_CAPTIONS[0]) < parts.index(
        next(p for p in parts if p.startswith("Allotment holders in Brackwater"))
    )
    # A credit line the extractor kept as a paragraph is marked, not added a second time.
    assert record["text"].count("Photograph: Lee Carver/Getty Images") == 1
    for left_out in (
        "A burst main",  # a caption in the related stories
        "Read more",
        "Water bills to rise",
        "Share this article",
        "This website uses cookies",
        "Most popular",
        "Registered in England",
        "Announcements",
    ):
        assert left_out not in record["text"], left_out


def test_captions_in_asides_teasers_and_quotation_figures_are_not_taken():
    record = article(RESERVOIR)
    text = record["text"]
    for left_out in (
        "A garden sprinkler",  # a figure in "More on this story"
        "Fans queue",  # trending, in the sidebar
        "Get the Ledger’s environment newsletter",
        "214 partners",  # a hidden consent banner
        "Skip to content",
    ):
        assert left_out not in text, left_out
    # A pull quote's figcaption names the speaker; it is not a picture's caption.
    assert "Dr Hannah Meyers, hydrologist" not in caption_texts(record)
    # Two pictures side by side are two captions.
    assert RESERVOIR_CAPTIONS[1] in paragraphs(record)
    assert RESERVOIR_CAPTIONS[2] in paragraphs(record)


def test_a_caption_the_extractor_kept_inside_a_paragraph_is_marked_there_once():
    html = page(
        body=BODY + "<p>The dredger <span class='photo-credit'>Photo: Harbour Board</span> "
        "arrives from Rotterdam next week and will work day and night for a month.</p>"
    )
    record = article_from_html(html, "dredger.html")
    assert record["text"].count("Photo: Harbour Board") == 1
    assert caption_texts(record) == ["Photo: Harbour Board"]


def test_a_page_with_no_article_text_is_refused():
    for html in (
        "<html><head><title>Home</title></head><body></body></html>",
        "<html><body><nav><ul><li><a href='/a'>News</a></li><li><a href='/b'>Sport</a></li>"
        "</ul></nav><div class='cookie-banner'><p>We use cookies to improve your experience. "
        "Accept all cookies to keep browsing.</p></div></body></html>",
        "   ",
    ):
        with pytest.raises(DecodeError) as caught:
            article_from_html(html, "home.html")
        assert str(caught.value) == NO_TEXT


def test_the_refusal_names_the_file_and_leaves_the_project_as_it_was(store, write):
    path = write("home.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    report = import_paths(store, [path])
    assert refusal_lines(report) == [
        f"{path}: no article text found in the page; import it with --raw to keep its characters"
    ]
    assert store.documents.count() == 0


def test_a_wrapper_named_for_its_menu_that_holds_the_article_is_not_taken_out():
    more = (
        "<p>The board's engineer said the channel had silted up faster than expected after two "
        "wet winters, and that the sandbank at the harbour mouth had grown by a third.</p>"
        "<p>Work will start in September and last about six weeks, with the channel closed to "
        "larger vessels for two days at a time while the dredger works the narrowest stretch.</p>"
    )
    html = (
        "<html><body><div class='page page--with-nav'><h2>Dredging to start</h2>"
        + BODY
        + more
        + "<div class='share-bar'>Share on Facebook</div></div></body></html>"
    )
    record = article_from_html(html, "wrapped.html")
    assert "The harbour board met on Monday" in record["text"]
    assert "Share on Facebook" not in record["text"]


# -- title and metadata ---------------------------------------------------------------------


def test_title_url_author_and_date_of_each_page():
    ferry = article(FERRY)
    assert ferry["title"] == "Harbour ferry returns after two-year refit"  # " | Site" dropped
    assert ferry["id"] == "lakeside-ferry.html"
    assert ferry["meta"]["url"] == (
        "https://www.lakesidegazette.example/news/2025/apr/17/harbour-ferry-returns"
    )
    assert ferry["meta"]["author"] == "Greta Halvorsen"
    assert ferry["meta"]["date"] == "2025-04-17"
    assert ferry["meta"]["sitename"] == "The Lakeside Gazette"

    reservoir = article(RESERVOIR)
    assert reservoir["title"] == "The reservoir that ran out of summer"  # og:title
    assert reservoir["meta"]["url"] == (
        "https://northernledger.example/environment/harrowfield-reservoir-drought"
    )
    assert reservoir["meta"]["author"] == "Colm Breslin"  # from JSON-LD
    assert reservoir["meta"]["date"] == "2025-08-22"

    allotments = article(ALLOTMENTS)
    # No site name anywhere: the title is kept whole.
    assert allotments["title"] == "Allotment rents to double from May - Brackwater Evening Post"
    assert allotments["meta"]["url"] is None
    assert "sitename" not in allotments["meta"]

    myrtille = article(MYRTILLE)
    assert myrtille["title"] == "À Gérardmer, la fête de la myrtille attire 12 000 visiteurs"
    assert myrtille["meta"]["author"] == "Élodie Marchetti"
    assert myrtille["meta"]["date"] == "2024-07-14"


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        (
            "<meta property='og:title' content='Dredging to start'><title>Harbour | Post</title>",
            BODY,
            "Dredging to start",
        ),
        (
            "<meta property='og:site_name' content='Quay Post'><title>Dredging to start - Quay "
            "Post</title>",
            BODY,
            "Dredging to start",
        ),
        ("<title>Dredging to start - Quay Post</title>", BODY, "Dredging to start - Quay Post"),
        ("", "<h1>Channel to be dredged</h1>" + BODY, "Channel to be dredged"),
    ],
)
def test_title_is_og_title_else_title_less_the_named_site_else_h1(head, body, title):
    assert article_from_html(page(head, body), "p.html")["title"] == title


def test_an_icons_svg_title_is_not_the_pages_title():
    body = "<svg><title>Facebook</title></svg><h1>Channel to be dredged</h1>" + BODY
    assert article_from_html(page("", body), "p.html")["title"] == "Channel to be dredged"


def test_the_canonical_link_is_the_url_before_og_url():
    head = (
        "<link rel='canonical' href='https://quay.example/a'>"
        "<meta property='og:url' content='https://quay.example/b'>"
    )
    assert article_from_html(page(head), "p.html")["meta"]["url"] == "https://quay.example/a"
    head = "<meta property='og:url' content='https://quay.example/b'>"
    assert article_from_html(page(head), "p.html")["meta"]["url"] == "https://quay.example/b"


# -- charset --------------------------------------------------------------------------------


def test_a_page_is_read_in_the_charset_it_declares():
    data = MYRTILLE.read_bytes()
    assert declared_charset(data) == "cp1252"  # ISO-8859-1 is read as browsers read it
    decoded = decode_page(data)
    assert decoded.note is None
    record = article(MYRTILLE)
    assert "fixé à 14 €" in record["text"]
    assert "« On en a fait cuire toute la nuit »" in record["text"]


def test_an_xhtml_page_is_read_in_the_encoding_its_xml_declaration_names():
    xhtml = (
        '<?xml version="1.0" encoding="iso-8859-15"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Quai</title></head><body>'
        + BODY.replace("forty thousand pounds", "quarante mille €")
        + "</body></html>"
    ).encode("iso-8859-15")
    decoded = decode_page(xhtml)
    assert decoded.encoding == "iso8859-15" and decoded.note is None
    assert "quarante mille €" in article_from_html(decoded.text, "quai.xhtml.html")["text"]


def test_a_declared_charset_the_bytes_do_not_fit_falls_back_to_the_usual_reading():
    html = "<meta charset='utf-8'><p>café</p>".encode("cp1252")
    assert decode_page(html).note is not None  # detected, and said so, as for any file
    shift_jis = "<meta charset='shift_jis'><p>東京</p>".encode("shift_jis")
    assert "東京" in decode_page(shift_jis).text


def test_a_page_in_utf8_that_declares_another_charset_is_read_as_utf8():
    data = "<meta charset='windows-1252'><p>Grüße aus Köln — 5 €</p>".encode()
    assert decode_page(data).text == data.decode("utf-8")


def test_an_undeclared_page_not_in_utf8_is_read_as_any_file_and_the_summary_says_so(store, write):
    html = page(body=BODY.replace("forty thousand pounds", "quarante mille € — déjà voté"))
    report = import_paths(store, [write("quai.html", html.encode("cp1252"))])
    assert report.ok
    assert "read as cp1252 (detected)" in report.summary()
    assert "quarante mille € — déjà voté" in docs(store)[0][2]


# -- import ---------------------------------------------------------------------------------


def test_import_stores_the_article_with_its_meta(store):
    report = import_paths(store, [FERRY])
    assert report.ok and report.documents_added == 1
    ((external_id, title, text, meta, _),) = docs(store)
    assert (external_id, title) == (
        "lakeside-ferry.html",
        "Harbour ferry returns after two-year refit",
    )
    assert [text[s:e] for s, e in meta["captions"]] == FERRY_CAPTIONS


def test_raw_keeps_the_characters_of_the_page(store, write):
    html = "<html><body><script>alert('x')</script><p>Tags &amp; all.</p></body></html>\r\n"
    path = write("raw.html", html)
    report = import_paths(store, [path], raw=True)
    assert report.ok
    ((_, _, text, meta, _),) = docs(store)
    assert text == html.replace("\r\n", "\n")
    assert meta == {}


def test_annotator_import_of_a_page_then_suggest_proposes_its_captions(tmp_path):
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "import", str(RESERVOIR)])
    assert result.exit_code == 0, result.output
    assert "1 document added" in result.output
    assert "WARNING" not in result.output and "trafilatura" not in result.output
    result = runner.invoke(cli, ["--db", db, "suggest", "--suggester", "captions"])
    assert result.exit_code == 0, result.output
    from annotator.store.project import Store

    store = Store(Path(db), "tester")
    try:
        ((doc, _),) = list(store.documents.stream())
        proposed = {doc.text[s.start : s.end] for s in suggestions(store, doc.id)}
    finally:
        store.close()
    # Every caption is proposed, also the one with no credit for the patterns to find.
    assert set(RESERVOIR_CAPTIONS) <= proposed


def test_annotator_import_raw_through_the_command_line(tmp_path):
    db = str(tmp_path / "p.db")
    result = CliRunner().invoke(cli, ["--db", db, "import", "--raw", str(FERRY)])
    assert result.exit_code == 0, result.output
    from annotator.store.project import Store

    store = Store(Path(db), "tester")
    try:
        ((_, _, text, _, _),) = docs(store)
    finally:
        store.close()
    assert text == FERRY.read_text(encoding="utf-8")
    assert "TRACKING-SCRIPT-SHOULD-NEVER-APPEAR" in text  # the characters, as they are


def test_suggest_proposes_meta_captions_a_pattern_would_not_find(store):
    import_paths(store, [RESERVOIR])
    ((doc, _),) = list(store.documents.stream())
    run_suggesters(store, ["captions"], documents=[doc.id])
    proposed = {(doc.text[s.start : s.end], s.label) for s in suggestions(store, doc.id)}
    assert (RESERVOIR_CAPTIONS[1], "caption") in proposed


# -- nothing is fetched, nothing loads early ------------------------------------------------


def test_reading_a_page_opens_no_connection(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for path in (FERRY, ALLOTMENTS, RESERVOIR, MYRTILLE):
        assert article(path)["text"]
    assert attempts == []


def test_the_command_line_loads_no_extractor_until_a_page_is_imported():
    code = (
        "import json, sys\n"
        "import annotator.cli.main, annotator.formats.importing, annotator.formats.readers\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('trafilatura', 'lxml', 'docx', 'htmldate', 'justext'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


# -- captions anywhere among the paragraphs -------------------------------------------------

WORDS = [
    "the", "council", "harbour", "ferry", "quay", "vote", "budget", "residents", "said", "on",
    "Monday", "would", "bridge", "water", "école", "Köln", "naïve", "🚀", "12", "000", "£76",
    "“quoted”", "it’s",
]  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    paragraphs=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=12, max_size=40), min_size=2, max_size=6
    ),
    figures=st.lists(
        st.tuples(st.integers(0, 6), st.lists(st.sampled_from(WORDS), min_size=4, max_size=14)),
        min_size=1,
        max_size=4,
    ),
)
def test_every_caption_comes_back_once_and_its_offsets_cover_it(paragraphs, figures):
    texts = [" ".join(words) + f" (paragraph {i})." for i, words in enumerate(paragraphs)]
    captions = [" ".join(words) + f" Photo {i}." for i, (_, words) in enumerate(figures)]
    blocks: list[str] = [f"<p>{t}</p>" for t in texts]
    for (place, _), caption in sorted(zip(figures, captions, strict=True), key=lambda f: f[0][0]):
        at = min(place, len(blocks))
        blocks.insert(at, f"<figure><img src='x.jpg'><figcaption>{caption}</figcaption></figure>")
    record = article_from_html(page(body="<h1>Harbour</h1>" + "".join(blocks)), "p.html")
    assert sorted(caption_texts(record)) == sorted(captions)
    parts = record["text"].split("\n\n")
    for caption in captions:
        assert parts.count(caption) == 1
    for text in texts:  # the extractor may run paragraphs together, but keeps their words
        assert text in record["text"]


# -- pages as publishing systems make them --------------------------------------------------
# Each page in fixtures/webpages/expected/ is described by a JSON file of the same name: its
# article paragraphs and captions as a reader sees them, the text around them that is not the
# article ("absent"), and the title, url, author and date the page states.

EXPECTED = sorted((PAGES / "expected").glob("*.json"))


def kind_of_page(expected: Path) -> tuple[Path, dict]:
    (path,) = [p for p in PAGES.glob(expected.stem + ".*") if p.suffix in (".html", ".htm")]
    return path, json.loads(expected.read_text(encoding="utf-8"))


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem)
def test_each_kind_of_page_keeps_its_paragraphs_and_captions_and_nothing_around_them(expected):
    path, want = kind_of_page(expected)
    record = article(path)
    text, parts = record["text"], paragraphs(record)
    # Every paragraph of the article, whole, once, in the page's order.
    for paragraph in want["paragraphs"]:
        assert parts.count(paragraph) == 1, paragraph
    at = [parts.index(p) for p in want["paragraphs"]]
    assert at == sorted(at)
    # Every caption, as a paragraph of its own, and in meta at exactly its offsets.
    assert caption_texts(record) == want["captions"]
    for caption in want["captions"]:
        assert parts.count(caption) == 1, caption
    # None of the page around the article, and nothing of its scripts, styles or data.
    for left_out in want["absent"]:
        assert left_out not in text, left_out
    for code in ("SHOULD-NEVER-APPEAR", '{"', "</", "function(", "window.", "@context"):
        assert code not in text, code
    # The headline as the page shows it begins the text, once, so that it can be tagged.
    assert parts[0].split("\n")[0] == want["headline"]
    assert text.count(want["headline"]) == 1
    assert record["title"] == want["title"]
    assert record["meta"]["url"] == want["url"]
    assert record["meta"]["author"] == want["author"]
    assert record["meta"]["date"] == want["date"]


def test_there_is_a_page_of_each_kind():
    assert len(EXPECTED) >= 8
    for expected in EXPECTED:
        _, want = kind_of_page(expected)
        assert want["paragraphs"] and want["captions"] and want["absent"] and want["headline"]


ALL_PAGES = sorted(p for p in PAGES.iterdir() if p.suffix in (".html", ".htm"))


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.stem)
def test_every_meta_caption_slices_to_a_caption_paragraph_and_paragraphs_are_apart(path):
    record = article(path)
    text = record["text"]
    parts = paragraphs(record)
    assert "\n\n\n" not in text and text == text.strip()
    for part in parts:
        assert part and part == part.strip()
    captions = record["meta"]["captions"]
    assert captions == sorted(captions)
    previous_end = -1
    for start, end in captions:
        assert 0 <= start < end <= len(text) and start >= previous_end
        previous_end = end
        assert text[start:end] in parts
        assert start == 0 or text[start - 2 : start] == "\n\n"
        assert end == len(text) or text[end : end + 2] == "\n\n"


def test_text_for_screen_readers_only_is_not_in_a_caption():
    body = BODY + (
        "<figure><img src='q.jpg'><span class='copyright'><span class='visually-hidden'>Image "
        "source, </span>Harbour Board</span><figcaption><span class='sr-only'>Image caption, "
        "</span>The dredger at work off the quay</figcaption></figure>"
    )
    record = article_from_html(page(body=body), "sr.html")
    assert caption_texts(record) == ["Harbour Board The dredger at work off the quay"]
    assert "Image caption" not in record["text"] and "Image source" not in record["text"]


def test_a_wire_style_credit_from_any_agency_makes_a_caption():
    body = BODY + (
        "<div><img src='q.jpg'><p>The dredger Maasvlakte arrives off Brackwater, May 2, 2025. "
        "NORDPRESS/Lena Sato</p></div>"
        "<p>The crew will work in shifts until the channel is clear, the harbour master said.</p>"
    )
    record = article_from_html(page(body=body), "wire.html")
    assert caption_texts(record) == [
        "The dredger Maasvlakte arrives off Brackwater, May 2, 2025. NORDPRESS/Lena Sato"
    ]
    # An upper-case word and a slash inside a sentence is not a credit, nor at its end away
    # from any picture.
    plain = BODY + (
        "<p>Talks between the EU/UK teams on fishing rights resume on Monday.</p><p>The "
        "report on the harbour's water was written for the UN/World Health Organization</p>"
    )
    assert caption_texts(article_from_html(page(body=plain), "eu.html")) == []


def test_a_line_beside_a_picture_that_ends_with_its_credit_is_a_caption():
    body = (
        BODY[: BODY.index("<p>Fishing")]
        + "<div><img src='d.jpg' width='800'><p>ספינת החפירה ליד הרציף בבוקר. צילום: דנה לוי</p>"
        "</div><p><img src='e.jpg'><br>The channel at low water on Sunday. Photo: Ana Ruiz</p>"
        + BODY[BODY.index("<p>Fishing") :]
        + "<p>The board's report, written after the survey in March, was signed off by the "
        "harbour master. Photo: none was taken</p>"
    )
    record = article_from_html(page(body=body), "beside.html")
    assert caption_texts(record) == [
        "ספינת החפירה ליד הרציף בבוקר. צילום: דנה לוי",
        "The channel at low water on Sunday. Photo: Ana Ruiz",
    ]


def test_a_slide_a_carousel_copies_for_its_loop_is_one_caption():
    slide = "<div{}><figure><img src='a.jpg'><figcaption>{}</figcaption></figure></div>"
    body = BODY + (
        slide.format(" aria-hidden='true'", "The quay at dawn. Photo: Ana Ruiz")
        + slide.format("", "The quay at dawn. Photo: Ana Ruiz")
        + slide.format("", "The dredger at noon. Photo: Ana Ruiz")
        + "<p>The harbour master said the channel would be marked with new buoys in June.</p>"
    )
    record = article_from_html(page(body=body), "gallery.html")
    assert caption_texts(record) == [
        "The quay at dawn. Photo: Ana Ruiz",
        "The dredger at noon. Photo: Ana Ruiz",
    ]


def test_a_block_of_links_between_paragraphs_is_left_out():
    body = (
        BODY[: BODY.index("<p>Fishing")]
        + "<div><b>Other stories:</b> <a href='/a'>Lifeboat launched twice in a night</a> "
        "<a href='/b'>Quay car park to charge from May</a></div>" + BODY[BODY.index("<p>Fishing") :]
    )
    text = article_from_html(page(body=body), "links.html")["text"]
    assert "Other stories" not in text and "Lifeboat" not in text
    assert "Fishing crews had warned" in text


def test_a_layout_table_is_read_as_its_paragraphs_without_its_side_columns():
    story = (
        "The harbour board met on Monday and agreed to dredge the eastern channel before the "
        "autumn storms, at a cost of forty thousand pounds.<br><br>Fishing crews had warned for "
        "a year that boats were grounding at low tide, and two trawlers were stuck on the bar in "
        "March.<br><br>The board's engineer said the channel had silted up faster than expected "
        "after two wet winters, and that the sandbank at the harbour mouth had grown by a third, "
        "so that work would start in September and last about six weeks.<br><br>The channel "
        "will be closed to larger vessels for two days at a time while the dredger works the "
        "narrowest stretch, and the ferry will run to a reduced timetable in those weeks."
    )
    html = (
        "<html><body><table><tr><td><p>Sections<br>Harbour news<br>Weather<br>Tide tables</p>"
        f"<p>Our sponsor: Quayside Chandlery</p></td><td><h1>Dredging to start</h1>{story}"
        "<table><tr><th>Vessel</th><th>Draught</th></tr><tr><td>Ostermere Lass</td><td>2.4 m"
        "</td></tr></table>"
        "</td><td>Advertise here: call 0100 555 0100</td></tr></table></body></html>"
    )
    parts = article_from_html(html, "old.html")["text"].split("\n\n")
    assert (
        "Fishing crews had warned for a year that boats were grounding at low tide, and two "
        "trawlers were stuck on the bar in March."
    ) in parts
    starts = ("The harbour", "Fishing", "The board", "The channel")
    assert len([p for p in parts if p.startswith(starts)]) == 4
    # A table of data inside the layout is still read cell by cell.
    assert [p for p in parts if p in ("Vessel", "Draught", "Ostermere Lass", "2.4 m")] == [
        "Vessel",
        "Draught",
        "Ostermere Lass",
        "2.4 m",
    ]
    text = "\n\n".join(parts)
    assert "Tide tables" not in text and "Chandlery" not in text and "Advertise" not in text


def test_text_after_the_named_article_body_is_left_out():
    bio = "<div><p>Ines Varga writes about the harbour and the fleet for the Quay Post.</p></div>"
    html = page(body=f"<h1>Dredging</h1><div itemprop='articleBody'>{BODY}</div>{bio}")
    assert "writes about the harbour" not in article_from_html(html, "bio.html")["text"]
    # A body that holds little of the text is not taken at its word.
    html = page(
        body=f"<div class='article-body'>{BODY[: BODY.index('<p>Fishing')]}</div>"
        f"{BODY[BODY.index('<p>Fishing') :]}"
    )
    assert "Fishing crews had warned" in article_from_html(html, "short.html")["text"]


def test_promotion_and_link_lines_among_the_paragraphs_are_left_out():
    lines = [
        "<p><em>Sign up for our free Morning Quay newsletter <a href='/n'>here</a>.</em></p>",
        "<p><strong>RELATED:</strong> <a href='/r'>Dredger hired from Rotterdam</a></p>",
        "<p>Continue reading: <a href='/c'>the board's full report</a></p>",
        "<p>Get ready for the briefing, the harbour master told the crews on Monday.</p>",
        "<div>Advertisement</div><div>Story continues below advertisement</div>",
        "<p>Lire aussi : <a href='/fr'>Le port de Brest dragué à son tour</a></p>",
        "<p dir='rtl'>اقرأ أيضاً: <a href='/ar'>ميناء جديد على الساحل</a></p>",
        "<h2>You may also like</h2><p>Tags: harbour, dredging, Brackwater</p>",
        "<div data-component='topic-list'><span>Harbours and ports</span></div>",
    ]
    text = article_from_html(page(body=BODY + "".join(lines)), "promo.html")["text"]
    for left_out in (
        "Sign up", "Morning Quay", "RELATED", "Dredger hired", "Continue reading",
        "Advertisement", "continues below", "Lire aussi", "Brest", "اقرأ", "ميناء",
        "also like", "Tags", "dredging, Brackwater", "Harbours and ports",
    ):  # fmt: skip
        assert left_out not in text, left_out
    # A sentence of the article that happens to begin the same way stays.
    assert "Get ready for the briefing, the harbour master told the crews on Monday." in text


def test_a_page_that_names_no_address_gets_the_one_the_browser_noted_when_saving_it():
    saved = "<!-- saved from url=(0028)https://quay.example/dredge -->\n"
    assert (
        article_from_html(saved + page(), "p.html")["meta"]["url"] == "https://quay.example/dredge"
    )
    head = "<link rel='canonical' href='https://quay.example/a'>"
    assert (
        article_from_html(saved + page(head), "p.html")["meta"]["url"] == "https://quay.example/a"
    )
    local = "<!-- saved from url=(0014)about:internet -->\n"
    assert article_from_html(local + page(), "p.html")["meta"]["url"] is None


def test_an_article_body_named_for_its_adverts_is_not_taken_out():
    more = (
        "<p>The board's engineer said the channel had silted up faster than expected after two "
        "wet winters, and that the sandbank at the harbour mouth had grown by a third.</p>"
        "<p>Work will start in September and last about six weeks, with the channel closed to "
        "larger vessels for two days at a time while the dredger works the narrowest stretch.</p>"
    )
    footer = "".join(
        f"<li><a href='/s{i}'>Section number {i} of the Quay Post's many sections</a></li>"
        for i in range(40)
    )
    html = (
        "<html><body><div><h2>Dredging to start</h2>"
        f"<div class='story-body has-ads'>{BODY}{more}</div></div>"
        f"<div class='site-map'><ul>{footer}</ul></div></body></html>"
    )
    text = article_from_html(html, "ads.html")["text"]
    assert "The harbour board met on Monday" in text and "Work will start in September" in text


def test_an_article_of_divs_in_a_wrapper_named_for_its_adverts_is_kept_and_a_promotion_is_not():
    sentences = [
        "The harbour board met on Monday and agreed to dredge the eastern channel before the "
        "autumn storms, at a cost of forty thousand pounds.",
        "Fishing crews had warned for a year that boats were grounding at low tide, and two "
        "trawlers were stuck on the bar in March.",
        "Work will start in September and last about six weeks, with the channel closed to "
        "larger vessels for two days at a time.",
    ]
    divs = [f"<div class='css-1x{i}'>{s}</div>" for i, s in enumerate(sentences)]
    promo = "<div class='css-7p story-promo'>Also on the Quay Post: the tide tables for May</div>"
    menu = "".join(f"<li><a href='/s{i}'>Section {i} of the Quay Post</a></li>" for i in range(30))
    html = (
        f"<html><body><nav><ul>{menu}</ul></nav><main><header class='head with-share'><h1>"
        f"Dredging to start</h1></header><div class='css-9q with-ads'>{divs[0]}{divs[1]}{promo}"
        f"{divs[2]}</div></main><footer><ul>{menu}</ul></footer></body></html>"
    )
    parts = article_from_html(html, "divs.html")["text"].split("\n\n")
    assert parts == ["Dredging to start", *sentences]


def test_another_storys_headline_set_among_the_paragraphs_is_left_out():
    head, tail = BODY[: BODY.index("<p>Fishing")], BODY[BODY.index("<p>Fishing") :]
    body = (
        head + "<p><strong><a href='/news/lifeboat'>Lifeboat launched twice in one night</a>"
        "</strong></p><ul><li><a href='/news/car-park'>Quay car park to charge from May</a></li>"
        "</ul>" + tail + "<div class='css-q1'><h3>Related</h3><a href='/x'><div class='css-q2'>"
        "Harbour master to retire after thirty years</div></a></div>"
        "<section class='css-c3'><h2>More from the coast</h2><div><a href='/z1'>Pier reopens"
        "</a></div><div><a href='/z2'>Beach huts for sale</a></div></section>"
    )
    text = article_from_html(page(body=body), "headline.html")["text"]
    assert "Lifeboat" not in text and "car park" not in text
    assert "Related" not in text and "retire" not in text
    assert "More from the coast" not in text and "Beach huts" not in text
    assert "Fishing crews had warned" in text


def test_a_captions_counter_and_picture_controls_are_not_part_of_it():
    body = BODY + (
        "<figure><img src='a.jpg'><figcaption><span class='gallery-count'>2 of 9</span> The "
        "dredger off the quay at dawn. <span class='credit'>Photo: Ana Ruiz</span> <a "
        "href='/buy'>Buy photo</a> <button>Enlarge</button></figcaption></figure>"
        "<figure><img src='b.jpg'><figcaption>3/9 The crew at work on the sandbank. Photo: "
        "Ana Ruiz <a href='#'>Expand image</a></figcaption></figure>"
    )
    record = article_from_html(page(body=body), "counter.html")
    assert caption_texts(record) == [
        "The dredger off the quay at dawn. Photo: Ana Ruiz",
        "The crew at work on the sandbank. Photo: Ana Ruiz",
    ]


def test_a_canonical_path_without_a_host_is_completed_from_the_pages_address():
    head = "<link rel='canonical' href='/news/dredge'>"
    og = "<meta property='og:url' content='https://quay.example/news/dredge?src=share'>"
    assert article_from_html(page(head + og), "p.html")["meta"]["url"] == (
        "https://quay.example/news/dredge"
    )
    saved = "<!-- saved from url=(0035)https://quay.example/news/dredge?x=1 -->\n"
    assert article_from_html(saved + page(head), "p.html")["meta"]["url"] == (
        "https://quay.example/news/dredge"
    )


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.stem)
def test_a_page_minified_or_with_scripts_between_its_paragraphs_reads_the_same(path):
    html = decode_page(path.read_bytes()).text
    expected = article_from_html(html, path.name)
    minified = re.sub(r">\s+<", "><", html)  # as a build step or a browser's save writes it
    assert article_from_html(minified, path.name) == expected
    scripted = html.replace("</p>", "</p><script>var slot = {'a': 1};</script><!-- ad -->")
    assert article_from_html(scripted, path.name) == expected


def test_a_lead_picture_above_the_article_is_its_and_a_teaser_after_it_is_not():
    html = (
        "<html><body><header><nav><a href='/'>Home</a> <a href='/n'>News</a></nav></header>"
        "<main><div class='hero'><figure><img src='a.jpg'><figcaption>The eastern channel at "
        "low tide. Photo: Ana Ruiz</figcaption></figure></div><article><h1>Dredging to start"
        f"</h1>{BODY}</article><section class='more-from-section'><figure><img src='b.jpg'>"
        "<figcaption>The new lifeboat on trials. Photo: Tom Orr</figcaption></figure><a "
        "href='/o'>Lifeboat on trials</a></section></main></body></html>"
    )
    record = article_from_html(html, "hero.html")
    assert caption_texts(record) == ["The eastern channel at low tide. Photo: Ana Ruiz"]
    assert paragraphs(record)[:2] == [
        "Dredging to start",  # the headline begins the text
        "The eastern channel at low tide. Photo: Ana Ruiz",
    ]
    assert "lifeboat" not in record["text"].lower()


def test_the_headline_is_the_first_paragraph_and_the_captions_move_with_the_text():
    html = (
        "<html><head><title>Dredging to start | Coast Courier</title><meta property="
        "'og:site_name' content='Coast Courier'></head><body><header><h1>Coast Courier</h1>"
        "</header><nav><h1>Menu</h1></nav><main><article><h1>Dredging  to\nstart</h1>"
        f"<figure><img src='a.jpg'><figcaption>The eastern channel at low tide. Photo: Ana "
        f"Ruiz</figcaption></figure>{BODY}</article></main></body></html>"
    )
    record = article_from_html(html, "dredging.html")
    caption = "The eastern channel at low tide. Photo: Ana Ruiz"
    # The article's <h1>, not the site's name in the header nor the menu's.
    assert paragraphs(record)[:2] == ["Dredging to start", caption]
    start = len("Dredging to start\n\n")
    assert record["meta"]["captions"] == [[start, start + len(caption)]]
    assert record["title"] == "Dredging to start"


def test_a_headline_the_text_already_begins_with_is_not_repeated():
    kept = page("<title>Harbour to be dredged</title>", f"<p>Harbour to be dredged</p>{BODY}")
    record = article_from_html(kept, "kept.html")
    assert record["text"].count("Harbour to be dredged") == 1
    assert paragraphs(record)[0] == "Harbour to be dredged"


def test_a_first_line_that_only_begins_like_the_headline_does_not_stand_for_it():
    body = f"<p>Dredging starts in May, the board said.</p>{BODY}"
    record = article_from_html(page("<title>Dredging - the plan</title>", body), "plan.html")
    assert paragraphs(record)[:2] == [
        "Dredging - the plan",
        "Dredging starts in May, the board said.",
    ]


def test_without_an_h1_the_headline_is_the_title_and_a_site_name_beside_it_is_not_repeated():
    record = article_from_html(page("<meta property='og:title' content='Dredging'>"), "a.html")
    assert paragraphs(record)[0] == "Dredging"
    # "Site - Headline" where the text begins with the headline: nothing added.
    titled = page("<title>Coast Courier - Dredging</title>", f"<p>Dredging</p>{BODY}")
    assert paragraphs(article_from_html(titled, "b.html"))[:2] == [
        "Dredging",
        "The harbour board met on Monday and agreed to dredge the eastern channel before the "
        "autumn storms, at a cost of forty thousand pounds.",
    ]


def test_a_page_that_names_every_paragraph_for_an_advert_after_it_keeps_them_all():
    sentences = [p.split("</p>")[0] for p in BODY.split("<p>")[1:]] + [
        "The board's engineer said the channel had silted up faster than expected after two "
        "wet winters.",
        "Work will start in September and last about six weeks, with the channel closed to "
        "larger vessels for two days at a time.",
        "The ferry will run to a reduced timetable while the dredger works the narrowest "
        "stretch of the channel.",
    ]
    body = "".join(f"<div class='para has-ad-after'><p>{s}</p></div>" for s in sentences)
    parts = article_from_html(page(body=body), "paras.html")["text"].split("\n\n")
    assert parts == sentences


def test_a_byline_the_extractor_kept_is_left_out_and_its_names_are_in_meta():
    byline = (
        "<span itemprop='author' itemscope itemtype='https://schema.org/Person'><span "
        "itemprop='name'>Ines Varga</span></span>"
    )
    tail = "<p>Ines Varga contributed to this report from the quay.</p>"
    record = article_from_html(page(body=f"<h1>Dredging</h1>{byline}{BODY}{tail}"), "by.html")
    assert record["meta"]["author"] == "Ines Varga"
    assert "Ines Varga" not in paragraphs(record)
    # A sentence that begins with the name is the article's.
    assert "Ines Varga contributed to this report from the quay." in paragraphs(record)


def test_a_page_saved_before_its_scripts_showed_it_still_has_its_article_and_captions():
    figure = (
        "<figure><img src='a.jpg'><figcaption>The dredger off the quay. Photo: Ana Ruiz"
        "</figcaption></figure>"
    )
    html = (
        "<html><body><div id='app' style='visibility: hidden'><main><article><h1>Dredging</h1>"
        f"{BODY[: BODY.index('<p>Fishing')]}{figure}{BODY[BODY.index('<p>Fishing') :]}"
        "</article></main></div><div class='cookie-banner'>We use cookies.</div></body></html>"
    )
    record = article_from_html(html, "app.html")
    assert caption_texts(record) == ["The dredger off the quay. Photo: Ana Ruiz"]
    assert "Fishing crews had warned" in record["text"] and "cookies" not in record["text"]


def test_a_gallery_of_figures_gives_each_pictures_caption_and_its_own():
    gallery = (
        "<figure class='wp-block-gallery has-nested-images'>"
        "<figure class='wp-block-image'><img src='a.jpg'><figcaption>The quay at dawn."
        "</figcaption></figure><figure class='wp-block-image'><img src='b.jpg'><figcaption>"
        "The dredger at noon.</figcaption></figure><figcaption class='blocks-gallery-caption'>"
        "A day on the channel. Photos: Ana Ruiz</figcaption></figure>"
    )
    html = page(body=BODY[: BODY.index("<p>Fishing")] + gallery + BODY[BODY.index("<p>Fishing") :])
    record = article_from_html(html, "wpgallery.html")
    assert caption_texts(record) == [
        "The quay at dawn.",
        "The dredger at noon.",
        "A day on the channel. Photos: Ana Ruiz",
    ]


def test_a_short_article_the_extractor_runs_together_is_one_paragraph_per_block_again():
    body = (
        "<h1>Ferry back</h1><p>The ferry is back.</p><p>It sails at seven, the council said.</p>"
        "<figure><img src='a.jpg'><figcaption>The ferry. Photo: Ana Ruiz</figcaption></figure>"
        "<p>Fares stay the same.</p>"
    )
    record = article_from_html(page(body=body), "short.html")
    assert paragraphs(record) == [
        "Ferry back",
        "The ferry is back.",
        "It sails at seven, the council said.",
        "The ferry. Photo: Ana Ruiz",
        "Fares stay the same.",
    ]
    assert caption_texts(record) == ["The ferry. Photo: Ana Ruiz"]


# Blocks of a page that are not its article, each with a word no article paragraph holds.
NOISE = [
    "<nav class='main-nav'><ul><li><a href='/a'>Qvnav sport</a></li><li><a href='/b'>Qvnav "
    "weather</a></li><li><a href='/c'>Qvnav jobs</a></li></ul></nav>",
    "<div class='cookie-banner' role='dialog'><p>Qvcookie: we use cookies to improve the site."
    "</p><button>Accept</button></div>",
    "<aside class='related-links'><h2>Related</h2><ul><li><a href='/r1'>Qvrelated lifeboat "
    "launched</a></li><li><a href='/r2'>Qvrelated pier reopens</a></li></ul></aside>",
    "<div class='share-buttons'><a href='/f'>Qvshare Facebook</a> <a href='/x'>Qvshare X</a></div>",
    "<div class='ad-slot'><span>Advertisement</span><ins class='adsbygoogle'></ins></div>",
    "<div class='newsletter-signup'><h3>Qvletter morning email</h3><p>Qvletter: the day's "
    "news in your inbox.</p><form><input type='email'><button>Sign up</button></form></div>",
    "<p>Read more: <a href='/m'>Qvmore harbour history</a></p>",
    "<script>var qvscript = {'slot': 1};</script><style>.qvstyle{color:red}</style>",
    "<div class='author-bio'><p>Qvbio writes about the coast for the Quay Post.</p></div>",
    "<ol class='breadcrumb'><li><a href='/'>Qvcrumb home</a></li><li><a href='/n'>Qvcrumb "
    "news</a></li></ol>",
    "<p><a href='/other'>Qvheadline of another story about the quay</a></p>",
    "<div style='display: none'><p>Qvhidden text that only a script would show.</p></div>",
    "<noscript><p>Qvnoscript: turn on scripts to see the video.</p></noscript>",
    "<div class='tags'><span>Tags:</span> <a href='/t/a'>Qvtag harbour</a> <a href='/t/b'>"
    "Qvtag ferry</a></div>",
    "<aside class='most-read'><h2>Most read</h2><ol><li><a href='/1'>Qvread one</a></li><li>"
    "<a href='/2'>Qvread two</a></li></ol></aside>",
    "<p><strong>Related:</strong> <a href='/rel'>Qvrelated dredger arrives</a></p>",
    "<section class='comments'><h3>Comments</h3><div class='comment'><p>Qvcomment: about time"
    " too, the channel has been silting for years.</p></div></section>",
    "<div class='promo-box'><p>Qvpromo: subscribe for a pound a week.</p></div>",
    "<aside class='related-stories'><figure><img src='t.jpg'><figcaption>Qvteaser: the old "
    "pier. Photo: Archive</figcaption></figure><a href='/pier'>Qvteaser pier story</a></aside>",
    "<div class='story-card'><a href='/s'><img src='s.jpg'><span class='caption'>Qvcard "
    "headline of another story</span></a></div>",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    paragraphs=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=8, max_size=40), min_size=1, max_size=6
    ),
    figures=st.lists(
        st.tuples(st.integers(0, 6), st.lists(st.sampled_from(WORDS), min_size=4, max_size=14)),
        max_size=3,
    ),
    noise=st.lists(st.tuples(st.integers(0, 8), st.sampled_from(NOISE)), min_size=1, max_size=5),
)
def test_noise_anywhere_among_the_paragraphs_stays_out_and_the_article_stays_whole(
    paragraphs, figures, noise
):
    texts = [" ".join(words) + f" (paragraph {i})." for i, words in enumerate(paragraphs)]
    captions = [" ".join(words) + f" Photo {i}." for i, (_, words) in enumerate(figures)]
    blocks: list[str] = [f"<p>{t}</p>" for t in texts]
    inserts = [
        (place, f"<figure><img src='x.jpg'><figcaption>{caption}</figcaption></figure>")
        for (place, _), caption in zip(figures, captions, strict=True)
    ] + noise
    for place, block in sorted(inserts, key=lambda item: item[0], reverse=True):
        blocks.insert(min(place, len(blocks)), block)
    html = (
        "<html><body>" + NOISE[0] + "<main><article><h1>Harbour</h1>" + "".join(blocks)
        + "</article></main><footer><p>Qvfooter © Quay Post</p></footer></body></html>"
    )  # fmt: skip
    record = article_from_html(html, "noise.html")
    parts = record["text"].split("\n\n")
    for text in texts:
        assert parts.count(text) == 1, text
    assert sorted(caption_texts(record)) == sorted(captions)
    assert "qv" not in record["text"].lower() and "Advertisement" not in record["text"]


def test_a_caption_in_a_link_to_its_picture_is_kept_and_a_teasers_in_a_link_elsewhere_is_not():
    slides = "".join(
        f"<li><a href='/img/quay-{i}.jpg?w=1600'><img src='/img/quay-{i}-s.jpg'><span "
        f"class='caption'>The quay, view {i}. Photo: Ana Ruiz</span></a></li>"
        for i in (1, 2)
    )
    card = (
        "<div class='card'><a href='/news/pier'><img src='p.jpg'><span class='caption'>Pier "
        "to reopen after storm repairs</span></a></div>"
    )
    head, tail = BODY[: BODY.index("<p>Fishing")], BODY[BODY.index("<p>Fishing") :]
    record = article_from_html(
        page(body=f"{head}<ul class='gallery'>{slides}</ul>{card}{tail}"), "g.html"
    )
    assert caption_texts(record) == [
        "The quay, view 1. Photo: Ana Ruiz",
        "The quay, view 2. Photo: Ana Ruiz",
    ]
    assert "Pier to reopen" not in record["text"]


# -- pages nested deeper than a parser reads by default -------------------------------------


def nested(depth: int, inside: str) -> str:
    """A page whose article stands ``depth`` elements deep, in wrappers of the kinds pages
    pile up (each with a class, as a page builder writes them)."""
    kinds = ["div", "section", "span", "font"]
    opening = "".join(f'<{kinds[i % 4]} class="wrap-{i}">' for i in range(depth))
    closing = "".join(f"</{kinds[i % 4]}>" for i in reversed(range(depth)))
    return (
        "<!DOCTYPE html><html><head><title>Harbour to be dredged</title></head><body>"
        f"{opening}{inside}{closing}<footer><p>© The Coast Courier</p></footer></body></html>"
    )


@pytest.mark.parametrize("depth", [300, 2000])
def test_an_article_nested_hundreds_or_thousands_deep_is_read(depth):
    record = article_from_html(nested(depth, f"<article>{BODY}</article>"), "deep.html")
    shallow = page("<title>Harbour to be dredged</title>")
    assert paragraphs(record) == paragraphs(article_from_html(shallow, "shallow.html"))
    assert record["title"] == "Harbour to be dredged"


def test_paragraphs_in_blocks_left_open_stay_paragraphs_in_order():
    # Each paragraph in a <div> never closed: every one stands a level deeper than the last.
    text = "of the harbour board's report says the channel silted up over two winters."
    body = "".join(f"<div><p>Paragraph {i} {text}</p>" for i in range(400))
    record = article_from_html(f"<html><body>{body}</body></html>", "open.html")
    assert paragraphs(record) == [f"Paragraph {i} {text}" for i in range(400)]


def test_a_page_nested_deeper_than_the_parser_reads_is_refused_saying_so(store, write):
    path = write("deeper.html", nested(3000, f"<article>{BODY}</article>"))
    report = import_paths(store, [path])
    assert refusal_lines(report) == [
        f"{path}: its elements are nested more than 2,048 deep, deeper than the HTML parser "
        "reads (it would drop the rest of the page); import it with --raw to keep its characters"
    ]
    assert store.documents.count() == 0
