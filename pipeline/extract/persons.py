"""Find persons' names in a cleaned text by rules, whether or not the authority file knows them.

A capitalised pair says little on its own ("Popular Front", "Constitution Avenue"), so a name is taken only
where the layout or the words around it say it is a person's: a name in parentheses in a document heading
("The Minister in Ruritania (Surname) to ...", several names separated by commas), a signature (a paragraph
that is only a name, or a name before a record line such as "File No."), a name in capitals with a known given
name or initials ("GIVEN SURNAME"), a telegram's routing line ("For Surname from Surname"), a form of address
or an office before it ("Mr. Surname", "Ambassador Surname", "historian Given Surname"), an office after it
("Surname, Vice Consul at ..."), the "Sender to Recipient, <month>" of an archival citation, initials ("J.
Surname"), a middle initial ("Given M. Surname"), a known given name ("Given Surname"), the subject of a verb
of saying or thinking ("Surname said", "Surname believes", vocab/reporting_verbs.yaml and person_verbs.yaml)
or a name before "himself" or "herself", or a capitalised pair whose last word the document also uses alone.
Names may be accented and carry particles ("von", "de la", "d’"). A bare capitalised word is then a person's
where it repeats the surname of a person so found in the same document. So are the names after "Messrs.",
one-word names along a list closed by "and" beside a person ("Given Surname, Surname and Surname", also
beside a bare surname the paper gives a person elsewhere: person_lists.py), the subject of a verb of saying
named with its body ("Surname of Word Treasury told"), a title
alone ("the King", "Capt. J.", person_roles.py), a letter's salutation, a bracketed signature and the object
of a verb of telling and a numbered telegram's addressee ("177. For Surname.") (person_context.py). In a
heading's parentheses after an office, among the names after "Messrs." and after two initials, a word that is
also a month or a form of address can be a surname ("(March)", "R. H. Lord").

Precision is a rule of its own (person_evidence.py): a one-word name found on weak evidence is dropped where
the paper uses the word as a place ("in Word", "at Word"), writes it in lower case (a common noun), or the
caller says it names a place or body; a name followed by an eponym noun ("Surname Library", "the Surname
government") or a vessel noun ("Word Line steamer") is a thing, not a person; items of numbered or lettered
lists ("I. Word", "Resolution A. Word"), a Roman numeral after a list of them, captions in a list of captions
and entries, countries of two words or in a row, and a name before "No. <number>" are no one. The vocabularies
are data files in vocab/.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import cache

from pipeline.extract.person_context import (
    affiliated_speakers,
    bare_middle_initials,
    bracketed_signatures,
    listed_after_person_nouns,
    names_after_epithets,
    regnal_names,
    relative_and_possessive_names,
    salutations,
    telegram_addressees,
    told_persons,
)
from pipeline.extract.person_evidence import (
    STRONG_REASONS,
    after_the,
    names_a_thing,
    place_words,
    with_evidence,
)
from pipeline.extract.person_lists import addressed_list, bare_uses, conjuncts, list_items, plural_honorifics
from pipeline.extract.person_roles import title_persons, withheld_names
from pipeline.extract.person_words import (
    CAPITALISED_WORD,
    CAPITALS_NAME,
    LOWER_WORD,
    NAME_WORD,
    NEXT_CAPITAL,
    NOT_AFTER,
    NOT_BEFORE,
    SPACE,
    UPPER,
    WORD,
    PersonSpan,
    address_words,
    is_given_name,
    is_title_word,
    make_span,
    name_patterns,
    number_words,
    person_vocab,
    post_nominal_end,
    sentence_initial,
    title_gender,
    title_words,
    weekdays,
)


def find_person_spans(
    text: str, paragraphs: list[tuple[int, int]], not_persons: frozenset[str] = frozenset()
) -> list[PersonSpan]:
    """Person names in the text, found by the layout and word rules in this module's docstring.

    ``paragraphs`` are (start, end) spans of the paragraphs and notes, for heading and signature rules;
    ``not_persons`` are words known to name places or bodies (the authority file's), never a one-word
    person on weak evidence.
    Returns non-overlapping spans in text order; where rules overlap, the longest span (then the first) wins.
    """
    patterns, vocab = name_patterns(), person_vocab()
    lower = frozenset(LOWER_WORD.findall(text))
    found: list[PersonSpan | None] = []
    for index, (start, end) in enumerate(paragraphs):
        paragraph = text[start:end]
        signature = patterns.signature.match(paragraph)
        if signature and len(paragraph) < 200 and _after_a_letter(text, paragraphs, index):
            found.append(make_span(text, start, start + signature.end("name"), "signature"))
        heading = len(paragraph) < 250 and not paragraph.rstrip().endswith(".")
        for match in patterns.heading.finditer(paragraph):
            office = patterns.office_before.search(paragraph[: match.start()]) is not None
            if heading or office:
                for piece in LIST_ITEM.finditer(match.group("name")):
                    piece_start = start + match.start("name") + piece.start("item")
                    found.append(
                        make_span(
                            text,
                            piece_start,
                            piece_start + len(piece.group("item")),
                            "heading",
                            common_ok=office,
                        )
                    )
        found += _capitals_names(text, start, end)
    for match in _titled_matches(text):
        title = match.group("title")
        before = text[max(0, match.start() - 30) : match.start()].split()
        if before and before[-1] in vocab.nationalities and " " not in match.group("name"):
            continue
        addressed = title.split()[0] in vocab.honorifics
        found.append(
            make_span(
                text,
                match.start("name"),
                match.end("name"),
                "title_cue",
                match.start(),
                title_gender(title),
                common_ok=addressed,
            )
        )
        if title.split()[0] in plural_honorifics():
            found += addressed_list(text, match.end("name"))
    for match in patterns.routing.finditer(text):
        for group in ("to", "name", "sender"):
            if match.group(group):
                found.append(make_span(text, match.start(group), match.end(group), "routing"))
    found += telegram_addressees(text)
    for match in patterns.office_after.finditer(text):
        # An adverb opening a sentence is no name ("Incidentally, the Minister said").
        adverb = match.group("name").endswith("ly") and sentence_initial(text, match.start("name"))
        if not adverb:
            found.append(make_span(text, match.start("name"), match.end("name"), "office_after"))
    for match in patterns.correspondents.finditer(text):
        found.append(make_span(text, match.start("sender"), match.end("sender"), "correspondent"))
        found.append(make_span(text, match.start("name"), match.end("name"), "correspondent"))
    for match in patterns.initials.finditer(text):
        found.append(make_span(text, match.start("name"), match.end("name"), "initials"))
    for match in patterns.middle_initial.finditer(text):
        found.append(make_span(text, match.start("name"), match.end("name"), "middle_initial"))
    for match in patterns.given_name.finditer(text):
        first, second = match.group("name").split()[:2]
        # A verb's past the paper also writes in lower case follows a given name it has as its subject
        # ("and Given Jumped his horse": OCR's capital).
        verb = second.endswith("ed") and second.lower() in lower
        if is_given_name(first) and not verb:
            third = match.group("third")
            if third is None:
                found.append(make_span(text, match.start("name"), match.end("name"), "given_name"))
            elif third.lower() in lower and not is_title_word(third) and third not in vocab.non_names:
                # A third word the paper also writes in lower case makes the run a thing ("Given Word Guns");
                # an office there follows a name ("Given Surname Chief, Division of ...").
                continue
            else:
                # A known given name there starts the next name ("Given Surname Given Surname").
                whole = not is_given_name(third)
                span = (
                    make_span(text, match.start("name"), match.end("name"), "given_name") if whole else None
                )
                end = match.start("third")
                while text[end - 1].isspace():
                    end -= 1
                found.append(span or make_span(text, match.start("name"), end, "given_name"))
    for match in patterns.speaker.finditer(text):
        # After a preposition the word is not the verb's subject ("the deputation from Word proposed"); an
        # adverb opens a sentence ("Reliably reported"); after "the" it is a body ("the Word Office said").
        adverb = match.group("name").endswith("ly") and sentence_initial(text, match.start())
        body = after_the(text, match.start())
        if (
            not adverb
            and not body
            and not PREPOSITION_BEFORE.search(text, max(0, match.start() - 12), match.start())
        ):
            found.append(make_span(text, match.start("name"), match.end("name"), "speaker"))
    found += regnal_names(text) + listed_after_person_nouns(text) + relative_and_possessive_names(text)
    found += bare_middle_initials(text) + names_after_epithets(text) + title_persons(text)
    found += salutations(text) + bracketed_signatures(text) + withheld_names(text)
    found += told_persons(text) + affiliated_speakers(text)
    found += _recurring_pairs(text, {span.surname for span in found if span is not None}, lower)
    strong = [s for s in found if s is not None and s.reason in STRONG_REASONS]
    places = place_words(text, not_persons)[0] | not_persons
    found += conjuncts(text, strong + bare_uses(text, strong, places, lower))
    found += list_items(text, strong, lower)
    candidates = _longest_first([s for s in found if s is not None])
    spans = with_evidence(text, candidates, not_persons, lower)
    # A bare surname inside or after a ship's or firm's name is that thing's too.
    things = _Taken([(s.title_start, s.end) for s in candidates if names_a_thing(text, s)])
    spans = [
        s
        for s in _with_repeated_surnames(text, spans, lower, not_persons)
        if s.reason != "surname" or not (things.overlaps(s.start, s.end) or names_a_thing(text, s))
    ]
    return [replace(s, end=post_nominal_end(text, s.end)) for s in spans]


def find_person_names(text: str) -> list[PersonSpan]:
    """Person names in any span of text (a sentence, a heading, a note) by the rules of this module.

    The one name model of the pipeline for callers outside linking (senders and recipients of documents,
    claim subjects): each blank-line-separated block of the text is a paragraph for the heading and
    signature rules. Returns non-overlapping spans in text order, offsets into ``text``.
    """
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n](?:[^\n]|\n(?!\s*\n))*", text)]
    return find_person_spans(text, paragraphs)


LIST_GOES_ON = re.compile(rf",|{SPACE}and(?!\w)")
GIVEN_BEFORE = re.compile(rf"(?<![\w.’'-])(?P<given>{NAME_WORD})[^\S\n]\Z")
PREPOSITION_BEFORE = re.compile(
    r"(?<![\w-])(?:of|from|to|in|at|by|with|for|on|upon|into|against|between|among|under)\s+\Z"
)
LIST_ITEM = re.compile(r"(?:^|,\s(?:and\s)?)(?P<item>[^,]+)")


def _after_a_letter(text: str, paragraphs: list[tuple[int, int]], index: int) -> bool:
    """Whether a paragraph stands where a signature does: after running text (a letter or telegram body,
    or its closing "I have, etc."), not after another short line as in a list of ships or a heading, nor
    after a colon, nor as the caption after an entry of a list of captions and entries."""
    if index == 0:
        return False
    start, end = paragraphs[index - 1]
    before = text[start:end].rstrip()
    # A colon introduces a list ("... are the following:"), whose items are no signatures.
    closing = "etc" in before or before.endswith(",")
    if not (len(before) >= 40 or closing) or before.endswith(":"):
        return False
    # A short entry after a short caption line is one pair of a list of captions and entries ("Caption /
    # Surname and another. / Caption"), as a date line (with its digits) before a telegram's body is not.
    if index >= 2 and not closing and len(before) < SHORT_ENTRY:
        caption = text[slice(*paragraphs[index - 2])].strip()
        if len(caption) < SHORT_ENTRY and not CAPTION_END.search(caption) and not re.search(r"\d", caption):
            return False
    return True


# Lines shorter than this are list entries or captions, not a letter's body.
SHORT_ENTRY = 60
CAPTION_END = re.compile(r"[.,;:!?\])]\Z")


def _capitals_names(text: str, start: int, end: int) -> list[PersonSpan | None]:
    """Names in capitals in a paragraph: "GIVEN SURNAME" with a known given name, or a paragraph that is
    only a name in capitals (a signature)."""
    vocab = person_vocab()
    found: list[PersonSpan | None] = []
    paragraph = text[start:end]
    for match in CAPITALS_NAME.finditer(paragraph):
        tokens = match.group("name").replace(".", ". ").split()
        words = [t.capitalize() for t in tokens if not t.endswith(".")]
        if not words or any(
            w in vocab.non_names or w in title_words() or w in vocab.honorifics for w in words
        ):
            continue
        alone = paragraph.strip(" ,.;:") == match.group("name").rstrip(".")
        initials = len(words) < len(tokens)
        if not is_given_name(words[0]) and not (alone and len(words) >= 2) and not initials:
            continue
        given = words[0] if len(words) > 1 else None
        # An office or form of address in capitals right before the name is its title ("JUDGE G. SURNAME").
        title = CAPITALS_TITLE_BEFORE.search(paragraph, 0, match.start("name"))
        cue = title.group("title").capitalize() if title else ""
        titled = cue in title_words() or cue in vocab.honorifics or cue.rstrip(".") in vocab.honorifics
        found.append(
            PersonSpan(
                start + match.start("name"),
                start + match.end("name"),
                words[-1],
                given,
                None,
                "capitals",
                start + (title.start("title") if title and titled else match.start("name")),
            )
        )
    return found


CAPITALS_TITLE_BEFORE = re.compile(rf"(?<![\w.’'-])(?P<title>[{UPPER}]{{2,}}\.?)[^\S\n]+\Z")


@cache
def _cue_first_words() -> frozenset[str]:
    """First words of the forms of address and offices, as written and with a lower-case initial."""
    vocab = person_vocab()
    words = {w.split()[0] for w in [*vocab.honorifics, *vocab.titles]}
    return frozenset(words | {w[0].lower() + w[1:] for w in words})


def _titled_matches(text: str) -> list[re.Match[str]]:
    """Matches of the title-cue pattern, tried only where a word that starts a cue stands (much faster)."""
    titled, cues = name_patterns().titled, _cue_first_words()
    found = []
    end = 0
    for word in WORD.finditer(text):
        if word.start() >= end and word.group() in cues:
            match = titled.match(text, word.start())
            if match:
                found.append(match)
                end = match.end()
    return found


def _recurring_pairs(text: str, surnames: set[str], lower: frozenset[str]) -> list[PersonSpan | None]:
    """Capitalised pairs "Given Surname" whose last word the document also uses alone (not before a name).

    A pair whose first word is the surname of a person found by another rule ("Surname Place’s ...") is not
    a name, nor one whose first word the paper also writes in lower case ("Electric Word"), nor one that
    somewhere stands right before a name in parentheses, where it ends an office's words ("the Commission to
    Word Word (Surname)").
    """
    pairs = list(name_patterns().pair.finditer(text))
    if not pairs:
        return []
    in_pairs = {m.start("name") for m in pairs} | {
        m.end("name") - len(m.group("name").split()[1]) for m in pairs
    }
    lasts = {m.group("name").split()[1] for m in pairs}
    offices = {m.group("name") for m in pairs if HOLDER_AFTER.match(text, m.end("name"))}
    used = {
        m.group()
        for m in CAPITALISED_WORD.finditer(text)
        if m.group() in lasts
        and m.start() not in in_pairs
        and not NEXT_CAPITAL.match(text, m.end())
        and not after_the(text, m.start())
    }
    return [
        make_span(text, m.start("name"), m.end("name"), "recurring_surname")
        for m in pairs
        if m.group("name").split()[1] in used
        and m.group("name").split()[0] not in surnames
        and m.group("name").split()[0].lower() not in lower
        and (is_given_name(m.group("name").split()[0]) or not sentence_initial(text, m.start("name")))
        and m.group("name") not in offices
    ]


# A name in parentheses right after an office's words, as in a document heading ("... Word (Surname)").
HOLDER_AFTER = re.compile(rf"{SPACE}\({NAME_WORD}[^()\n]{{0,40}}\)")


class _Taken:
    """Non-overlapping (start, end) spans kept in order, for quick overlap tests."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self.spans = sorted(spans or [])
        self.starts = [start for start, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return any(s < end and start < e for s, e in self.spans[max(0, i - 2) : i])

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.spans.insert(i, (start, end))


def _longest_first(spans: list[PersonSpan]) -> list[PersonSpan]:
    """Non-overlapping spans: a recurring pair only where no stronger rule found a name; then the longest."""
    kept: list[PersonSpan] = []
    taken = _Taken()
    ranked = sorted(
        spans, key=lambda s: (s.reason == "recurring_surname", -(s.end - s.title_start), s.title_start)
    )
    for span in ranked:
        if not taken.overlaps(span.title_start, span.end):
            kept.append(span)
            taken.add(span.title_start, span.end)
    return sorted(kept, key=lambda s: s.title_start)


def _with_repeated_surnames(
    text: str, spans: list[PersonSpan], lower: frozenset[str], not_persons: frozenset[str]
) -> list[PersonSpan]:
    """Add bare occurrences of the surnames already found, outside the spans found."""
    places, place_uses = place_words(text, not_persons)
    non_names = person_vocab().non_names
    # A month, weekday, number or people that is a surname somewhere ("(March)") is a date or a people bare.
    dates = frozenset(person_vocab().months) | weekdays() | number_words() | person_vocab().nationalities
    surnames = {
        s.surname
        for s in spans
        if s.reason != "title_alone"
        and (s.reason in STRONG_REASONS or s.addressed or s.surname not in places)
        and (s.surname not in non_names or s.addressed)
        and s.surname not in dates
    }
    taken = _Taken([(s.title_start, s.end) for s in spans])
    eponym_after = name_patterns().eponym_after
    extra = [
        _with_given_before(text, m.start(), m.end(), places | surnames, lower, taken)
        for m in CAPITALISED_WORD.finditer(text)
        if m.group() in surnames
        and not taken.overlaps(m.start(), m.end())
        and m.start() not in place_uses
        and not eponym_after.match(text, m.end())
        and not after_the(text, m.start())
    ]
    variants = _surname_variants(surnames)
    if variants:
        taken = _Taken([(s.title_start, s.end) for s in spans + extra])
        forms = "|".join(re.escape(v) for v in sorted(variants, key=lambda v: (-len(v), v)))
        pattern = re.compile(rf"{NOT_BEFORE}(?:{forms}){NOT_AFTER}")
        extra += [
            PersonSpan(m.start(), m.end(), variants[m.group()], None, None, "surname", m.start())
            for m in pattern.finditer(text)
            if m.group() in variants and not taken.overlaps(m.start(), m.end())
        ]
    extra += _misspelt_surnames(text, surnames, places, lower, spans + extra)
    return sorted(spans + extra, key=lambda s: s.title_start)


# A surname this long or longer may be matched with one letter added, dropped or changed inside it (an OCR
# slip); its first and last letters stay, so that plurals and other words' endings do not match.
MISSPELT_MIN_LENGTH = 7


def _one_letter_off(word: str) -> set[str]:
    """The word with each one letter dropped: two words one edit apart share one of these or each other."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _misspelt_surnames(
    text: str, surnames: set[str], places: frozenset[str], lower: frozenset[str], spans: list[PersonSpan]
) -> list[PersonSpan]:
    """Bare words one letter off a surname found in the paper ("Hilderbrant" beside "Hildebrant"), where
    the word is no common word, place, known given name or non-name of the paper: the same person misread."""
    long = {name for name in surnames if len(name) >= MISSPELT_MIN_LENGTH}
    if not long:
        return []
    by_deletion: dict[str, str] = {}
    for name in sorted(long):
        for key in (name, *_one_letter_off(name)):
            by_deletion.setdefault(key, name)
    taken = _Taken([(s.title_start, s.end) for s in spans])
    vocab = person_vocab()
    found = []
    for match in CAPITALISED_WORD.finditer(text):
        word = match.group()
        if (
            len(word) < MISSPELT_MIN_LENGTH - 1
            or word in surnames
            or taken.overlaps(match.start(), match.end())
        ):
            continue
        if word.lower() in lower or word in places or word in vocab.non_names or is_given_name(word):
            continue
        keys = [word, *_one_letter_off(word)]
        name = next((by_deletion[k] for k in keys if k in by_deletion), None)
        same_ends = name is not None and word[0] == name[0] and word[-1] == name[-1]
        if name is not None and same_ends and _one_edit(word, name):
            found.append(PersonSpan(match.start(), match.end(), name, None, None, "surname", match.start()))
    return found


def _one_edit(word: str, name: str) -> bool:
    """Whether two different words are one letter added, dropped or changed apart."""
    if abs(len(word) - len(name)) > 1 or word == name:
        return False
    if len(word) == len(name):
        return sum(a != b for a, b in zip(word, name, strict=True)) == 1
    short, longer = sorted((word, name), key=len)
    return any(longer[:i] + longer[i + 1 :] == short for i in range(len(longer)))


def _surname_variants(surnames: set[str]) -> dict[str, str]:
    """The surnames as OCR and typesetting also print them, each with its surname: in capitals ("SURNAME"
    after "GIVEN SURNAME" or "Given Surname") and, five letters or more, with the capital split off by a
    stray space ("S urname")."""
    variants = {}
    for surname in surnames:
        if len(surname) >= 4 and surname.upper() != surname:
            variants[surname.upper()] = surname
        if len(surname) >= 5:
            variants[f"{surname[0]} {surname[1:]}"] = surname
    return variants


def _with_given_before(
    text: str, start: int, end: int, not_given: frozenset[str], lower: frozenset[str], taken: _Taken
) -> PersonSpan:
    """A bare surname, with the unknown name word right before it as its given name ("Given Surname" in a
    list of names, or a known given name), unless that word is a place, a surname found or a common word of
    the paper."""
    surname = text[start:end]
    before = GIVEN_BEFORE.search(text, max(0, start - 30), start)
    if before is not None and not taken.overlaps(before.start(), start):
        given = before.group("given")
        vocab = person_vocab()
        word_like = given not in not_given and given.lower() not in lower and given not in vocab.non_names
        listed = text[max(0, before.start() - 2) : before.start()] in (", ", ": ") and LIST_GOES_ON.match(
            text, end
        )
        known = is_given_name(given) and not sentence_initial(text, before.start())
        if word_like and (known or listed) and not is_title_word(given) and given not in address_words():
            return PersonSpan(before.start(), end, surname, given, None, "surname", before.start())
    return PersonSpan(start, end, surname, None, None, "surname", start)
