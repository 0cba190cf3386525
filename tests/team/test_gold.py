"""Gold checks: curated documents marked gold, mixed into packets at seeded places without
anything in the packet telling them apart, kept out of the overlap, and each analyst scored
against them, overall and over time, as an independent computation from the spans finds."""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from fractions import Fraction

import pytest
from gold_project import START, curated_by_hash, gold_lead, relate, work_packet
from packet_project import lead_project, packet_made_meanwhile, uneven_texts
from progress_project import Clock

from annotator.store.project import Store
from annotator.team.assign import assign
from annotator.team.curation import settle
from annotator.team.gold import GoldError, gold_documents, mark_gold, unmark_gold
from annotator.team.gold_scores import score
from annotator.team.merge import merge_projects
from annotator.team.packet_progress import progress
from annotator.team.packets import assign_with_packets, write_packet


@pytest.fixture
def lead(tmp_path):
    """30 documents, the first 6 curated and gold, the rest assigned to ana, bo and cy, each
    to two of them."""
    store = gold_lead(tmp_path / "lead.db")
    assign(store, ["ana", "bo", "cy"], overlap=2, seed=4)
    yield store
    store.close()


def rows(path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def gold_set(store: Store) -> set[int]:
    return {r[0] for r in store.conn.execute("SELECT document_id FROM gold")}


def hashes(store: Store, documents) -> set[str]:
    return {store.documents.get(doc).text_hash for doc in documents}


# -- marking ------------------------------------------------------------------------------------


def test_a_settled_document_or_one_with_curated_spans_is_marked_gold_by_number_or_id(tmp_path):
    with lead_project(tmp_path / "lead.db", uneven_texts(5)) as store:
        first, second, third = store.documents.ids()[:3]
        settle(store, first)  # settled, nothing kept
        store.spans.add(second, 0, 7, "claim", origin="curated")  # curated, not yet settled
        change = mark_gold(store, [str(first), "doc-1", "1"])  # the same one twice, the other
        assert change.changed == [first, second] and not change.unchanged
        listed = {doc.number: doc for doc in gold_documents(store)}
        assert set(listed) == {first, second}
        assert (listed[first].settled, listed[first].curated_spans) == (True, 0)
        assert (listed[second].settled, listed[second].curated_spans) == (False, 1)
        assert listed[second].id == "doc-1" and listed[first].marked_by == "lead"
        again = mark_gold(store, [str(second)])
        assert again.unchanged == [second] and "was gold already" in again.summary()
        assert third not in gold_set(store)


@pytest.mark.parametrize(
    ("reference", "says"),
    [
        ("3", "document 3 ('t2') has no curated layer to score against"),
        ("nowhere", "no document nowhere in"),
    ],
)
def test_a_document_without_a_curated_layer_or_unknown_is_refused_with_nothing_marked(
    tmp_path, dump, reference, says
):
    with lead_project(tmp_path / "lead.db", uneven_texts(5)) as store:
        settle(store, 1)
    before = dump(tmp_path / "lead.db")
    with (
        Store(tmp_path / "lead.db", "lead") as store,
        pytest.raises(GoldError, match=re.escape(says)) as e,
    ):
        mark_gold(store, ["1", reference])  # the good one is not marked either
    assert "nothing was marked gold" in str(e.value)
    assert dump(tmp_path / "lead.db") == before


def test_a_document_taken_out_of_gold_that_went_out_stays_recorded_and_unassigned(lead, tmp_path):
    report = write_packet(lead, "ana", tmp_path / "ana.db", gold=2, seed=1)
    given = [r[0] for r in lead.conn.execute("SELECT document_id FROM gold_given")]
    change = unmark_gold(lead, [str(given[0]), "30"])
    assert change.changed == [given[0]] and change.unchanged == [30]
    assert "went out as gold to 1 analyst" in change.summary()
    assert given[0] not in gold_set(lead)
    assert lead.conn.execute("SELECT count(*) FROM gold_given").fetchone()[0] == report.gold == 2
    with lead.transaction():  # a document imported later, then assigned
        lead.conn.execute("DELETE FROM assignments")
    assign(lead, ["ana", "bo"], seed=1)
    assigned = {r[0] for r in lead.conn.execute("SELECT document_id FROM assignments")}
    assert given[0] not in assigned and not assigned & gold_set(lead)


# -- kept out of the assignment -----------------------------------------------------------------


def test_assign_leaves_the_gold_documents_out_and_every_other_goes_to_exactly_k(tmp_path):
    store = gold_lead(tmp_path / "lead.db", documents=40, gold=7)
    report = assign(store, ["ana", "bo", "cy", "dee"], overlap=3, seed=2)
    counts = dict(
        store.conn.execute("SELECT document_id, count(*) FROM assignments GROUP BY document_id")
    )
    others = set(store.documents.ids()) - gold_set(store)
    assert set(counts) == others and set(counts.values()) == {3}
    assert (report.assigned, report.gold, report.already) == (33, 7, 0)
    assert "7 gold documents go out only as gold" in report.summary()
    again = assign(store, ["ana", "bo", "cy", "dee"], overlap=3, seed=2)
    assert (again.assigned, again.gold, again.already) == (0, 7, 33)
    store.close()


# -- into packets -------------------------------------------------------------------------------


def queue(path) -> list[str]:
    return [r[0] for r in rows(path, "SELECT text_hash FROM documents ORDER BY id")]


def test_a_packet_holds_k_gold_documents_at_seeded_places_and_the_lead_records_them(lead, tmp_path):
    out = tmp_path / "ana.db"
    report = write_packet(lead, "ana", out, gold=3, seed=11)
    assigned = [
        r[0]
        for r in lead.conn.execute(
            "SELECT d.text_hash FROM assignments a JOIN documents d ON d.id = a.document_id"
            " WHERE a.analyst = 'ana' ORDER BY a.position"
        )
    ]
    held = queue(out)
    given = dict(
        lead.conn.execute("SELECT document_id, packet_id FROM gold_given WHERE analyst = 'ana'")
    )
    assert len(given) == 3 and set(given.values()) == {report.packet_id}
    assert set(given) <= gold_set(lead)
    assert (report.gold, report.documents, report.seed) == (3, len(assigned) + 3, 11)
    assert [h for h in held if h not in hashes(lead, given)] == assigned  # the queue kept
    assert len(held) == len(set(held)) == len(assigned) + 3
    places = [held.index(h) for h in hashes(lead, given)]
    assert places != [0, 1, 2] and places != [len(held) - 3, len(held) - 2, len(held) - 1]
    assert rows(out, "SELECT count(*) FROM spans") == [(0,)]


def test_the_same_seed_gives_the_same_gold_in_the_same_places(tmp_path):
    made = {}
    for name, seed in (("one", 5), ("two", 5), ("three", 6)):
        folder = tmp_path / name
        folder.mkdir()
        with gold_lead(folder / "lead.db", documents=40, gold=12) as store:
            assign(store, ["ana", "bo"], seed=3, order="shuffled")
            write_packet(store, "ana", folder / "ana.db", gold=4, seed=seed)
        made[name] = queue(folder / "ana.db")
    assert made["one"] == made["two"]
    assert made["one"] != made["three"]


def test_nothing_in_a_packet_tells_a_gold_document_from_another(lead, tmp_path):
    """Every table of the packet, its settings and each document's row: a gold document and
    another differ only in what the lead's documents themselves differ in (their text, title,
    id and the place in the queue), even when the gold one was imported long before."""
    with lead.transaction():
        lead.conn.execute("UPDATE documents SET meta = '{\"desk\": \"city\"}', source = 'feed'")
        lead.conn.execute(
            "UPDATE documents SET created_at = '2020-01-01T00:00:00.000Z' WHERE id IN"
            " (SELECT document_id FROM gold)"
        )
    out = tmp_path / "ana.db"
    write_packet(lead, "ana", out, gold=2, seed=3)
    gold_hashes = hashes(lead, gold_set(lead))
    by_hash = {r[1]: r[0] for r in rows(out, "SELECT id, text_hash FROM documents")}
    golds = [by_hash[h] for h in by_hash if h in gold_hashes]
    others = [by_hash[h] for h in by_hash if h not in gold_hashes]
    assert len(golds) == 2 and others
    conn = sqlite3.connect(out)
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(documents)")]
        alike = [c for c in columns if c not in ("id", "external_id", "title", "text", "text_hash")]
        listed = ", ".join(f'"{c}"' for c in alike)
        seen = {
            doc: conn.execute(f"SELECT {listed} FROM documents WHERE id = ?", (doc,)).fetchone()
            for doc in golds + others
        }
        assert len(set(seen.values())) == 1, seen  # status, meta, source, dates: all alike
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in tables:
            names = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
            if name != "documents" and "document_id" in names:
                for doc in golds + others:
                    assert not conn.execute(
                        f'SELECT count(*) FROM "{name}" WHERE document_id = ?', (doc,)
                    ).fetchone()[0], name
        assert conn.execute("SELECT count(*) FROM gold").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM gold_given").fetchone()[0] == 0
        settings = " ".join(r[0] for r in conn.execute("SELECT value FROM project"))
    finally:
        conn.close()
    assert "gold" not in settings.lower()
    for told in [*gold_hashes, *(f"doc-{doc - 1}" for doc in gold_set(lead))]:
        assert told not in settings
    # and a packet with gold says of itself what one without says
    plain = tmp_path / "bo.db"
    write_packet(lead, "bo", plain)
    keys = {
        path: sorted(r[0] for r in rows(path, "SELECT key FROM project")) for path in (out, plain)
    }
    assert keys[out] == keys[plain]


def test_too_few_gold_documents_left_is_refused_with_nothing_written(lead, tmp_path, dump):
    lead.close()
    before = dump(lead.path)
    says = "--gold 7 asks for 7 gold documents 'ana' has never had, but 6 of the 6"
    with Store(lead.path, "lead") as store, pytest.raises(GoldError, match=says):
        write_packet(store, "ana", tmp_path / "ana.db", gold=7, seed=1)
    assert dump(lead.path) == before and not (tmp_path / "ana.db").exists()


def test_a_project_with_no_gold_refuses_gold_in_a_packet(tmp_path, dump):
    with lead_project(tmp_path / "lead.db", uneven_texts(5)) as store:
        assign(store, ["ana"], seed=1)
        with pytest.raises(GoldError, match="no document is gold yet"):
            write_packet(store, "ana", tmp_path / "ana.db", gold=1, seed=1)
    assert not (tmp_path / "ana.db").exists()


def test_an_analyst_never_gets_a_gold_document_twice_nor_one_they_worked_on(lead, tmp_path):
    gold = sorted(gold_set(lead))
    with Store(lead.path, "ana") as as_ana:  # ana saw this one in the lead's project
        as_ana.statuses.set(gold[1], "in_progress")
    write_packet(lead, "ana", tmp_path / "ana-1.db", gold=2, seed=1)
    first = {r[0] for r in lead.conn.execute("SELECT document_id FROM gold_given")}
    assert gold[1] not in first
    with lead.transaction():  # more documents for ana, as after a later import
        lead.conn.execute("UPDATE assignments SET packet_id = NULL WHERE analyst = 'ana'")
    write_packet(lead, "ana", tmp_path / "ana-2.db", gold=2, seed=1)
    given = [r[0] for r in lead.conn.execute("SELECT document_id FROM gold_given")]
    assert len(given) == len(set(given)) == 4 and gold[1] not in given
    with pytest.raises(GoldError, match="but 1 of the 6"):
        write_packet(lead, "ana", tmp_path / "ana-3.db", gold=2, seed=1, everything=True)


def test_a_packet_of_everything_puts_the_gold_given_before_back_in_place(lead, tmp_path):
    write_packet(lead, "bo", tmp_path / "bo-1.db", gold=3, seed=8)
    again = write_packet(lead, "bo", tmp_path / "bo-2.db", everything=True)
    assert queue(tmp_path / "bo-2.db") == queue(tmp_path / "bo-1.db")
    assert again.gold == 0  # none new
    packets = {r[0] for r in lead.conn.execute("SELECT packet_id FROM gold_given")}
    assert packets == {again.packet_id}


def test_a_gold_document_given_by_another_packet_meanwhile_refuses_this_one(
    lead, tmp_path, monkeypatch
):
    packet_made_meanwhile(
        monkeypatch,
        lead.path,
        lambda other: write_packet(
            other, "ana", tmp_path / "first.db", everything=True, gold=2, seed=4
        ),
    )
    with pytest.raises(GoldError, match="gold documents went to 'ana' in another packet"):
        write_packet(lead, "ana", tmp_path / "second.db", everything=True, gold=2, seed=4)
    assert not (tmp_path / "second.db").exists() and (tmp_path / "first.db").exists()
    assert lead.conn.execute("SELECT count(*) FROM gold_given").fetchone()[0] == 2
    assert lead.conn.execute("SELECT count(*) FROM packets").fetchone()[0] == 1


def test_assign_with_packets_mixes_k_gold_into_each_and_keeps_the_overlap(tmp_path):
    store = gold_lead(tmp_path / "lead.db", documents=36, gold=8)
    report, packets = assign_with_packets(
        store, ["ana", "bo", "cy"], tmp_path / "out", overlap=2, seed=9, gold=3
    )
    assert [p.gold for p in packets] == [3, 3, 3]
    counts = Counter(r[0] for r in store.conn.execute("SELECT document_id FROM assignments"))
    assert set(counts.values()) == {2} and len(counts) == 28 == report.assigned
    for packet in packets:
        held = set(queue(packet.path))
        assigned = {
            r[0]
            for r in store.conn.execute(
                "SELECT d.text_hash FROM assignments a JOIN documents d ON d.id = a.document_id"
                " WHERE a.analyst = ?",
                (packet.analyst,),
            )
        }
        gold = held - assigned
        assert len(gold) == 3 and gold <= hashes(store, gold_set(store))
    store.close()


def test_assign_with_packets_refuses_too_much_gold_with_nothing_assigned(tmp_path, dump):
    gold_lead(tmp_path / "lead.db", documents=20, gold=2).close()
    before = dump(tmp_path / "lead.db")
    with Store(tmp_path / "lead.db", "lead") as store, pytest.raises(GoldError):
        assign_with_packets(store, ["ana", "bo"], tmp_path / "out", seed=1, gold=3)
    assert dump(tmp_path / "lead.db") == before and not (tmp_path / "out").exists()


# -- progress -----------------------------------------------------------------------------------


def test_progress_counts_the_gold_given_apart_from_the_assignments(lead, tmp_path):
    before = {a.analyst: a.assigned for a in progress(lead).analysts}
    write_packet(lead, "ana", tmp_path / "ana.db", gold=2, seed=1)
    work_packet(tmp_path / "ana.db", "ana", curated_by_hash(lead), seed=1, every=0.5)
    merge_projects(lead, [tmp_path / "ana.db"])
    figures = progress(lead)
    ana = {a.analyst: a for a in figures.analysts}["ana"]
    assert (ana.assigned, ana.gold, ana.gold_done) == (before["ana"], 2, 2)
    assert ana.done == before["ana"]  # the gold ones are not among them
    assert figures.documents.gold == 6
    table = figures.lines()
    assert "gold" in table[0] and "gold done" in table[0]
    data = figures.to_json()
    assert data["analysts"][0]["gold"] == 2 and data["documents"]["gold"] == 6


# -- scored against gold ------------------------------------------------------------------------


def independent_scores(lead_path, done_at, by_period) -> dict[str, dict]:
    """Each analyst against gold, computed here from the definitions and the spans alone:
    exact and overlap precision, recall and F1, as fractions, overall and per ISO week of
    when they marked each gold document done (``done_at``: analyst -> text hash -> time)."""
    conn = sqlite3.connect(lead_path)
    gold = {r[0]: r[1] for r in conn.execute(
        "SELECT g.document_id, d.text_hash FROM gold g JOIN documents d ON d.id = g.document_id"
    )}  # fmt: skip
    spans = conn.execute(
        'SELECT s.document_id, s.annotator, s.origin, s.start, s."end", l.name FROM spans s'
        " JOIN labels l ON l.id = s.label_id"
    ).fetchall()
    done = conn.execute("SELECT document_id, annotator FROM statuses WHERE status = 'done'")
    done = [(doc, who) for doc, who in done if doc in gold]
    conn.close()
    reference = [(d, s, e, lab) for d, _, origin, s, e, lab in spans if origin == "curated"]

    def counts(who, documents):
        mine = [(d, s, e, lab) for d, w, o, s, e, lab in spans if w == who and o == "manual"]
        mine = [x for x in mine if x[0] in documents]
        theirs = [x for x in reference if x[0] in documents]
        matched = sum(min(mine.count(x), theirs.count(x)) for x in set(mine))
        touches = lambda x, y: x[0] == y[0] and x[3] == y[3] and max(x[1], y[1]) < min(x[2], y[2])  # noqa: E731
        a = sum(any(touches(x, y) for y in theirs) for x in mine)
        b = sum(any(touches(y, x) for x in mine) for y in theirs)
        return len(mine), len(theirs), matched, a, b

    def figures(documents, who):
        n_a, n_b, m, a, b = counts(who, documents)
        p = Fraction(m, n_a) if n_a else None
        r = Fraction(m, n_b) if n_b else None
        op = Fraction(a, n_a) if n_a else None
        orr = Fraction(b, n_b) if n_b else None
        f1 = Fraction(2 * m, n_a + n_b) if n_a + n_b else None
        of1 = None if not n_a + n_b else (0 if not op or not orr else 2 * op * orr / (op + orr))
        return {"exact_precision": p, "exact_recall": r, "exact_f1": f1,
                "overlap_precision": op, "overlap_recall": orr, "overlap_f1": of1,
                "analyst_spans": n_a, "gold_spans": n_b, "exact_matches": m}  # fmt: skip

    out = {}
    for who in sorted({w for _, w in done}):
        mine = {doc for doc, w in done if w == who}
        weeks: dict[str, set[int]] = {}
        for doc in mine:
            weeks.setdefault(by_period(done_at[who][gold[doc]]), set()).add(doc)
        out[who] = {
            "documents": len(mine),
            "all": figures(mine, who),
            "over_time": {week: figures(docs, who) for week, docs in weeks.items()},
        }
    return out


def same(figures: dict, expected: dict) -> None:
    for key, value in expected.items():
        got = figures[key]
        if value is None or isinstance(value, int) and not isinstance(value, Fraction):
            assert got == value, key
        else:
            assert got == pytest.approx(float(value), rel=1e-12, abs=1e-15), key


def iso_week(when) -> str:
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


def test_the_scores_against_gold_equal_an_independent_computation_over_time(tmp_path):
    """Three analysts work packets with gold mixed in over several weeks; merged back (twice),
    their scores overall and per week are what a computation from the spans alone gives."""
    lead = gold_lead(tmp_path / "lead.db", documents=45, gold=15, seed=3)
    report, packets = assign_with_packets(
        lead, ["ana", "bo", "cy"], tmp_path / "out", overlap=2, seed=7, gold=6
    )
    reference = curated_by_hash(lead)
    done_at = {
        p.analyst: work_packet(p.path, p.analyst, reference, seed=2, every=1.5) for p in packets
    }
    for _ in range(2):
        merge_projects(lead, [p.path for p in packets])
    scored = score(lead, by="week").to_json()
    expected = independent_scores(tmp_path / "lead.db", done_at, iso_week)
    assert [a["analyst"] for a in scored["analysts"]] == ["ana", "bo", "cy"] == sorted(expected)
    assert scored["gold_documents"] == 15
    for row in scored["analysts"]:
        want = expected[row["analyst"]]
        assert row["documents"] == want["documents"] == row["given"] == 6
        same(row["all"], want["all"])
        assert [p["period"] for p in row["over_time"]] == sorted(want["over_time"])
        assert len(row["over_time"]) >= 2  # the figures follow the weeks
        for point in row["over_time"]:
            same(point["all"], want["over_time"][point["period"]])
    assert any(row["all"]["exact_f1"] not in (0.0, 1.0) for row in scored["analysts"])
    lead.close()


def test_per_label_figures_add_up_to_all_labels_and_months_group_weeks(tmp_path):
    lead = gold_lead(tmp_path / "lead.db", documents=20, gold=8, seed=5)
    _, packets = assign_with_packets(lead, ["ana"], tmp_path / "out", seed=1, gold=8)
    work_packet(packets[0].path, "ana", curated_by_hash(lead), seed=3, every=3)
    merge_projects(lead, [packets[0].path])
    by_month = score(lead, by="month").to_json()["analysts"][0]
    by_day = score(lead, by="day").to_json()["analysts"][0]
    for key in ("analyst_spans", "gold_spans", "exact_matches"):
        assert sum(f[key] for f in by_month["labels"].values()) == by_month["all"][key]
        assert sum(p["all"][key] for p in by_month["over_time"]) == by_month["all"][key]
        assert sum(p["all"][key] for p in by_day["over_time"]) == by_day["all"][key]
    assert all(len(p["period"]) == 7 for p in by_month["over_time"])  # "2026-03"
    only = score(lead, ["quote"]).to_json()["analysts"][0]
    assert list(only["labels"]) == ["quote"]
    assert only["all"]["gold_spans"] == by_month["labels"]["quote"]["gold_spans"]
    lead.close()


def test_a_curator_who_marked_gold_done_is_not_scored_and_nothing_gold_scores_no_one(tmp_path):
    lead = gold_lead(tmp_path / "lead.db", documents=10, gold=3)
    for doc in sorted(gold_set(lead)):
        lead.statuses.set(doc, "done")  # the lead, who only curated
    assert score(lead).to_json()["analysts"] == []
    unmark_gold(lead, [str(d) for d in gold_set(lead)])
    assert score(lead).to_json() == {
        "against": "gold", "by": "week", "gold_documents": 0,
        "labels": [lab.name for lab in lead.labels.all()], "analysts": [],
        "relation_types": ["said_by", "concedes"],
    }  # fmt: skip
    lead.close()


def test_precision_and_recall_where_one_side_has_no_span(tmp_path):
    with lead_project(tmp_path / "lead.db", uneven_texts(3)) as store:
        store.spans.add(1, 0, 7, "claim", origin="curated")
        settle(store, 2)  # gold with nothing in it
        mark_gold(store, ["1", "2"])
        with Store(tmp_path / "lead.db", "ana") as ana:
            ana.spans.add(2, 0, 5, "quote")
            ana.statuses.set(1, "done")
            ana.statuses.set(2, "done")
        row = score(store).to_json()["analysts"][0]
    claim, quote = row["labels"]["claim"], row["labels"]["quote"]
    assert (claim["exact_precision"], claim["exact_recall"], claim["exact_f1"]) == (None, 0.0, 0.0)
    assert (quote["exact_precision"], quote["exact_recall"], quote["overlap_f1"]) == (
        0.0,
        None,
        0.0,
    )
    assert row["labels"]["caption"]["overlap_f1"] is None


# -- relations scored against gold --------------------------------------------------------------

TYPES = {"said_by": ("quote", "speaker"), "concedes": ("concession", "claim")}


def an_end(rng, length: int, label: str) -> tuple[int, int, str]:
    start = rng.randrange(0, max(1, length - 20))
    return (start, min(length, start + rng.randint(4, 15)), label)


def nudged(rng, end: tuple[int, int, str], length: int) -> tuple[int, int, str]:
    """The same end moved by a character or two, still sharing one with where it was."""
    start, stop, label = end
    return (
        max(0, start + rng.choice((-2, -1, 1))),
        min(length, stop + rng.choice((-1, 1, 2))),
        label,
    )


def relations_lead(path, *, documents: int, gold: int, seed: int) -> tuple[Store, dict]:
    """A lead's project whose first ``gold`` documents hold curated relations of both types
    (a few each), settled and gold; returns the curated relations by document."""
    store = lead_project(path, uneven_texts(documents, seed))
    rng = random.Random(seed)
    curated: dict[int, list] = {}
    for doc in store.documents.ids()[:gold]:
        length = len(store.documents.text(doc))
        for kind, (head, child) in TYPES.items():
            for _ in range(rng.randint(0, 3)):
                ends = (an_end(rng, length, head), an_end(rng, length, child))
                relate(store, doc, *ends, kind, origin="curated")
                curated.setdefault(doc, []).append((kind, ends))
        settle(store, doc)
    mark_gold(store, [str(doc) for doc in store.documents.ids()[:gold]])
    return store, curated


def work_relations(path, who: str, curated: dict, *, seed: int, every: float) -> dict[int, object]:
    """``who`` relates on each gold document of the lead's project, in turn, marking each done
    ``every`` days after the one before: each gold relation kept, its ends nudged, made twice
    (two of theirs on one of gold's), an end of the wrong place, or left out, by chance; and
    relations of their own. Returns when each document was marked done."""
    rng = random.Random(f"{seed} {who}")
    clock = Clock(START)
    done = {}
    with Store(path, who, clock=clock) as store:
        for i, doc in enumerate(sorted(curated)):
            clock.at(i * every * 86400)
            length = len(store.documents.text(doc))
            for kind, (head, child) in curated[doc]:
                roll = rng.random()
                if roll < 0.35:
                    relate(store, doc, head, child, kind)
                elif roll < 0.55:
                    relate(store, doc, nudged(rng, head, length), nudged(rng, child, length), kind)
                elif roll < 0.7:
                    relate(store, doc, head, nudged(rng, child, length), kind)
                    relate(store, doc, nudged(rng, head, length), child, kind)
                elif roll < 0.85:
                    relate(store, doc, head, an_end(rng, length, child[2]), kind)
            for _ in range(rng.randint(0, 1)):
                kind = rng.choice(list(TYPES))
                relate(store, doc, *(an_end(rng, length, lab) for lab in TYPES[kind]), kind)
            clock.at(i * every * 86400 + 60)
            store.statuses.set(doc, "done")
            done[doc] = clock.now
    return done


def independent_relation_scores(path, done_at, by_period) -> dict[str, dict]:
    """Each analyst's relations against gold's, from the definitions alone: exact, the same
    type and both ends' start, end and label, each gold relation matched once; overlap, the
    most pairs (each relation in one at most) of the same type whose heads and children
    share a character and a label, found by trying every choice."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        'SELECT r.document_id, t.name, h.annotator, h.origin, h.start, h."end", hl.name,'
        ' c.start, c."end", cl.name FROM relations r JOIN relation_types t ON t.id = r.type_id'
        " JOIN spans h ON h.id = r.head JOIN spans c ON c.id = r.child"
        " JOIN labels hl ON hl.id = h.label_id JOIN labels cl ON cl.id = c.label_id"
    ).fetchall()
    conn.close()
    gold = [(d, k, (hs, he, hl), (cs, ce, cl)) for d, k, _, o, hs, he, hl, cs, ce, cl in rows
            if o == "curated"]  # fmt: skip

    def fits(x, y) -> bool:
        return all(
            a[2] == b[2] and max(a[0], b[0]) < min(a[1], b[1]) for a, b in zip(x, y, strict=True)
        )

    def best(mine, theirs, used=frozenset()) -> int:
        if not mine:
            return 0
        first, rest = mine[0], mine[1:]
        choices = [best(rest, theirs, used)]
        for j, g in enumerate(theirs):
            if j not in used and fits(first, g):
                choices.append(1 + best(rest, theirs, used | {j}))
        return max(choices)

    def figures(who, documents, kinds):
        mine = [(d, k, h, c) for d, k, w, o, *e in rows if w == who and o == "manual"
                for h, c in [(tuple(e[:3]), tuple(e[3:]))]]  # fmt: skip
        mine = [x for x in mine if x[0] in documents and x[1] in kinds]
        theirs = [x for x in gold if x[0] in documents and x[1] in kinds]
        m = sum(min(mine.count(x), theirs.count(x)) for x in set(mine))
        k = sum(
            best([x[2:] for x in mine if x[:2] == group], [x[2:] for x in theirs if x[:2] == group])
            for group in {x[:2] for x in mine}
        )
        n_a, n_b = len(mine), len(theirs)
        ratio = lambda top, bottom: Fraction(top, bottom) if bottom else None  # noqa: E731
        return {"analyst_relations": n_a, "gold_relations": n_b, "exact_matches": m,
                "overlap_matches": k, "exact_precision": ratio(m, n_a),
                "exact_recall": ratio(m, n_b), "exact_f1": ratio(2 * m, n_a + n_b),
                "overlap_precision": ratio(k, n_a), "overlap_recall": ratio(k, n_b),
                "overlap_f1": ratio(2 * k, n_a + n_b)}  # fmt: skip

    out = {}
    for who, done in done_at.items():
        periods: dict[str, set[int]] = {}
        for doc, when in done.items():
            periods.setdefault(by_period(when), set()).add(doc)
        out[who] = {
            "all": figures(who, set(done), set(TYPES)),
            "types": {kind: figures(who, set(done), {kind}) for kind in TYPES},
            "over_time": {p: figures(who, docs, set(TYPES)) for p, docs in periods.items()},
        }
    return out


def test_relations_against_gold_equal_an_independent_computation_over_time(tmp_path):
    """Three analysts relate on the gold documents over several weeks, keeping, nudging,
    doubling and missing gold's relations: their relation scores overall, per type and per
    week are what a computation from the definitions alone gives."""
    lead, curated = relations_lead(tmp_path / "lead.db", documents=24, gold=16, seed=4)
    lead.close()
    done_at = {
        who: work_relations(tmp_path / "lead.db", who, curated, seed=6, every=1.5)
        for who in ("ana", "bo", "cy")
    }
    with Store(tmp_path / "lead.db", "lead") as lead:
        scored = score(lead, by="week").to_json()
    expected = independent_relation_scores(tmp_path / "lead.db", done_at, iso_week)
    assert scored["relation_types"] == ["said_by", "concedes"]
    assert [a["analyst"] for a in scored["analysts"]] == ["ana", "bo", "cy"]
    for row in scored["analysts"]:
        want = expected[row["analyst"]]
        same(row["relations"]["all"], want["all"])
        for kind in TYPES:
            same(row["relations"]["types"][kind], want["types"][kind])
        assert len(row["over_time"]) >= 3
        for point in row["over_time"]:
            same(point["relations"]["all"], want["over_time"][point["period"]])
        figures = row["relations"]["all"]
        # nudged and doubled relations: overlap finds more than exact, and fewer than made
        assert figures["exact_matches"] < figures["overlap_matches"] < figures["analyst_relations"]
    assert any(0 < r["relations"]["all"]["exact_f1"] < 1 for r in scored["analysts"])


def test_two_relations_on_one_gold_relation_match_it_once(tmp_path):
    text = "“We will build it,” said Mayor Ana Ruiz, who conceded costs may rise."
    with lead_project(tmp_path / "lead.db", [text]) as store:
        relate(store, 1, (0, 19, "quote"), (25, 39, "speaker"), "said_by", origin="curated")
        settle(store, 1)
        mark_gold(store, ["1"])
        with Store(tmp_path / "lead.db", "ana") as ana:
            relate(ana, 1, (0, 19, "quote"), (30, 39, "speaker"), "said_by")  # the child shorter
            relate(ana, 1, (1, 18, "quote"), (25, 39, "speaker"), "said_by")  # the head inside
            relate(ana, 1, (0, 19, "quote"), (41, 44, "speaker"), "said_by")  # another speaker
            ana.statuses.set(1, "done")
        row = score(store).to_json()["analysts"][0]
    said_by = row["relations"]["types"]["said_by"]
    assert (said_by["analyst_relations"], said_by["gold_relations"]) == (3, 1)
    assert (said_by["exact_matches"], said_by["overlap_matches"]) == (0, 1)
    assert said_by["overlap_precision"] == pytest.approx(1 / 3)
    assert said_by["overlap_recall"] == 1.0 and said_by["overlap_f1"] == pytest.approx(0.5)
    assert row["relations"]["types"]["concedes"]["exact_f1"] is None
