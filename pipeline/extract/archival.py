"""Shelf marks of archival references in English, Italian, French, German and Spanish conventions.

"ASVe, Senato, PTM, fz. 302, c. 12v" names a repository (ASVe), a holding (Senato, PTM), a bundle (filza
302) and a leaf with its side (carta 12 verso). The words that introduce each part are data
(vocab/archival_terms.yaml): a historian adds "Konvolut" under box without touching this code. Both the rules
(one comma piece at a time) and the model's shelf-mark segments (a whole run) are read here, so the two fill
the same columns: archive, collection, box, file_number and folio.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.vocab import load_mapping

ROLES = ("box", "file", "folio", "collection")
SIDE = r"\s*(?:[rv]{1,2}|recto|verso)?\.?"
# A folio number: "492r", "12v-13r", "3 verso", "12-15", "12rv"; not a year ("c. 1950" is circa).
FOLIO_NUMBER = rf"(?!(?:1[4-9]|20)\d\d\b)\d+{SIDE}(?:\s*[-–]\s*\d+{SIDE})?"
PIECE = re.compile(r"[^,;:]+")


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


# What a box or file word introduces: a number ("12", "12bis", "1-43") or a Roman numeral ("IV").
SHELF_NUMBER = re.compile(r"^(?:\d|[IVXLC]+\b)")


def archival_part(piece: str, after_archive: bool = True) -> tuple[str, str] | None:
    """(column, value) of one comma-separated piece of a shelf mark, or None when no archival word leads it.

    A box, folio or file keeps what follows its word ("busta 12" -> box "12", "c. 12v" -> folio "12v");
    a file keeps its word too, as file numbers are written in many ways ("fasc. 3"); "fondo Senato" is the
    collection "Senato". A box or file is a number or Roman numeral after its word. Without after_archive
    (the rules, before a repository is named) the words that also begin volumes and issues ("vol. 3",
    "n. 12") are not read.
    """
    text = " ".join(piece.split()).strip(" .")
    if not text:
        return None
    if match := _folio().match(text):
        return "folio", match.group("value").strip(" .")
    if not any(character.isdigit() for character in text):
        if match := _lead("collection").match(text):
            return "collection", match.group("value")
        if _repository().match(text):
            return "archive", text
        return None
    if not after_archive and (match := _lead("after_archive_only").match(text)):
        return None
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
        piece = match.group().strip(" .()[]")
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
