"""Shelf marks of archival references in English, Italian, French, German and Spanish conventions.

"ASVe, Senato, PTM, fz. 302, c. 12v" names a repository (ASVe), a holding (Senato, PTM), a bundle (filza
302) and a leaf with its side (carta 12 verso). The words that introduce each part are data
(vocab/archival_terms.yaml): a historian adds "Konvolut" under box without touching this code. Both the rules
(one comma piece at a time) and the model's shelf-mark segments (a whole run) are read here, so the two fill
the same columns: archive, collection, box, file_number and folio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.vocab import load_mapping

ROLES = ("box", "file", "folio", "collection")
SIDE = r"\s*(?:[rv]{1,2}|recto|verso)?\.?"
# A folio number: "492r", "12v-13r", "3 verso", "12-15", "12rv"; not a year ("c. 1950" is circa).
FOLIO_NUMBER = rf"(?!(?:1[4-9]|20)\d\d\b)\d+{SIDE}(?:\s*[-–]\s*\d+{SIDE})?"
PIECE = re.compile(r"[^,;:]+")
DIGIT = re.compile(r"\d")


@cache
def terms() -> dict[str, tuple[str, ...]]:
    """The vocabulary's roles, each a tuple of lower-case words (without their period)."""
    return {
        name: tuple(str(word).lower() for word in words)
        for name, words in load_mapping("archival_terms").items()
    }


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


@cache
def _lead(role: str) -> re.Pattern[str]:
    """A role word at the start of a piece, with its period or a space, then what it introduces."""
    return re.compile(rf"^(?:{_alternation(terms()[role])})(?:\.\s*|\s+)(?P<value>\S.*)$", re.I)


@cache
def _folio() -> re.Pattern[str]:
    return re.compile(rf"^(?:{_alternation(terms()['folio'])})(?:\.\s*|\s+)(?P<value>{FOLIO_NUMBER})$", re.I)


@cache
def _repository() -> re.Pattern[str]:
    return re.compile(rf"^(?:{_alternation(terms()['archive'])})$", re.I)


@cache
def month_numbers() -> dict[str, int]:
    """Italian, French, German and Spanish month names and abbreviations (lower case) -> month number."""
    return {
        word: int(name.split("_")[1])
        for name, words in terms().items()
        if name.startswith("month_")
        for word in words
    }


LEADING_LETTERS = re.compile(r"[^\W\d_]*")


@cache
def _lead_words() -> frozenset[str]:
    """The leading letters of every word that can open an archival piece ("f" of "f.za", "record" of
    "record group"): a piece whose leading letters are none of these opens with no archival word."""
    roles = ("box", "file", "folio", "collection", "archive", "after_archive_only", "manuscript")
    return frozenset(LEADING_LETTERS.match(word).group() for role in roles for word in terms()[role])


# What a box or file word introduces: a number ("12", "12bis", "1-43"), a Roman numeral ("IV") or a
# series letter with its number ("carton K 1234", "liasse F7 6520").
SHELF_NUMBER = re.compile(r"^(?:\d|[IVXLC]+\b|[A-Z]{1,3}\d*\s?\d)")


def archival_part(piece: str, after_archive: bool = True) -> tuple[str, str] | None:
    """(column, value) of one comma-separated piece of a shelf mark, or None when no archival word leads it.

    A box, folio or file keeps what follows its word ("busta 12" -> box "12", "c. 12v" -> folio "12v");
    a file keeps its word too, as file numbers are written in many ways ("fasc. 3"); "fondo Senato" is the
    collection "Senato". A box or file is a number or Roman numeral after its word. Without after_archive
    (the rules, before a repository is named) the words that also begin volumes and issues ("vol. 3",
    "n. 12") and manuscript call numbers ("Ms. 12", read at a reference's start by shelf_mark_head) are not
    read.
    """
    text = " ".join(piece.split()).strip(" .")
    if not text or LEADING_LETTERS.match(text).group().lower() not in _lead_words():
        return None
    if match := _folio().match(text):
        return "folio", match.group("value").strip(" .")
    if not DIGIT.search(text):
        if match := _lead("collection").match(text):
            return "collection", match.group("value")
        if _repository().match(text):
            return "archive", text
        return None
    if not after_archive and (match := _lead("after_archive_only").match(text)):
        return None
    if after_archive and _lead("manuscript").match(text):
        return "file_number", text  # a manuscript's call number after its library ("Cod. It. VII 794")
    if (match := _lead("box").match(text)) and SHELF_NUMBER.match(match.group("value")):
        return "box", match.group("value")
    if (match := _lead("file").match(text)) and SHELF_NUMBER.match(match.group("value")):
        return "file_number", text
    if match := _lead("collection").match(text):
        return "collection", match.group("value")
    return None


