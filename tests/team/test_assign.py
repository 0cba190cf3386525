"""Documents handed out to analysts: exact overlap, shares balanced by characters, the same seed
giving the same assignment, later documents given out without moving earlier ones, and bad
settings refused with nothing written."""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter

import pytest
from click.testing import CliRunner
from packet_project import add_texts, lead_project, uneven_texts

from annotator.cli.main import cli
from annotator.cli.packets import QUEUE_ORDERS as CLI_ORDERS
from annotator.store.project import Store
from annotator.team.assign import QUEUE_ORDERS, AssignError, assign, plan

TWELVE = [f"analyst-{i:02}" for i in range(12)]


def assignments(path) -> list[tuple[str, str, int, int]]:
    """(document text hash, analyst, run, queue place) of every assignment, sorted."""
    conn = sqlite3.connect(path)
    try:
        return sorted(
            conn.execute(
                "SELECT d.text_hash, a.analyst, a.run_id, a.position FROM assignments a"
                " JOIN documents d ON d.id = a.document_id"
            )
        )
    finally:
        conn.close()


def analysts_of(path) -> dict[str, set[str]]:
    given: dict[str, set[str]] = {}
    for digest, who, _, _ in assignments(path):
        given.setdefault(digest, set()).add(who)
    return given


def characters(path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return dict(
            conn.execute(
                "SELECT a.analyst, sum(length(d.text)) FROM assignments a"
                " JOIN documents d ON d.id = a.document_id GROUP BY a.analyst"
            )
        )
    finally:
        conn.close()


def assert_balanced(path, analysts, within: float = 0.10) -> None:
    shares = characters(path)
    assert set(shares) == set(analysts)
    assert (max(shares.values()) - min(shares.values())) / min(shares.values()) <= within, shares


@pytest.fixture
def lead(tmp_path):
    store = lead_project(tmp_path / "lead.db", uneven_texts(300))
    yield store
    store.close()


# -- every document to exactly the promised number of analysts --------------------------------


@pytest.mark.parametrize(
    ("analysts", "overlap"),
    [(["ana", "bo", "cy"], 1), (["ana", "bo", "cy"], 2), (["ana", "bo", "cy"], 3),
     (TWELVE, 1), (TWELVE, 2), (TWELVE, 5)],
)  # fmt: skip
def test_every_document_goes_to_exactly_overlap_distinct_analysts(lead, analysts, overlap):
    report = assign(lead, analysts, overlap=overlap, seed=11)
    given = analysts_of(lead.path)
    assert len(given) == 300 and report.assigned == 300
    assert Counter(len(who) for who in given.values()) == {overlap: 300}
    assert len(assignments(lead.path)) == 300 * overlap  # no analyst twice on one document
    assert_balanced(lead.path, analysts)


@pytest.mark.parametrize(("analysts", "overlap", "sample"), [
    (["ana", "bo", "cy"], 2, 0.2), (["ana", "bo", "cy"], 3, 0.5), (TWELVE, 2, 0.1),
    (TWELVE, 3, 0.25), (TWELVE, 2, 1.0),
])  # fmt: skip
def test_a_sample_goes_to_overlap_analysts_and_the_rest_to_one(lead, analysts, overlap, sample):
    report = assign(lead, analysts, overlap=overlap, sample=sample, seed=5)
    given = analysts_of(lead.path)
    sampled = round(sample * 300)
    expected = {overlap: sampled, 1: 300 - sampled} if sampled < 300 else {overlap: 300}
    assert Counter(len(who) for who in given.values()) == expected
    assert report.sampled == sampled
    assert_balanced(lead.path, analysts)


def test_a_sample_of_a_tiny_share_still_takes_one_document(lead):
    assign(lead, ["ana", "bo"], overlap=2, sample=0.001, seed=1)
    assert Counter(len(who) for who in analysts_of(lead.path).values()) == {2: 1, 1: 299}


def test_shares_are_balanced_by_characters_not_by_documents(tmp_path):
    """A few very long documents and many short ones: the analyst with a long one gets
    fewer documents, and the characters come out within 10 %."""
    rng = random.Random(3)
    texts = [f"Long {i}. " + "x " * 20_000 for i in range(4)]
    texts += [f"Short {i}. " + "y " * rng.randint(50, 3_000) for i in range(240)]
    with lead_project(tmp_path / "lead.db", texts) as store:
        assign(store, ["ana", "bo", "cy"], overlap=1, seed=2)
    assert_balanced(tmp_path / "lead.db", ["ana", "bo", "cy"])
    counts = Counter(who for _, who, _, _ in assignments(tmp_path / "lead.db"))
    assert max(counts.values()) - min(counts.values()) > 5  # documents are not what is evened


def test_the_plan_keeps_the_largest_share_within_the_longest_document_of_the_smallest():
    rng = random.Random(9)
    for trial in range(30):
        documents = [(i, rng.randint(1, 5_000)) for i in range(rng.randint(1, 60))]
        analysts = [f"a{i}" for i in range(rng.randint(1, 8))]
        overlap = rng.randint(1, len(analysts))
        chosen = plan(documents, analysts, overlap, seed=trial)
        loads = dict.fromkeys(analysts, 0)
        for doc, length in documents:
            assert len(set(chosen.given[doc])) == overlap
            for who in chosen.given[doc]:
                loads[who] += length
        assert max(loads.values()) - min(loads.values()) <= max(n for _, n in documents)


# -- reproducible ------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_assignment_and_another_seed_another(tmp_path):
    texts = uneven_texts(120)
    runs = {}
    for name, seed in [("a", 7), ("b", 7), ("c", 8)]:
        with lead_project(tmp_path / f"{name}.db", texts) as store:
            assign(store, TWELVE, overlap=2, sample=0.5, seed=seed, order="shuffled")
        runs[name] = assignments(tmp_path / f"{name}.db")
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]
    by_analyst = [{(d, w) for d, w, _, _ in runs[n]} for n in ("a", "c")]
    assert by_analyst[0] != by_analyst[1]  # other analysts, not only another queue order


