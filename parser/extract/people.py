"""Executive appointments and departures.

Each change verb (`rules/people/patterns.jsonl`) finds its roles in its clause: the object after
"appointed"/"removed"/"succeeding" (several: "named Ann Lee and Bo Chen co-CEOs"), the subject
before "resigned"/"becomes"/"will act as" or a passive "was appointed", the successor after a
passive "will be succeeded by", the predecessor of "succeeds X" / "replacing X". The title is the
one the clause gives for the new role ("as interim CEO"), or for a departure the person's current
title ("X, its CEO, will step down"); "previously COO, was promoted to CEO" and "COO X was
promoted to CEO" are role changes. A document remembers who holds which title and which title was
left empty, so "The CEO joined ...", "she succeeds him" and "Ortiz takes over" resolve; "he"/"she"
is the clause's subject or the person last named, and a name inside an aside ("X, a former
Goldman Sachs banker, is joining") is no subject. Roles at other companies ("CEO of Bitmain", a subsidiary's president) and
changes only sought or proposed are no facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from parser.extract.context import Candidate, SentenceContext
from parser.extract.effective import effective_date
from parser.extract.matching import Trigger
from parser.extract.names import NameFinder, PeopleMemory, Person
from parser.extract.titles import INTERIM_PREFIXES, Title, TitleFinder, permanent
from parser.rules import Rules

_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|is|are|be|being|get|gets|got)\s+(?:\w+ly\s+)?$", re.I
)
# "will be replaced immediately by", "will be succeeded as CEO by"
_BY_AFTER = re.compile(
    r"^\s*(?:\w+ly\s+)?(?:as\s+[\w\s'’-]{1,40}?\s+|on\s+an?\s+\w+\s+basis\s+)?by\b", re.I
)
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she)\s+(?:\w+\s+){0,2}$", re.I)
_PRONOUN_OBJECT = re.compile(r"^\s*(?:him|her)\b", re.I)
_DEFINITE_TITLE = re.compile(r"(?:^|\b(?:[Tt]he|[Ii]ts)\s+(?:company['’]s\s+)?)$")
_TO_THE_ROLE = re.compile(
    r"^\s*(?:to|as|for|in)\s+(?:the|that|this)\s+(?:role|position|post|job)\b", re.I
)
_TEMPORARY = re.compile(r"\btemporar(?:il)?y\b|\bon\s+an\s+interim\s+basis\b", re.I)
_CLAUSE_LIMIT = 90
_CLAUSE_BREAK = re.compile(r";|,\s*(?:while|whereas|but)\b|\bwhile\b")
_AND_BEFORE = re.compile(r"\band\s+(?:will\s+|would\s+|to\s+|then\s+)?(?:also\s+)?$")
# "Mir, whose career was built at Lazard and Bank of America, succeeds ...": subject and verb
# around a relative clause.
_RELATIVE_CLAUSE = re.compile(
    r",\s*(?:who|whose|which)\b[^;.]{0,200},\s*(?:will\s+|has\s+|had\s+)?"
)
# An aside describing the person before it: not a subject of its own.
_ASIDE = re.compile(r",\s*+(?:a|an)\s[^,;.]{1,80},\s*+(?:will\s|has\s|had\s)?\s*+")
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof)\.\s*")
_HONORIFIC_GAP = re.compile(r"\A\s*+(?:(?:Mr|Mrs|Ms|Dr|Prof)\.\s*+)?")
# A title "of"/"at" a capitalised name: the role belongs to that organisation.
_TITLE_OF = re.compile(r"^\s*(?:of|at)\s+(?:the\s+)?([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)")
_SUBSIDIARY = re.compile(
    r"^\s*(?:of|at)\s+(?:its|the\s+company['’]s|a|the)\s+(?:\w+[- ])?subsidiary", re.I
)
_LINK = (
    r"(?:as|to|to\s+be|to\s+serve\s+as|to\s+the\s+(?:role|position|post)\s+of|"
    r"to\s+(?:lead|run|head|steer)\s+(?:the\s+(?:company|firm|business)|it)\s+as|"
    r"to\s+(?:succeed|replace)\s+(?:(?:Mr|Mrs|Ms|Dr)\.\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}\s+as|"
    r"from\s+(?:his|her|the)\s+(?:role|position|post|duties)\s+as)"
)
_DETERMINER = (
    r"(?:the\s+|its\s+|our\s+|his\s+|her\s+|their\s+)?"
    r"(?:company['’]s\s+|new\s+|permanent\s+|next\s+|first\s+)?"
)
# Between a person and the title of their new role: "as its new", "to", nothing ("named X
# CFO"), an aside first ("hired Tom Rivers, a veteran payments executive, as its new COO"); not
# an appositive of the person's present title ("Phong Le, the company's president").
_AS_TITLE = re.compile(
    rf"^\s*(?:,[^,]{{1,40}},\s*)?(?:(?:,\s*)?{_LINK}\s+{_DETERMINER}|{_DETERMINER})$", re.I
)
_THAT_ROLE = re.compile(r"^\s*(?:from\s+)?(?:that|this)\s+(?:position|seat|post|role)\b", re.I)
# "from CEO to Executive Chairman", "from his role as CEO of MicroStrategy to executive chairman"
_FROM_ROLE = re.compile(r"\s*(?:(?:his|her|the|their)\s+(?:role|position|post)\s+as\s+)?", re.I)
_TO_ROLE = re.compile(
    r"\A\s*(?:(?:of|at)\s+[^,.;]{1,40}?\s+)?(?:to|into)\s+(?:the\s+(?:role|position|post)\s+of\s+)?",
    re.I,
)
_PAST_YEAR = re.compile(r"\bin\s+(?:(?:early|late|mid-?)\s*)?((?:19|20)\d\d)\b")
_NOW = re.compile(r"\bnow$", re.I)
_NOW_TITLE = re.compile(r"^\s*(?:the\s+|its\s+|our\s+)?(?:company['’]s\s+|new\s+)?$", re.I)
_TAKE_ON = re.compile(r"\bon\s+(?:the|a)$", re.I)
_ROLE_NOUN = re.compile(r"^\s+(?:role|title|position|post|job|duties|mantle)\b", re.I)
_AUXILIARIES = re.compile(r"(?:\s+(?:will|would|is|was|has|had|shall|to))*\s*", re.I)
# "<person> is [its] [Executive Vice President and] <title> [of <company>], effective <date>"
_PERSON_IS = re.compile(
    r"\A(?:,\s*(?:Jr|Sr|II|III)\.?)?(?:\s*+,)?\s++(?:is|will\s+be|serves\s+as|will\s+serve\s+as)\s++"
    r"(?:the\s+|its\s+|our\s+)?(?:company['’]s\s+)?(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}\s+and\s+)?",
    re.I,
)
_ROLE_THEN_EFFECTIVE = re.compile(r"\A(?:\s++(?:of|at)(?:\s+the)?)?(?:\s*+,)?\s*+")  # names out
_OUT_OF = re.compile(r"\A\s++of\b")
_TAKE_OVER = re.compile(r"\b(?:reins|helm|over)\b")
# A promotion moves the person out of the role they hold ("COO Dana Ortiz was promoted to CEO");
# "appointed" may add a role to the one held ("Erke Huang, the CFO, was appointed interim CEO"),
# and so may the 8-K's noun ("approved the promotion of X, the Company's CFO, to President").
_PROMOTION = re.compile(r"(?:promot|elevat)(?:ed|es|e|ing)\b", re.I)
# "the resignation of X": the noun's person is its object, not the subject before it.
_NOUN_OF = re.compile(r"\A\s*+of\b")
# "Reyes's last day", "his last day": a last day that is someone's.
_LAST_DAY = re.compile(r"\Alast\s", re.I)
_OWNER_BEFORE = re.compile(r"(?:['’]s?|\bhis|\bher)\s*+$", re.I)


# A defined term in brackets: `its former Chief Financial Officer ("CFO"), Jane Roe ("Ms. Roe"),`.
_DEFINED_TERM = re.compile(r"\((?:the\s+|an?\s+)?[\"“][^\"”()\n]{1,40}[\"”]\)")


def _sought(text: str, trigger: Trigger, searches: list[Trigger]) -> bool:
    """The change is what a search in the same clause is for: "a search for someone to
    replace X"."""
    if not text[: trigger.start].endswith("to "):
        return False
    return any(
        s.end <= trigger.start and not re.search(r"[.;]", text[s.end : trigger.start])
        for s in searches
    )


