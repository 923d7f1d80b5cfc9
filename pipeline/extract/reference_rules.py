"""The rules' reading of one reference: tokens (italic runs, quoted runs, parenthesised groups, comma
pieces) read left to right into the citation fields, then the reference type decided from what was found.

Italics mark titles of books, journals and newspapers; the pieces are cut in reference_pieces.py; shelf marks
and repositories are read in reference_locations.py (with pipeline/extract/archival.py); referring forms
("Ibid.", "Ivi, c. 12v", "Rossi 1990, 12", "Rossi, op. cit.", "Id., Title"; their words in other languages
are in vocab/citation_words.yaml) are recognised here and resolved in citation_resolution.py.
citations.py combines this reading with the trained model's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.extract import archival
from pipeline.extract.reference_dates import BARE_YEAR, MONTH_DAY, is_date, to_edtf
from pipeline.extract.reference_locations import (
    ACRONYM_ARCHIVE,
    DOTTED_INITIALS,
    YEARS,
    apply_location,
    is_shelf_part,
    set_archival,
)
from pipeline.extract.reference_pieces import (
    ABBREVIATIONS,
    CITATION_WORDS,
    COMMA_PIECE,
    INITIALS,
    Parsed,
    Token,
    alternation,
    inside,
    tokenize,
)

INSTITUTION_WORDS = re.compile(rf"\b({alternation(CITATION_WORDS['institution'])})\b")
GOVERNMENT_WORDS = re.compile(rf"\b({alternation(CITATION_WORDS['government'])})\b")
NEWSPAPER_WORDS = re.compile(rf"\b({alternation(CITATION_WORDS['newspaper'])})\b")
SIGNAL = re.compile(rf"^({alternation(CITATION_WORDS['signal'])})\s+(?=\S)", re.I)
HEREAFTER = re.compile(r"(?:^|[.,;]\s*|\()\s*[Hh]ereafter(?: cited as| referred to as)?\s+(.+?)\)?\.?$")


def _words(name: str) -> str:
    """A vocabulary list as a regex alternation, longest first, a period inside a word followed by any
    space or none ("op. cit" matches "op.cit" too)."""
    words = sorted(CITATION_WORDS[name], key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\.\ ", r"\.").replace(r"\.", r"\.\s*") for word in words)


# "Ibid., p. 4", "Ivi, c. 12v", "Ebd., S. 45": the work cited just before (vocab same_work).
IBID = re.compile(rf"^(?:{_words('same_work')})(?!\w)\.?,?\s*(.*)$", re.I)
IBID_FIRST = frozenset(w[0] for w in CITATION_WORDS["same_work"]) | frozenset(
    w[0].upper() for w in CITATION_WORDS["same_work"]
)
# "Id., Storia di Venezia ...": a new work by the author cited just before (vocab same_author).
SAME_AUTHOR = re.compile(
    rf"^(?:(?:{_words('same_author')})(?!\w)\.?|(?:{_words('same_author_abbreviation')})\.),\s*(?=\S)", re.I
)
# "Rossi, op. cit., p. 12", "M. Rossi, Storia di Venezia cit., pp. 3-5", "Rossi, loc. cit.": a work cited
# before, by its author and perhaps a short title (vocab cited_mark).
CITED = re.compile(
    rf"^(?P<names>[^,]+?),\s+(?:(?P<title>[^,].*?),?\s+)??(?P<mark>(?i:{_words('cited_mark')}))(?!\w)\.?"
    r"(?:,\s*(?P<locator>.+))?$"
)


def _hint(mark: str) -> str:
    """What a text holding ``mark`` holds once lower-cased without spaces: its last word of three letters or
    more ("cit" of "op. cit"), else the whole mark ("a.a.o")."""
    compact = mark.lower().replace(" ", "")
    last = compact.rsplit(".", 1)[-1]
    return last if len(last) >= 3 else compact


# What a reference must contain (lower case, without spaces) for CITED to be tried.
CITED_HINTS = tuple(sorted({_hint(mark) for mark in CITATION_WORDS["cited_mark"]}))
SAME_AUTHOR_FIRST = frozenset(
    letter
    for word in (*CITATION_WORDS["same_author"], *CITATION_WORDS["same_author_abbreviation"])
    for letter in (word[0], word[0].upper())
)
OPIS = re.compile(r"\bop\.\s*\d")
CORRESPONDENCE = re.compile(
    rf"^(?:(?P<kind>{alternation(CITATION_WORDS['correspondence'])})\s+"
    r"(?:from|of|by)\s+)?(?P<sender>[A-Z][\w.'’\- ]*?)\s+to\s+(?P<recipient>(?:the\s+)?[A-Z][\w.,'’\-() ]*)$"
)
AUTHORED_DOCUMENT = re.compile(
    rf"^(?P<kind>{alternation(CITATION_WORDS['authored_document'])})\s+(?:by|of)\s+"
    r"(?P<author>[A-Z][\w.'’\- ]*)$"
)
INTERVIEW = re.compile(r"^Interview (?:with|of) (?P<who>.+)$", re.I)
INTERVIEW_BY = re.compile(r"^interview(?:ed)? by (?:the )?author$", re.I)
HONORIFIC = re.compile(rf"^(?:{alternation(CITATION_WORDS['interviewee_title'])})\s+")
PAGES = r"(?:[\dIVXLCivxlc]+[a-z]?(?:\s*[-–]\s*[\dIVXLCivxlc]+)?)"
LOCATOR = re.compile(
    rf"^(?:(?P<year>\d{{4}})\s*:\s*)?(?:(?:vol\.\s*)?(?P<volume>\d+|[IVXLC]+)\s*:\s*)?"
    rf"(?:(?i:{_words('page_word')})\.\s*)?(?P<pages>{PAGES}(?:\s*,\s*{PAGES})*)$"
)
NOTE_LOCATOR = re.compile(r"^(?:note|n\.|nn\.)\s*\d+[a-z]?$", re.I)
VOLUME_ONLY = re.compile(r"^vol\.\s*(\d+|[IVXLC]+)$", re.I)
NUMBER_OF_VOLUMES = re.compile(r"^(\d+)\s+vols?\.?$")
EDITION = re.compile(r"^(\d+(?:st|nd|rd|th)|rev\.|revised|new)\s+ed(?:\.|ition)?$", re.I)
EDITOR_MARK = re.compile(r"^(?:eds?\.|editors?|ed\. by|edited by)$", re.I)
ET_AL = re.compile(r"^et al\.?$")
NAME_SUFFIX = re.compile(r"^(?:Jr\.?|Sr\.?|II|III|IV)$")
PUBFACTS_COLON = re.compile(
    r"^(?P<place>[^:\d][^:]*?):\s*(?:(?P<publisher>[^,\d][^:]*?),\s*)?(?P<year>\d{4}(?:\s*[-–]\s*(?:\d{2,4})?)?)$"
)
PUBFACTS = re.compile(
    r"^(?:(?P<place>[^:,\d][^:]*?)\s*[:,]\s*)?(?:(?P<publisher>[^,\d][^,]*?),\s*)?"
    r"(?P<year>\d{4}(?:\s*[-–]\s*(?:\d{2,4})?)?)$"
)
PLACE_PUBLISHER = re.compile(r"^(?P<place>[A-Z][^:]*?):\s*(?P<publisher>[A-Z].*)$")
SEASON_PAREN = re.compile(r"^(?P<issue>Spring|Summer|Autumn|Fall|Winter)\s+(?P<year>\d{4}(?:[-–/]\d{2,4})?)$")
AUTHOR_DATE = re.compile(
    r"^(?P<names>[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+)?(?:\s+et al\.)?),?\s+"
    r"(?P<year>\d{4}[a-z]?)(?:\s*[,:]\s*(?P<pages>.+?))?\.?$"
)
# An author-date (APA-style) head on its own: "Miller, J. A., & Lee, B. (2003)".
AUTHOR_YEAR_FRAGMENT = re.compile(
    r"[A-Z][\w'’\-]+,\s+(?:[A-Z][\w'’\-]*\.?\s?)+(?:,?\s+(?:(?:and|&)\s+)?[A-Z][\w.,'’\- ]+)*"
    r"\s*\((?:\d{4}[a-z]?|n\.d\.)\)"
)
NAME_WORD = re.compile(r"^(?:[A-Z][\w'’\-]*\.?|(?:[A-Z]\.)+[A-Z]?\.?|de|van|von|der|la|le|du|di|da|al-)$")

UNDATED = re.compile(r"(?i)undated|n\.d\.")
DAY_NUMBER = re.compile(r"\d{1,2}")
EDITED_BY = re.compile(
    r"^(?:eds?\.|edited by|a cura di|hrsg\. von|hg\. von|herausgegeben von|éd\. par|sous la direction de)"
    r"\s+(.+)$",
    re.I,
)
# The first letters an EDITED_BY match can open with (any case; "ſ" matches "s" when case is ignored).
EDITED_BY_FIRST = "eEaAhHéÉsSſ"
VOLUMES_COUNT = re.compile(r"^(\d+)\s+vols?\.?\s*$")
DIGIT = re.compile(r"\d")
LETTER = re.compile(r"[^\W\d_]")
NUMBER = re.compile(r"\d+")
ISSUE_NUMBER = re.compile(r"(?i)(?:no\.|issue)\s*(\d+)")
FINAL_WORD = re.compile(r"([\w.]+)\.$")
PUBLICATION_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
INITIAL_WORD = re.compile(r"(?:^|\s)[A-Z]\.")
SURNAME_WORD = re.compile(r"[A-Z][a-z]")


def _clean_title(text: str) -> str:
    return text.strip().strip('“”"«»').strip().rstrip(",").strip()


# ---------------------------------------------------------------- dates

NAMES_JOINED = re.compile(r",?\s+(?:and|&)\s+")
LEADING_AND = re.compile(r"^(?:and|&)\s+")
TRAILING_NAME_SUFFIX = re.compile(r",\s*(?:Jr|Sr|II|III|IV)\.?$")


# ---------------------------------------------------------------- reading one reference


def _split_names(text: str) -> list[str]:
    """Personal names joined by "and" / "&" / ", and"."""
    parts = NAMES_JOINED.split(LEADING_AND.sub("", text.strip()))
    return [HONORIFIC.sub("", p).strip() for p in parts if p.strip()]


@lru_cache(maxsize=65536)
def _is_names(text: str) -> bool:
    words = [w for w in text.split() if w not in ("and", "&")]
    return 0 < len(words) <= 8 and all(map(NAME_WORD.match, words)) and not DIGIT.search(text)


def _apply_locator(parsed: Parsed, text: str) -> bool:
    text = text.strip().rstrip(".")
    if match := LOCATOR.match(text):
        if match.group("year"):
            parsed.set("year", match.group("year"))
        if match.group("volume"):
            parsed.set("volume", match.group("volume"))
        parsed.add_pages(match.group("pages"))
        return True
    if NOTE_LOCATOR.match(text):
        parsed.add_pages(text)
        return True
    if match := VOLUME_ONLY.match(text):
        parsed.set("volume", match.group(1))
        return True
    return False


def _apply_pubfacts(parsed: Parsed, text: str) -> bool:
    inner = text.strip("()").strip()
    if match := SEASON_PAREN.match(inner):
        parsed.set("issue", match.group("issue"))
        parsed.set("year", match.group("year"))
        return True
    match = PUBFACTS_COLON.match(inner) or PUBFACTS.match(inner)
    if not match:
        return False
    place, publisher = match.group("place"), match.group("publisher")
    if match.re is PUBFACTS and place and "," in inner and not publisher and ":" not in inner:
        place = inner.rsplit(",", 1)[0].strip()
    parsed.set("place", place.strip() if place else None)
    parsed.set("publisher", publisher.strip() if publisher else None)
    parsed.set("year", match.group("year").replace(" ", ""))
    return True


def _apply_item(parsed: Parsed, text: str) -> bool:
    """Correspondence ("Letter from A to B"), authored documents ("Memo by A") and interviews."""
    if text[1:2] in ("n", "N") and (match := INTERVIEW.match(text)):
        parsed.reference_type = "interview"
        parsed.set("interviewee", HONORIFIC.sub("", match.group("who").strip()))
        return True
    if ("by" in text or "of" in text) and (match := AUTHORED_DOCUMENT.match(text)):
        parsed.reference_type = "archival_document"
        parsed.set("authors", match.group("author").strip())
        return True
    if "to" in text and (match := CORRESPONDENCE.match(text)) and _is_names(match.group("sender")):
        parsed.reference_type = "archival_document"
        parsed.set("sender", match.group("sender").strip())
        recipient = re.sub(r"^the\s+", "", match.group("recipient").strip())
        parsed.set("recipient", recipient)
        return True
    return False


def parse_reference(text: str, italics: list[tuple[int, int]]) -> Parsed:
    """Read the fields of one reference from its text and the italic spans (relative offsets) in it."""
    parsed = Parsed()
    body = text.strip()
    if match := SIGNAL.match(body):
        parsed.signal = match.group(1)
        cut = match.end()
        body = body[cut:]
        italics = [(a - cut, b - cut) for a, b in italics]
    if "ereafter" in body and (match := HEREAFTER.search(body)):
        abbreviation = match.group(1).strip().rstrip(")")
        if re.fullmatch(r"(?:\w\.)+\w", abbreviation) and body.rstrip().endswith("."):
            abbreviation += "."
        parsed.set("abbreviation", abbreviation)
        body = body[: match.start()].rstrip(" ,.(") + "."
    if body[:1] in SAME_AUTHOR_FIRST and (match := SAME_AUTHOR.match(body)):
        parsed.same_author = match.group()
        body = body[match.end() :]
        italics = [(a - match.end(), b - match.end()) for a, b in italics]
        parsed.set("authors_as_printed", parsed.same_author.rstrip(" ,"))
    trimmed = _trim_final_period(body, italics)
    tokens = tokenize(trimmed, [(a, b) for a, b in italics if b <= len(trimmed) or a < len(trimmed)])
    if not tokens:
        return parsed
    if tokens[0].kind in ("italic", "plain") and (match := IBID.match(tokens[0].text)):
        parsed.reference_type = "ibid"
        rest = [Token("plain", match.group(1), tokens[0].start, tokens[0].end)] if match.group(1) else []
        _read_tail(parsed, rest + tokens[1:])
        return parsed
    parsed.fond_style = "op." in body and bool(OPIS.search(body))
    lowered = trimmed.lower().replace(" ", "") if "," in trimmed else ""
    if (
        any(map(lowered.__contains__, CITED_HINTS))
        and (match := CITED.match(trimmed))
        and _is_names(match.group("names"))
    ):
        _read_cited(parsed, match)
        return parsed
    if match := AUTHOR_DATE.match(trimmed):
        parsed.reference_type = "short_form"
        parsed.set("authors", "; ".join(_split_names(match.group("names").replace(" et al.", ""))))
        parsed.set("authors_as_printed", match.group("names").strip())
        if "et al." in match.group("names"):
            parsed.set("et_al", True)
        parsed.set("year", match.group("year"))
        if match.group("pages"):
            _apply_locator(parsed, match.group("pages")) or parsed.add_pages(match.group("pages"))
        parsed.short_candidate = True
        return parsed
    if DIGIT.search(trimmed) and (holding := archival.whole_holding(trimmed)):
        parsed.values.update(holding)
        parsed.reference_type = "archival_collection"
        return parsed
    _read_tokens(parsed, _merge_date_tokens(tokens))
    if parsed.values.get("authors") and parsed.names_span:
        parsed.set("authors_as_printed", trimmed[slice(*parsed.names_span)].strip(" ,;:"))
    decide_type(parsed)
    return parsed


def _read_cited(parsed: Parsed, match: re.Match[str]) -> None:
    """A short form with "op. cit." or "cit.": authors, the short title if any, the locator."""
    parsed.reference_type = "short_form"
    parsed.short_candidate = True
    parsed.set("authors", "; ".join(_split_names(match.group("names"))))
    parsed.set("authors_as_printed", match.group("names").strip())
    if match.group("title"):
        parsed.set("title", _clean_title(match.group("title")))
    else:
        parsed.op_cit = True
    if locator := match.group("locator"):
        for piece in COMMA_PIECE.findall(locator):
            if (
                piece.strip()
                and not _apply_locator(parsed, piece)
                and not apply_location(parsed, piece.strip())
            ):
                parsed.unparsed.append(piece.strip())


def _trim_final_period(body: str, italics: list[tuple[int, int]]) -> str:
    if not body.endswith(".") or inside(len(body) - 1, italics):
        return body
    # The final word lies in the last white-space separated piece: searching only that piece is the same.
    word = FINAL_WORD.search(body.rsplit(None, 1)[-1])
    if word and (word.group(1).lower() in ABBREVIATIONS or INITIALS.fullmatch(word.group(1))):
        return body
    return body[:-1]


def _merge_date_tokens(tokens: list[Token]) -> list[Token]:
    """Join "12" + "(March 1942)", "Undated" + "(1943)" and "March 3" + "1947" into one date token."""
    merged: list[Token] = []
    for token in tokens:
        if (
            merged
            and token.kind == "paren"
            and merged[-1].kind == "plain"
            and (DAY_NUMBER.fullmatch(merged[-1].text) or UNDATED.fullmatch(merged[-1].text))
            and to_edtf(f"{merged[-1].text} {token.text}")
        ):
            last = merged.pop()
            merged.append(Token("date", f"{last.text} {token.text}", last.start, token.end))
        elif (
            merged
            and token.kind == "plain"
            and merged[-1].kind == "plain"
            and BARE_YEAR.match(token.text)
            and MONTH_DAY.match(merged[-1].text)
        ):
            last = merged.pop()
            merged.append(Token("date", f"{last.text}, {token.text}", last.start, token.end))
        else:
            merged.append(token)
    return merged


def _read_tokens(parsed: Parsed, tokens: list[Token]) -> None:
    """Read the tokens before the title (names, items), the title(s), then the tail."""
    titles: list[Token] = []
    in_container = False
    editors_pending: list[str] = []
    for index, token in enumerate(tokens):
        text = token.text
        if token.kind == "in":
            in_container = parsed.in_container = True
            continue
        if token.kind in ("italic", "quoted"):
            if (IBID.match(text) and token.kind == "italic") or (token.kind == "plain" and IBID.match(text)):
                parsed.container_ibid = True
                continue
            titles.append(token)
            is_item = parsed.reference_type == "archival_document" and token.kind == "italic"
            if (
                is_item
                or (token.kind == "italic" and (in_container or any(t.kind == "quoted" for t in titles[:-1])))
            ) or (
                token.kind == "italic"
                and parsed.values.get("title")
                and not parsed.values.get("container_title")
            ):
                parsed.set("container_title", _clean_title(text))
            else:
                parsed.set("title", _clean_title(text))
            if in_container and editors_pending:
                parsed.set("editors", "; ".join(editors_pending))
                editors_pending = []
            continue
        if token.kind == "plain" and text[:1] in IBID_FIRST and IBID.match(text):
            parsed.container_ibid = True
            rest = IBID.match(text).group(1)
            if rest:
                _apply_locator(parsed, rest)
            continue
        if token.kind == "paren":
            if _apply_pubfacts(parsed, text):
                continue
            if parsed.values.get("archive") and is_date(inner := text.strip("()").strip()):
                parsed.set("item_date", to_edtf(inner))  # "(30 giugno 1312)" in an archival reference
                continue
            archive = parsed.values.get("archive")
            if archive and not titles and tokens[index - 1].text == archive and not DIGIT.search(text):
                parsed.values["archive"] = f"{archive} {text}"  # "Archivio di Stato di Venezia (Frari)"
                continue
            if tokens[index - 1].kind == "italic" and _is_names(text.strip("()")):
                parsed.set("place", text.strip("()"))
                continue
            if tokens[index - 1].kind == "plain" and parsed.values.get("recipient") and index > 0:
                parsed.values["recipient"] += f" {text}"
                continue
            parsed.unparsed.append(text)
            continue
        if token.kind == "date" or is_date(text):
            parsed.set("item_date", to_edtf(text))
            continue
        if len(text) in (4, 7) and UNDATED.fullmatch(text):
            continue
        if _apply_item(parsed, text):
            if titles and parsed.values.get("title") and not parsed.values.get("container_title"):
                parsed.values["container_title"] = parsed.values.pop("title")
            continue
        if text[:1] in EDITED_BY_FIRST and (match := EDITED_BY.match(text)) and _is_names(match.group(1)):
            parsed.set("editors", "; ".join(_split_names(match.group(1))))
            continue
        if len(text) <= 10 and EDITOR_MARK.match(text):
            _mark_editors(parsed, editors_pending, in_container, text)
            editors_pending = []
            continue
        if text.startswith("et al") and ET_AL.match(text):
            parsed.set("et_al", True)
            continue
        if len(text) <= 4 and NAME_SUFFIX.match(text) and parsed.names:
            parsed.names[-1] += f", {text}"
            continue
        if parsed.reference_type == "interview" and re.fullmatch(r"[A-Z][\w\- ]+", text):
            parsed.set("place", text)
            continue
        if in_container and _is_names(text) and not parsed.values.get("container_title"):
            editors_pending += _split_names(text)
            continue
        if titles and _read_tail_token(
            parsed,
            text,
            tokens[index - 1].kind == "italic" and bool(parsed.values.get("container_title")),
        ):
            continue
        if apply_location(parsed, text):
            continue
        if (
            (len(text) <= 7 and ACRONYM_ARCHIVE.match(text)) or (index == 0 and DOTTED_INITIALS.match(text))
        ) and any(is_shelf_part(t.text) for t in tokens[index + 1 :]):
            set_archival(parsed, "archive", text)  # a second one names a holding ("ASVe, PTM")
            continue
        if not titles and (_is_names(text) or _is_corporate(text)) and not _title_after_name(parsed, text):
            if parsed.values.get("archive") and not parsed.names and not in_container:
                set_archival(parsed, "collection", text)  # "ASVe, Senato, ...": a holding, not a person
            elif in_container:
                editors_pending += _split_names(text)
            else:
                parsed.names += _split_names(text) if _is_names(text) else [text]
                start = parsed.names_span[0] if parsed.names_span else token.start
                parsed.names_span = (start, token.end)
            continue
        if not titles and text[1:2] in ("n", "N") and INTERVIEW_BY.match(text):
            parsed.reference_type = "interview"
            parsed.set("interviewee", "; ".join(parsed.names))
            parsed.names = []
            continue
        if PUBLICATION_YEAR.match(text) and not parsed.values.get("year"):
            parsed.set("year", text)  # "..., 1, 1946, pp. 70-74": a year, not a page
            continue
        if _apply_locator(parsed, text):
            continue
        # After the repository, an unread piece is a holding ("Presidenza del Consiglio", "Atti 1616-1806").
        if (
            parsed.values.get("archive")
            and not titles
            and not DIGIT.search(YEARS.sub("", text))
            and len(text.split()) <= 8
        ):
            set_archival(parsed, "collection", text)
            continue
        parsed.unparsed.append(text)
    if parsed.names:
        _assign_names(parsed)


def _title_after_name(parsed: Parsed, text: str) -> bool:
    """A piece of four or more capitalised words without an initial, after a whole name ("P. Toesca,
    Quelques Miniatures Venetiennes du XIVe Siècle"): a title in title case, not more names."""
    return (
        len(text.split()) >= 4
        and not INITIAL_WORD.search(text)
        and any(INITIAL_WORD.search(name) and SURNAME_WORD.search(name) for name in parsed.names)
    )


def _is_corporate(text: str) -> bool:
    return not DIGIT.search(text) and len(text.split()) <= 10 and bool(INSTITUTION_WORDS.search(text))


def _mark_editors(parsed: Parsed, pending: list[str], in_container: bool, mark: str) -> None:
    if in_container:
        parsed.set("editors", "; ".join(pending))
        return
    parsed.set("editors", "; ".join(parsed.names))
    parsed.names = []


def _assign_names(parsed: Parsed) -> None:
    people = [n for n in parsed.names if _is_names(TRAILING_NAME_SUFFIX.sub("", n))]
    corporate = [n for n in parsed.names if n not in people]
    if len(people) >= 2 and len(people[0].split()) == 1 and len(people[1].split()) <= 3:
        people = [f"{people[1]} {people[0]}", *people[2:]]
    if corporate:
        parsed.set("corporate_author", "; ".join(corporate))
    if people:
        parsed.set("authors", "; ".join(people))
    parsed.names = []


def _read_tail_token(parsed: Parsed, text: str, after_container: bool) -> bool:
    """Publication facts after a title: editions, volumes, locators, journal volume numbers."""
    if match := NUMBER_OF_VOLUMES.match(text):
        parsed.set("number_of_volumes", int(match.group(1)))
        return True
    if match := EDITION.match(text):
        parsed.set("edition", match.group(1))
        return True
    if match := VOLUMES_COUNT.match(text):
        parsed.set("number_of_volumes", int(match.group(1)))
        return True
    if (match := PLACE_PUBLISHER.match(text)) and not DIGIT.search(text):
        parsed.set("place", match.group("place"))
        parsed.set("publisher", match.group("publisher"))
        return True
    if after_container and NUMBER.fullmatch(text) and not parsed.values.get("volume"):
        parsed.set("volume", text)
        return True
    if ISSUE_NUMBER.fullmatch(text):
        parsed.set("issue", re.search(r"\d+", text).group())
        return True
    if BARE_YEAR.match(text) and not parsed.values.get("year") and not parsed.values.get("pages"):
        parsed.set("year", text)
        return True
    return False


def _read_tail(parsed: Parsed, tokens: list[Token]) -> None:
    """The locators after a back-reference: pages ("p. 4", "S. 45"), or a folio, box or file ("c. 12v")."""
    for token in tokens:
        if _apply_locator(parsed, token.text):
            continue
        text = token.text.strip().rstrip(".")
        part = archival.archival_part(text, after_archive=False) if DIGIT.search(text) else None
        if part is not None and part[0] in ("box", "file_number", "folio"):
            set_archival(parsed, *part)
        else:
            parsed.unparsed.append(token.text)


def decide_type(parsed: Parsed) -> None:
    values = parsed.values
    if parsed.reference_type in ("interview", "archival_document"):
        return
    has_location = any(map(values.get, ("archive", "collection", "box", "record_group", "file_number")))
    if values.get("item_date") and has_location and values.get("title") and not values.get("container_title"):
        parsed.reference_type = "archival_document"
        return
    if has_location and not values.get("title"):
        parsed.reference_type = "archival_collection"
        if values.get("corporate_author") and not values.get("collection"):
            values["collection"] = values.pop("corporate_author")
        return
    if values.get("container_title") and values.get("title"):
        if values.get("editors") or parsed.container_ibid or parsed.in_container:
            parsed.reference_type = "chapter"
        elif NEWSPAPER_WORDS.search(values["container_title"]):
            parsed.reference_type = "newspaper"
        else:
            parsed.reference_type = "journal_article"
        return
    has_pubfacts = any(map(values.get, ("place", "publisher", "year")))
    dated_issue = values.get("item_date") and not values.get("year") and not values.get("publisher")
    if values.get("title") and dated_issue and not values.get("authors"):
        parsed.values["container_title"] = parsed.values.pop("title")
        parsed.reference_type = "newspaper"
        return
    if values.get("corporate_author") and GOVERNMENT_WORDS.search(values["corporate_author"]):
        parsed.reference_type = "government_document"
    elif values.get("editors") and not values.get("authors"):
        parsed.reference_type = "edited_book"
    else:
        parsed.reference_type = "book"
    if not has_pubfacts:
        parsed.short_candidate = True


def split_corporate_title(parsed: Parsed) -> None:
    """An italic run "Ministry of X, Title of Series" carries a corporate author before the title."""
    for name in ("title", "container_title"):
        title = parsed.values.get(name)
        if not title or parsed.values.get("corporate_author"):
            continue
        head, sep, rest = title.partition(", ")
        if sep and INSTITUTION_WORDS.search(head) and len(head.split()) <= 8 and rest[:1].isupper():
            parsed.values["corporate_author"] = head
            parsed.values[name] = rest
            if name == "title" and parsed.reference_type in ("book", "edited_book"):
                parsed.reference_type = "government_document" if GOVERNMENT_WORDS.search(head) else "book"