def test_the_seed_and_settings_are_recorded_with_the_run(lead):
    report = assign(lead, ["ana", "bo"], overlap=2, seed=123456789012345678, order="shuffled")
    row = lead.conn.execute(
        "SELECT id, assigned_by, seed, overlap, sample, queue_order, analysts, documents"
        " FROM assignment_runs"
    ).fetchone()
    assert row == (report.run, "lead", 123456789012345678, 2, None, "shuffled",
                   '["ana", "bo"]', 300)  # fmt: skip
    [entry] = [c for c in lead.history() if c["action"] == "assign"]
    assert entry["annotator"] == "lead" and entry["details"]["seed"] == 123456789012345678


# -- queues ------------------------------------------------------------------------------------


def test_each_queue_follows_the_project_order_or_a_seeded_shuffle(tmp_path):
    texts = uneven_texts(60)

    def queue(name, order, seed):
        with lead_project(tmp_path / f"{name}.db", texts) as store:
            assign(store, ["ana", "bo"], overlap=2, seed=seed, order=order)
            return [
                r[0]
                for r in store.conn.execute(
                    "SELECT document_id FROM assignments WHERE analyst = 'ana' ORDER BY position"
                )
            ]

    assert queue("p", "project", 1) == list(range(1, 61))
    shuffled = queue("s", "shuffled", 1)
    assert sorted(shuffled) == list(range(1, 61)) and shuffled != list(range(1, 61))
    assert queue("s2", "shuffled", 1) == shuffled
    assert queue("s3", "shuffled", 2) != shuffled


def test_the_command_line_offers_the_queue_orders_the_core_knows():
    assert CLI_ORDERS == QUEUE_ORDERS


# -- extending ---------------------------------------------------------------------------------


