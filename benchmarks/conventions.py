"""News-like articles whose claims and concessions follow a project's own conventions.

The built-in suggesters know cue words ("although", "argues"); these projects mean something
else by their labels, and only their analysts' spans can teach it:

- ``negotiation``: reports on talks between two sides. A *concession* is one of the short
  items under a section heading such as "What each side could give up", each under a
  sub-heading naming the side (or after "The side:" on the same line); the same layout under
  "Timeline" or "Who is at the table" holds no concession. A *claim* is a sentence in which a
  side states its position ("The union argues that ...", "In the view of the ministry, ...").
- ``rhetoric``: analysis pieces. A *concession* is the first clause (or the first sentence)
  of the paragraph that answers a critic quoted or reported in the paragraph before it ("The
  works will close two roads, but ..."); the same shape elsewhere is none. A *claim* is the
  last sentence of each paragraph after the lead that quotes no one.

``vocabulary="test"`` words the concessions (and the rhetoric claims) with words that never
occur with ``vocabulary="train"``, so a model can only find them from where they stand.

Each record is an annotator JSONL task: ``spans`` are what an analyst tagged (noisy, as real
analysts are: some spans missed, some edges off by a word, a final full stop now in, now
out) and ``meta["gold"]`` the spans the convention defines. Seeded: the same arguments give
the same records.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

GENERATOR_VERSION = 1  # names the cached files: change it when the articles change
CONVENTIONS = ("negotiation", "rhetoric")
LABELS = ("claim", "concession")

_PLACES = [
    "Harlow Vale", "Brennick", "Osterby", "Calder Wick", "Faymouth", "Tullan", "Marsden Cross",
    "Ebberly", "Quenford", "Rosshaven", "Stallbridge", "Wyncote",
]  # fmt: skip
_PEOPLE = [
    "Greta Holm", "Idris Bello", "Carmen Ortiz", "Nils Varga", "Rosa Ekdahl", "Tariq Nadeem",
    "Petra Lund", "Ollie Marsh", "Agnes Kowal", "Dev Raman", "Hilde Brandt", "Marco Ferri",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_MONTHS = ["January", "March", "April", "June", "September", "November"]

# -- negotiation -----------------------------------------------------------------------------

_SIDES = [
    ("the drivers' union", "the transport authority"),
    ("the nurses' association", "the hospital trust"),
    ("the dockers' guild", "the port company"),
    ("the tenants' committee", "the housing board"),
    ("the teachers' federation", "the education office"),
    ("the growers' cooperative", "the regional council"),
]
_GIVE_UP = [
    "What each side could give up", "What each side might concede", "Room for compromise",
    "Where the sides could bend", "Possible trade-offs",
]  # fmt: skip
_TIMELINE = ["Timeline", "How the talks unfolded", "Key dates"]
_TABLE = ["Who is at the table", "The parties"]
_FIGURES = ["Key figures", "In numbers"]
_ITEMS = {
    "train": (
        ["Drop", "Delay", "Freeze", "Waive", "Postpone", "Scale back", "Phase in", "Reduce"],
        [
            "its demand for a four-day week",
            "the planned rise in fares",
            "the claim for back pay",
            "the new rota system",
            "the pension reform",
            "the overtime ban",
            "the weekend surcharge",
            "its call for extra staff",
            "the parking fees",
            "the depot closure",
        ],
        ["", "", " until the autumn", " for a year", " for new staff", " by two years"],
    ),
    "test": (
        ["Abandon", "Shelve", "Halve", "Suspend", "Soften", "Withdraw", "Trim", "Defer"],
        [
            "the uniform allowance",
            "the harbour pilotage levy",
            "its insistence on seniority ladders",
            "the canteen voucher",
            "the mileage rebate",
            "the sabbatical proposal",
            "the quarterly audit regime",
            "the locker deposit",
            "its push for bilingual signage",
        ],
        ["", "", " through midwinter", " pending arbitration", " across rural sites"],
    ),
}
_STANCES = [
    "{Side} argues that {prop}.", "{Side} insists that {prop}.", "{Side} maintains that {prop}.",
    "In the view of {side}, {prop}.", "{Side} is adamant that {prop}.",
    "{Side} contends that {prop}.",
]  # fmt: skip
_PROPS = [
    "wages have fallen behind prices since {year}", "the timetable leaves no room for rest "
    "breaks", "the budget cannot carry another rise", "evening shifts are short of staff on "
    "most days", "the reform would save {n} million a year", "the old agreement was broken "
    "first by the other side", "recruitment will not recover without better pay", "the offer "
    "on the table is already generous", "any deal must be signed before the summer", "the "
    "current rules are impossible to run safely",
]  # fmt: skip
_NEGOTIATION_FACTS = [
    "Talks began in {month} after the last agreement expired.",
    "The two sides met on {day} for the {nth} time this year.",
    "Neither side has published its full proposal.",
    "A mediator from {place} has chaired the last three rounds.",
    "About {n},000 workers are covered by the agreement.",
    "The previous deal ran for four years.",
    "{Side} said the meeting had been useful.",
    "A further round is planned for {day}.",
    "Both delegations left without speaking to reporters.",
    "The dispute has already cost {n} working days.",
    "Services on {day} ran at about half the usual level.",
    "The authority's accounts for last year show a small surplus.",
    "Staff voted in {month} to reject the previous offer.",
    "Observers from {place} attended as guests.",
    "The regional press office declined to comment on the figures.",
    "Several smaller unions are watching the talks closely.",
]
_NEGOTIATION_QUOTES = [
    "We are not going to sign something our members cannot live with",
    "There is a deal to be done, but not at any price",
    "The door is open, and it will stay open",
    "Nobody wants another winter of cancelled services",
]
_TIMELINE_EVENTS = [
    "Talks open at the ministry.", "The first offer is rejected.", "A one-day stoppage "
    "halts services.", "The mediator is appointed.", "Both sides agree to a cooling-off period.",
    "A revised offer is tabled.",
]  # fmt: skip
_TABLE_LINES = [
    "Represents about {n},000 members in {k} branches.", "Employs {n},000 staff across the "
    "region.", "Has led the talks since {month}.", "Sets the budget for the next three years.",
]  # fmt: skip
_FIGURE_LINES = [
    ("Average pay", "€{n},{k}40 a month."), ("Staff", "{n},200 across {k} sites."),
    ("Days lost", "{n} so far this year."), ("Offer", "{k} per cent over two years."),
]  # fmt: skip

# -- rhetoric ------------------------------------------------------------------------------------

_TOPICS = [
    "the tram extension", "the flood barrier", "the school merger", "the bus corridor",
    "the library reopening", "the harbour dredging", "the market hall repair",
]  # fmt: skip
_CROSSHEADS = ["The cost", "The alternative", "What happens next", "The case for", "Who pays"]
_REASONS = [
    "The council's own figures show a saving within {k} years.",
    "Other towns of this size have done the same.",
    "The grant from the region covers most of the outlay.",
    "Usage has risen every year since {year}.",
    "The present arrangement is costing more each winter.",
    "Residents were consulted twice, in {month} and again in the autumn.",
    "The work can be done in stages.",
    "A delay would mean starting the tender again.",
    "Work on the first phase could begin in {month}.",
    "The contractor has finished similar jobs on time.",
    "The council set aside {n} million for it last year.",
    "Maintenance of the present site already runs to {n} million a decade.",
    "A review in {year} reached the same conclusion.",
    "Traffic counts on the main road have fallen since {year}.",
    "Most of the money would be spent with local firms.",
    "The plans went through two rounds of independent review.",
    "Insurance costs for the present site rise every year.",
    "The neighbouring district finished a similar scheme in {year}.",
]
_CLAIMS = {
    "train": [
        "That makes {topic} the better use of public money.",
        "On balance, {topic} deserves the council's support.",
        "The case for {topic} is stronger than its critics allow.",
        "In short, {topic} is worth the wait.",
        "The town cannot afford to let {topic} slip again.",
        "Seen this way, {topic} pays for itself.",
    ],
    "test": [
        "Everything points to approving {topic} quickly.",
        "Voters should judge {topic} by its decades of service.",
        "Here {topic} beats every rival plan.",
        "Put plainly, {topic} earns its price.",
    ],
}
_CRITICS = [
    "This is money we simply do not have",
    "Nobody asked the people who will live next to it",
    "The numbers were written to fit the answer",
    "It will be late, and it will be over budget",
]
_CRITIC_ROLES = [
    "an opposition councillor", "a local business owner", "the chair of the residents' group",
    "a former finance officer",
]  # fmt: skip
_GRANTS = {
    "train": [
        "The works will close two roads through the summer",
        "Some shops on the route will lose passing trade for a year",
        "The first estimate was too low by a fifth",
        "Construction noise will disturb the nearest streets",
        "The consultation came late in the process",
        "Fares or fees may rise for a while",
        "The design has changed three times",
        "Parking near the site will be scarce",
    ],
    "test": [
        "Ferry crews could idle at empty berths during dredging",
        "Allotment holders lose their plots beside the embankment",
        "Heritage inspectors flagged cracked masonry twice",
        "Cyclists face detours past the gasworks",
        "Pupils commute farther while classrooms merge",
        "Volunteers warned about mould behind shelving",
    ],
}
_COUNTERS = [
    "the alternative would cost more.", "the delay would cost the town far more.",
    "none of that outweighs the gain.", "those costs are short-lived.",
]  # fmt: skip
# How an answer joins the point it grants to its own: the first clause, or the first sentence.
_JOINS = [(", but ", ""), ("; yet ", ""), (" — but ", ""), (" but ", ""), (".", " Even so, ")]
_REPORTED = [
    "the town simply does not have the money", "nobody asked the people who will live next to "
    "it", "the numbers were written to fit the answer", "it will be late and over budget",
]  # fmt: skip
_REPORTING = ["says", "argues", "warns", "insists"]
_OPENERS = [  # the same shape as a concession, in a paragraph that answers no one
    "The plan is ambitious, but it is not reckless.",
    "The timetable is tight, yet it has slack in the right places.",
    "The council moved slowly, but it moved.",
]


class _Text:
    """An article being written: its text so far and the spans its convention defines."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[int, int, str]] = []

    def add(self, piece: str, label: str | None = None) -> None:
        if label is not None:
            self.spans.append((self.length, self.length + len(piece), label))
        self.parts.append(piece)
        self.length += len(piece)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _fill(rng: random.Random, template: str, **given: str) -> str:
    side = given.get("side", "")
    values = {
        "day": rng.choice(_DAYS),
        "month": rng.choice(_MONTHS),
        "place": rng.choice(_PLACES),
        "year": str(rng.randint(2015, 2023)),
        "n": str(rng.randint(2, 40)),
        "k": str(rng.randint(2, 9)),
        "nth": rng.choice(["third", "fourth", "fifth", "sixth"]),
        "side": side,
        "Side": side[:1].upper() + side[1:],
        "topic": given.get("topic", ""),
        "Topic": given.get("topic", "")[:1].upper() + given.get("topic", "")[1:],
        "prop": given.get("prop", ""),
    }
    return template.format(**values)


