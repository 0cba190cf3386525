"""Seeded news-like articles whose quotes have known speakers, for scoring the speakers
suggester.

Each article names two to four people (and sometimes a body that speaks through a
spokesperson), introduces each in one of the ways news does (``Abena Osei, general secretary
of the union,``; ``Union leader Abena Osei``; ``Dr Abena Osei``), then refers to them again as
its house style says: the surname alone (AP) or "Ms Osei" (British papers). Its quotes are
attributed in every common way: ``“…,” said X``, ``“…,” X said``, ``X told CNN: “…”``,
``according to X``, ``“…,” she said`` after the person was named, a quote that runs over
several paragraphs (each reopened, only the last closed), a split quote, a second quote of
the same paragraph, a partial quote inside reported speech. Some quotes name no one (a sign, a
slogan, a title), and names appear inside quotes, in captions and as places and bodies, so a
rule that takes any capitalised word is caught out.

Every quote's gold is the person (or description) who said it, and every mention of each
person is recorded with its offsets (code points, end exclusive). The same seed gives the
same articles.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

SEED = 2608

_FEMALE = [
    "Abena", "Edith", "Miriam", "Ilse", "Aisha", "Priya", "Carla", "Hanne", "Rosa", "Lena",
    "Sofia", "Ingrid", "Mei-Ling", "Ana", "Farida", "Nadia", "Grace", "Yolanda", "Chiara",
    "Marta", "Olga", "Siobhan", "Keiko", "Fatima", "Beatriz", "Hannah", "Amara", "Zofia",
]  # fmt: skip
_MALE = [
    "Owen", "Graham", "Colin", "José", "Piet", "Tomasz", "Chidi", "Rashid", "Yusuf", "Kwame",
    "Oskar", "Dara", "Steve", "Bernard", "Luis", "Matteo", "Ivan", "Jun", "Samuel", "Tariq",
    "Henrik", "Emeka", "Pablo", "Declan", "Ravi", "Anders", "Felix", "Omar",
]  # fmt: skip
_SURNAMES = [
    "Osei", "Carver", "Castell", "Vandamme", "Rahman", "Nandakumar", "Benedetti", "Brauer",
    "Kettering", "Marić", "Lindqvist", "Halvorsen", "Chen", "Ribeiro", "Haddad", "Witkoff",
    "Marsh", "Petrie", "Mayhew", "Núñez", "Olsen", "Wójcik", "Okafor", "Al-Farsi", "Demir",
    "Mensah", "Nyberg", "O'Neill", "Moreau", "Tanaka", "Abara", "Kowalski", "Fitzgerald",
    "Delacroix", "van der Berg", "Ferreira", "Adeyemi", "Sørensen", "MacLeod", "Quispe",
    "Hartley", "Iyer", "Brennan", "Duarte", "Volkov", "Achterberg", "Nakamura", "Whitlock",
]  # fmt: skip
_TITLES = ["Dr", "Professor", "Mayor", "Councillor", "Senator", "Chief Inspector", "Judge"]
_ROLES_BEFORE = [
    "union leader", "chief executive", "board chair", "head teacher", "council leader",
    "deputy mayor", "opposition leader", "finance director", "site manager", "party chair",
]  # fmt: skip
_PLACES = [
    "Northbrook", "Valebridge", "Harrowfield", "Dunmore", "Lyston", "Kessel Park", "Port Selby",
    "Marrow Cross", "Eastfield", "Lindenau", "Brinley", "Oster Vale",
]  # fmt: skip
_BODIES = [
    "{place} City Council", "the {place} Nurses' Union", "St Aldric's Hospital",
    "the University of {place}", "Corvane Systems", "the Ministry of Transport",
    "{place} Water", "the {place} Chamber of Commerce", "the regional health board",
    "the Department of Education",
]  # fmt: skip
_OUTLETS = [
    "CNN", "the BBC", "Reuters", "the Valebridge Post", "local radio", "the Harrowfield Gazette",
    "reporters", "a news conference", "the Associated Press", "Sky News",
]  # fmt: skip
_TOPICS = [
    ("the tram extension", "the line"), ("the hospital budget", "the budget"),
    ("the plant closure", "the closure"), ("the housing plan", "the plan"),
    ("the flood defences", "the scheme"), ("the school merger", "the merger"),
    ("the pay offer", "the offer"), ("the water study", "the study"),
    ("the bus corridor", "the corridor"), ("the stadium bid", "the bid"),
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_MONTHS = ["March", "April", "June", "September", "November", "January"]

# Sentences spoken in quotes: {thing} is the topic's short name, {place} a town, {other} a
# person's name as someone quoted would say it.
_SAYINGS = [
    "We will not accept cuts to front-line services",
    "This is the biggest investment {place} has seen in a generation",
    "Nobody told us {thing} would take two years",
    "We have been warning about this for a decade",
    "The numbers simply do not add up",
    "I am proud of what the team has achieved",
    "Families here deserve better than this",
    "It is a good deal for the city, and a fair one",
    "We expected problems. We did not expect this many",
    "Our members are exhausted and they are leaving",
    "There is no money left in the budget for {thing}",
    "The decision was made without asking a single resident",
    "{other} promised us a new roof, and we are still waiting",
    "If it goes ahead, I will not be here to see it",
    "People in {place} have been told to wait for twenty years",
    "We take the findings seriously",
    "Frankly, it is a mess",
    "I made that bet, and I take responsibility for it",
    "We are filling gaps shift by shift",
    "Tonight we stopped asking them to wait",
    "This is not one pipe or one factory. It is the whole catchment",
    "I have spoken to {other} about it twice",
    "Nobody in {place} wanted {thing}",
    "We will keep {thing} under review",
    "The staff did everything that was asked of them",
    "Mr Delacroix and I agree on very little, but we agree on this",
    "You cannot run a hospital like this",
    "We are ready to talk at any time",
    "It will cost more, but it will last fifty years",
    "I do not think {thing} will survive the winter",
]  # fmt: skip
_SHORT = [
    "a disaster", "sobering but not surprising", "long overdue", "a betrayal",
    "the right call", "a postcard, not a policy", "reckless", "a fair compromise",
]  # fmt: skip
_FACTS = [
    "The council approved {thing} by {a} votes to {b} on {day}.",
    "Work is due to begin in {month}, with the first phase finished by {year}.",
    "The project is expected to cost {a}0 million pounds.",
    "About {a},{b}00 people live within a mile of the site on {place} Road.",
    "The {place} Chamber of Commerce has backed {thing} since {year}.",
    "Figures published on {day} show a rise of {a} per cent since {year}.",
    "A public meeting at {place} Library drew more than {a}00 people.",
    "The regional government has pledged {a}0 million towards the costs.",
]  # fmt: skip
_REPORTED = [
    "{ref} said {thing} would go ahead in {month}.",
    "{ref} told councillors that the figures had been checked twice.",
    "{ref} has argued for months that the money would be better spent elsewhere.",
    "{ref} warned that the timetable was already slipping.",
    "{ref} said the decision had been taken after a long consultation.",
]  # fmt: skip
_UNATTRIBUTED = [
    'A banner outside the town hall read “{short}”.',
    "The report, titled “{title}”, runs to 140 pages.",
    "Residents have nicknamed the site “{short}”.",
    "The campaign's slogan, “{title}”, was painted on the bridge.",
]  # fmt: skip
_TITLES_OF_WORKS = ["A City That Works", "Counting the Cost", "Water for All", "Built to Last"]


@dataclass
class Speaker:
    """A person (or a described speaker) with every mention of them in the article."""

    key: int
    first: str
    surname: str
    gender: str  # "f", "m", or "" for a body or description
    title: str = ""
    role: str = ""
    mentions: list[tuple[int, int]] = field(default_factory=list)
    named: bool = False  # introduced in full already


@dataclass
class Quote:
    start: int
    end: int
    speaker: int | None  # a Speaker's key, or None: no one said it
    style: str


@dataclass
class Article:
    id: str
    text: str
    quotes: list[Quote]
    speakers: dict[int, list[tuple[int, int]]]  # key → mentions

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "quotes": [[q.start, q.end, q.speaker, q.style] for q in self.quotes],
            "speakers": {str(k): v for k, v in self.speakers.items()},
        }


class _Writer:
    """Builds an article's text piece by piece, recording where mentions and quotes fall."""

    def __init__(self, rng: random.Random, curly: bool) -> None:
        self.rng = rng
        self.parts: list[str] = []
        self.length = 0
        self.quotes: list[Quote] = []
        self.open, self.close = ("“", "”") if curly else ('"', '"')

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def mention(self, person: Speaker, text: str) -> None:
        person.mentions.append((self.length, self.length + len(text)))
        self.add(text)

    def quote(
        self, words: str, end_mark: str, speaker: int | None, style: str, closed: bool = True
    ) -> None:
        """A quote with its marks; ``end_mark`` ("," "." "?" "") goes inside, as news does."""
        start = self.length
        self.add(self.open + words + end_mark + (self.close if closed else ""))
        self.quotes.append(Quote(start, self.length, speaker, style))

    def paragraph(self) -> None:
        self.add("\n\n")

    def text(self) -> str:
        return "".join(self.parts)


