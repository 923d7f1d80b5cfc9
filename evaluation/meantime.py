"""Read the MEANTIME English corpus (NewsReader, CC BY 4.0) into text, sentences and gold annotations.

Each article is an XML file of tokens with TIMEX3 and EVENT_MENTION markables anchored to tokens. The text is
rebuilt from the tokens (a space between tokens, none before closing punctuation or after opening brackets),
so every token has character offsets the pipeline's spans can be compared with. The article's CREATION_TIME
timex is its document date; it is the dateline, not a time expression of the body, so it is not scored.
The tokens carry no paragraph breaks: the title, the dateline and the body are read as three paragraphs.
Only the first six sentences of each article are annotated, so only what the pipeline finds there is scored
(it reads the whole article).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

MEANTIME = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "meantime-en"
ANNOTATED_SENTENCES = 6
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "%", "'s", "’s", "n't", "'", "''"}
_NO_SPACE_AFTER = {"(", "[", "$", "``", "£", "€"}


@dataclass
class Timex:
    """A gold TIMEX3: its token span as character offsets, type and TimeML value."""

    start: int
    end: int
    text: str
    kind: str
    value: str


@dataclass
class EventMention:
    """A gold EVENT_MENTION: character span and the attributes that say whether it is a factual happening."""

    start: int
    end: int
    text: str
    pos: str
    tense: str
    polarity: str
    certainty: str
    time: str
    special: str

    @property
    def is_factual_past(self) -> bool:
        """A happening the text asserts took place: positive, certain, not future, not generic, a past
        or perfect verb or an event noun. These are the mentions the pipeline's events are meant to find."""
        if self.polarity != "POS" or self.certainty != "CERTAIN" or self.time == "FUTURE":
            return False
        if self.special != "NONE":
            return False
        return self.pos == "NOUN" or (self.pos == "VERB" and self.tense in {"PAST", "PASTPART", "PRESPERF"})


@dataclass
class Article:
    """One MEANTIME article: rebuilt text, a sentences table the pipeline reads, and gold markables."""

    document_id: str
    topic: str
    text: str
    document_date: str | None
    sentences: pl.DataFrame
    timexes: list[Timex] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    dateline: tuple[int, int] | None = None  # span of the creation-time timex (not scored)
    annotated_end: int = 0  # MEANTIME annotates an article's first six sentences (title, date, four more)


def _iso_date(value: str | None) -> str | None:
    """The creation time as YYYY-MM-DD: one MEANTIME file writes it DD-MM-YYYY ("03-02-2009" for an article
    dated February 03, 2009), which the pipeline would not read as a date at all."""
    if value and re.fullmatch(r"\d\d-\d\d-\d{4}", value):
        day, month, year = value.split("-")
        return f"{year}-{month}-{day}"
    return value


def read_article(path: Path) -> Article:
    """Parse one MEANTIME XML file; the error names the file when it is not MEANTIME XML."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        raise ValueError(f"{path}: not well-formed XML ({error})") from error
    document_id = f"meantime-{root.get('doc_id')}"
    spans: dict[str, tuple[int, int]] = {}
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    parts: list[str] = []
    length = 0
    previous = ""
    for token in root.iter("token"):
        word = token.text or ""
        sentence = int(token.get("sentence", "0"))
        if parts:
            new_sentence = sentence not in by_sentence
            glue = (
                "\n\n"
                if new_sentence
                else ("" if word in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER else " ")
            )
            parts.append(glue)
            length += len(glue)
        spans[token.get("t_id", "")] = (length, length + len(word))
        by_sentence.setdefault(sentence, []).append((length, length + len(word)))
        parts.append(word)
        length += len(word)
        previous = word
    text = "".join(parts)
    rows = []
    for number, offsets in sorted(by_sentence.items()):
        start, end = offsets[0][0], offsets[-1][1]
        rows.append(
            {
                "sentence_id": f"{document_id}:s{number:03d}",
                "document_id": document_id,
                "paragraph_id": f"{document_id}:p{min(number, 2):03d}",  # title, dateline, body
                "char_start": start,
                "char_end": end,
                "text": text[start:end],
            }
        )
    article = Article(document_id, path.parent.name, text, None, pl.DataFrame(rows))
    annotated = [row["char_end"] for row in rows[:ANNOTATED_SENTENCES]]
    article.annotated_end = annotated[-1] if annotated else 0
    markables = root.find("Markables")
    for element in markables if markables is not None else []:
        anchors = [spans[a.get("t_id", "")] for a in element.findall("token_anchor")]
        if not anchors:
            continue  # an implicit timex (no tokens): nothing in the text to find
        start, end = min(a[0] for a in anchors), max(a[1] for a in anchors)
        if element.tag == "TIMEX3":
            if element.get("functionInDocument") == "CREATION_TIME":
                article.document_date = _iso_date(element.get("value"))
                article.dateline = (start, end)
                continue
            article.timexes.append(
                Timex(start, end, text[start:end], element.get("type", ""), element.get("value", ""))
            )
        elif element.tag == "EVENT_MENTION":
            article.events.append(
                EventMention(
                    start,
                    end,
                    text[start:end],
                    element.get("pos", ""),
                    element.get("tense", ""),
                    element.get("polarity", ""),
                    element.get("certainty", ""),
                    element.get("time", ""),
                    element.get("special_cases", ""),
                )
            )
    return article


def articles(root: Path = MEANTIME) -> list[Article]:
    """Every article under the corpus's topic folders, in folder and file order."""
    return [read_article(path) for path in sorted(root.glob("corpus_*/*.xml"))]
