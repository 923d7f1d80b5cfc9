"""Persons named once and bare, found by the words around the name in running text.

A surname used alone, with no title, given name or layout to mark it, is a person's where the sentence says
so: a ruler's numeral after a known given name ("Given IV"), a list after a plural noun for people ("such
statesmen as Surname, Surname and Surname", vocab/person_nouns.yaml), a relative "who" after it ("Surname, who
..."), "and his" ("Surname and his staff") or a possessive ("Surname’s ..."); and a known given name with a
middle initial printed without its full stop ("Given Q Surname"). A letter's salutation names its addressee
("Dear Surname:", "My Dear Given:"), the object of a verb of telling or asking is a person ("told Surname
that", "asked Surname to", vocab/telling_verbs.yaml), so is the subject of a verb of saying named with its
body or place ("Surname of Word Treasury told"), an editor's brackets complete a signature ("G. M.
S[urname]", "[Given] Surname"), and a numbered telegram opens with its addressee ("177. For Surname.",
vocab/telegram_markings.yaml). All but the numeral, the initial, the salutation, the signature and the
addressee are weak evidence: the names go through the same checks as the other weak rules
(person_evidence.py), so a word the paper uses as a place ("in Word"), writes in lower case, or the authority
file knows as a place or body is dropped.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.extract.person_words import (
    INITIAL,
    LOWER,
    NAME_WORD,
    NOT_AFTER,
    NOT_BEFORE,
    SPACE,
    UPPER,
    PersonSpan,
    address_words,
    is_given_name,
    is_title_word,
    make_span,
)
from pipeline.vocab import load_words

# A ruler's numeral: II to XXXIX ("I" alone is the pronoun as often as a numeral).
ROMAN = r"(?=[IVX]{1,6}(?![\w’'-]))(?!I(?![\w’'-]))X{0,3}(?:IX|IV|V?I{0,3})"
REGNAL = re.compile(rf"{NOT_BEFORE}(?P<given>{NAME_WORD}){SPACE}(?P<numeral>{ROMAN})(?![\w’'-])")
# "II" or "V" before ". Surname" is an initial misread or written as a numeral ("Given II. Surname").
INITIAL_AFTER = re.compile(rf"\.{SPACE}[{UPPER}][{LOWER}]")
# One pass for the three cues after a one-word name: a possessive, a relative "who", "and his".
NAME_BEFORE_CUE = re.compile(
    rf"{NOT_BEFORE}(?P<name>{NAME_WORD})(?:(?P<possessive>['’]s)"
    rf"|,?{SPACE}(?:(?:with|to|from|by|for|of){SPACE})?(?P<relative_who>whom?)"
    rf"|{SPACE}and{SPACE}(?P<and_his>his))(?![\w’'-])"
)
# After a preposition, "Word and his" is more often a place ("with Place and his relations").
PREPOSITION_BEFORE = re.compile(
    r"(?<![\w-])(?:of|from|to|in|at|by|with|for|on|upon|into|against|between|among|under)\s+\Z"
)
# A middle initial printed without its full stop ("Given Q Surname"), after a known given name.
BARE_INITIAL = re.compile(
    rf"{NOT_BEFORE}(?P<given>{NAME_WORD}){SPACE}(?!I )[{UPPER}]{SPACE}(?P<surname>{NAME_WORD}){NOT_AFTER}"
)
LIST_ITEM = re.compile(rf"(?P<name>(?:{INITIAL}{SPACE}?)*{NAME_WORD}(?:{SPACE}{NAME_WORD})?){NOT_AFTER}")
LIST_SEPARATOR = re.compile(rf",{SPACE}(?:and{SPACE})?|{SPACE}and{SPACE}")
# A capitalised word right before a name makes the name part of a longer one ("New Word’s", "Word Word who").
CAPITAL_BEFORE = re.compile(rf"[{UPPER}][\w’'.-]*{SPACE}\Z")
# A capitalised word after an article is a common noun or a body in the paper ("the Word", "a Word").
AFTER_ARTICLE = re.compile(rf"(?<![\w-])(?:[Tt]he|[Aa]n?)\s+(?P<word>[{UPPER}][\w’'-]*)")
# A possessive before a capitalised word names a thing or a place ("Word’s Hotel", "Word’s Day").
CAPITAL_AFTER = re.compile(rf"{SPACE}[{UPPER}]")


# A salutation opening a line: "Dear Surname:", "My Dear Given," (an office or "Sir" there is no name).
SALUTATION = re.compile(
    rf"^[^\S\n]*(?:My{SPACE})?[Dd]ear{SPACE}(?P<name>{NAME_WORD}(?:{SPACE}{NAME_WORD})?)[:,]", re.MULTILINE
)
# A signature the editor completed in brackets: initials and a surname's letter ("G. M. S[urname]"), or a
# given name in brackets before the surname ("[Given] Surname"), alone on its line.
BRACKETED_SIGNATURE = re.compile(
    rf"^[^\S\n]*(?P<name>(?:{INITIAL}{SPACE}?){{1,3}}[{UPPER}]\[(?P<rest>[{LOWER}]{{2,}})\]"
    rf"|\[(?P<given>{NAME_WORD})\]{SPACE}(?P<surname>{NAME_WORD}))[^\S\n]*$",
    re.MULTILINE,
)


@cache
def _told() -> re.Pattern[str]:
    """A verb of telling or asking, a capitalised word, and what follows its object ("told Surname that")."""
    verbs = "|".join(re.escape(v) for v in sorted(load_words("telling_verbs"), key=lambda v: (-len(v), v)))
    return re.compile(
        rf"(?<![\w-])(?:{verbs}){SPACE}(?P<name>{NAME_WORD}){SPACE}(?:that|to|whether|if|for|about)(?![\w-])"
    )


@cache
def _affiliated_speaker() -> re.Pattern[str]:
    """A one-word name, "of" and a capitalised body or place, and a verb of saying ("Surname of Word Word
    told", "Surname of the Word said"): the name with its affiliation is the verb's subject."""
    verbs = [v for v in load_words("reporting_verbs") if not v.endswith("ing") and not v.startswith("to ")]
    alternation = "|".join(re.escape(v) for v in sorted(verbs, key=lambda v: (-len(v), v)))
    return re.compile(
        rf"{NOT_BEFORE}(?P<name>{NAME_WORD}){SPACE}of{SPACE}(?:the{SPACE})?(?:{NAME_WORD}{SPACE}){{1,3}}"
        rf"(?:{alternation})(?![\w-])"
    )


def affiliated_speakers(text: str) -> list[PersonSpan | None]:
    """The subject of a verb of saying named with its body or place ("Surname of Word Treasury told"), weak
    evidence; not after "the" or a preposition, where the name is a body's or a place's own word."""
    return [
        make_span(text, m.start("name"), m.end("name"), "speaker")
        for m in _affiliated_speaker().finditer(text)
        if not PREPOSITION_BEFORE.search(text, max(0, m.start() - 12), m.start())
        and text[max(0, m.start() - 4) : m.start()].lower() != "the "
    ]


def told_persons(text: str) -> list[PersonSpan | None]:
    """The object of a verb of telling or asking ("told Surname that", "asked Surname to"), weak evidence."""
    return [make_span(text, m.start("name"), m.end("name"), "told") for m in _told().finditer(text)]


def salutations(text: str) -> list[PersonSpan | None]:
    """The addressee of a letter's salutation ("Dear Surname:"), unless an office or a form of address."""
    return [
        make_span(text, m.start("name"), m.end("name"), "salutation")
        for m in SALUTATION.finditer(text)
        if m.group("name").split()[0].rstrip("s") not in address_words()
        and not is_title_word(m.group("name").split()[-1])
    ]


def bracketed_signatures(text: str) -> list[PersonSpan]:
    """Signatures an editor completed in brackets ("G. M. S[urname]", "[Given] Surname")."""
    found = []
    for m in BRACKETED_SIGNATURE.finditer(text):
        if m.group("rest"):
            name = m.group("name")
            surname = name[name.rindex("[") - 1] + m.group("rest")
            found.append(
                PersonSpan(m.start("name"), m.end("name"), surname, None, None, "signature", m.start("name"))
            )
        else:
            given, surname = m.group("given"), m.group("surname")
            found.append(
                PersonSpan(m.start("name"), m.end("name"), surname, given, None, "signature", m.start("name"))
            )
    return found


@cache
def _epithet_name() -> re.Pattern[str]:
    """ "the <epithet> Name" (vocab/person_epithets.yaml): "the late Surname", "the illustrious Surname"."""
    epithets = "|".join(
        re.escape(e) for e in sorted(load_words("person_epithets"), key=lambda e: (-len(e), e))
    )
    return re.compile(
        rf"(?<![\w-])[Tt]he{SPACE}(?:{epithets}){SPACE}(?P<name>{NAME_WORD}(?:{SPACE}{NAME_WORD})?){NOT_AFTER}"
    )


def names_after_epithets(text: str) -> list[PersonSpan | None]:
    """Names after "the" and an epithet for a person ("the late Surname", "the illustrious Surname")."""
    return [
        make_span(text, m.start("name"), m.end("name"), "epithet") for m in _epithet_name().finditer(text)
    ]


@cache
def _list_cue() -> re.Pattern[str]:
    """ "such [adjective] <people> as", "<people> like", "<people> including", "<people> such as"."""
    nouns = "|".join(re.escape(n) for n in sorted(load_words("person_nouns"), key=lambda n: (-len(n), n)))
    return re.compile(
        rf"(?<![\w-])(?:[Ss]uch{SPACE}(?:[{LOWER}]+{SPACE}){{0,2}}(?:{nouns}){SPACE}as"
        rf"|(?:{nouns}),?{SPACE}(?:like|including|such{SPACE}as)){SPACE}"
    )


def regnal_names(text: str) -> list[PersonSpan]:
    """A known given name with a ruler's numeral ("Given IV", "Given XII"): the whole is the person's name."""
    found = []
    for match in REGNAL.finditer(text):
        numeral = match.group("numeral")
        if not is_given_name(match.group("given")):
            continue
        if numeral in ("II", "V", "X") and INITIAL_AFTER.match(text, match.end()):
            continue
        name = text[match.start() : match.end()]
        found.append(PersonSpan(match.start(), match.end(), name, None, None, "regnal", match.start()))
    return found


def bare_middle_initials(text: str) -> list[PersonSpan | None]:
    """A known given name, a capital letter without its full stop and a surname ("Given Q Surname")."""
    return [
        make_span(text, match.start(), match.end(), "middle_initial")
        for match in BARE_INITIAL.finditer(text)
        if is_given_name(match.group("given"))
    ]


def listed_after_person_nouns(text: str) -> list[PersonSpan | None]:
    """Names in a list after a plural noun for people ("such writers as Surname, Surname and Surname")."""
    found: list[PersonSpan | None] = []
    for cue in _list_cue().finditer(text):
        position = cue.end()
        while True:
            item = LIST_ITEM.match(text, position)
            if item is None:
                break
            found.append(make_span(text, item.start("name"), item.end("name"), "person_list"))
            separator = LIST_SEPARATOR.match(text, item.end())
            if separator is None:
                break
            position = separator.end()
    return found


def _bare(text: str, start: int) -> bool:
    """Whether a word stands alone: not after "the" nor after another capitalised word."""
    before = text[max(0, start - 40) : start]
    return not before.lower().endswith("the ") and CAPITAL_BEFORE.search(before) is None


def relative_and_possessive_names(text: str) -> list[PersonSpan | None]:
    """One-word names before a relative "who" ("Surname, who"), "and his" (not after a preposition) or a
    possessive ("Surname’s ..."), where the word is no form of address or office ("the Sultan’s"), does
    not stand after an article anywhere in the paper ("the Word", "a Word who": a common noun or a body),
    the possessive is not that of a thing's name ("Surname’s Hotel"), and a possessive or "and his" is of a
    word the paper uses more than once."""
    cued = [(m, str(m.lastgroup)) for m in NAME_BEFORE_CUE.finditer(text)]
    matches = [
        (match, reason)
        for match, reason in cued
        if _bare(text, match.start("name"))
        and not (reason == "possessive" and CAPITAL_AFTER.match(text, match.end()))
        and not (
            reason == "and_his"
            and PREPOSITION_BEFORE.search(text[max(0, match.start() - 12) : match.start()])
        )
    ]
    if not matches:
        return []
    common = {m.group("word") for m in AFTER_ARTICLE.finditer(text)} | address_words()
    return [
        make_span(text, match.start("name"), match.end("name"), reason)
        for match, reason in matches
        if match.group("name") not in common
        and (reason == "relative_who" or _recurs(text, match.group("name")))
    ]


def _recurs(text: str, word: str) -> bool:
    """Whether a word stands twice or more in the paper: a possessive or "and his" used once is as often a
    firm's, a book's or a code's ("Surname’s tenth edition") as a person's."""
    return len(re.findall(rf"{NOT_BEFORE}{re.escape(word)}(?![\w-])", text)) >= 2


@cache
def _telegram_addressee() -> re.Pattern[str]:
    """A numbered telegram's opening "NNN. [Mark] for Surname [only]." (vocab/telegram_markings.yaml)."""
    marks = "|".join(re.escape(m).replace(r"\ ", SPACE) for m in load_words("telegram_markings"))
    return re.compile(
        rf"^\d+\.{SPACE}(?:(?:{marks}){SPACE}for|For){SPACE}(?P<name>{NAME_WORD})(?:{SPACE}only)?(?=[.:])",
        re.MULTILINE,
    )


def telegram_addressees(text: str) -> list[PersonSpan | None]:
    """The person a numbered telegram is for ("177. For Surname. ..."), as a heading's holder: a common word
    there is a surname ("For House.")."""
    return [
        make_span(text, m.start("name"), m.end("name"), "routing", common_ok=True)
        for m in _telegram_addressee().finditer(text)
    ]