def _title(rng: random.Random, words: str) -> str:
    return f"{words} in {rng.choice(_PLACES)}"


# -- negotiation -------------------------------------------------------------------------------


def _stance(rng: random.Random, side: str) -> str:
    prop = _fill(rng, rng.choice(_PROPS))
    return _fill(rng, rng.choice(_STANCES), side=side, prop=prop)


def _negotiation_paragraph(
    out: _Text, rng: random.Random, sides: tuple[str, str], *, stance: float = 0.4
) -> None:
    """Two to four sentences: facts, now and then a side's position (a claim) or a quote."""
    sentences: list[tuple[str, str | None]] = [
        (_fill(rng, fact, side=rng.choice(sides)), None)
        for fact in rng.sample(_NEGOTIATION_FACTS, k=rng.randint(2, 3))
    ]
    if rng.random() < stance:
        sentences.insert(rng.randint(0, len(sentences)), (_stance(rng, rng.choice(sides)), "claim"))
    if rng.random() < 0.3:
        quote = rng.choice(_NEGOTIATION_QUOTES)
        who = rng.choice(_PEOPLE)
        sentences.append((f"“{quote},” said {who}, who speaks for {rng.choice(sides)}.", None))
    for i, (sentence, label) in enumerate(sentences):
        out.add(sentence, label)
        if i < len(sentences) - 1:
            out.add(" ")
    out.add("\n\n")


