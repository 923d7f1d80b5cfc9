"""Speaker candidates for the claims step: the people, bodies, documents and writers a paper names.

One name model for the claims rules: linked mentions first, then italic titles, role nouns, capitalised
names (accented letters included), the entities stage's unlinked names, documents and unnamed sources,
groups, pronouns and the writer's "I"/"we" (docs/claims-codebook.md). Word lists live in vocab/.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import polars as pl

from pipeline.text.months import FULL_MONTH_NAMES
from pipeline.vocab import alternation, load_mapping, load_words

# Verbs of saying and writing: they attribute quotations and, with a "that" clause, reported statements.
TITLE_WORD = re.compile(r"[^\W\d_]{3,}")
SPEECH_VERBS = frozenset(load_words("reporting_verbs"))
# Verbs of thinking and naming: they attribute quoted words but do not make a reported statement.
THOUGHT_VERBS = frozenset(load_words("thought_verbs"))
REPORTING_VERBS = SPEECH_VERBS | THOUGHT_VERBS
REPORTING_NOUNS = frozenset(load_words("reporting_nouns"))
SPEAKER_ROLES: dict[str, str] = load_mapping("speaker_roles")
SPEAKER_BODIES: dict[str, str] = load_mapping("speaker_bodies")
SPEAKER_GROUPS = load_words("speaker_groups")
SPEAKER_DOCUMENTS: dict[str, str] = load_mapping("speaker_documents")
QUOTED_DOCUMENT_WORDS = frozenset(word.lower() for word in load_words("quoted_documents"))
# A document or unnamed source: a determiner or a possessive, up to two modifiers, the noun.
DOCUMENT_SPEAKER = re.compile(
    r"(?:\b(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ne|[Aa]nother)|([’']s?))"
    r"((?:[ \t]+(?!(?:in|of|to|for|by|on)\b)[a-z][\w-]*){0,2}?[ \t]+(?:"
    + alternation(SPEAKER_DOCUMENTS)
    + r"))\b(?![’'-])"
)
GROUP_WORDS = frozenset(group.lower() for group in SPEAKER_GROUPS)
PREPOSITIONS = frozenset(
    "in on at by with to of from for than about against into onto upon toward towards under over between "
    "among after before during through via like unlike including".split()
)
PRONOUN = re.compile(r"\b(?:he|she|He|She|his|her|His|Her|they|They|their|Their)\b")
# The addressee of a letter or telegram ("You stated that", "your note ... stating that").
SECOND_PERSON = re.compile(r"\b(?:[Yy]ou|[Yy]our)\b")
# The writer speaking in the first person ("I told him that", "we informed the Minister"); "I" only before
# a lower-case word and not after a part of a document, so a roman numeral ("Article I of the Treaty") is
# not a writer.
FIRST_PERSON = re.compile(
    r"\b(?:(?<!Article )(?<!Section )(?<!Chapter )(?<!Part )(?<!Annex )(?<!Title )(?<!Paragraph )"
    r"(?<!Schedule )(?<!Protocol )(?<!Appendix )I(?=[ \t]+[a-z])|[Ww]e)\b"
)
NATIONALITY_WORDS = load_words("nationalities")
ROLE = re.compile(
    r"\b[Tt]he (?:(?:former|new|then|acting|Acting|old|future|latter|same|"
    + alternation(NATIONALITY_WORDS)
    + r")\s+)?"
    r"(?i:" + alternation(SPEAKER_ROLES) + r")\b"
)
# "This official said", "that Minister believed": a demonstrative with a person noun whose phrase ends there
# (punctuation or a verb follows, not "this official intervention") is a role resolving like "the Minister".
DEMONSTRATIVE_ROLE = re.compile(
    r"\b[Tt]h(?:is|at)[ \t]+(?i:"
    + alternation(
        [r for r, kind in SPEAKER_ROLES.items() if kind == "person"] + list(load_words("demonstrative_roles"))
    )
    + r")\b(?=[ \t]*[,;:()]|[ \t]+(?:[a-z]+ed|had|has|was|is|would|will|could|also|then|however|told|"
    r"said|thought)\b)"
)
# A group noun, with the capitalised words that qualify it ("Committee members", "British officials").
GROUP = re.compile(
    r"(?<![\w.])(?:(?:[A-Z][A-Za-z.’'-]*|[A-Z]{2,6})[ \t]+)*(?i:" + alternation(SPEAKER_GROUPS) + r")\b"
)
# A capitalised name: words, initials, hyphenated and bracketed parts, joined by name particles.
# Upper and lower case letters of Latin-1 and Latin Extended-A, so accented names are whole names.
UPPER = "A-ZÀ-ÖØ-ÞĀ-ž"
LOWER = "a-zß-öø-ÿĀ-ž"
NAME_WORD = (
    rf"(?:(?:Ma?c)?[{UPPER}][{LOWER}]+(?:[-–'’][{UPPER}][{LOWER}]+)*|[A-Z]{{2,6}}(?![a-z])"
    rf"|[A-Z]\.(?:\s?[A-Z]\.)*)"
)
NAME_PARTICLES = "y|de|del|van|von|der|la|le|du"
NAME = re.compile(
    rf"(?<![\w.’'-]){NAME_WORD}(?:(?:[ \t]+(?:(?:of|on|for)(?:[ \t]+the)?|{NAME_PARTICLES})[ \t]+|[ \t]+"
    rf"|[ \t]+\[[A-Z][a-z]+\][ \t]+){NAME_WORD})*"
)
# "the Chief for Colonial Affairs", "the American consul at Port Amber": a role qualified by its office or
# posting names its holder, not the topic.
QUALIFIED_OFFICE = re.compile(
    r"[ \t]+(?:of|for|at|in)[ \t]+(?:the[ \t]+)?(?:[A-Z][a-z]+|[A-Z]{2,6})(?:[ \t]+[A-Z][a-z]+)*"
)
# "Minister to Norway Jane Doe": a posting's place comes before the person's name.
TITLE_TO = re.compile(r"\b([A-Z][a-z]+)[ \t]+to[ \t]+$")
JOINER = re.compile(r"\s(?:of|on|for)(?:\s+the)?\s")
PERSON_TAIL = re.compile(
    rf"(?:[{UPPER}][{LOWER}]+[ \t]+)?(?:[A-Z]\.[ \t]*)*"
    rf"(?:[{UPPER}][\w’'-]+[ \t]+(?:y|de|del|da|di|van|von|der)[ \t]+)?"
    rf"(?:Ma?c)?[{UPPER}][{LOWER}]+(?:[-–'’][{UPPER}][{LOWER}]+)*$"
)
BODY_PHRASE = re.compile(
    r"\b(?:[A-Z][a-z]+[ \t]+)+(?:"
    + "|".join(
        sorted((b.lower() for b, k in SPEAKER_BODIES.items() if k == "organisation"), key=len, reverse=True)
    )
    + r")\b"
)
# Capitalised words that start sentences or fill names without being parts of a speaker's name.
NON_NAME_WORDS = (
    frozenset(load_words("sentence_starters"))
    | frozenset(load_words("imperative_openers"))
    | frozenset(
        """Although Though Because Since Until During Under Over Despite Instead Rather Not No Nor Or Then
    Meanwhile However Moreover Later Earlier Still Already Also Both Each Every Either Neither Most Many Some
    Other Another Such What Which Who Whom Whose Where Why How Upon Within Without From With To Of Former
    Fearing Finding Turning Anticipating Acknowledging Doubting Brandishing Having Being Consequently
    Additionally Remarkably Crucially Nonetheless Throughout Between Among Against Toward Towards Through Its
    Our My Your One Two Three Four Five Six Seven Eight Nine Ten Mr Mrs Perhaps Indeed Later Early Once Again
    Here Like Unlike Any More Speaking Writing Instead Ultimately Eventually Initially Similarly Nothing
    Something Anything Everything You Am Received Sir Dear Respectfully Excellency""".split()
    )
    | frozenset(FULL_MONTH_NAMES)
)
IRREGULAR_PAST = """
told wrote said thought felt knew saw took made became began met led sought held gave went came got stood
understood left kept found broke fell rose spoke ran did had was were is has would could should might must
may will can shall
""".split()
FINITE_VERB = re.compile(
    r"\s+(?:(?:\w+ly|also|then|never|not|still|even|himself|herself|however,?)\s+)*(?:"
    + "|".join(sorted(set(IRREGULAR_PAST) | REPORTING_VERBS, key=len, reverse=True))
    + r"|[a-z]+ed)\b"
)


COUNTRIES = frozenset(load_words("country_names"))
# A verb of saying (not of thinking) right after a word ("the Porte states"), adverbs allowed.
SAYS_AFTER = re.compile(
    r"[ \t]+(?:(?:\w+ly|also|then|now)[ \t]+)*(?:"
    + "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
    + r")\b"
)


@dataclass(frozen=True)
class Candidate:
    """A possible speaker: a person mention, a name, a body, a group, a pronoun, a role noun or a work title.

    ``name`` is the span's personal name part ("Jane Doe" in "Secretary of State Jane Doe").
    """

    start: int
    end: int
    text: str
    source: str
    entity_id: str | None = None
    kind: str = "person"
    name: str | None = None


class Occupied:
    """Character spans already taken by a stronger candidate, for overlap tests in logarithmic time."""

    def __init__(self) -> None:
        self.marks = bytearray()

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.marks[start:end]) if start < len(self.marks) else False

    def take(self, start: int, end: int) -> None:
        if end > len(self.marks):
            self.marks.extend(bytes(end - len(self.marks)))
        self.marks[start:end] = b"\x01" * (end - start)


def title_tail(span: str, tokens: list[str]) -> str | None:
    """The personal name after the last title ("Secretary of State Jane Doe" -> "Jane Doe")."""
    titles = [i for i, t in enumerate(tokens) if t.lower().rstrip(".") in SPEAKER_ROLES]
    if not titles or titles[-1] == len(tokens) - 1:
        return None
    offset = 0
    for token in span.split()[: titles[-1] + 1]:
        offset = span.index(token, offset) + len(token)
    tail = PERSON_TAIL.search(span, offset)
    if tail is None or re.search(r"\b(?:of|for|on|the)\s+$", span[: tail.start()]):
        return None
    return tail.group().strip()


def name_candidates(text: str, masked: str, body_end: int) -> list[Candidate]:
    """Capitalised names the mentions table may not link: persons (after any title), bodies and papers.

    A single capitalised word counts as a person only when it is the surname of a fuller name in the same
    paper or stands after a title, so sentence-initial words and adjectives ("Disgusted", "Soviet") are not
    speakers; a multi-word name after "the" is a place or a thing unless it holds a body word.
    """
    spans: list[tuple[int, int, str, list[str], bool]] = []
    common = frozenset(re.findall(r"(?<![\w-])[a-z]+(?:ing|ed)\b", masked))
    for match in NAME.finditer(masked, 0, body_end):
        words = list(re.finditer(r"\S+", match.group()))
        before = masked[max(0, match.start() - 3) : match.start()]
        at_sentence_start = match.start() == 0 or bool(re.search(r"(?:[.!?:;”\"]\s+|\n)$", before))
        while words and (
            words[0].group().rstrip(".") in NON_NAME_WORDS
            or participle_opener(masked, match.start() + words[0].start(), words, at_sentence_start, common)
            or (at_sentence_start and words[0].group().endswith("ly"))
        ):
            words.pop(0)
        if not words:
            continue
        if len(words) > 1 and words[-1].group() == "No" and re.match(r"\.\s*\d", masked[match.end() :][:4]):
            words.pop()  # "Enclosure No. 2", "Instruction No. 1190": a number label, not a name
        start = match.start() + words[0].start()
        end = match.start() + words[-1].end()
        tokens = [w.strip("[]") for w in text[start:end].split()]
        if not any(body_word(t) for t in tokens):
            joiner = JOINER.search(text, start, end)
            if joiner is not None and not any(t.lower() in SPEAKER_ROLES for t in tokens):
                end = joiner.start()
                tokens = text[start:end].split()
        after_the = bool(re.search(r"\b[Tt]he\s+$", masked[max(0, start - 5) : start]))
        spans.append((start, end, text[start:end], tokens, after_the))
    full_names = [
        span
        for _, _, span, tokens, after_the in spans
        if len(tokens) > 1
        and not after_the
        and not any(body_word(t) or t.lower() in SPEAKER_ROLES for t in tokens)
    ]
    full_names += [tail for _, _, span, tokens, _ in spans if (tail := title_tail(span, tokens))]
    surnames = {
        part
        for name in full_names
        for token in name.split()[1:]
        for part in token.split("-")
        if part[:1].isupper() and not part.endswith(".")
    }
    subjects = {
        tokens[0]
        for start, end, _, tokens, after_the in spans
        if len(tokens) == 1
        and not after_the
        and tokens[0].lower() not in GROUP_WORDS
        and FINITE_VERB.match(masked, end, end + 80)
        and preceding_word(masked, start).lower() not in PREPOSITIONS
    }
    found: list[Candidate] = []
    for start, end, span, tokens, after_the in spans:
        bodies = [kind for t in tokens if (kind := body_word(t))]
        titles = [i for i, t in enumerate(tokens) if t.lower().rstrip(".") in SPEAKER_ROLES]
        posting = TITLE_TO.search(masked, max(0, start - 30), start)
        if posting and posting.group(1).lower() in SPEAKER_ROLES and len(tokens) > 1:
            tail = PERSON_TAIL.search(span)
            if tail is not None and tail.start() > 0:
                found.append(Candidate(start, end, span, "name", kind="person", name=tail.group()))
        elif titles and titles[-1] < len(tokens) - 1:
            tail = title_tail(span, tokens)
            found.append(Candidate(start, end, span, "name", kind="person", name=tail or span))
        elif bodies:
            found.append(Candidate(start, end, span, "name", kind=bodies[-1], name=span))
        elif len(tokens) == 1 and tokens[0].isupper() and len(tokens[0]) > 1:
            if not re.search(r"[(–-]\s*$", masked[max(0, start - 2) : start]):
                found.append(Candidate(start, end, span, "name", kind="organisation", name=span))
        elif titles and len(tokens) > 1 and not all(t.endswith(".") for t in tokens):
            found.append(_qualified_title(text, masked, start, end, after_the, body_end))
        elif titles or all(t.endswith(".") for t in tokens):
            continue
        elif len(tokens) == 1 and tokens[0] in COUNTRIES:
            if tokens[0] in subjects:  # "Ruritania replied": the country's government, never "he"
                found.append(Candidate(start, end, span, "name", kind="organisation", name=span))
        elif len(tokens) == 1 and after_the and SAYS_AFTER.match(masked, end, end + 40):
            # "the Porte states that": a body known by one word
            found.append(Candidate(start, end, span, "name", kind="organisation", name=span))
        elif len(tokens) == 1:
            if tokens[0] in surnames or tokens[0] in subjects:
                found.append(Candidate(start, end, span, "name", kind="person", name=span))
        elif not after_the:
            found.append(Candidate(start, end, span, "name", kind="person", name=span))
    for match in BODY_PHRASE.finditer(masked, 0, body_end):
        found.append(
            Candidate(
                match.start(), match.end(), match.group(), "name", kind="organisation", name=match.group()
            )
        )
    return sorted(found, key=lambda c: (c.start, -c.end))


def _qualified_title(
    text: str, masked: str, start: int, end: int, after_the: bool, body_end: int
) -> Candidate:
    """A title of several words with no name after it ("the High Commissioner", "The Vice Consul at X"): a
    role that resolves like "the Minister", or with its posting the holder named by it."""
    article = re.search(r"[Tt]he\s+$", masked[max(0, start - 5) : start]) if after_the else None
    if article is not None:
        start -= len(article.group())
    office = QUALIFIED_OFFICE.match(masked, end, body_end)
    if office is not None:
        phrase = text[start : office.end()]
        return Candidate(start, office.end(), phrase, "name", kind="person", name=phrase)
    return Candidate(start, end, text[start:end], "role", kind="person")


def body_word(token: str) -> str | None:
    """What a capitalised word makes a name (vocab/speaker_bodies.yaml), plural bodies included
    ("the Allied Governments")."""
    kind = SPEAKER_BODIES.get(token)
    if kind is None and token.endswith("s") and SPEAKER_BODIES.get(token[:-1]) == "organisation":
        return "organisation"
    return kind


def participle_opener(
    masked: str, start: int, words: list[re.Match[str]], at_sentence_start: bool, common: frozenset[str]
) -> bool:
    """A capitalised -ing/-ed word that opens a participle clause ("Disappointed, he ...", "Following Smith")
    or is a word the paper also writes in lower case ("Nothing was said"), rather than a name ending so
    ("Harding explained"): it opens its sentence and does not stand alone before a finite verb."""
    word = words[0].group()
    if not word.endswith(("ing", "ed")) or not at_sentence_start:
        return False
    if word.lower() in common:
        return True
    return not (len(words) == 1 and FINITE_VERB.match(masked, start + len(word), start + len(word) + 80))


def speaker_candidates(
    text: str,
    masked: str,
    mentions: pl.DataFrame,
    body_end: int,
    italic: list[tuple[int, int]],
    unlinked_names: pl.DataFrame | None = None,
) -> list[Candidate]:
    """Speakers the text offers: linked mentions first, then italic titles, names, groups, pronouns, roles."""
    found: dict[tuple[int, int], Candidate] = {}
    occupied = Occupied()
    if mentions.height:
        for start, end, mention_text, entity_id, kind, entity_type in mentions.select(
            "char_start", "char_end", "text", "entity_id", "match_kind", "entity_type"
        ).iter_rows():
            if start >= body_end or not masked[start:end].strip():
                continue
            occupied.take(start, end)
            if entity_type == "organisation":
                # A body the entities stage linked ("the Department of State") speaks under its own ID.
                found[(start, end)] = Candidate(
                    start, end, mention_text, "mention", entity_id, kind="organisation", name=mention_text
                )
            if entity_type != "person":
                continue
            source = (
                "pronoun" if kind in ("pronoun", "possessive") else "role" if kind == "role" else "mention"
            )
            found[(start, end)] = Candidate(start, end, mention_text, source, entity_id)
    for start, end in italic:
        if not TITLE_WORD.search(text, start, end):
            continue  # "(*a*)", "*6*": a list marker or a numeral in italics, no title
        if start < body_end and not occupied.overlaps(start, end):
            found[(start, end)] = Candidate(
                start, end, text[start:end], "work", kind="work", name=text[start:end]
            )
            occupied.take(start, end)
    for match in DEMONSTRATIVE_ROLE.finditer(masked, 0, body_end):
        if not occupied.overlaps(match.start(), match.end()):
            found[(match.start(), match.end())] = Candidate(
                match.start(), match.end(), match.group(), "role", kind="person"
            )
            occupied.take(match.start(), match.end())
    for match in ROLE.finditer(masked, 0, body_end):
        if occupied.overlaps(match.start(), match.end()):
            continue
        office = QUALIFIED_OFFICE.match(masked, match.end(), body_end)
        if office is not None:
            phrase = text[match.start() : office.end()]
            candidate = Candidate(match.start(), office.end(), phrase, "name", kind="person", name=phrase)
        else:
            candidate = Candidate(
                match.start(), match.end(), match.group(), "role", kind=role_kind(match.group())
            )
        found[(candidate.start, candidate.end)] = candidate
        occupied.take(candidate.start, candidate.end)
    for candidate in name_candidates(text, masked, body_end):
        if (
            occupied.overlaps(candidate.start, candidate.end)
            and candidate.name
            and candidate.name != candidate.text
        ):
            # "Chief of the *Gazette* Office John Smith": keep the person after the italic title.
            tail_start = candidate.end - len(candidate.name)
            if text[tail_start : candidate.end] != candidate.name:
                continue
            candidate = Candidate(
                tail_start, candidate.end, candidate.name, "name", kind="person", name=candidate.name
            )
        if not occupied.overlaps(candidate.start, candidate.end):
            found[(candidate.start, candidate.end)] = candidate
            occupied.take(candidate.start, candidate.end)
    add_unlinked_names(found, occupied, unlinked_names, masked, body_end)
    for candidate in document_candidates(text, masked, body_end, occupied):
        found[(candidate.start, candidate.end)] = candidate
        occupied.take(candidate.start, candidate.end)
    for pattern, source in (
        (GROUP, "group"),
        (PRONOUN, "pronoun"),
        (FIRST_PERSON, "writer"),
        (SECOND_PERSON, "addressee"),
    ):
        for match in pattern.finditer(masked, 0, body_end):
            if not occupied.overlaps(match.start(), match.end()):
                kind = {"group": "group", "writer": "writer"}.get(source) or role_kind(match.group())
                found[(match.start(), match.end())] = Candidate(
                    match.start(), match.end(), match.group(), source, kind=kind
                )
    return sorted(found.values(), key=lambda c: c.start)


def add_unlinked_names(
    found: dict[tuple[int, int], Candidate],
    occupied: Occupied,
    unlinked_names: pl.DataFrame | None,
    masked: str,
    body_end: int,
) -> None:
    """The entities stage's unlinked names as speakers: a name this step missed (accents, particles), or
    the fuller form of a person name it cut short ("Hale" inside "John Porter Hale"). Titles before
    the name stay out of the name."""
    persons = sorted((c.start, c.end, key) for key, c in found.items() if c.kind == "person")
    starts = [start for start, _, _ in persons]
    for start, end, name in unlinked_spans(unlinked_names):
        if start >= body_end or not masked[start:end].strip():
            continue
        tokens = name.split()
        while len(tokens) > 1 and tokens[0].lower().rstrip(".") in SPEAKER_ROLES:
            tokens.pop(0)
        name = " ".join(tokens)
        if re.match(r"[ \t]+[A-Z]", masked[end : end + 2]):
            continue  # a name inside a longer proper noun ("the Truman Library") is not a speaker
        if not occupied.overlaps(start, end):
            found[(start, end)] = Candidate(start, end, name, "name", kind="person", name=name)
            occupied.take(start, end)
            continue
        index = bisect.bisect_right(starts, start)
        for c_start, c_end, key in persons[index : index + 3]:
            inside = start <= c_start and c_end <= end and (c_start, c_end) != (start, end)
            current = found.get(key)
            if (
                inside
                and current is not None
                and current.source == "name"
                and len(current.name or "") < len(name)
            ):
                found[key] = Candidate(c_start, c_end, current.text, "name", kind="person", name=name)


def unlinked_spans(unlinked_names: pl.DataFrame | None) -> list[tuple[int, int, str]]:
    """Body names the entities stage found but could not link: (start, end, text)."""
    if unlinked_names is None or not unlinked_names.height:
        return []
    body = unlinked_names.filter(pl.col("footnote_id").is_null())
    return sorted(body.select("char_start", "char_end", "text").iter_rows())


def document_candidates(text: str, masked: str, body_end: int, occupied: Occupied) -> list[Candidate]:
    """Documents and unnamed sources that speak ("the memorandum warned", "Smith’s source explained").

    A document with a named possessor is left to the possessor (the possessive rule); an unnamed source
    speaks itself, its possessor kept in its name for the reader.
    """
    found = []
    for match in DOCUMENT_SPEAKER.finditer(masked, 0, body_end):
        noun = match.group(2).split()[-1]
        kind = SPEAKER_DOCUMENTS[noun]
        possessive = match.group(1) is not None
        if possessive and kind == "document":
            continue
        start = (
            match.start(2) + len(match.group(2)) - len(match.group(2).lstrip())
            if possessive
            else match.start()
        )
        if occupied.overlaps(start, match.end()):
            continue
        name = text[start : match.end()]
        if possessive:
            owner = re.search(
                r"(?:[A-Z][\w.’'-]*[ \t]+){0,3}[A-Z][\w’'-]*$",
                masked[max(0, match.start() - 60) : match.start()],
            )
            name = (owner.group() + text[match.start() : match.end()]) if owner else name
        found.append(
            Candidate(start, match.end(), text[start : match.end()], "document", kind=kind, name=name)
        )
    return found


def role_kind(phrase: str) -> str:
    """person or work: what a role phrase ("the Secretary", "the paper") stands for."""
    head = phrase.split()[-1].lower()
    return SPEAKER_ROLES.get(head, "person")


def preceding_word(masked: str, position: int) -> str:
    match = re.search(r"([A-Za-z]+)\s+$", masked[max(0, position - 40) : position])
    return match.group(1) if match else ""
