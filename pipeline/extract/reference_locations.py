"""Archival parts of a reference for the rules: repositories, holdings, boxes, files, folios and other
shelf marks, written into the archive/collection/box/record_group/file_number/folio fields.

The words of each language's conventions (busta, filza, carton, Bestand, legajo, ...) are read by
pipeline/extract/archival.py from vocab/archival_terms.yaml; here they are applied to the pieces of one
reference (reference_pieces.py) as the rules read it left to right (reference_rules.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.extract import archival
from pipeline.extract.reference_pieces import CITATION_WORDS, Parsed, alternation

DIGIT = re.compile(r"\d")
LETTER = re.compile(r"[^\W\d_]")
ARCHIVE_WORDS = re.compile(rf"\b({alternation(CITATION_WORDS['archive'])})\b")
# A repository's or holding's name is short; a longer piece with "Archivio" or "Library" in it is a title
# ("Documenti per la storia ... dall'Archivio di Stato").
ARCHIVE_NAME_WORDS = 8
# Cheap tests that must pass before the patterns above and below can match (most pieces pass neither).
# ("Archiv*" begins words: its text is "Archiv".)
ARCHIVE_WORD_TEXTS = tuple(word.removesuffix("*") for word in CITATION_WORDS["archive"])
COLLECTION_WORD_TEXTS = (*(word.removesuffix("*") for word in CITATION_WORDS["collection"]), "Papers of ")
COLLECTION_RE = re.compile(rf"^(?:.+\s)?({alternation(CITATION_WORDS['collection'])})$|^Papers of ")
BOX = re.compile(r"^Box(?:es)?\s+(\S+(?:\s*[-–]\s*\S+)?)$", re.I)
# "Fol. 12" is a folder; with a side ("fol. 3v") it is a folio, read with the archival words.
FOLDER = re.compile(r"^(?:Folder|File|Fol\.(?!\s*\d+\s*(?:[rv]|recto|verso)\b))\s+(\S+)$", re.I)
RECORD_GROUP = re.compile(r"^(?:Record Group|RG)\s+(\d+[A-Za-z]?)$")
# Further shelf marks kept as written in file_number: rolls, reels, entries, lots, cases, items, Russian
# fond/opis/delo/list (f., op., d., l.), microfilm publication codes (M862, T 1249). A number that looks
# like a year is not a shelf mark ("Jourdan, F. 2011" is an initial and a year).
SHELF_MARK = re.compile(
    r"^(?:(?:Roll|Reel|Entry|Lot|Case|Item|Fond|Opis[’']?|Op\.|Delo|D\.|d\.|List|L\.|l\.|ll\.|Ll\.|op\.|"
    r"f\.|F\.|Busta|b\.|fasc\.|Fasc\.|Fascicolo|Carton|Dossier|Bestand|Signatur)"
    r"\s*(?!(?:1[5-9]|20)\d\d\b)\d[\w./\-–]*|[MT]\s?\d{2,4})$",
    re.I,
)
MICROFILM = re.compile(
    r"^(?P<archive>.*?)\s*Microfilm(?: Publication)?(?: Number| No\.)?\s+(?P<number>[A-Z]?\s?\d+)$", re.I
)
DECIMAL_FILE = re.compile(r"^\d{2,4}\.[\w.]+(?:\s[A-Z]{1,4})?/\s?[\w\-–]+$")
# A short call number without a lead word, read as one only after an archive: "F7 6520", "MS 1234".
# Years and year ranges a holding's name may carry ("Atti diversi 1616-1806").
YEARS = re.compile(r"\b1\d{3}(?:\s*[-–]\s*1?\d{2,4})?\b")
COTE = re.compile(r"^[A-Z][\w/.]*(?:\s[IVXLC]+)?\s?(?!(?:1[4-9]|20)\d\d\b)\d[\w/.\-–]*(?:\s\d[\w/.\-–]*)?$")
# A repository by its initials: "ASVe", "AGS"; "A. S. V." only where a reference begins (elsewhere
# initials are a person's). Read as one only before a shelf mark.
ACRONYM_ARCHIVE = re.compile(r"^[A-Z]{3,6}$")
DOTTED_INITIALS = re.compile(r"^(?:[A-Z]\.\s?){1,4}[A-Z]\.?$|^(?:[a-z]\.\s?){1,4}[a-z]\.?$")


def apply_location(parsed: Parsed, text: str) -> bool:
    if ":" in text and (described := _described_part(parsed, text)):
        return described
    # A folder needs an F, a shelf mark, microfilm or decimal file a digit: most pieces have neither.
    folder = FOLDER.match(text) if text[:1] in ("F", "f") else None
    if text[:1] in "bB" and (match := BOX.match(text)):
        parsed.set("box", match.group(1))
    elif text[:1] == "R" and (match := RECORD_GROUP.match(text)):
        parsed.set("record_group", match.group(1))
    elif text.rstrip("\n")[-1:].isdigit() and "rofilm" in text.lower() and (match := MICROFILM.match(text)):
        parsed.set("file_number", match.group("number"))
        parsed.set("archive", match.group("archive").strip() or None)
    elif (match := folder) and not parsed.values.get("file_number"):
        parsed.set("file_number", match.group(1))
    elif (part := archival.archival_part(text, bool(parsed.values.get("archive")))) and not (
        (parsed.fond_style and part[0] == "folio")
        or (part[0] in ("archive", "collection") and len(text.split()) > ARCHIVE_NAME_WORDS)
    ):
        set_archival(parsed, *part)
    elif (DIGIT.search(text) and SHELF_MARK.match(text)) or folder:
        current = parsed.values.get("file_number")
        parsed.values["file_number"] = f"{current}, {text}" if current else text
    elif text[:1].isdigit() and DECIMAL_FILE.match(text):
        parsed.set("file_number", text)
    elif parsed.values.get("archive") and COTE.match(text):
        set_archival(parsed, "file_number", text)  # a call number after the archive ("F7 6520")
    elif parsed.values.get("archive") and (holding := archival.whole_holding(text)):
        for column, value in holding.items():  # "Cancelleria inferiore b. 11" after the archive
            set_archival(parsed, column, value)
    elif _may_name_collection(text) and COLLECTION_RE.match(text):
        parsed.set("collection", text)
    elif (
        _may_name_archive(text)
        and ARCHIVE_WORDS.search(text)
        and not DIGIT.search(text)
        and len(text.split()) <= ARCHIVE_NAME_WORDS
    ):
        if parsed.values.get("archive"):
            parsed.set("collection", text)
        else:
            parsed.set("archive", text)
    else:
        return False
    return True


def _may_name_collection(text: str) -> bool:
    """Whether COLLECTION_RE can match: one of its words occurs in the text."""
    return any(map(text.__contains__, COLLECTION_WORD_TEXTS))


def _may_name_archive(text: str) -> bool:
    """Whether ARCHIVE_WORDS can find something: one of its words occurs in the text."""
    return any(map(text.__contains__, ARCHIVE_WORD_TEXTS))


def _described_part(parsed: Parsed, text: str) -> bool:
    """A box, file or folio with the document it holds after a colon ("fz. 302: dispaccio n. 133"): the
    shelf-mark part, and the description as the document's title."""
    head, _, description = text.partition(":")
    part = archival.archival_part(head, bool(parsed.values.get("archive")))
    if (
        part is None
        or part[0] not in ("box", "file_number", "folio")
        or (not parsed.values.get("archive") and archival.YEAR_LIKE.search(part[1]))  # "B. 2007: Title"
        or not LETTER.search(description)
    ):
        return False
    set_archival(parsed, *part)
    parsed.set("title", description.strip())
    return True


def set_archival(parsed: Parsed, column: str, value: str) -> None:
    """A shelf-mark part: a second repository name is a collection; a second box, file or folio is added."""
    values = parsed.values
    if column == "archive" and values.get("archive"):
        column = "collection"
    if values.get(column):
        values[column] = f"{values[column]}, {value}"
    else:
        values[column] = value


def is_shelf_part(text: str) -> bool:
    """A piece that places a document in an archive: a location, or a box, file or folio with its number."""
    part = archival.archival_part(text, after_archive=False) if DIGIT.search(text) else None
    return is_location(text) or (part is not None and part[0] in ("box", "file_number", "folio"))


@lru_cache(maxsize=65536)
def is_location(part: str) -> bool:
    return bool(
        BOX.match(part)
        or FOLDER.match(part)
        or RECORD_GROUP.match(part)
        or SHELF_MARK.match(part)
        or MICROFILM.match(part)
        or DECIMAL_FILE.match(part)
        or (_may_name_archive(part) and ARCHIVE_WORDS.search(part) and not DIGIT.search(part))
        or (DIGIT.search(part) and archival.whole_holding(part))
    )