def read_shelf_mark(text: str) -> dict[str, str]:
    """The columns of a shelf mark run ("Senato, PTM, fz. 302, c. 12v"): pieces without an archival word
    are the holding's names, joined in order into collection."""
    values: dict[str, str] = {}
    names: list[str] = []
    for match in PIECE.finditer(text):
        piece = match.group().strip(" .[]")
        if piece.count("(") != piece.count(")"):  # "ms. 9290 (Rossi)" keeps its parentheses
            piece = piece.strip(" .()")
        if not piece:
            continue
        part = archival_part(piece)
        if part is None:
            names.append(piece)
            continue
        column, value = part
        if column == "collection":
            names.append(value)
        elif column in values:
            values[column] += f", {value}"
        else:
            values[column] = value
    if names:
        values["collection"] = ", ".join(names)
    return values


# ---------------------------------------------------------------- references that are shelf marks

# Box words that also begin volumes of books ("vol. 3", "tomo II"): a reference ending in one is not a
# shelf mark by that alone.
BOOK_UNITS = frozenset({"vol", "volume", "tomo"})
# A run of shelf numbers: "8", "1-43", "5-12, 21", "12bis", "3 / 72".
NUMBERS = r"\d+[a-z]{0,3}(?:\s*[-–/]\s*\d+[a-z]{0,3})?(?:\s*,\s*\d+[a-z]{0,3}(?:\s*[-–/]\s*\d+[a-z]{0,3})?)*"
# The name of a holding: capitalised words without digits ("Consiglio dei Dieci", "Miste").
HOLDING_NAME = r"[A-ZÀ-Þ][^\d\[\](){}\"“”«»,:;]*?"
HOLDING_START = re.compile(r"[A-ZÀ-Þ]")
NOT_IN_HOLDING = re.compile(r"[\[\](){}\"“”«»]")
YEAR_LIKE = re.compile(r"\b(?:1[4-9]|20)\d\d\b")
SPACED_INITIALS = re.compile(r"^(?:[A-Z]\.\s?){2,5}$")


@dataclass(frozen=True)
class ShelfMarkHead:
    """A shelf mark at the start of a reference: its columns and where the rest of the reference begins."""

    values: dict[str, str]
    end: int


@cache
def _box_unit() -> str:
    """Box words that end a holding's name with their number ("Misti, reg. 33", "Comuni, b. 55"): a one-
    letter word needs its period ("b. 8"), so that "Phys. B 12" is not a box."""
    words = [word for word in terms()["box"] if word not in BOOK_UNITS]
    long_words = _alternation(tuple(word for word in words if len(word) > 1))
    short_words = _alternation(tuple(word for word in words if len(word) == 1))
    return rf"(?i:(?:{long_words})\.?|(?:{short_words})\.)"


@cache
def _holding_with_box() -> re.Pattern[str]:
    """A whole reference that is a holding's names and a box: "Consiglio dei Dieci, Misti, reg. 33",
    "Miste: Reg. 1-43", "Cancelleria inferiore, b. 11, c. 59"."""
    folio_words = _alternation(terms()["folio"])
    return re.compile(
        rf"^(?P<names>{HOLDING_NAME}(?:[,:]\s*{HOLDING_NAME})*)[,:]?\s+(?P<unit>{_box_unit()})\s*"
        rf"(?P<box>{NUMBERS})(?:\s*,\s*(?P<folio>(?i:{folio_words})\.?\s*{FOLIO_NUMBER}))?\s*[.;,]?$"
    )


@cache
def _box_word() -> re.Pattern[str]:
    """A box word as _holding_with_box reads it before the box number."""
    return re.compile(_box_unit())


@cache
def _manuscript_head() -> re.Pattern[str]:
    """A manuscript's call number at the start of a reference, up to the comma after its number, with a
    concordance in parentheses and a folio after it: "Cod. It. VII. 783 (= 7291), ff. 2-287, ..."."""
    words = _alternation(terms()["manuscript"])
    folio_words = _alternation(terms()["folio"])
    return re.compile(
        rf"^(?P<mark>(?:{words})\.?\s+[^,;:\[\](){{}}]*?\d[^,;:\[\](){{}}]*?(?:\s*\(=\s*[^()]*\))?)"
        rf"(?:\s*,\s*(?P<folio>(?:{folio_words})\.?\s*{FOLIO_NUMBER}))?\s*(?:[,;:.]\s*|$)",
        re.I,
    )


@cache
def _bracketed_head() -> re.Pattern[str]:
    """A repository and its shelf mark in brackets: "Biblioteca Marciana: [ms. 8491]", "Museo Correr:
    [Notatorio Gradenigo x c. 130]"."""
    repository = _alternation(terms()["repository_word"])
    return re.compile(
        rf"^(?P<archive>[^\[\]:,;]*\b(?:{repository})\w*[^\[\]:,;]*?)\s*:?\s*\[(?P<mark>[^\[\]]*\d[^\[\]]*)\]"
        r"\s*[.,;:]?\s*",
        re.I,
    )


def _names_repository(name: str) -> bool:
    """A repository's initials ("ASVe") or a name with a repository word ("Archivo General ...")."""
    return bool(_repository().match(name) or _repository_word().search(name))


