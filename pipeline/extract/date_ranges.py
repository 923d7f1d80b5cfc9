"""Ranges written with both ends: "between June 1, 1918 and January 1, 1919", "From the 1950s to the
1980s", "from May 5 until June 1". The two time expressions, each found and resolved on its own, become one
row whose EDTF value is the interval from the first one's start to the second one's end, so the second half
is not lost; its TIMEX3 value is the first end's (TimeML has no interval value)."""

from __future__ import annotations

import re

from pipeline.extract.date_values import edtf_from_bounds

_OPENERS = {
    "between": re.compile(r"\s+and\s+"),
    "from": re.compile(r"\s*[–—-]\s*|\s+(?:to|until|till|through|up\s+to)\s+"),
}
_OPENER_BEFORE = re.compile(r"\b(between|from)\s+$", re.I)
_PRECISIONS = ("day", "month", "quarter", "season", "year", "decade", "century")
_OPEN_MODIFIERS = {"before", "after", "by"}


def _joinable(first: dict, second: dict, text: str, offset: int) -> re.Match[str] | None:
    """The opener before the first expression when the two make a range ("between X and Y", "from X to Y")."""
    if (
        first["sentence_id"] != second["sentence_id"]
        or {first["modifier"], second["modifier"]} & _OPEN_MODIFIERS
    ):
        return None
    if first["date_earliest"] is None or second["date_latest"] is None:
        return None
    if second["date_latest"] <= first["date_earliest"]:
        return None
    opener = _OPENER_BEFORE.search(text, 0, first["char_start"] - offset)
    if opener is None:
        return None
    gap = text[first["char_end"] - offset : second["char_start"] - offset]
    return opener if _OPENERS[opener.group(1).lower()].fullmatch(gap) else None


def join_ranges(rows: list[dict], sentences: dict[str, tuple[int, str]]) -> list[dict]:
    """Rows with each two-ended range joined into one, renumbered in text order; sentences maps a sentence
    ID to (char_start, text). Anchors that pointed at a joined half point at the joined row."""
    joined: list[dict] = []
    renamed: dict[str, str] = {}
    index = 0
    while index < len(rows):
        row = rows[index]
        following = rows[index + 1] if index + 1 < len(rows) else None
        offset, text = sentences[row["sentence_id"]]
        opener = _joinable(row, following, text, offset) if following else None
        if opener is None or following is None:
            joined.append(dict(row))
            index += 1
            continue
        start = offset + opener.start()
        precision = max(row["precision"], following["precision"], key=_PRECISIONS.index)
        notes = [n for n in (row["resolution_note"], following["resolution_note"]) if n]
        merged = dict(row)
        merged.update(
            char_start=start,
            char_end=following["char_end"],
            text=text[opener.start() : following["char_end"] - offset],
            expression_type="date_range",
            edtf=edtf_from_bounds(row["date_earliest"], following["date_latest"]),
            date_latest=following["date_latest"],
            precision=precision,
            is_relative=row["is_relative"] or following["is_relative"],
            anchor_time_expression_id=row["anchor_time_expression_id"]
            or following["anchor_time_expression_id"],
            resolution_note="; ".join(notes) or None,
        )
        renamed[following["time_expression_id"]] = row["time_expression_id"]
        joined.append(merged)
        index += 2
    numbers: dict[str, str] = {}
    for number, row in enumerate(joined, start=1):
        new_id = f"{row['document_id']}:t{number:03d}"
        numbers[row["time_expression_id"]] = new_id
        row["time_expression_id"] = new_id
    for old, kept in renamed.items():
        numbers[old] = numbers[kept]
    for row in joined:
        if row["anchor_time_expression_id"]:
            row["anchor_time_expression_id"] = numbers.get(row["anchor_time_expression_id"])
    return joined