def _item_lines(
    out: _Text, rng: random.Random, items: list[tuple[str, str]], label: str | None, inline: bool
) -> None:
    for head, line in items:
        if inline:
            out.add(f"{head}: ")
            out.add(line[:1].lower() + line[1:], label)
        else:
            out.add(f"{head}\n")
            out.add(line, label)
        out.add("\n\n")


def _give_up_items(rng: random.Random, sides: tuple[str, str], vocabulary: str) -> list[str]:
    verbs, objects, tails = _ITEMS[vocabulary]
    chosen = rng.sample(objects, k=min(len(objects), rng.randint(2, 4)))
    return [f"{rng.choice(verbs)} {obj}{rng.choice(tails)}." for obj in chosen]


def _negotiation(rng: random.Random, vocabulary: str, size: int) -> _Text:
    sides = rng.choice(_SIDES)
    out = _Text()
    out.add(_title(rng, rng.choice(["Talks stall", "Pay talks resume", "Deadline nears"])))
    out.add("\n\n")
    out.add(f"{rng.choice(_PLACES).upper()} — ")
    _negotiation_paragraph(out, rng, sides)
    distractors = rng.sample(["timeline", "table", "figures"], k=rng.randint(1, 2))
    sections = ["give-up", *distractors]
    rng.shuffle(sections)
    for section in sections:
        for _ in range(rng.randint(1, 2)):
            _negotiation_paragraph(out, rng, sides)
        inline = rng.random() < 0.4
        if section == "give-up":
            out.add(rng.choice(_GIVE_UP) + "\n\n")
            lines = _give_up_items(rng, sides, vocabulary)
            heads = [sides[i % 2][:1].upper() + sides[i % 2][1:] for i in range(len(lines))]
            _item_lines(out, rng, list(zip(heads, lines, strict=True)), "concession", inline)
        elif section == "timeline":
            out.add(rng.choice(_TIMELINE) + "\n\n")
            events = rng.sample(_TIMELINE_EVENTS, k=rng.randint(2, 4))
            heads = [f"{m} {rng.randint(2022, 2024)}" for m in rng.sample(_MONTHS, k=len(events))]
            _item_lines(out, rng, list(zip(heads, events, strict=True)), None, inline)
        elif section == "table":
            out.add(rng.choice(_TABLE) + "\n\n")
            heads = [s[:1].upper() + s[1:] for s in sides]
            lines = [_fill(rng, rng.choice(_TABLE_LINES)) for _ in heads]
            _item_lines(out, rng, list(zip(heads, lines, strict=True)), None, inline)
        else:
            out.add(rng.choice(_FIGURES) + "\n\n")
            picked = rng.sample(_FIGURE_LINES, k=3)
            _item_lines(out, rng, [(h, _fill(rng, line)) for h, line in picked], None, inline)
    while out.length < size:
        _negotiation_paragraph(out, rng, sides)
    return out