@cache
def _repository_word() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alternation(terms()['repository_word'])})", re.I)


def whole_holding(text: str) -> dict[str, str] | None:
    """The columns of a reference that is nothing but a holding and its box ("Consiglio dei Dieci, Misti,
    reg. 33"), or None. The archive may be named in an earlier note; the names are the collection."""
    text = " ".join(text.split())
    # Before its box number a holding has only names and a box word: no digit, bracket or quotation mark,
    # and the box word last. Most references fail that, and are spared the pattern's backtracking over
    # every split of their names.
    digit = DIGIT.search(text)
    if not digit or not HOLDING_START.match(text) or NOT_IN_HOLDING.search(text, 0, digit.start()):
        return None
    head = text[: digit.start()].split()
    if len(head) < 2 or not _box_word().fullmatch(head[-1]):
        return None
    match = _holding_with_box().match(text)
    if not match or YEAR_LIKE.search(match.group("box")):
        return None
    names = [name.strip() for name in re.split(r"[,:]", match.group("names")) if name.strip()]
    if len(names) > 4 or any(len(name.split()) > 6 or _names_repository(name) for name in names):
        return None  # a named repository: the rules' archival reader takes the reference piece by piece
    values = {}
    if len(names) > 1 and SPACED_INITIALS.match(names[0]):
        values["archive"] = names.pop(0)  # "A. S. V., Senato, reg. 3": a repository by its initials
    values |= {"collection": ", ".join(names), "box": match.group("box")}
    if match.group("folio") and (folio := _folio().match(match.group("folio").strip())):
        values["folio"] = folio.group("value")
    return values


def _beyond_years(mark: str) -> bool:
    """Something besides years in brackets: "[1820]" after a title is a date, "[ms. 8491]" a shelf mark."""
    return bool(YEAR_LIKE.sub("", mark).strip(" -–/,.;"))


def shelf_mark_head(text: str) -> ShelfMarkHead | None:
    """A manuscript call number or a bracketed shelf mark after a repository at the start of a reference,
    read as shelf-mark columns, with where the rest (an author, a title ...) begins; None otherwise."""
    if match := _manuscript_head().match(text):
        values = {"file_number": " ".join(match.group("mark").split())}
        if match.group("folio") and (folio := _folio().match(" ".join(match.group("folio").split()))):
            values["folio"] = folio.group("value")
        return ShelfMarkHead(values, match.end())
    if "[" in text and (match := _bracketed_head().match(text)) and _beyond_years(match.group("mark")):
        values = {"archive": " ".join(match.group("archive").split())}
        values |= read_shelf_mark(match.group("mark"))
        return ShelfMarkHead(values, match.end())
    return None


# ---------------------------------------------------------------- what follows a manuscript's call number

# "[Domenico Malipiero] Diarii": a bracketed attribution of an unsigned manuscript, before its title.
BRACKETED_ATTRIBUTION = re.compile(r"^\s*\[(?P<name>[^\W\d_][^\[\]\d]{2,80}?)\]\s*(?=[^\W\d_])")
# "Alvise Michiel, Diarii veneti 1580-1586": a manuscript's title that ends with the years it covers, the
# last comma piece of what follows the call number; the years are the title's, not a date of publication.
COVERAGE_TITLE = re.compile(
    r"(?:^|,\s*)(?P<title>[^,;:()\[\]]*[^\W\d_][^,;:()\[\]]*?\s+1\d{3}\s*[-–]\s*1?\d{2,4})\s*\.?\s*$"
)
# A writer's name as one comma piece before the title: capitalised words, in capitals or not.
WRITER = re.compile(r"^(?:[A-ZÀ-Þ][\w'’\-]*\.?\s+){1,3}[A-ZÀ-Þ][\w'’\-]*$")


@dataclass(frozen=True)
class ManuscriptText:
    """What follows a manuscript's call number, read where it keeps to the conventions of manuscripts."""

    attribution: str | None  # the bracketed name, without its brackets
    title: str | None  # a title that ends with the years the manuscript covers
    writer: str | None  # the name in the comma piece before that title


def manuscript_text(rest: str) -> ManuscriptText:
    """The attribution ("[Domenico Malipiero] Diarii"), a title ending in the years it covers ("Diarii
    1457-1500") and the writer named before it ("Alvise Michiel, Diarii veneti 1580-1586") in the text
    after a manuscript's call number; each None where the text does not show it."""
    attribution = BRACKETED_ATTRIBUTION.match(rest)
    body = rest[attribution.end() :] if attribution else rest
    coverage = COVERAGE_TITLE.search(body)
    writer = None
    if coverage and coverage.start() > 0:
        before = body[: coverage.start()].strip(" ,;")
        writer = before if WRITER.match(before) else None
    return ManuscriptText(
        attribution.group("name").strip(" ,;.") if attribution else None,
        coverage.group("title").strip() if coverage else None,
        writer,
    )
