"""CSL-JSON (the Citation Style Language's data format, read by Zotero, pandoc, citeproc) from parsed fields.

Only what the reference gives is written: names become {"family", "given"} objects (a single word or an
institution becomes {"literal"}), the year or item date becomes "issued" date-parts, archival places go to
"archive" and "archive_location" (folios too). The item's full date goes to "issued" beside the year (or to
"original-date" when it is older than the edition that prints it).
"""

from __future__ import annotations

import re
from typing import Any

# Project reference types -> CSL item types (CSL 1.0.2 list).
CSL_TYPES = {
    "book": "book",
    "edited_book": "book",
    "chapter": "chapter",
    "journal_article": "article-journal",
    "newspaper": "article-newspaper",
    "archival_document": "manuscript",
    "archival_collection": "manuscript",
    "interview": "interview",
    "government_document": "report",
    "ibid": "document",
    "short_form": "document",
}
NAME_SUFFIX = re.compile(r",?\s+(Jr\.?|Sr\.?|II|III|IV)$")
PARTICLES = {"de", "di", "da", "del", "della", "van", "von", "der", "den", "la", "le", "du", "des", "al"}
VARIABLES = {
    "title": "title",
    "container_title": "container-title",
    "place": "publisher-place",
    "publisher": "publisher",
    "volume": "volume",
    "issue": "issue",
    "pages": "page",
    "edition": "edition",
    "number_of_volumes": "number-of-volumes",
    "archive": "archive",
    "note": "note",
}


def name_object(name: str) -> dict[str, str]:
    """ "N. Gordon Levin, Jr." -> {"family": "Levin", "given": "N. Gordon", "suffix": "Jr."}."""
    suffix = NAME_SUFFIX.search(name)
    core = name[: suffix.start()] if suffix else name
    words = core.split()
    if len(words) < 2:
        return {"literal": name}
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].lower() in PARTICLES:
        family_start -= 1
    person = {"family": " ".join(words[family_start:]), "given": " ".join(words[:family_start])}
    if suffix:
        person["suffix"] = suffix.group(1)
    return person


def name_parts(names: str | None) -> tuple[str | None, str | None]:
    """Family names and given names of a "Given Family; ..." list, each "; "-separated in the same order
    (a one-word or institutional name is all family, with an empty given part)."""
    people = [name_object(name.strip()) for name in (names or "").split(";") if name.strip()]
    if not people:
        return None, None
    families = "; ".join(person.get("family", person.get("literal", "")) for person in people)
    givens = "; ".join(person.get("given", "") for person in people)
    return families, givens if givens.strip("; ") else None


def date_parts(edtf: str | None, year: str | None) -> dict[str, Any] | None:
    """CSL "issued" from an EDTF item date ("1929-08-29", "1981-03-30/1981-03-31") or a year ("1951-1953")."""
    if edtf:
        parts = []
        for bound in edtf.split("/")[:2]:
            pieces = bound.split("-")
            if not re.fullmatch(r"\d{4}", pieces[0]):
                continue
            date = [int(pieces[0])]
            if len(pieces) > 1 and 1 <= int(pieces[1]) <= 12:
                date.append(int(pieces[1]))
                if len(pieces) > 2:
                    date.append(int(pieces[2]))
            parts.append(date)
        if parts:
            return {"date-parts": parts}
    if year:
        years = re.findall(r"\d{4}", year)
        if years:
            return {"date-parts": [[int(y)] for y in years[:2]]}
    return None


def to_csl(item_id: str, reference_type: str | None, values: dict[str, Any]) -> dict[str, Any]:
    """One CSL-JSON item."""
    item: dict[str, Any] = {"id": item_id, "type": CSL_TYPES.get(reference_type or "", "document")}
    authors = [n.strip() for n in (values.get("authors") or "").split(";") if n.strip()]
    if authors:
        item["author"] = [name_object(n) for n in authors]
    elif values.get("corporate_author"):
        item["author"] = [{"literal": values["corporate_author"]}]
    elif values.get("sender"):
        item["author"] = [name_object(values["sender"])]
    elif values.get("interviewee"):
        item["author"] = [name_object(values["interviewee"])]
    editors = [n.strip() for n in (values.get("editors") or "").split(";") if n.strip()]
    if editors:
        item["editor"] = [name_object(n) for n in editors]
    if values.get("recipient"):
        item["recipient"] = [name_object(values["recipient"])]
    for name, variable in VARIABLES.items():
        if values.get(name) not in (None, ""):
            item[variable] = str(values[name]) if variable != "number-of-volumes" else values[name]
    location = ", ".join(
        f"{label}{values[name]}"
        for name, label in (
            ("collection", ""),
            ("record_group", "RG "),
            ("box", "Box "),
            ("file_number", ""),
            ("folio", "f. "),
        )
        if values.get(name)
    )
    if location:
        item["archive_location"] = location
    item_date, year = values.get("item_date"), values.get("year")
    if item_date and year and not str(item_date).startswith(str(year)[:4]):
        # A letter of 1772 printed in a 1990 edition: issued is the edition, original-date the letter.
        item["issued"] = date_parts(None, year)
        item["original-date"] = date_parts(item_date, None)
    elif issued := date_parts(item_date, year):
        item["issued"] = issued
    return {key: value for key, value in item.items() if value is not None}