# -- rhetoric ----------------------------------------------------------------------------------


def _rhetoric_argument(out: _Text, rng: random.Random, topic: str, vocabulary: str) -> None:
    """Reasons, then a claim as the paragraph's last sentence; now and then it opens with the
    shape of a concession that answers no one."""
    if rng.random() < 0.3:
        out.add(rng.choice(_OPENERS) + " ")
    for reason in rng.sample(_REASONS, k=rng.randint(3, 4)):
        out.add(_fill(rng, reason) + " ")
    out.add(_fill(rng, rng.choice(_CLAIMS[vocabulary]), topic=topic), "claim")
    out.add("\n\n")


def _rhetoric_critic(out: _Text, rng: random.Random) -> None:
    """A critic, quoted (or, now and then, reported without quotation marks)."""
    who = rng.choice(_PEOPLE)
    role = rng.choice(_CRITIC_ROLES)
    if rng.random() < 0.3:
        out.add(f"{who}, {role}, {rng.choice(_REPORTING)} that {rng.choice(_REPORTED)}.")
    else:
        out.add(f"“{rng.choice(_CRITICS)},” said {who}, {role}.")
    if rng.random() < 0.5:
        out.add(f" {who.split()[0]} has opposed the scheme from the start.")
    out.add("\n\n")