def test_documents_imported_later_are_assigned_without_moving_any_assigned_before(tmp_path):
    texts = uneven_texts(260, seed=4)
    path = tmp_path / "lead.db"
    with lead_project(path, texts[:200]) as store:
        first = assign(store, TWELVE[:6], overlap=2, seed=3)
    before = assignments(path)
    with Store(path, "lead") as store:
        add_texts(store, texts[200:])
        again = assign(store, TWELVE[:6], overlap=2, seed=3)
        third = assign(store, TWELVE[:6], overlap=2, seed=4)
    after = assignments(path)
    assert set(before) <= set(after)
    assert len(after) == 520 and (first.assigned, again.assigned) == (200, 60)
    assert again.already == 200 and third.assigned == 0 and third.run is None
    assert Counter(len(who) for who in analysts_of(path).values()) == {2: 260}
    new = [a for a in after if a not in set(before)]
    assert {run for _, _, run, _ in new} == {again.run}
    for who in TWELVE[:6]:  # new documents join the end of each queue
        places = sorted(p for _, w, _, p in after if w == who)
        assert places == list(range(len(places)))
        assert min(p for _, w, _, p in new if w == who) > max(
            p for _, w, _, p in before if w == who
        )
    assert_balanced(path, TWELVE[:6])
    shares = characters(path)
    assert {s.analyst: s.total_characters for s in again.shares} == shares
    assert sum(s.documents for s in again.shares) == 120


def test_a_new_analyst_added_later_is_given_the_new_documents_first(tmp_path):
    texts = uneven_texts(200, seed=8)
    path = tmp_path / "lead.db"
    with lead_project(path, texts[:150]) as store:
        assign(store, ["ana", "bo"], overlap=1, seed=1)
        add_texts(store, texts[150:])
        report = assign(store, ["ana", "bo", "cy"], overlap=1, seed=1)
    shares = {s.analyst: s for s in report.shares}
    assert shares["cy"].documents > shares["ana"].documents + shares["bo"].documents


# -- refused, with nothing written -------------------------------------------------------------


@pytest.mark.parametrize(
    ("analysts", "settings", "says"),
    [
        (["ana", "bo"], {"overlap": 3}, "--overlap 3 needs at least 3 analysts; 2 were named"),
        (["ana"], {"overlap": 2}, "needs at least 2 analysts; 1 was named"),
        (["ana", "bo"], {"overlap": 0}, "--overlap must be 1 or more"),
        (["ana", "bo"], {"overlap": 2, "sample": 0.0}, "--sample must be a fraction over 0"),
        (["ana", "bo"], {"overlap": 2, "sample": 1.5}, "--sample must be a fraction over 0"),
        (["ana", "bo"], {"overlap": 1, "sample": 0.5}, "give --overlap 2 or more with it"),
        (["ana", "ana"], {}, "'ana' is named twice"),
        (["ana", "b\nb"], {}, "holds a control or formatting character"),
        (["ana", "  "], {}, "cannot be blank"),
        ([], {}, "name the analysts"),
        (["ana"], {"order": "random"}, "--order must be one of project, shuffled"),
    ],
)
def test_bad_settings_are_refused_with_nothing_written(lead, dump, analysts, settings, says):
    before = dump(lead.path)
    with pytest.raises(AssignError, match=says.replace("(", r"\(")):
        assign(lead, analysts, seed=1, **settings)
    assert dump(lead.path) == before