class _Story:
    """One article being written: its people, its house style and its topic."""

    def __init__(self, rng: random.Random, number: int) -> None:
        self.rng = rng
        self.number = number
        self.style = rng.choice(["ap", "uk", "uk", "ap"])  # second references
        self.writer = _Writer(rng, curly=rng.random() < 0.75)
        self.place = rng.choice(_PLACES)
        self.topic, self.thing = rng.choice(_TOPICS)
        self.people = self._cast()
        self.last_named: Speaker | None = None

    def _cast(self) -> list[Speaker]:
        surnames = self.rng.sample(_SURNAMES, 4)
        people = []
        for key, surname in enumerate(surnames[: self.rng.randint(2, 4)]):
            gender = self.rng.choice("fm")
            first = self.rng.choice(_FEMALE if gender == "f" else _MALE)
            person = Speaker(key, first, surname, gender)
            roll = self.rng.random()
            if roll < 0.25:
                person.title = self.rng.choice(_TITLES)
            elif roll < 0.5:
                person.role = self.rng.choice(_ROLES_BEFORE)
            people.append(person)
        return people

    # -- how a person is named ------------------------------------------------------------

    def name(self, person: Speaker, *, opening: bool = False) -> None:
        """The person's name as the story gives it here: in full the first time, then as its
        house style says."""
        w = self.writer
        if not person.named:
            person.named = True
            if person.title:
                w.mention(person, f"{person.title} {person.first} {person.surname}")
            elif person.role:
                role = person.role[0].upper() + person.role[1:] if opening else person.role
                w.mention(person, f"{role} {person.first} {person.surname}")
            else:
                w.mention(person, f"{person.first} {person.surname}")
        elif self.style == "uk" and person.gender:
            honorific = (
                person.title
                if person.title in ("Dr", "Professor", "Mayor", "Councillor", "Senator", "Judge")
                else ("Ms" if person.gender == "f" else "Mr")
            )
            w.mention(person, f"{honorific} {person.surname}")
        else:
            w.mention(person, person.surname)
        self.last_named = person

    def named_with_apposition(self, person: Speaker) -> None:
        """``Abena Osei, general secretary of the union,`` as a subject."""
        w = self.writer
        person.named = True
        w.mention(person, f"{person.first} {person.surname}")
        w.add(f", {self._apposition()},")
        self.last_named = person

    def _apposition(self) -> str:
        body = self.rng.choice(_BODIES).format(place=self.place)
        return self.rng.choice(
            [
                f"a spokesperson for {body}",
                f"who chairs {body}",
                f"the head of {body}",
                f"an analyst at {self.place} Research",
                f"who has run a bakery on {self.place} Road for twenty years",
                f"a member of {body}",
            ]
        )

    def pronoun(self, person: Speaker) -> str:
        return "she" if person.gender == "f" else "he"

    # -- what is said ----------------------------------------------------------------------

    def saying(self, speaker: Speaker | None) -> str:
        others = [p for p in self.people if p is not speaker and p.gender]
        other = self.rng.choice(others) if others else None
        line = self.rng.choice(_SAYINGS)
        name = f"{other.first} {other.surname}" if other else "the minister"
        return line.format(place=self.place, thing=self.thing, other=name)

    def verb(self) -> str:
        return self.rng.choice(["said", "said", "said", "says", "added", "warned", "explained"])

    # -- the quote styles ------------------------------------------------------------------

    def said_name(self, p: Speaker) -> None:
        w = self.writer
        w.quote(self.saying(p), ",", p.key, "said-name")
        w.add(f" {self.rng.choice(['said', 'said', 'says', 'added'])} ")
        self.name(p)
        if self.rng.random() < 0.3 and p.mentions and len(p.mentions) == 1:
            w.add(f", {self._apposition()}")
        w.add(".")

    def name_said(self, p: Speaker) -> None:
        w = self.writer
        w.quote(self.saying(p), self.rng.choice([",", ",", "?"]), p.key, "name-said")
        w.add(" ")
        self.name(p)
        tail = self.rng.choice(
            [f" {self.verb()}.", f" told {self.rng.choice(_OUTLETS)}.", " said on " +
             self.rng.choice(_DAYS) + ".", f" {self.verb()} in a statement."]
        )  # fmt: skip
        w.add(tail)

    def colon(self, p: Speaker) -> None:
        w = self.writer
        lead = self.rng.choice(["", "", f"In an interview on {self.rng.choice(_DAYS)}, ",
                                "Speaking after the meeting, "])  # fmt: skip
        w.add(lead)
        self.name(p, opening=not lead)
        w.add(
            self.rng.choice(
                [
                    f" told {self.rng.choice(_OUTLETS)}: ",
                    " said: ",
                    " said in a statement: ",
                    f" told {self.rng.choice(_OUTLETS)} on {self.rng.choice(_DAYS)}: ",
                    " wrote on social media: ",
                ]
            )
        )
        w.quote(self.saying(p), ".", p.key, "colon")

    def apposition_colon(self, p: Speaker) -> None:
        w = self.writer
        if p.named:
            self.colon(p)
            return
        self.named_with_apposition(p)
        w.add(" said: ")
        w.quote(self.saying(p), ".", p.key, "apposition")

    def apposition_after(self, p: Speaker) -> None:
        w = self.writer
        if p.named:
            self.name_said(p)
            return
        w.quote(self.saying(p), ",", p.key, "apposition-after")
        w.add(" ")
        self.named_with_apposition(p)
        w.add(" said.")

    def according_to(self, p: Speaker) -> None:
        w = self.writer
        if self.rng.random() < 0.5:
            w.quote(self.saying(p), ",", p.key, "according-to")
            w.add(" according to ")
            self.name(p)
            w.add(".")
        else:
            w.add("According to ")
            self.name(p)
            w.add(", ")
            w.quote(self.saying(p), ".", p.key, "according-to")

    def pronoun_after_mention(self, p: Speaker) -> None:
        """The person named in a sentence of reported speech, then ``“…,” she said``."""
        w = self.writer
        sentence = self.rng.choice(_REPORTED)
        before, after = sentence.split("{ref}")
        w.add(before)
        self.name(p, opening=True)
        w.add(after.format(thing=self.thing, month=self.rng.choice(_MONTHS)))
        if self.rng.random() < 0.4:
            others = [
                o
                for o in self.people
                if o.gender and o.gender != p.gender and o.named and not o.title
            ]
            if others:  # someone of the other sex named since: in British style "Ms" and
                # "Mr" tell them apart; in AP style only the first names did, long before
                w.add(" ")
                self.name(others[0], opening=True)
                w.add(" was not at the meeting.")
        w.add(" ")
        w.quote(self.saying(p), ",", p.key, "pronoun")
        w.add(f" {self.pronoun(p)} {self.verb()}.")

    def continued(self, p: Speaker) -> None:
        """A quote over two or three paragraphs: each reopened, only the last closed."""
        w = self.writer
        if self.rng.random() < 0.5:
            self.name(p, opening=True)
            w.add(" said: ")
            w.quote(self.saying(p), ".", p.key, "continued-first", closed=False)
        else:
            w.quote(self.saying(p), ",", p.key, "continued-first")
            w.add(" ")
            self.name(p)
            w.add(" said. ")
            w.quote(self.saying(p), ".", p.key, "continued-first", closed=False)
        more = self.rng.randint(1, 2)
        for n in range(more):
            w.paragraph()
            w.quote(self.saying(p), ".", p.key, "continued", closed=n == more - 1)

    def split(self, p: Speaker) -> None:
        w = self.writer
        w.quote(self.saying(p), ",", p.key, "split")
        w.add(" ")
        self.name(p)
        w.add(" said, ")
        rest = self.saying(p)
        w.quote(rest[0].lower() + rest[1:], ".", p.key, "split")

    def two_in_paragraph(self, p: Speaker) -> None:
        w = self.writer
        if not p.named:
            self.name_said(p)
        else:
            w.quote(self.saying(p), ",", p.key, "two-first")
            w.add(" ")
            self.name(p)
            w.add(f" {self.verb()}.")
        w.add(" ")
        w.quote(self.saying(p), ".", p.key, "two-second")

    def partial(self, p: Speaker) -> None:
        w = self.writer
        self.name(p, opening=True)
        w.add(
            self.rng.choice(
                [
                    f" said {self.thing} was ",
                    f" called {self.thing} ",
                    " described the decision as ",
                    f" told {self.rng.choice(_OUTLETS)} that the deal was ",
                ]
            )
        )
        w.quote(self.rng.choice(_SHORT), "", p.key, "partial")
        w.add(".")

    def described(self) -> None:
        """A speaker the text describes rather than names."""
        w = self.writer
        body = self.rng.choice(_BODIES).format(place=self.place)
        who = Speaker(100 + len(w.quotes), "", "", "")
        if self.rng.random() < 0.5:
            w.quote(self.saying(None), ",", who.key, "described")
            w.add(" ")
            w.mention(who, f"a spokesperson for {body}")
            w.add(" said.")
        else:
            w.mention(who, body[0].upper() + body[1:])
            w.add(" said in a statement: ")
            w.quote(self.saying(None), ".", who.key, "described")
        self.people.append(who)

    def unattributed(self) -> None:
        w = self.writer
        line = self.rng.choice(_UNATTRIBUTED)
        before, rest = line.split("“")
        inner, after = rest.split("”")
        w.add(before)
        words = inner.format(short=self.rng.choice(_SHORT), title=self.rng.choice(_TITLES_OF_WORKS))
        w.quote(words, "", None, "unattributed")
        w.add(after)

    def aged(self, p: Speaker) -> None:
        """``“…,” Osei, 54, said`` or, named before, ``“…,” the 54-year-old said``."""
        w = self.writer
        w.quote(self.saying(p), ",", p.key, "aged")
        w.add(" ")
        age = self.rng.randint(28, 71)
        if p.named and self.rng.random() < 0.5:
            w.mention(p, f"the {age}-year-old")
        else:
            self.name(p)
            w.add(f", {age},")
        w.add(f" {self.verb()}.")

    def asked(self, p: Speaker) -> None:
        """``Asked whether …, Osei said: “…”`` or ``“…?” asked Osei``."""
        w = self.writer
        if self.rng.random() < 0.5:
            w.add(f"Asked whether {self.thing} would survive a change of government, ")
            self.name(p)
            w.add(" said: ")
            w.quote(self.saying(p), ".", p.key, "asked")
        else:
            w.quote(f"Why should {self.place} pay for {self.thing}", "?", p.key, "asked")
            w.add(" asked ")
            self.name(p)
            w.add(".")

    def role_then_name(self, p: Speaker) -> None:
        """``The union's general secretary, Abena Osei, told reporters: “…”``."""
        w = self.writer
        if p.named:
            self.pronoun_told(p)
            return
        w.add(
            self.rng.choice(
                ["The union's general secretary, ", "Its operations director, ",
                 "The council's deputy leader, ", "A spokesman for the company, "]
            )
        )  # fmt: skip
        self.name(p)
        w.add(f", told {self.rng.choice(_OUTLETS)}: ")
        w.quote(self.saying(p), ".", p.key, "role-then-name")

    def pronoun_told(self, p: Speaker) -> None:
        """``Osei spoke after the vote. “…,” she told the BBC.``"""
        w = self.writer
        self.name(p, opening=True)
        w.add(self.rng.choice([" spoke after the vote.", " was at the meeting on Monday.",
                               " has led the campaign since 2019."]))  # fmt: skip
        w.add(" ")
        w.quote(self.saying(p), ",", p.key, "pronoun-told")
        w.add(f" {self.pronoun(p)} told {self.rng.choice(_OUTLETS)}.")

    # -- the whole article -----------------------------------------------------------------

    def fact(self) -> None:
        r = self.rng
        self.writer.add(
            r.choice(_FACTS).format(
                thing=self.thing,
                a=r.randint(2, 9),
                b=r.randint(1, 8),
                day=r.choice(_DAYS),
                month=r.choice(_MONTHS),
                year=r.randint(2015, 2024),
                place=self.place,
            )  # fmt: skip
        )

    def write(self) -> Article:
        w, r = self.writer, self.rng
        w.add(f"{self.place} divided over {self.topic}")
        w.paragraph()
        w.add(f"{self.place.upper()} — ")
        self.fact()
        w.add(" ")
        self.fact()
        styles = [
            self.said_name, self.name_said, self.colon, self.apposition_colon,
            self.apposition_after, self.according_to, self.pronoun_after_mention,
            self.continued, self.split, self.two_in_paragraph, self.partial, self.aged,
            self.asked, self.role_then_name, self.pronoun_told,
        ]  # fmt: skip
        for n in range(r.randint(4, 7)):
            w.paragraph()
            roll = r.random()
            if roll < 0.08:
                self.unattributed()
            elif roll < 0.16:
                self.described()
            else:
                person = r.choice([p for p in self.people if p.gender])
                r.choice(styles)(person)
            if r.random() < 0.4:
                w.paragraph()
                self.fact()
            if n == 1 and r.random() < 0.3:
                w.paragraph()
                photographed = r.choice([p for p in self.people if p.gender])
                w.add("Photo: ")
                w.mention(photographed, f"{photographed.first} {photographed.surname}")
                w.add(
                    f" outside the {self.place} offices on {r.choice(_DAYS)}. "
                    f"({r.choice(_FEMALE)} {r.choice(_SURNAMES)} / {self.place} Courier)"
                )
        w.paragraph()
        self.fact()
        text = w.text()
        return Article(
            id=f"speakers-{self.number:04d}",
            text=text,
            quotes=w.quotes,
            speakers={p.key: p.mentions for p in self.people if p.mentions},
        )


def articles(count: int, seed: int = SEED) -> list[Article]:
    """``count`` articles, the same for the same seed."""
    rng = random.Random(seed)
    return [_Story(rng, n).write() for n in range(count)]
