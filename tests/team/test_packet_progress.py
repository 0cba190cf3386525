"""`annotator progress`: documents × analysts, assigned and by each analyst's own status,
checked against a count made here one assignment at a time."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest
from click.testing import CliRunner
from packet_project import lead_project, uneven_texts

from annotator.cli.main import cli
from annotator.team.assign import assign
from annotator.team.packet_progress import progress
from annotator.team.packets import write_packet

ANALYSTS = ["ana", "bo", "cy", "dee"]


@pytest.fixture
def lead(tmp_path):
    store = lead_project(tmp_path / "lead.db", uneven_texts(120))
    assign(store, ANALYSTS, overlap=2, sample=0.5, seed=4)
    yield store
    store.close()


def given(store) -> list[tuple[int, str]]:
    return store.conn.execute("SELECT document_id, analyst FROM assignments").fetchall()


def set_statuses(store, seed: int = 1) -> dict[tuple[int, str], str]:
    """Random statuses for the assigned analysts, and some that must not count: the lead's,
    and an analyst's on a document not given them."""
    rng = random.Random(seed)
    chosen = {}
    for doc, who in given(store):
        status = rng.choice(["new", "new", "in_progress", "done", "done", "skipped"])
        if status != "new" or rng.random() < 0.3:  # a "new" row, as a reopened one leaves
            store.statuses.set(doc, status, who)
            chosen[(doc, who)] = status
    pairs = set(given(store))
    for doc in store.documents.ids()[:30]:
        store.statuses.set(doc, "done", "lead")
        for who in ANALYSTS:
            if (doc, who) not in pairs:
                store.statuses.set(doc, "done", who)
                break
    return chosen


def expected(store, statuses) -> dict:
    per: dict[str, Counter] = {}
    documents: dict[int, list[str]] = {}
    for doc, who in given(store):
        status = statuses.get((doc, who), "new")
        per.setdefault(who, Counter())["assigned"] += 1
        per[who][status] += 1
        documents.setdefault(doc, []).append(status)
    done = sum(all(s in ("done", "skipped") for s in v) for v in documents.values())
    begun = sum(
        any(s != "new" for s in v) and not all(s in ("done", "skipped") for s in v)
        for v in documents.values()
    )
    return {
        "analysts": {
            who: (c["assigned"], c["new"], c["in_progress"], c["done"], c["skipped"])
            for who, c in per.items()
        },
        "documents": (len(documents), done, begun),
    }


def test_the_figures_match_a_count_of_each_assignment(lead):
    statuses = set_statuses(lead)
    want = expected(lead, statuses)
    got = progress(lead)
    assert {
        a.analyst: (a.assigned, a.not_started, a.in_progress, a.done, a.skipped)
        for a in got.analysts
    } == want["analysts"]
    assert [a.analyst for a in got.analysts] == ANALYSTS
    docs = got.documents
    assert (docs.assigned, docs.done, docs.in_progress) == want["documents"]
    assert docs.total == 120 and docs.unassigned == 0
    assert docs.not_started == docs.assigned - docs.done - docs.in_progress
    overall = got.overall
    assert overall.assigned == len(given(lead)) == sum(a.assigned for a in got.analysts)
    assert overall.done == sum(1 for s in statuses.values() if s == "done")
    assert got.has_work


def test_before_any_work_comes_back_only_the_assignment_counts(lead):
    got = progress(lead)
    assert not got.has_work
    assert all(a.not_started == a.assigned for a in got.analysts)
    lines = got.lines()
    assert lines[0].split() == ["analyst", "assigned"]
    assert "No work has come back yet" in lines[-1]


def test_documents_not_yet_assigned_are_counted_apart(tmp_path):
    with lead_project(tmp_path / "lead.db", uneven_texts(10)) as store:
        assert progress(store).lines() == [
            "No documents are assigned yet; `annotator assign` gives them out."
        ]
        assign(store, ["ana"], seed=1)
        from packet_project import add_texts

        add_texts(store, [f"A later article {i}." for i in range(3)])
        docs = progress(store).documents
        assert (docs.total, docs.assigned, docs.unassigned) == (13, 10, 3)
        assert "(3 not yet)" in "\n".join(progress(store).lines())


def test_the_table_shows_a_column_only_when_it_holds_something(lead, tmp_path):
    store = lead
    first = next(d for d, w in given(store) if w == "ana")
    store.statuses.set(first, "done", "ana")
    heading = progress(store).lines()[0].split()
    assert heading == ["analyst", "assigned", "not", "started", "in", "progress", "done"]
    store.statuses.set(first, "skipped", "ana")
    write_packet(store, "bo", tmp_path / "bo.db")
    lines = progress(store).lines()
    assert lines[0].split()[-3:] == ["skipped", "packets", "returned"]
    row = dict(zip(["analyst", "assigned", "not_started", "in_progress", "done", "skipped",
                    "packets", "returned"], lines[2].split(), strict=True))  # fmt: skip
    assert row["analyst"] == "bo" and row["packets"] == "1" and row["returned"] == "0"
    assert lines[len(ANALYSTS) + 1].startswith("all")


def test_the_command_prints_the_table_and_json(lead):
    statuses = set_statuses(lead, seed=2)
    want = expected(lead, statuses)
    lead.close()
    result = CliRunner().invoke(cli, ["--db", str(lead.path), "progress", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    got = {
        a["analyst"]: tuple(a[k] for k in ("assigned", "not_started", "in_progress", "done",
                                            "skipped"))
        for a in data["analysts"]
    }  # fmt: skip
    assert got == want["analysts"]
    d = data["documents"]
    assert (d["assigned"], d["done"], d["in_progress"]) == want["documents"]
    assert data["overall"]["assigned"] == sum(v[0] for v in got.values())
    table = CliRunner().invoke(cli, ["--db", str(lead.path), "progress"])
    assert table.exit_code == 0 and table.output.splitlines()[1].split()[0] == "ana"
    missing = CliRunner().invoke(cli, ["--db", str(lead.path) + "x", "progress"])
    assert missing.exit_code == 1 and "no such project file" in missing.output