def test_a_project_without_documents_is_refused(tmp_path, dump):
    with Store(tmp_path / "empty.db", "lead") as store:
        before = dump(store.path)
        with pytest.raises(AssignError, match="has no documents to assign; import some first"):
            assign(store, ["ana"], seed=1)
        assert dump(store.path) == before


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["ana", "bo", "--overlap", "3"], 1, "Error: --overlap 3 needs at least 3 analysts"),
        (["ana", "ana"], 1, "Error: the analyst 'ana' is named twice"),
        (["ana", "b\x1b[31mb"], 1, "holds a control or formatting character"),
        (["ana", "bo", "--overlap", "2", "--sample", "0"], 2, "'0' is not a fraction over 0"),
        (["ana", "bo", "--overlap", "2", "--sample", "nan"], 2, "'nan' is not a fraction"),
        (["ana", "bo", "--overlap", "2", "--sample", "1.01"], 2, "is not a fraction over 0"),
        (["ana", "bo", "--overlap", "1.5"], 2, "'1.5' is not a whole number of analysts"),
        (["ana", "bo", "--overlap", "0"], 2, "'0' is not a whole number of analysts"),
        (["ana", "--seed", "-1"], 2, "'-1' is not a whole number from 0"),
        (["ana", "--seed", "9223372036854775808"], 2, "is not a whole number from 0"),
        ([], 2, "Missing argument 'ANALYST...'"),
    ],
)
def test_the_command_refuses_bad_input_in_one_line_with_nothing_written(
    lead, dump, args, code, says
):
    lead.close()
    before = dump(lead.path)
    result = run("--db", str(lead.path), "assign", *args)
    assert result.exit_code == code, result.output
    assert says in result.output and "Traceback" not in result.output
    if code == 1:
        assert result.output.count("\n") == 1  # one line
    assert dump(lead.path) == before


def test_the_command_refuses_a_missing_project_and_an_empty_one(tmp_path):
    missing = run("--db", str(tmp_path / "nope.db"), "assign", "ana")
    assert missing.exit_code == 1 and "no such project file" in missing.output
    assert not (tmp_path / "nope.db").exists()
    Store(tmp_path / "empty.db", "lead").close()
    empty = run("--db", str(tmp_path / "empty.db"), "assign", "ana")
    assert empty.exit_code == 1 and "has no documents to assign" in empty.output


def test_the_command_prints_the_shares_and_a_json_report(lead):
    lead.close()
    result = run("--db", str(lead.path), "--user", "lead", "assign", "ana", "bo", "cy",
                 "--overlap", "2", "--seed", "42")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Assigned 300 documents to 3 analysts, 2 analysts each (run 1, seed 42" in result.output
    assert "over the smallest, in characters" in result.output
    again = run("--db", str(lead.path), "assign", "ana", "bo", "--json")
    assert again.exit_code == 0, again.output
    data = json.loads(again.output)
    assert data["assigned"] == 0 and data["already_assigned"] == 300 and data["run"] is None
    assert isinstance(data["seed"], int)  # a seed was chosen, and is said
    assert [a["analyst"] for a in data["analysts"]] == ["ana", "bo"]


def test_without_a_seed_one_is_chosen_recorded_and_printed(lead):
    lead.close()
    result = run("--db", str(lead.path), "assign", "ana", "bo")
    assert result.exit_code == 0, result.output
    with Store(lead.path, "lead") as store:
        seed = store.conn.execute("SELECT seed FROM assignment_runs").fetchone()[0]
    assert f"seed {seed}," in result.output


@pytest.mark.slow
def test_two_assigns_at_once_give_each_document_out_once(tmp_path):
    """Two leads' `assign` processes started together, round after round with new documents
    imported between: the runs take turns, and every document still goes to exactly the
    promised number of analysts."""
    import subprocess
    import sys

    texts = uneven_texts(200, seed=12)
    path = tmp_path / "lead.db"
    lead_project(path, texts[:50]).close()
    for round_ in range(4):
        if round_:
            with Store(path, "lead") as store:
                add_texts(store, texts[50 * round_ : 50 * (round_ + 1)])
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "annotator",
                    "--db",
                    str(path),
                    "--user",
                    who,
                    "assign",
                    *TWELVE[:5],
                    "--overlap",
                    "2",
                    "--seed",
                    str(round_),
                    "--json",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for who in ("lead", "second-lead")
        ]
        outs = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
        assigned = sorted(json.loads(out)["assigned"] for out, _ in outs)
        assert assigned == [0, 50]  # one run gave them all out, the other found none left
        given = analysts_of(path)
        assert len(given) == 50 * (round_ + 1)
        assert Counter(len(who) for who in given.values()) == {2: 50 * (round_ + 1)}
