"""Executive appointments and departures.

Names are runs of capitalised words that are not titles, calendar words or companies; a lone
surname refers back to the full name met earlier. Titles come from `rules/titles.yaml`, written
out in full; only officer titles make facts. Each event trigger finds its person by its grammar:
the object after "appointed"/"removed"/"succeeding", the subject before "resigned"/"becomes"/
"will act as" (or before a passive "was appointed"); its title is the one the sentence gives for
the new role ("as interim CEO") or, for a departure, the person's current title ("X, its CEO,
will step down"). A document remembers who holds which title, so "The CEO joined ..." and
"Bonta took the reins" resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parser.extract.context import Candidate, SentenceContext
from parser.extract.matching import Trigger
from parser.normalize import parse_date
from parser.rules import Rules

_UP, _LOW = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"  # Latin letters, accented ones included (José Núñez)
_NAME_WORD = rf"(?:[{_UP}]\.|[{_UP}][{_LOW}]*[{_UP}]?[{_LOW}]+(?:[-'’][{_UP}]?[{_LOW}]+)*)"
# Lowercase particles inside a name: "Jan van der Berg", "Luis de la Vega".
_PARTICLES = r"(?:(?:van|von|der|den|de|da|di|del|du|la|le|bin|al|ter)[ \t]+)*"
_NAME_RUN = re.compile(rf"{_NAME_WORD}(?:[ \t]*\n?[ \t]*{_PARTICLES}{_NAME_WORD})*")
_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|is|are|be|being|get|gets|got)\s+(?:\w+ly\s+)?$", re.I
)
_BY_AFTER = re.compile(r"^\s*by\b", re.I)
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she)\s+(?:\w+\s+){0,2}$", re.I)
_DEFINITE_TITLE = re.compile(r"(?:^|\b[Tt]he\s+(?:company['’]s\s+)?)$")
_CLAUSE_LIMIT = 90
_EFFECTIVE = re.compile(
    r"(?:effective|with effect from)(?:\s+as\s+of|\s+from|\s+on)?\s+((?:[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]+))(,?\s+\d{4})?"
)
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof)\.")


@dataclass(frozen=True)
class Person:
    start: int
    end: int
    name: str


@dataclass(frozen=True)
class Title:
    start: int
    end: int
    names: tuple[str, ...]  # officer titles written out, in order

    @property
    def full(self) -> str:
        return " and ".join(self.names)


@dataclass
class PeopleMemory:
    """What a document has said so far about people: names, and who holds which title."""

    names: list[str] = field(default_factory=list)
    title_of: dict[str, str] = field(default_factory=dict)
    holder_of: dict[str, str] = field(default_factory=dict)
    last_person: str | None = None


@dataclass(frozen=True)
class _Scene:
    """One sentence as the event handlers see it: its people, titles and the document memory."""

    ctx: SentenceContext
    people: list[Person]
    titles: list[Title]
    memory: PeopleMemory


class TitleFinder:
    def __init__(self, rules: Rules) -> None:
        titles = rules.titles
        forms = sorted(
            ((form, officer.name) for officer in titles.officers for form in officer.forms),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )
        self._name_of = {form.lower(): name for form, name in forms}
        alternation = "|".join(re.escape(form).replace(r"\ ", r"\s+") for form, _ in forms)
        self._officer = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I)
        interim = "|".join(re.escape(word) for word in titles.interim)
        self._interim = re.compile(rf"\b(?:{interim})\s+$", re.I)
        prefixes = "|".join(re.escape(p) for p in titles.not_officer_prefixes)
        self._lower_rank = re.compile(rf"\b(?:{prefixes})[\s-]*$", re.I)
        board = "|".join(re.escape(b) for b in sorted(titles.board_roles, key=len, reverse=True))
        self._board = re.compile(rf"\b(?:{board})\b", re.I)

    def find(self, text: str) -> list[Title]:
        """Officer titles, with runs like "CEO, president, and director" merged into one."""
        singles: list[tuple[int, int, str]] = []
        for match in self._officer.finditer(text):
            before = text[max(0, match.start() - 20) : match.start()]
            if self._lower_rank.search(before) or text[match.end() : match.end() + 5] == "-elec":
                continue
            name = self._name_of[" ".join(match.group(0).lower().split())]
            start = match.start()
            interim = self._interim.search(before)
            if interim:
                name, start = f"Interim {name}", match.start() - len(interim.group(0))
            singles.append((start, match.end(), name))
        return self._merge(text, singles)

    def _merge(self, text: str, singles: list[tuple[int, int, str]]) -> list[Title]:
        merged: list[Title] = []
        for start, end, name in singles:
            if merged:
                gap = text[merged[-1].end : start]
                if re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*(?:the\s+|its\s+)?", gap) or (
                    re.fullmatch(r"[\s,]*(?:and\s+)?", self._board.sub("", gap)) and len(gap) < 30
                ):
                    last = merged[-1]
                    if name not in last.names:
                        merged[-1] = Title(last.start, end, (*last.names, name))
                    continue
            merged.append(Title(start, end, (name,)))
        return merged


class PeopleExtractor:
    def __init__(self, rules: Rules) -> None:
        self._titles = TitleFinder(rules)
        self._not_names = rules.not_names
        self._honorifics = {h.rstrip(".") for h in rules.titles.honorifics}

    def people(self, ctx: SentenceContext, memory: PeopleMemory) -> list[Person]:
        blocked = [(m.start, m.end) for m in ctx.mentions]
        found: list[Person] = []
        for run in _NAME_RUN.finditer(ctx.text):
            found += self._split_run(ctx.text, run, blocked, memory)
        return found

    def _split_run(
        self, text: str, run: re.Match[str], blocked: list[tuple[int, int]], memory: PeopleMemory
    ) -> list[Person]:
        words = [
            (m.start() + run.start(), m.end() + run.start())
            for m in re.finditer(r"\S+", run.group(0))
        ]
        groups: list[list[tuple[int, int]]] = [[]]
        for start, end in words:
            word = text[start:end].rstrip("'’")
            if (
                word in self._not_names
                or word.rstrip(".") in self._honorifics
                or any(s <= start < e for s, e in blocked)
            ):
                groups.append([])
            else:
                groups[-1].append((start, end))
        people = []
        for group in groups:
            while group and re.fullmatch(r"[A-Z]\.", text[group[-1][0] : group[-1][1]]):
                group = group[:-1]
            if not group:
                continue
            name = " ".join(text[s:e] for s, e in group).removesuffix("’s").removesuffix("'s")
            name = name.rstrip("'’")
            if len(group) >= 2:
                people.append(Person(group[0][0], group[-1][1], name))
            elif len(group) == 1:
                full = _known(name, memory)
                if full:
                    people.append(Person(group[0][0], group[0][1], full))
        return people

    def extract(self, ctx: SentenceContext, memory: PeopleMemory) -> list[Candidate]:
        people = self.people(ctx, memory)
        titles = self._titles.find(ctx.text)
        self._remember(ctx.text, people, titles, memory)
        ann = ctx.annotated("people")
        scene = _Scene(ctx, people, titles, memory)
        candidates: list[Candidate] = []
        # "search for a new CEO", "will continue to serve as CFO": no new appointment.
        blockers = ann.of("PLAN", "CONTINUE")
        for trigger in ann.triggers:
            if trigger.label.startswith("APPOINT"):
                if any(t.token < trigger.token and trigger.token - t.last <= 3 for t in blockers):
                    continue
                candidates += self._appointment(scene, trigger)
            elif trigger.label.startswith("DEPART"):
                candidates += self._departure(scene, trigger)
            elif trigger.label == "ROLE_CHANGE":
                candidates += self._role_change(scene, trigger)
        for person in people:
            memory.last_person = person.name
        return _settle(candidates)

    def _remember(
        self, text: str, people: list[Person], titles: list[Title], memory: PeopleMemory
    ) -> None:
        for person in people:
            if person.name not in memory.names:
                memory.names.append(person.name)
            title = _appositive_title(text, person, titles)
            if title:
                memory.title_of[person.name] = title.full
                for name in title.names:
                    memory.holder_of[name] = person.name

    def _appointment(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        ctx, people, titles, memory = scene.ctx, scene.people, scene.titles, scene.memory
        text = ctx.text
        if trigger.label == "APPOINT_NEW":
            return self._new_title_is(ctx, trigger, people, titles)
        passive = _PASSIVE_BEFORE.search(text[: trigger.start]) or _BY_AFTER.match(
            text[trigger.end :]
        )
        person: Person | str | None
        if trigger.label == "APPOINT_OBJECT" and not passive:
            person = _first_after(people, trigger.end, text)
            anchor = person.end if person else trigger.end
        else:
            person = _subject(text, trigger, people, titles, memory)
            anchor = trigger.end
        if person is None:
            return []
        name = person if isinstance(person, str) else person.name
        title = _first_title_after(titles, anchor, text, people=people)
        title_name = title.full if title else None
        if title_name is None and trigger.label == "APPOINT_SUBJECT":
            definite = _definite_subject_title(text, trigger, titles)
            title_name = definite.full if definite else None
            if title_name is None and re.search(
                r"\b(?:reins|helm|over)\b", text[trigger.start : trigger.end]
            ):
                title_name = memory.title_of.get(name)
        if not title_name:
            return []
        memory.title_of.setdefault(name, title_name)
        return _event(ctx, "executive_appointment", name, title_name, trigger.start)

    def _role_change(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        """ "X will transition from CEO to Executive Chairman": leaves one role, takes another."""
        ctx, people, titles, memory = scene.ctx, scene.people, scene.titles, scene.memory
        person = _subject(ctx.text, trigger, people, titles, memory)
        old = _first_title_after(titles, trigger.end, ctx.text, limit=10)
        if person is None or old is None:
            return []
        new = _first_title_after(titles, old.end, ctx.text, limit=12)
        if new is None or not re.match(r"^\s*(?:to|into)\b", ctx.text[old.end : new.start]):
            return []
        name = person if isinstance(person, str) else person.name
        return [
            *_event(ctx, "executive_departure", name, old.full, trigger.start),
            *_event(ctx, "executive_appointment", name, new.full, trigger.start),
        ]

    def _new_title_is(
        self, ctx: SentenceContext, trigger: Trigger, people: list[Person], titles: list[Title]
    ) -> list[Candidate]:
        """ "Bitfarms' new CEO is Geoffrey Morphy"."""
        title = next((t for t in titles if 0 <= t.start - trigger.end <= 2), None)
        if title is None:
            return []
        tail = ctx.text[title.end :]
        if not re.match(r"^\s*(?:is|was|will be|:|,)\s", tail):
            return []
        person = _first_after(people, title.end, ctx.text, limit=25)
        if person is None:
            return []
        return _event(ctx, "executive_appointment", person.name, title.full, trigger.start)

    def _departure(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        ctx, people, titles, memory = scene.ctx, scene.people, scene.titles, scene.memory
        text = ctx.text
        passive = _PASSIVE_BEFORE.search(text[: trigger.start])
        by_after = _BY_AFTER.match(text[trigger.end :])
        person: Person | str | None
        successor: Person | None = None
        successor_title: str | None = None
        if trigger.label == "DEPART_OBJECT" and not passive and not by_after:
            person = _first_after(people, trigger.end, text)
            successor_person = _subject(text, trigger, people, titles, memory)
            successor = successor_person if isinstance(successor_person, Person) else None
            if isinstance(successor_person, str) and _is_succession(text, trigger):
                successor_title = memory.title_of.get(successor_person)  # "She succeeds X"
            if person is None:
                return self._succeeds_pronoun(ctx, trigger, successor, titles, people, memory)
        else:
            person = _subject(text, trigger, people, titles, memory)
            if by_after:
                successor = _first_after(people, trigger.end, text)
        if person is None:
            return []
        name = person if isinstance(person, str) else person.name
        title = self._departing_title(text, trigger, person, titles, people, memory)
        title = title or successor_title
        if not title:
            # "Sullivan became CEO after Mike Levitt stepped down": the sentence's appointment
            # may name the role (settled in _settle).
            untitled = _event(ctx, "executive_departure", name, "", trigger.start)
            for event in untitled:
                event.derived = True
            return untitled
        memory.title_of.setdefault(name, title)
        events = _event(ctx, "executive_departure", name, title, trigger.start)
        if successor and successor.name != name and _is_succession(text, trigger):
            successor_events = _event(
                ctx, "executive_appointment", successor.name, title, trigger.start
            )
            for event in successor_events:
                event.derived = True
                event.fields["replaces"] = name
            events += successor_events
        return events

    def _succeeds_pronoun(
        self,
        ctx: SentenceContext,
        trigger: Trigger,
        successor: Person | None,
        titles: list[Title],
        people: list[Person],
        memory: PeopleMemory,
    ) -> list[Candidate]:
        """ "Phong Le will succeed him as CEO": the successor is appointed, and "him" (the person
        named before, in this sentence or the last one) leaves that role."""
        if successor is None or not _is_succession(ctx.text, trigger):
            return []
        if not re.match(r"^\s*(?:him|her)\s+as\b", ctx.text[trigger.end :]):
            return []
        title = _first_title_after(titles, trigger.end, ctx.text, limit=20)
        if title is None:
            return []
        events = _event(ctx, "executive_appointment", successor.name, title.full, trigger.start)
        earlier = [p.name for p in people if p.end <= successor.start and p.name != successor.name]
        departing = earlier[0] if earlier else memory.last_person
        if departing and departing != successor.name:
            for event in events:
                event.fields["replaces"] = departing
            events += _event(ctx, "executive_departure", departing, title.full, trigger.start)
        return events

    def _departing_title(
        self,
        text: str,
        trigger: Trigger,
        person: Person | str,
        titles: list[Title],
        people: list[Person],
        memory: PeopleMemory,
    ) -> str | None:
        name = person if isinstance(person, str) else person.name
        if isinstance(person, Person):
            lo, hi = sorted((person.end, trigger.start))
            between = [t for t in titles if lo <= t.start and t.end <= hi]
            if between:
                return between[0].full
            appositive = _appositive_title(text, person, titles)
            if appositive:
                return appositive.full
        after = _first_title_after(titles, trigger.end, text, limit=60, people=people)
        gap = text[trigger.end : after.start] if after else ""
        # "resigned as CEO", "step down from his role as CFO"; not "stepped down, is now also the
        # company's president" (another clause, another person's title).
        if after and re.search(r"\b(?:as|of|from)\b", gap) and not re.search(r"\bby\b", gap):
            return after.full
        for title in titles:  # "Appleton ... its CFO and Executive Director, was departing"
            if title.end <= trigger.start and trigger.start - title.end <= 40:
                return title.full
        return memory.title_of.get(name)


def _settle(candidates: list[Candidate]) -> list[Candidate]:
    """Resolve the inferred events of one sentence. A departure with no title of its own takes
    the role the sentence appoints someone to (one role only), or is dropped. A successor's
    appointment inferred from "replacing X" gives way to the appointment the sentence states
    itself ("appointed Ben Gagnon as CEO, replacing interim CEO X"), which learns whom it
    replaces."""
    roles = {
        str(c.fields["title"])
        for c in candidates
        if c.type == "executive_appointment" and c.fields["title"]
    }
    settled = []
    for candidate in candidates:
        if candidate.type == "executive_departure" and not candidate.fields["title"]:
            if len(roles) != 1:
                continue
            candidate.fields["title"] = next(iter(roles))
            candidate.derived = False
        settled.append(candidate)
    return _drop_shadowed(settled)


def _drop_shadowed(candidates: list[Candidate]) -> list[Candidate]:
    """See `_settle`."""
    stated = {
        str(c.fields["person"]): c
        for c in candidates
        if c.type == "executive_appointment" and not c.derived
    }
    kept = []
    for candidate in candidates:
        appointment = stated.get(str(candidate.fields.get("person")))
        if candidate.derived and appointment is not None:
            appointment.fields["replaces"] = appointment.fields.get(
                "replaces"
            ) or candidate.fields.get("replaces")
            continue
        kept.append(candidate)
    return kept


def _event(ctx: SentenceContext, type_: str, name: str, title: str, anchor: int) -> list[Candidate]:
    effective = _effective(ctx.text, ctx.reference.year)
    fields: dict[str, object] = {"person": name, "title": title, "effective": effective}
    if type_ == "executive_appointment":
        fields["interim"] = title.startswith("Interim ")
        fields["replaces"] = None
    candidate = ctx.candidate(
        type_, anchor, fields, confidence=0.75, company=ctx.role_company(anchor)
    )
    return [candidate] if candidate else []


def _effective(text: str, year: int | None) -> str | None:
    """The date a change takes effect ("effective May 1, 2025"; "effective May 1" in a text
    dated 2025). "Effective immediately" gives no date of its own: null."""
    match = _EFFECTIVE.search(text)
    if not match:
        return None
    stated_year = match.group(2) or (f", {year}" if year else "")
    return parse_date(match.group(1) + stated_year)


def _known(word: str, memory: PeopleMemory) -> str | None:
    """A lone surname or first name that refers to a full name the document gave earlier."""
    for name in reversed(memory.names):
        parts = name.split()
        if word in (parts[-1], parts[0]) and len(parts) >= 2:
            return name
    return None


def _first_after(people: list[Person], position: int, text: str, limit: int = 45) -> Person | None:
    for person in people:
        if person.start >= position:
            gap = _HONORIFIC.sub("", text[position : person.start])
            if len(gap) <= limit and not re.search(r"[.;]", gap):
                return person
            return None
    return None


def _subject(
    text: str, trigger: Trigger, people: list[Person], titles: list[Title], memory: PeopleMemory
) -> Person | str | None:
    """The person before the trigger in its clause, or who "he"/"she"/"the CEO" refers to."""
    before = [
        p for p in people if p.end <= trigger.start and trigger.start - p.end <= _CLAUSE_LIMIT
    ]
    if before:
        nearest = before[-1]
        gap = text[nearest.end : trigger.start]
        if not _PRONOUN_BEFORE.search(gap) or len(gap) < 40:
            return nearest
    if _PRONOUN_BEFORE.search(text[: trigger.start]):
        return memory.last_person
    definite = _definite_subject_title(text, trigger, titles)
    if definite:
        return memory.holder_of.get(definite.names[0])
    return None


def _definite_subject_title(text: str, trigger: Trigger, titles: list[Title]) -> Title | None:
    """ "The CEO joined ...": a title that is itself the subject right before the trigger."""
    for title in titles:
        adjacent = title.end <= trigger.start and not text[title.end : trigger.start].strip()
        if adjacent and _DEFINITE_TITLE.search(text[: title.start]):
            return title
    return None


def _first_title_after(
    titles: list[Title],
    position: int,
    text: str,
    limit: int = 70,
    people: tuple[Person, ...] | list[Person] = (),
) -> Title | None:
    """The first title after `position`, unless it belongs to someone named in between."""
    for title in titles:
        if title.end > position and title.start - position <= limit:
            if re.search(r"[;]|\bwho\b", text[position : max(position, title.start)]):
                return None
            if any(position <= p.start and p.end <= title.start for p in people):
                return None
            return title
    return None


def _appositive_title(text: str, person: Person, titles: list[Title]) -> Title | None:
    """ "X, its CEO," / "CEO X" / "the CEO, X," / "X, Bitfarms' President and COO"."""
    for title in titles:
        gap_after = text[person.end : title.start]
        if 0 <= title.start - person.end <= 40 and re.fullmatch(
            r",\s*(?:the\s+|its\s+|our\s+|their\s+|his\s+|her\s+)?(?:[\w’' ]{0,25}?['’]s?\s+|previous\s+|former\s+|current\s+|then\s+)?(?:co-founder,?\s+|chairman,?\s+|chairwoman,?\s+|and\s+)*",
            gap_after,
        ):
            return title
        gap_before = text[title.end : person.start]
        if 0 <= person.start - title.end <= 4 and re.fullmatch(r"[\s,]*", gap_before):
            return title
    return None


def _is_succession(text: str, trigger: Trigger) -> bool:
    """ "succeeding X", "replacing X": the new holder takes X's title. "Takes over from X" says
    nothing of which of X's titles passes on, so it makes no appointment by itself."""
    return bool(re.search(r"succe|replac", text[trigger.start : trigger.end], re.I))