def _words_before(words: tuple[str, ...]) -> re.Pattern[str]:
    """One of `words` shortly before a change verb, in its clause."""
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"\b(?:{alternation})\b[^.;:]{{0,30}}$", re.I)


def _without_defined_terms(ctx: SentenceContext) -> tuple[SentenceContext, list[tuple[int, int]]]:
    """The sentence with its bracketed defined terms and the spaces before them taken out (so
    "Officer, Jane Roe, had" reads as if written without them), and the spans taken out.
    Company mentions inside a bracket are dropped, the others moved."""
    text = ctx.text
    if "(" not in text:
        return ctx, []
    spans = [(_space_before(text, m.start()), m.end()) for m in _DEFINED_TERM.finditer(text)]
    if not spans:
        return ctx, []
    mentions = [
        replace(m, start=_shifted(m.start, spans), end=_shifted(m.end, spans))
        for m in ctx.mentions
        if not any(s <= m.start < e for s, e in spans)
    ]
    pieces, cursor = [], 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        cursor = end
    sentence = replace(ctx.sentence, text="".join(pieces) + text[cursor:])
    return replace(
        ctx, sentence=sentence, mentions=mentions, _annotations=None, _rejected=[]
    ), spans


def _space_before(text: str, position: int) -> int:
    while position and text[position - 1].isspace():
        position -= 1
    return position


def _shifted(position: int, spans: list[tuple[int, int]]) -> int:
    """`position` of the sentence in its text without the `spans`."""
    return position - sum(e - s for s, e in spans if e <= position)


def _restored(position: int, spans: list[tuple[int, int]]) -> int:
    """A position in the text without the `spans` back in the sentence as written."""
    for s, e in spans:
        if s <= position:
            position += e - s
    return position


@dataclass(frozen=True)
class _Scene:
    """One sentence as the event handlers see it: its people, titles and the document memory."""

    ctx: SentenceContext
    people: list[Person]
    titles: list[Title]
    memory: PeopleMemory
    words: tuple[tuple[int, int], ...] = ()  # spans of names and change verbs: no organisations
    triggers: tuple[Trigger, ...] = ()