def _rhetoric_answer(out: _Text, rng: random.Random, topic: str, vocabulary: str) -> None:
    """The paragraph after a critic's: its first clause (or sentence) grants the point."""
    grant = rng.choice(_GRANTS[vocabulary])
    join, then = rng.choice(_JOINS)
    if join == ".":
        out.add(grant + ".", "concession")
        out.add(then + rng.choice(_COUNTERS) + " ")
    else:
        out.add(grant, "concession")
        out.add(join + rng.choice(_COUNTERS) + " ")
    for reason in rng.sample(_REASONS, k=rng.randint(2, 3)):
        out.add(_fill(rng, reason) + " ")
    out.add(_fill(rng, rng.choice(_CLAIMS[vocabulary]), topic=topic), "claim")
    out.add("\n\n")


def _rhetoric(rng: random.Random, vocabulary: str, size: int) -> _Text:
    topic = rng.choice(_TOPICS)
    out = _Text()
    out.add(_title(rng, rng.choice(["Why the plan deserves a yes", "The long road", "Analysis"])))
    out.add("\n\n")
    out.add(f"{rng.choice(_PLACES).upper()} — ")
    out.add(_fill(rng, rng.choice(_REASONS)) + " " + _fill(rng, rng.choice(_REASONS)) + "\n\n")
    crossheads = rng.sample(_CROSSHEADS, k=len(_CROSSHEADS))
    while out.length < size:
        if crossheads and rng.random() < 0.3:
            out.add(crossheads.pop() + "\n\n")
        _rhetoric_argument(out, rng, topic, vocabulary)
        if rng.random() < 0.6:
            _rhetoric_critic(out, rng)
            _rhetoric_answer(out, rng, topic, vocabulary)
    return out


# -- analysts --------------------------------------------------------------------------------


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    import re

    return [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]


def as_analyst(
    text: str, spans: list[tuple[int, int, str]], rng: random.Random, *, missed: float = 0.1
) -> list[tuple[int, int, str]]:
    """The spans as an analyst tags them: some missed, some edges off by a word, the final
    full stop now in, now out."""
    out = []
    for start, end, label in spans:
        if rng.random() < missed:
            continue
        words = _words(text, start, end)
        roll = rng.random()
        if roll < 0.06 and len(words) > 3:
            start = words[1][0]  # the first word left out
        elif roll < 0.12 and len(words) > 3:
            end = words[-2][1]  # the last word left out
        elif roll < 0.16:
            after = _words(text, end, min(len(text), end + 40))
            line_end = text.find("\n", end)
            if after and (line_end == -1 or after[0][1] <= line_end):
                end = after[0][1]  # one word too many
        if text[end - 1] == "." and rng.random() < 0.2:
            end -= 1
        out.append((start, end, label))
    return out


def articles(
    n: int,
    convention: str,
    *,
    seed: int = 7,
    vocabulary: str = "train",
    size: int = 2900,
    missed: float = 0.1,
) -> Iterator[dict[str, Any]]:
    """``n`` articles of a convention, each an annotator task marked done, with the analyst's
    spans in ``spans`` and the convention's own in ``meta["gold"]``."""
    if convention not in CONVENTIONS:
        raise ValueError(f"no convention {convention!r}; there are {', '.join(CONVENTIONS)}")
    rng = random.Random(f"{convention}-{vocabulary}-{seed}")
    write = _negotiation if convention == "negotiation" else _rhetoric
    for number in range(n):
        out = write(rng, vocabulary, size)
        text = out.text
        tagged = as_analyst(text, out.spans, rng, missed=missed)
        yield {
            "id": f"{convention}-{vocabulary}-{seed}-{number}",
            "text": text,
            "status": "done",
            "spans": [{"start": s, "end": e, "label": label} for s, e, label in tagged],
            "meta": {
                "convention": convention,
                "gold": [{"start": s, "end": e, "label": label} for s, e, label in out.spans],
            },
        }