class PeopleExtractor:
    def __init__(self, rules: Rules) -> None:
        self._titles = TitleFinder(rules)
        honorifics = {h.rstrip(".") for h in rules.titles.honorifics}
        self._not_names = rules.not_names
        self._names = NameFinder(rules.not_names, honorifics, set(rules.people.surnames))
        past = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in rules.people.past_markers)
        self._past = re.compile(rf",\s*(?:{past})\s+(?:the\s+|its\s+|our\s+|a\s+)?$", re.I)
        self._attempt = _words_before(rules.people.attempts)
        self._plan = _words_before(rules.people.plans)

    def memory_for(self, text: str, mentions: list[tuple[int, int]]) -> PeopleMemory:
        """A document's memory, knowing every full name it gives (for a headline's surname)."""
        memory = PeopleMemory()
        memory.later_names = self._names.full_names(text, mentions)
        return memory

    def remember(self, ctx: SentenceContext, memory: PeopleMemory) -> None:
        """A sentence with no change word still introduces people ("Nangeng Zhang founded
        Canaan"), whom a later "he" or surname refers to."""
        ctx, _ = _without_defined_terms(ctx)
        people = self._names.people(ctx.text, [(m.start, m.end) for m in ctx.mentions], memory)
        words = tuple((p.start, p.end) for p in people)
        self._remember(_Scene(ctx, people, self._titles.find(ctx.text), memory, words))
        if people:
            memory.last_person = people[-1].name

    def extract(self, ctx: SentenceContext, memory: PeopleMemory) -> list[Candidate]:
        ctx, cut = _without_defined_terms(ctx)
        ann = ctx.annotated("people")
        blocked = [(m.start, m.end) for m in ctx.mentions]
        blocked += [(t.start, t.end) for t in ann.triggers]  # "Hut 8 Names Asher Genoot CEO"
        people = self._names.people(ctx.text, blocked, memory)
        titles = self._titles.find(ctx.text)
        words = tuple((p.start, p.end) for p in people) + tuple(blocked[len(ctx.mentions) :])
        scene = _Scene(ctx, people, titles, memory, words, tuple(ann.triggers))
        self._remember(scene)
        candidates: list[Candidate] = []
        # "search for a new CEO", "will continue to serve as CFO", "will cease to serve as COO":
        # no new appointment.
        blockers = ann.of("PLAN", "CONTINUE", "STOP")
        for trigger in ann.triggers:
            before = ctx.text[max(0, trigger.start - 60) : trigger.start]
            if self._attempt.search(before):
                continue  # "sought to remove X", "a proposal to oust X"
            if trigger.label != "DEPART_SUBJECT" and self._plan.search(before):
                continue  # "plans to name a CEO"; not "he intends to step down"
            if trigger.label.startswith("APPOINT") and any(
                t.token < trigger.token and trigger.token - t.last <= 3 for t in blockers
            ):
                continue
            if _sought(ctx.text, trigger, ann.of("PLAN")):
                continue  # "plans to search for candidates to replace Ms. Wang"
            candidates += self._read(scene, trigger, candidates)
        if people:
            memory.last_person = people[-1].name
        settled = _settle(_swaps(candidates, memory))
        _learn(settled, memory)
        year = _PAST_YEAR.search(ctx.text)
        for candidate in settled:
            memory.years[id(candidate)] = int(year.group(1)) if year else None
            if cut and candidate.at is not None:
                start = ctx.sentence.start
                candidate.at = start + _restored(candidate.at - start, cut)
        return settled

    def _read(self, scene: _Scene, trigger: Trigger, so_far: list[Candidate]) -> list[Candidate]:
        """The events one change word makes."""
        label = trigger.label
        if label.startswith("APPOINT"):
            return self._appointment(scene, trigger)
        if label == "DEPART_MARK":
            return self._marked_departure(scene, trigger)
        if label.startswith("DEPART"):
            return self._departure(scene, trigger)
        if label == "SWAP":
            _swap_partners(scene, trigger)
            return []
        if label == "REMAIN":
            return self._remains_as(scene, trigger, so_far)
        handlers = {
            "ROLE_CHANGE": self._role_change,
            "HANDOVER": self._handover,
            "EFFECTIVE_ROLE": self._effective_role,
        }
        handler = handlers.get(label)
        return handler(scene, trigger) if handler else []

    def _remember(self, scene: _Scene) -> None:
        """Who holds which title here ("X, its CEO", "CEO X"); a title at another organisation
        ("Former Bitmain CEO Jihan Wu") is remembered apart, so it is not this company's."""
        memory = scene.memory
        for person in scene.people:
            memory.learn(person.name)
            title = _appositive_title(scene.ctx.text, person, scene.titles)
            if title is None:
                continue
            if _other_organisation(scene, title, self._not_names):
                memory.elsewhere.setdefault(person.name, set()).add(title.full)
            else:
                memory.hold(person.name, title.full, title.names)

    # Appointments -----------------------------------------------------------------------

    def _appointment(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        ctx, people, titles, memory = scene.ctx, scene.people, scene.titles, scene.memory
        text = ctx.text
        if trigger.label == "APPOINT_NEW":
            return self._new_title_is(scene, trigger)
        passive = _is_passive(text, trigger) or _BY_AFTER.match(text[trigger.end :])
        if trigger.label == "APPOINT_OBJECT" and not passive:
            events = self._appoint_objects(scene, trigger)
            if events or not _headline_passive(scene, trigger):
                return events
        person = _subject(scene, trigger)
        if person is None:
            return []
        name = person if isinstance(person, str) else person.name
        title = _first_title_after(titles, trigger.end, text, people=people)
        if title is not None and not self._own_role(scene, trigger.end, title):
            return []
        if not _fits_short_form(text, trigger, title):
            return []
        title_name = self._title_name(text, trigger, title)
        if title_name is None and trigger.label == "APPOINT_SUBJECT":
            title_name = self._implied_title(text, trigger, titles, name, memory)
        if title_name is None:
            title_name = _role_named_to(scene, trigger, name)
        if not title_name:
            return []
        events = self._appointed(scene, trigger, name, title_name)
        if _SUCCESSOR_AFTER.match(text[trigger.end :]) and memory.vacated_by not in (None, name):
            for event in events:
                event.fields["replaces"] = memory.vacated_by
        if isinstance(person, Person):
            events += self._former_role(scene, trigger, person, title_name)
        if title is not None and _TAKE_OVER.search(text[trigger.start : trigger.end]):
            events += _taken_from(scene, trigger, title, name, events)
        return events

    def _appoint_objects(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        """ "named Ann Lee and Bo Chen co-CEOs", "named X CFO and Y CEO", "appointed X as CTO"."""
        text, people = scene.ctx.text, scene.people
        events: list[Candidate] = []
        position = trigger.end
        objects: list[Person] = []
        while person := _first_after(people, position, text, limit=45 if not objects else 6):
            objects.append(person)
            position = person.end
            if not re.match(r"^\s*(?:,|and|&|,\s*and)\s*$", _gap_to_next(text, people, person)):
                title = _new_role_after(scene, person) or _title_named_with(scene, trigger, person)
                if title is None:
                    events += self._to_vacated_role(scene, trigger, objects)
                    break
                if not self._own_role(scene, position, title):
                    break
                title_name = self._title_name(text, trigger, title) or title.full
                for each in objects:
                    events += self._appointed(scene, trigger, each.name, title_name)
                    events += self._former_role(scene, trigger, each, title_name)
                objects, position = [], title.end
                if not re.match(r"^\s*(?:,|and|,\s*and)\s", text[position:]):
                    break
        return events

    def _effective_role(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        """ "Jim Nygaard is Executive Vice President and Chief Financial Officer of Core
        Scientific, effective March 17, 2025": a role held from a date is an appointment."""
        text = scene.ctx.text
        if effective_date(text, trigger.start, scene.ctx.reference) is None:
            return []
        title = next((t for t in reversed(scene.titles) if t.end <= trigger.start), None)
        if title is None or not _ROLE_THEN_EFFECTIVE.fullmatch(
            _gap_without_mentions(scene, title.end, trigger.start)
        ):
            return []
        person = next((p for p in reversed(scene.people) if p.end <= title.start), None)
        if person is None or not _PERSON_IS.fullmatch(text[person.end : title.start]):
            return []
        if not self._own_role(scene, title.start, title):
            return []
        return self._appointed(scene, trigger, person.name, title.full)

    def _to_vacated_role(
        self, scene: _Scene, trigger: Trigger, objects: list[Person]
    ) -> list[Candidate]:
        """ "Its CFO would leave. The company named Colin Yee to the role" (or "as his
        successor"): the title left."""
        after = scene.ctx.text[objects[-1].end :]
        memory = scene.memory
        successor = _SUCCESSOR_AFTER.match(after)
        if memory.vacated is None or not (_TO_THE_ROLE.match(after) or successor):
            return []
        events: list[Candidate] = []
        for person in objects:
            events += self._appointed(scene, trigger, person.name, memory.vacated)
        for event in events if successor and memory.vacated_by else []:
            event.fields["replaces"] = memory.vacated_by
        return events

    def _title_name(self, text: str, trigger: Trigger, title: Title | None) -> str | None:
        if title is None:
            return None
        if not title.interim and _TEMPORARY.search(text[max(0, trigger.start - 20) : title.end]):
            return f"Interim {title.full}"
        return title.full

    def _implied_title(
        self, text: str, trigger: Trigger, titles: list[Title], name: str, memory: PeopleMemory
    ) -> str | None:
        """ "The CEO joined ...": the subject's title; "Ortiz takes over": the title the text
        left empty (or the one the person was given before)."""
        definite = _definite_subject_title(text, trigger, titles)
        if definite:
            return definite.full
        if _TAKE_OVER.search(text[trigger.start : trigger.end]):
            return memory.title_of.get(name) or memory.vacated
        return None

    def _own_role(self, scene: _Scene, position: int, title: Title) -> bool:
        """False for a staff role before the title ("director of finance, reporting to the CFO")
        or a title at another organisation ("CEO of Bitmain", "of its subsidiary")."""
        # The staff role in an aside is the person's present one ("Monica Xia, currently Vice
        # President of Finance, as CFO"), not the new role.
        gap = re.sub(r",[^,]*,", " ", scene.ctx.text[position : title.start])
        if self._titles.staff.search(gap):
            return False
        return not _other_organisation(scene, title, self._not_names)

    def _appointed(self, scene: _Scene, trigger: Trigger, name: str, title: str) -> list[Candidate]:
        scene.memory.title_of.setdefault(name, title)
        scene.memory.appointed_to.setdefault(name, title)
        return _event(scene.ctx, "executive_appointment", name, title, trigger.start)

    def _former_role(
        self, scene: _Scene, trigger: Trigger, person: Person, new_title: str
    ) -> list[Candidate]:
        """ "Dana Ortiz, previously Chief Operating Officer, was promoted to CEO": she leaves
        the former role (when it was this company's and is not part of the new one)."""
        text = scene.ctx.text
        if _PROMOTION.match(text[trigger.start : trigger.end]):
            present = _appositive_title(text, person, scene.titles)
            if present is not None and not present.interim:
                return self._left_for(scene, trigger, person, present, new_title)
        for title in scene.titles:
            if not person.end <= title.start < trigger.start:
                continue
            if not self._past.search(text[person.end : title.start]):
                continue
            return self._left_for(scene, trigger, person, title, new_title)
        return []

    def _left_for(
        self, scene: _Scene, trigger: Trigger, person: Person, title: Title, new_title: str
    ) -> list[Candidate]:
        """The departure from a former role `title`, unless it is part of the new one or not
        this company's."""
        text = scene.ctx.text
        if title.full in new_title or permanent(title.full) == new_title:
            return []  # "interim CEO ... was appointed permanent CEO"
        if _other_organisation(scene, title, self._not_names):
            return []
        if re.match(r"^\s*(?:of|at)\s", text[title.end :]) and not re.match(
            r"^\s*(?:of|at)\s+(?:the|its)\s+company\b", text[title.end :], re.I
        ):
            return []
        return _event(scene.ctx, "executive_departure", person.name, title.full, trigger.start)

    def _role_change(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        """ "X will transition from CEO to Executive Chairman": leaves one role, takes another.
        "Wu moves from board chair to CEO": a board seat left is no fact, the new role is."""
        ctx, titles = scene.ctx, scene.titles
        person = _subject(scene, trigger)
        if person is None:
            return []
        name = person if isinstance(person, str) else person.name
        old = _first_title_after(titles, trigger.end, ctx.text, limit=25)
        if old and not _FROM_ROLE.fullmatch(ctx.text[trigger.end : old.start]):
            old = None
        start = old.end if old else trigger.end
        to = re.compile(r"^[^.;,]{0,40}?\b(?:to|into)\s").match(ctx.text[start:])
        if to is None:
            return []
        new = _first_title_after(titles, start + to.end(), ctx.text, limit=12)
        if new is None or new.start < start + to.end() or (old is None and to.end() > 40):
            return []
        events = _event(ctx, "executive_appointment", name, new.full, trigger.start)
        if old is not None and _TO_ROLE.fullmatch(ctx.text[old.end : new.start]):
            events = _event(ctx, "executive_departure", name, old.full, trigger.start) + events
        return events

    def _remains_as(
        self, scene: _Scene, trigger: Trigger, so_far: list[Candidate]
    ) -> list[Candidate]:
        """ "Saylor is stepping down as CEO ... will remain with the company as executive
        chairman": staying on in another role after leaving one is taking that role."""
        person = _subject(scene, trigger)
        name = person if isinstance(person, str) else person.name if person else None
        left = {
            str(c.fields["title"])
            for c in [*so_far, *scene.memory.lone_departures, *scene.memory.departures]
            if c.type == "executive_departure" and c.fields["person"] == name
        }
        title = _first_title_after(scene.titles, trigger.end, scene.ctx.text, limit=40)
        if name is None or not left or title is None or title.full in left:
            return []
        if not re.search(r"\bas\s+(?:\w+\s+)?$", scene.ctx.text[trigger.end : title.start]):
            return []
        return self._appointed(scene, trigger, name, title.full)

    def _handover(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        """ "Saylor will hand the CEO role to Phong Le", "handed over the reins to X": the giver
        leaves the title (stated, or the one the text gave them) and the receiver takes it."""
        text = scene.ctx.text
        to = re.compile(r"^[^.;]{0,50}?\bto\s+").match(text[trigger.end :])
        if to is None:
            return []
        receiver = _first_after(scene.people, trigger.end + to.end(), text, limit=25)
        giver = _subject(scene, trigger)
        given = giver if isinstance(giver, str) else giver.name if giver else None
        stated = [t for t in scene.titles if trigger.end <= t.start < trigger.end + to.end()]
        title = stated[0].full if stated else scene.memory.title_of.get(given or "")
        if receiver is None or title is None or receiver.name == given:
            return []
        events = _event(scene.ctx, "executive_appointment", receiver.name, title, trigger.start)
        if given is None:
            return events
        for event in events:
            event.fields["replaces"] = given
        return events + _event(scene.ctx, "executive_departure", given, title, trigger.start)

    def _new_title_is(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        """ "Bitfarms' new CEO is Geoffrey Morphy"."""
        ctx = scene.ctx
        title = next((t for t in scene.titles if 0 <= t.start - trigger.end <= 2), None)
        if title is None:
            return []
        tail = ctx.text[title.end :]
        link = re.match(r"^\s*(?:is|was|will\s+be|:|,)\s", tail)
        if not link:
            return []
        person = _first_after(scene.people, title.end, ctx.text, limit=25)
        if person is None:
            return []
        if link.group(0).strip() == "," and not _HONORIFIC_GAP.fullmatch(
            ctx.text[title.end + link.end() : person.start]
        ):
            return []  # "as its new CFO, succeeding Ken Deane": the name is not the new CFO
        return _event(ctx, "executive_appointment", person.name, title.full, trigger.start)

    # Departures -------------------------------------------------------------------------

    def _departure(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        ctx, people, memory = scene.ctx, scene.people, scene.memory
        text = ctx.text
        if _THAT_ROLE.match(text[trigger.end :]) and self._titles.is_board(text[: trigger.start]):
            return []  # "stayed on as a director until June, when he resigned from that seat"
        if _OUT_OF.match(text[trigger.end :]) and text[trigger.end - 3 : trigger.end] == "out":
            return []  # "is out of the office", not "is out as CEO"
        if _not_the_subjects(text, trigger):
            return []
        passive = _is_passive(text, trigger)
        by_after = _BY_AFTER.match(text[trigger.end :])
        person: Person | str | None
        successor: Person | str | None = None
        if trigger.label == "DEPART_OBJECT" and not passive and not by_after:
            person = _first_after(people, trigger.end, text)
            successor = _subject(scene, trigger)
            if person is None:
                return self._succeeds_pronoun(scene, trigger, successor)
        else:
            person = _subject(scene, trigger)
            if by_after:
                successor = _first_after(people, trigger.end, text, limit=60)
        if person is None:
            definite = _definite_subject_title(text, trigger, scene.titles)
            if definite is not None:  # "its chief financial officer would leave"
                memory.leave(None, permanent(definite.full))
            return []
        name = person if isinstance(person, str) else person.name
        stated = self._stated_departing_title(scene, trigger, person, successor)
        if stated is not None and self._elsewhere(scene, stated, name):
            return []  # "stepped down as CEO of Bitmain"
        title = stated.full if stated else self._departing_title(scene, trigger, person, successor)
        if not title:
            # "Sullivan became CEO after Mike Levitt stepped down": the sentence's appointment
            # may name the role (settled in _settle).
            untitled = _event(ctx, "executive_departure", name, "", trigger.start)
            for event in untitled:
                event.derived = True
            return untitled
        memory.title_of.setdefault(name, title)
        memory.leave(name, permanent(title))
        events = _event(ctx, "executive_departure", name, title, trigger.start)
        if successor is None and trigger.label == "DEPART_SUBJECT":
            memory.lone_departures += events
        memory.departures += events
        if successor is not None and _is_succession(text, trigger):
            events += _successor(scene, trigger, successor, name, permanent(title))
        return events

    def _marked_departure(self, scene: _Scene, trigger: Trigger) -> list[Candidate]:
        """ "Outgoing CFO Shane Glad", "soon-to-be former Core Scientific president Kim Ryu":
        a title worn by a named person, marked as being left."""
        text = scene.ctx.text
        title = _first_title_after(scene.titles, trigger.end, text, limit=40)
        if title is None or title.start < trigger.end:
            return []
        if not re.fullmatch(
            r"\s*(?:['’]s?\s*)?", _gap_without_mentions(scene, trigger.end, title.start)
        ):
            return []
        person = next((p for p in scene.people if p.start >= title.end), None)
        if person is None or not re.fullmatch(r"\s*,?\s*", text[title.end : person.start]):
            return []
        if _other_organisation(scene, title, self._not_names):
            return []
        scene.memory.title_of.setdefault(person.name, title.full)
        scene.memory.leave(person.name, permanent(title.full))
        events = _event(scene.ctx, "executive_departure", person.name, title.full, trigger.start)
        scene.memory.departures += events
        return events

    def _succeeds_pronoun(
        self, scene: _Scene, trigger: Trigger, successor: Person | str | None
    ) -> list[Candidate]:
        """ "Phong Le will succeed him as CEO", "Erin Brown has been named to succeed him": the
        successor is appointed, and "him" (the person named before, in this sentence or the
        last one) leaves that role."""
        ctx, people, memory = scene.ctx, scene.people, scene.memory
        text = ctx.text
        if successor is None or not _is_succession(text, trigger):
            return []
        if not _PRONOUN_OBJECT.match(text[trigger.end :]):
            return []
        successor_name = successor if isinstance(successor, str) else successor.name
        limit = successor.start if isinstance(successor, Person) else trigger.start
        earlier = [p.name for p in people if p.end <= limit and p.name != successor_name]
        departing = earlier[0] if earlier else memory.last_person
        title = _first_title_after(scene.titles, trigger.end, text, limit=20)
        title_name = title.full if title else memory.title_of.get(departing or "")
        if title_name is None:
            return []
        events = _event(ctx, "executive_appointment", successor_name, title_name, trigger.start)
        if departing and departing != successor_name:
            for event in events:
                event.fields["replaces"] = departing
            events += _event(ctx, "executive_departure", departing, title_name, trigger.start)
        return events

    def _departing_title(
        self,
        scene: _Scene,
        trigger: Trigger,
        person: Person | str,
        successor: Person | str | None,
    ) -> str | None:
        """The title a person leaves: stated in the clause, else the one the text gave them (or
        their successor) before."""
        titles, memory = scene.titles, scene.memory
        name = person if isinstance(person, str) else person.name
        start = person.end if isinstance(person, Person) else 0
        for title in titles:  # "Appleton ... its CFO and Executive Director, was departing"
            near = start <= title.start and title.end <= trigger.start <= title.end + 40
            if near and not _is_title_of_other(title, scene.people, person):
                return title.full
        if successor is not None and _is_succession(scene.ctx.text, trigger):
            successor_name = successor if isinstance(successor, str) else successor.name
            # "She succeeds X": the role she was appointed to (not a present title she leaves)
            if successor_title := memory.appointed_to.get(successor_name):
                return permanent(successor_title)
        return memory.title_of.get(name)

    def _elsewhere(self, scene: _Scene, title: Title, name: str) -> bool:
        """A title at another organisation, named here or remembered for the person ("Former
        Bitmain CEO Jihan Wu ... stepped down as CEO in 2022")."""
        if _other_organisation(scene, title, self._not_names):
            return True
        if title.full not in scene.memory.elsewhere.get(name, set()):
            return False
        return not re.match(r"^\s*(?:of|at)\s", scene.ctx.text[title.end :])

    def _stated_departing_title(
        self,
        scene: _Scene,
        trigger: Trigger,
        person: Person | str,
        successor: Person | str | None,
    ) -> Title | None:
        text, titles, people = scene.ctx.text, scene.titles, scene.people
        if isinstance(person, Person):
            lo, hi = sorted((person.end, trigger.start))
            between = [t for t in titles if lo <= t.start and t.end <= hi]
            if between:
                return between[0]
            appositive = _appositive_title(text, person, titles)
            if appositive:
                return appositive
        for holder in (person, successor):
            # "removed X as CEO", "succeeds X as CEO", "will be succeeded by Y as President"
            if isinstance(holder, Person) and holder.start > trigger.start:
                after = _first_title_after(titles, holder.end, text, limit=40, people=people)
                if after and _AS_TITLE.match(text[holder.end : after.start]):
                    return after
        return _title_after_verb(scene, trigger)


def _not_the_subjects(text: str, trigger: Trigger) -> bool:
    """A departure word that says nothing of the person before it: "X was named interim CEO
    following the resignation of Y" (Y's, read from the noun's object), "X said the last day of
    the quarter" (no one's last day)."""
    verb = text[trigger.start : trigger.end]
    noun = trigger.label == "DEPART_SUBJECT" and verb.endswith(("ion", "ure", "ment"))
    if noun and _NOUN_OF.match(text[trigger.end :]):
        return True
    return bool(_LAST_DAY.match(verb)) and not _OWNER_BEFORE.search(text[: trigger.start])


def _title_after_verb(scene: _Scene, trigger: Trigger) -> Title | None:
    """ "resigned as CEO", "step down from his role as CFO", "gives up the CEO title"; not
    "stepped down, is now also the company's president" (another clause, another title)."""
    text = scene.ctx.text
    after = _first_title_after(scene.titles, trigger.end, text, limit=60, people=scene.people)
    if after is None:
        return None
    gap = text[trigger.end : after.start]
    if re.search(r"\bby\b", gap):
        return None
    if re.search(r"\b(?:as|of|from)\b", gap) or re.fullmatch(r"\s*+(?:the|his|her)?\s*+", gap):
        return after
    return None


def drop_contradicted(candidates: list[Candidate], memory: PeopleMemory) -> list[Candidate]:
    """A person this document appoints to a title who also "stepped down as" that very title in
    an earlier year (no successor named) left it at another time or place ("Wu, who co-founded
    Bitmain, stepped down as CEO in 2022" in the text naming him Bitdeer's CEO): not this
    company's news. A departure with no year ("The CEO joined in 2023 ... will step down") is."""
    contradicted = set()
    for departure in memory.lone_departures:
        left = memory.years.get(id(departure))
        if left is None:
            continue
        for appointment in memory.appointments.get(str(departure.fields["person"]), []):
            came = memory.years.get(id(appointment))
            same = appointment.fields["title"] == departure.fields["title"]
            if same and (came is None or came > left):
                contradicted.add(id(departure))
    return [c for c in candidates if id(c) not in contradicted]


def _successor(
    scene: _Scene, trigger: Trigger, successor: Person | str, predecessor: str, title: str
) -> list[Candidate]:
    """The appointment a succession implies ("Y succeeds X", "X was replaced by Y"). It gives way
    to the appointment the text states itself, which learns whom it replaces."""
    name = successor if isinstance(successor, str) else successor.name
    if name == predecessor:
        return []
    stated = scene.memory.appointments.get(name, [])
    for appointment in stated:
        appointment.fields["replaces"] = appointment.fields.get("replaces") or predecessor
    if any(permanent(str(a.fields["title"])) != title for a in stated):
        return []  # the stated role differs ("interim CEO" for a CEO who left): it stands
    if _TEMPORARY.search(scene.ctx.text[trigger.end :]):
        title = f"Interim {title}"  # "replaced on an interim basis by"
    events = _event(scene.ctx, "executive_appointment", name, title, trigger.start)
    for event in events:
        event.derived = True
        event.fields["replaces"] = predecessor
    return events


def _swaps(candidates: list[Candidate], memory: PeopleMemory) -> list[Candidate]:
    """ "CEO Kong and Chairman Wu swap roles: Wu takes over as CEO, Kong becomes CBO": a person
    appointed to a new role while someone else is appointed to the role they held (or their
    partner in a swap to another role) leaves that role, when one of the two appointments is
    this sentence's (the other may be earlier)."""
    current = [c for c in candidates if c.type == "executive_appointment" and c.fields["title"]]
    made = [*(c for each in memory.appointments.values() for c in each), *current]
    leaving = {
        str(c.fields["person"])
        for c in [*candidates, *memory.departures]
        if c.type == "executive_departure"
    }
    extra = []
    for mover in made:
        name = str(mover.fields["person"])
        here = any(c is mover for c in current)
        if name in leaving:
            continue
        taker = _taker(mover, made if here else current, memory)
        if taker is None:
            continue
        anchor = mover if here else taker
        effective = anchor.fields["effective"]
        fields = {"person": name, "title": taker.fields["title"], "effective": effective}
        extra.append(
            Candidate(
                "executive_departure",
                anchor.company,
                fields,
                anchor.start,
                anchor.end,
                anchor.confidence,
                at=anchor.at,
            )
        )
        leaving.add(name)
    return candidates + extra


def _swap_partners(scene: _Scene, trigger: Trigger) -> None:
    """ "Linghui Kong and Jihan Wu will swap roles": each leaves the role the other takes."""
    text = scene.ctx.text
    before = [p for p in scene.people if p.end <= trigger.start]
    if len(before) < 2 or trigger.start - before[-1].end > 40:
        return
    first, second = before[-2], before[-1]
    if re.fullmatch(
        r"\s*(?:and|&)\s*", re.sub(r",[^,]{0,40},", " ", text[first.end : second.start])
    ):
        scene.memory.swapped[first.name] = second.name
        scene.memory.swapped[second.name] = first.name


_TOP_JOB = "Chief Executive Officer"


def _taker(mover: Candidate, others: list[Candidate], memory: PeopleMemory) -> Candidate | None:
    """The appointment among `others` of someone else to the role `mover` held, or of the
    person `mover` swaps roles with to the top job."""
    name, title = str(mover.fields["person"]), str(mover.fields["title"])
    held, partner = memory.title_of.get(name), memory.swapped.get(name)
    for other in others:
        person, role = str(other.fields["person"]), str(other.fields["title"])
        # In a swap the top job is the one known to change hands: whoever moves to the other
        # role leaves it (the new CEO's old role may have been a board seat).
        swapped_in = person == partner and role == _TOP_JOB
        if person != name and role not in title and (role == held or swapped_in):
            return other
    return None


def _learn(candidates: list[Candidate], memory: PeopleMemory) -> None:
    for candidate in candidates:
        if candidate.type == "executive_appointment" and not candidate.derived:
            memory.appointments.setdefault(str(candidate.fields["person"]), []).append(candidate)


def _new_role_after(scene: _Scene, person: Person) -> Title | None:
    """The title of the role a named person is given: right after the name ("named X CFO",
    "as CTO"), or after the person's present title in an aside ("the promotion of Gary
    Vecchiarelli, the Company's Chief Financial Officer, to the position of President")."""
    text, position = scene.ctx.text, person.end
    title = _first_title_after(scene.titles, position, text, people=scene.people)
    if title is not None and not _AS_TITLE.match(text[position : title.start]):
        if _appositive_title(text, person, scene.titles) is not title:
            return None
        position = title.end
        title = _first_title_after(scene.titles, position, text, limit=40, people=scene.people)
        if title is None or not re.match(
            rf"^\s*,\s*{_LINK}\s+{_DETERMINER}$", text[position : title.start], re.I
        ):
            return None
    return title


_SUCCESSOR_AFTER = re.compile(
    r"^\s*+(?:as\s+)?(?:(?:his|her|their|its|the)\s+)?(?:new\s+)?successor\b", re.I
)
# Up to "from" in the clause; a full stop only inside an abbreviation ("CleanSpark, Inc. from").
_THEN_FROM = re.compile(r"(?:[^.;]|\.(?=\s+[a-z])){0,60}?\bfrom\s+")


def _role_named_to(scene: _Scene, trigger: Trigger, name: str) -> str | None:
    """ "X, the interim CFO, was named to the role permanently": the permanent title of the
    interim one; "Y was appointed to the position", "Y named successor": the title the text
    left empty."""
    text = scene.ctx.text
    if _SUCCESSOR_AFTER.match(text[trigger.end :]):
        return scene.memory.vacated
    if not _TO_THE_ROLE.match(text[trigger.end :]):
        return None
    held = scene.memory.title_of.get(name)
    if held and held != permanent(held) and re.search(r"\bpermanent", text[trigger.end :], re.I):
        return permanent(held)
    return scene.memory.vacated


def _taken_from(
    scene: _Scene, trigger: Trigger, title: Title, name: str, events: list[Candidate]
) -> list[Candidate]:
    """ "Gold will take over as CEO of CleanSpark from Zach Bradford": Bradford leaves it."""
    text = scene.ctx.text
    link = _THEN_FROM.match(text[title.end :])
    giver = link and _first_after(scene.people, title.end + link.end(), text, limit=4)
    if not giver or giver.name == name:
        return []
    for event in events:
        event.fields["replaces"] = giver.name
    role = permanent(title.full)
    scene.memory.title_of.setdefault(giver.name, role)
    return _event(scene.ctx, "executive_departure", giver.name, role, trigger.start)


def _headline_passive(scene: _Scene, trigger: Trigger) -> bool:
    """ "Jihan Wu named CEO": a name right before the verb and a title right after it, with
    no one named in between, is a passive without its "was"."""
    text = scene.ctx.text
    before = [p for p in scene.people if p.end <= trigger.start]
    if not before or text[before[-1].end : trigger.start].strip():
        return False
    if _SUCCESSOR_AFTER.match(text[trigger.end :]):
        return True  # "Harper Quinn Named Successor"
    title = _first_title_after(scene.titles, trigger.end, text, limit=40, people=scene.people)
    if title is None:
        return False
    return bool(_NAMED_AS.fullmatch(_gap_without_mentions(scene, trigger.end, title.start)))


# "named CEO", "named as its new CFO", "promoted to CEO", "named TeraWulf's CFO" (the company taken out)
_NAMED_AS = re.compile(
    r"\A\s*+(?:(?:as|to)\s++)?(?:(?:its|the|new|permanent)\s++)*+(?:['’]s?\s++)?", re.I
)


def _gap_without_mentions(scene: _Scene, start: int, end: int) -> str:
    """The text between `start` and `end` without the company names in it."""
    text, cursor, pieces = scene.ctx.text, start, []
    for mention in scene.ctx.mentions:
        if cursor <= mention.start and mention.end <= end:
            pieces.append(text[cursor : mention.start])
            cursor = mention.end
    return "".join(pieces) + text[cursor:end]


def _title_named_with(scene: _Scene, trigger: Trigger, person: Person) -> Title | None:
    """ "the appointment of interim CFO Amy Lin", "hires Chief Financial Officer Colin Yee":
    the title the verb's object is named with is the new role when no other follows; not
    "elected CEO Jane Roe to its board", "named CEO Jane Roe to speak"."""
    text = scene.ctx.text
    if _OTHER_PURPOSE.match(text[person.end :]):
        return None
    for title in scene.titles:
        if trigger.end <= title.start and title.end <= person.start:
            between = re.fullmatch(r"\s*", text[title.end : person.start])
            if between and _NAMED_WITH.fullmatch(text[trigger.end : title.start]):
                return title
    return None


_NAMED_WITH = re.compile(r"\A\s*+(?:(?:its|the|a|an|new|of)\s++)*+", re.I)
# After the object, another role or purpose: "to its board", "as a director", "to speak".
_OTHER_PURPOSE = re.compile(r"^\s*+,?\s*+(?:to|as|for|on|onto)\b", re.I)


def _fits_short_form(text: str, trigger: Trigger, title: Title | None) -> bool:
    """ "is now" and "take on the" make an appointment only right before the title: "Wu is now
    CEO", "will take on the CEO role"; not "is now also the company's president"."""
    verb = text[trigger.start : trigger.end]
    if _NOW.search(verb):
        return title is not None and bool(_NOW_TITLE.match(text[trigger.end : title.start]))
    if _TAKE_ON.search(verb):
        return (
            title is not None
            and not text[trigger.end : title.start].strip()
            and bool(_ROLE_NOUN.match(text[title.end :]))
        )
    return True


def _settle(candidates: list[Candidate]) -> list[Candidate]:
    """Resolve the inferred events of one sentence. A departure with no title of its own takes
    the role the sentence appoints someone to (one role only, without its interim word), or is
    dropped. A successor's appointment inferred from "replacing X" gives way to the appointment
    the sentence states itself ("appointed Ben Gagnon as CEO, replacing interim CEO X"), which
    learns whom it replaces."""
    roles = {
        permanent(str(c.fields["title"]))
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
    effective = effective_date(ctx.text, anchor, ctx.reference)
    fields: dict[str, object] = {"person": name, "title": title, "effective": effective}
    if type_ == "executive_appointment":
        fields["interim"] = title.startswith(INTERIM_PREFIXES)
        fields["replaces"] = None
    candidate = ctx.candidate(
        type_, anchor, fields, confidence=0.75, company=ctx.role_company(anchor)
    )
    if candidate is None:
        return []
    candidate.subject_company = candidate.company == ctx.subject_company(anchor)
    return [candidate]


def _other_organisation(scene: _Scene, title: Title, not_names: frozenset[str]) -> bool:
    """ "CEO of Bitmain", "Bitmain's CEO", "the former Bitmain CEO" (a name that is no company
    the text knows), "President of its subsidiary EcoChain": a role elsewhere."""
    ctx = scene.ctx
    tail = ctx.text[title.end :]
    if _SUBSIDIARY.match(tail):
        return True
    before = _ORGANISATION_BEFORE.search(ctx.text[: title.start])
    if before and before.group(1) not in not_names:
        position = title.start - len(before.group(0))
        if not any(s <= position < e for s, e in scene.words):
            return not _known_company(ctx, position, before.group(1))
    match = _TITLE_OF.match(tail)
    if not match or match.group(1).split()[0].rstrip(".") in _OWN_BODIES:
        return False
    stop = title.end + len(re.split(r"[,;.(]", tail, maxsplit=1)[0])
    if any(title.end <= m.start < stop for m in ctx.mentions) or match.group(1).endswith("-based"):
        return False  # "CEO of Toronto-based bitcoin miner Bitfarms"
    return not _known_company(ctx, title.end + match.start(1), match.group(1).split()[0])


_OWN_BODIES = ("Company", "Board", "Group", "Directors")  # "CEO of the Company."
# A capitalised word right before a title: "Bitmain's CEO", "the former Bitmain CEO".
_ORGANISATION_BEFORE = re.compile(r"\b([A-Z][\w&-]*)(?:['’]s?)?\s+$")


def _known_company(ctx: SentenceContext, position: int, word: str) -> bool:
    """A company mention at `position`, or a word of a company the sentence or context names."""
    if any(m.start <= position < m.end for m in ctx.mentions):
        return True
    known = [m.ref for m in ctx.mentions]
    if ctx.default_company:
        known.append(ctx.default_company)
    return any(word in ref.name.split() + ref.canonical.split() for ref in known)


def _is_title_of_other(title: Title, people: list[Person], person: Person | str) -> bool:
    """A title right before the trigger that another person in between holds."""
    if not isinstance(person, Person):
        return False
    return any(p.start > person.end and p.end <= title.start for p in people)


def _gap_to_next(text: str, people: list[Person], person: Person) -> str:
    following = [p for p in people if p.start >= person.end]
    return text[person.end : following[0].start] if following else "."


def _first_after(people: list[Person], position: int, text: str, limit: int = 45) -> Person | None:
    for person in people:
        if person.start >= position:
            gap = _HONORIFIC.sub("", text[position : person.start])
            if len(gap) <= limit and not re.search(r"[.;]", gap):
                return person
            return None
    return None


def _subject(scene: _Scene, trigger: Trigger) -> Person | str | None:
    """The person before the trigger in its clause, or who "he"/"she"/"the CEO" refers to: the
    sentence's subject named before the pronoun, else the person the text named last. The
    second verb of "Saylor will hand the CEO role to Le and take the title of ..." has the
    first verb's subject, not its object."""
    text, people = scene.ctx.text, scene.people
    coordinated = _coordinated_with(scene, trigger)
    if coordinated is not None:
        return _subject(scene, coordinated)
    before = [
        p
        for p in people
        if p.end <= trigger.start
        and not _CLAUSE_BREAK.search(text[p.end : trigger.start])
        and (
            trigger.start - p.end <= _CLAUSE_LIMIT
            or _RELATIVE_CLAUSE.fullmatch(text[p.end : trigger.start])
        )
    ]
    pronoun = _PRONOUN_BEFORE.search(text[: trigger.start])
    described = [p for p in before if _ASIDE.fullmatch(text[p.end : trigger.start])]
    if described:
        return described[0]  # "Priya Shah, a former Goldman Sachs banker, is joining"
    if before:
        nearest = before[-1]
        gap = text[nearest.end : trigger.start]
        if not _PRONOUN_BEFORE.search(gap) or len(gap) < 40:
            return nearest
    if pronoun:
        earlier = [p for p in people if p.end <= pronoun.start()]
        return earlier[0] if earlier else scene.memory.last_person
    definite = _definite_subject_title(text, trigger, scene.titles)
    if definite:
        return scene.memory.holder_of.get(definite.names[0])
    return None


def _is_passive(text: str, trigger: Trigger) -> bool:
    """ "was appointed", "is being replaced"; not the progressive "is replacing"."""
    verb = text[trigger.start : trigger.end].split()[0]
    return not verb.lower().endswith("ing") and bool(_PASSIVE_BEFORE.search(text[: trigger.start]))


def _coordinated_with(scene: _Scene, trigger: Trigger) -> Trigger | None:
    """The earlier verb of "X will hand ... to Y and take ...", when the person nearest before
    `trigger` is that verb's object."""
    text = scene.ctx.text
    if not _AND_BEFORE.search(text[: trigger.start]):
        return None
    earlier = [
        t
        for t in scene.triggers
        if t.end <= trigger.start and t.label in ("APPOINT_OBJECT", "DEPART_OBJECT", "HANDOVER")
    ]
    if not earlier:
        return None
    verb = earlier[-1]
    between = [p for p in scene.people if verb.end <= p.start and p.end <= trigger.start]
    return verb if between and not _is_passive(text, verb) else None


def _definite_subject_title(text: str, trigger: Trigger, titles: list[Title]) -> Title | None:
    """ "The CEO joined ...": a title that is itself the subject right before the trigger."""
    for title in titles:
        adjacent = title.end <= trigger.start and bool(
            _AUXILIARIES.fullmatch(text[title.end : trigger.start])
        )
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
            r",\s*(?:the\s+|its\s+|our\s+|their\s+|his\s+|her\s+)?(?:[\w’' ]{0,25}?['’]s?\s+|previous\s+|former\s+|formerly\s+(?:the\s+)?|who\s+(?:has|had)\s+(?:served|been)\s+(?:as\s+)?(?:the\s+|its\s+)?|who\s+is\s+(?:the\s+|its\s+)?|current\s+|currently\s+(?:the\s+)?(?:company['’]s\s+)?|then\s+)?(?:co-founder,?\s+|chairman,?\s+|chairwoman,?\s+|and\s+)*",
            gap_after,
        ):
            return title
        # "CEO X", "the CEO, X", "its former CFO,   X" (however many spaces)
        gap_before = text[title.end : person.start]
        if person.start >= title.end and re.fullmatch(r"\s*,?\s*", gap_before):
            return title
    return None


def _is_succession(text: str, trigger: Trigger) -> bool:
    """ "succeeding X", "replacing X": the new holder takes X's title. "Takes over from X" says
    nothing of which of X's titles passes on, so it makes no appointment by itself."""
    return bool(re.search(r"succe|replac", text[trigger.start : trigger.end], re.I))
