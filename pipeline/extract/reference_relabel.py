"""Corrections to the sequence model's labels that read more of the reference than its features see.

The CRF sees a few tokens either side of each token; some footnote conventions are plain only over a longer
stretch: a container after ", in" that the model runs into the title, quoted ("Titolo, in «Archivio
veneto»") or not, a Roman volume number standing as a piece of its own ("Cronache lombarde, III, Milano"),
and a publisher after "Place," that the model reads as more place ("Venezia, Marsilio, 1990"). Each is
tried only where a cheap test of the text says it may apply.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.extract.reference_features import CLOSING_QUOTES, OPENING_QUOTES
from pipeline.vocab import load_mapping


def relabel(text: str, spans: list[tuple[int, int]], labels: list[str]) -> list[str]:
    """The model's labels with the corrections below applied, in order."""
    if any(map(text.__contains__, OPENING_QUOTES)) and LEAD_AND_QUOTATION.search(text):
        labels = quoted_container_after_title(text, spans, labels)
    if "in" in text and LEAD_AND_CAPITAL.search(text):
        labels = unquoted_container_after_title(text, spans, labels)
    if ROMAN_PIECE.search(text):
        labels = roman_volume_after_title(text, spans, labels)
    if "place" in labels:
        labels = publisher_after_place(text, spans, labels)
    return labels


CONTAINER_LEADS = frozenset(("in", "in:", "In", "In:", "dans", "im", "en"))
# Where quoted_container_after_title may change something: a lead word after a comma or period, then a
# quotation (most references have none, and skip the token loop).
LEAD_AND_QUOTATION = re.compile(r"[,.]\s+(?:[Ii]n:?|dans|im|en)\s+[“\"„«‘]")
# How far a container's quotation may run before it is taken for something else.
QUOTED_CONTAINER_TOKENS = 20


def quoted_container_after_title(text: str, spans: list[tuple[int, int]], labels: list[str]) -> list[str]:
    """A title the model runs on through ", in «Journal»" or ", in “Volume”" ends before "in": the lead
    word and the quotation after it are the container.

    The English training sources put a title in quotation marks ("Smith, J. “Title.” Journal"), so the
    model reads a footnote's "Titolo, in «Archivio veneto», XII" as one title when the title itself is not
    quoted. In the labelled references a lead word after a comma or period followed by a quotation is the
    container 163 times in 170 (AnyStyle, GROBID, Linked Books). Only the tokens up to the closing quotation
    mark, all labelled title, are relabelled.
    """
    tokens = [text[a:b] for a, b in spans]
    relabelled = labels
    for index in range(1, len(tokens) - 1):
        if (
            tokens[index] in CONTAINER_LEADS
            and tokens[index - 1][-1] in ",."
            and tokens[index + 1][0] in OPENING_QUOTES
            and labels[index - 1] == "title"
            and labels[index] == "title"
        ):
            for end in range(index + 1, min(len(tokens), index + 1 + QUOTED_CONTAINER_TOKENS)):
                if labels[end] != "title":
                    break
                if len(tokens[end]) > 1 and tokens[end].rstrip(".,;:").endswith(CLOSING_QUOTES):
                    relabelled = [
                        *relabelled[:index],
                        *["container"] * (end + 1 - index),
                        *relabelled[end + 1 :],
                    ]
                    break
    return relabelled


# An unquoted container after ", in" ("Titolo, in La civiltà veneziana, Firenze 1955"): where the
# labelled references' titles hold ", in" and a capital, 7 in 15,600, it is the container nearly always.
LEAD_AND_CAPITAL = re.compile(r",\s+[Ii]n:?\s+[A-ZÀ-Þ]")
UNQUOTED_CONTAINER_LEADS = frozenset(("in", "in:", "In", "In:"))


def unquoted_container_after_title(text: str, spans: list[tuple[int, int]], labels: list[str]) -> list[str]:
    """A title the model runs on through ", in Volume" ends before "in": the lead word and the rest of the
    title run are the container.

    Where an unquoted container ends is not marked, so the model's own end of the run is kept. The English
    sources' ", in" opens an editor as often as a container ("in J. Smith (ed.), Book"); the model labels
    those editors, and only a run it labelled title throughout is relabelled. Where the model labelled a
    container elsewhere, "in" is left in the title ("..., in Rheumatoid Arthritis Patients. Journal"),
    unless that container goes on from the run after a comma.
    """
    tokens = [text[a:b] for a, b in spans]
    for index in range(1, len(tokens) - 1):
        if (
            tokens[index] in UNQUOTED_CONTAINER_LEADS
            and tokens[index - 1].endswith(",")
            and tokens[index + 1][:1].isupper()
            and labels[index - 1] == labels[index] == labels[index + 1] == "title"
        ):
            end = index
            while end < len(tokens) and labels[end] == "title":
                end += 1
            if "container" in labels and not _continues_into_container(tokens, labels, end):
                return labels  # the model found the container elsewhere: "in" belongs to the title
            return [*labels[:index], *["container"] * (end - index), *labels[end:]]
    return labels


def _continues_into_container(tokens: list[str], labels: list[str], end: int) -> bool:
    """Whether the container the model found goes on from the title run ending before ``end``: it follows
    a comma, without a lead word or quotation of its own ("in Atti del convegno, | Spoleto 1990")."""
    return (
        end < len(tokens)
        and labels[end] == "container"
        and tokens[end - 1].endswith(",")
        and tokens[end] not in CONTAINER_LEADS
        and tokens[end][:1] not in OPENING_QUOTES
        and labels.count("container") == sum(1 for label in labels[end:] if label == "container")
    )


# A Roman numeral that is a comma piece of its own ("Le imprese illustri, IV, Venezia", "«Rivista», XII.").
ROMAN_PIECE = re.compile(r"(?:,|[»”][.,])\s+[IVXLC]+[,.]")
ROMAN_TOKEN = re.compile(r"^[IVXLC]+[,.]$")
# What the token before such a piece ends with: a comma, or a closing quotation and a period ("«Rivista».");
# not a period alone ("sec. XIII", "Phys. Rev. X").
ROMAN_BEFORE = re.compile(r"(?:,|[»”][.,])$")


def roman_volume_after_title(text: str, spans: list[tuple[int, int]], labels: list[str]) -> list[str]:
    """A Roman numeral that stands as a piece of its own at the end of a title's or container's run is the
    volume ("Storia di Venezia, III, Roma 1990"): the model, which reads Roman numerals inside titles ("Enrico
    IV"), keeps it in the run. Within a name ("Pio IX,") or after an abbreviation ("sec. XIII", "Phys. Rev.
    X") it follows no comma and stays."""
    tokens = [text[a:b] for a, b in spans]
    relabelled = labels
    for index in range(1, len(tokens)):
        if (
            labels[index] in ("title", "container")
            and ROMAN_TOKEN.match(tokens[index])
            and ROMAN_BEFORE.search(tokens[index - 1])
            and labels[index - 1] == labels[index]
            and (index + 1 == len(tokens) or labels[index + 1] != labels[index])
        ):
            relabelled = [*relabelled[:index], "volume", *relabelled[index + 1 :]]
    return relabelled


@cache
def _place_words() -> tuple[frozenset[str], frozenset[str]]:
    """The place and region word classes of vocab/reference_words.yaml (lower case)."""
    words = load_mapping("reference_words")
    return (
        frozenset(str(word).lower() for word in words["place"]),
        frozenset(str(word).lower() for word in words["region"]),
    )


WORD = re.compile(r"[^\W\d_][\w'’.\-]*")
# "NY", "D.C.", "MA": a state's or country's code after a place.
CODE = re.compile(r"^(?:[A-Z]\.?){1,3}$")
# "Tex.", "Ill.", "Calif.": one short word with its period after a place is a region's abbreviation.
ABBREVIATED_REGION = re.compile(r"^[A-Z][a-z]{1,4}\.[,;:)]?$")


def publisher_after_place(text: str, spans: list[tuple[int, int]], labels: list[str]) -> list[str]:
    """A place run the model read as "Place, Name" where Place is a known publishing place and Name is no
    region, code or other place: Name is the publisher ("Venezia, Marsilio, 1990", "Firenze, Sansoni").

    The English sources put a region after "Place," ("Cambridge, MA", "Paris, France"), which the model
    learnt; footnote styles of Italian, French, German and Spanish scholarship write the publisher there.
    A run that ends with a colon is all place ("Cambridge, United Kingdom: Press"): the publisher follows;
    so is a run in a reference whose publisher the model found elsewhere ("Press, London, United Kingdom"),
    and a short abbreviation after the comma ("Austin, Tex.") is a region.
    """
    if "publisher" in labels:  # the model found the publisher: what follows "Place," is more place
        return labels
    last = len(labels) - 1
    if not any(
        labels[k] == "place" == labels[k + 1] and text[spans[k][1] - 1] == "," for k in range(last)
    ):  # no place run holds a comma (most references): nothing to cut
        return labels
    places, regions = _place_words()
    tokens = [text[a:b] for a, b in spans]
    relabelled = labels
    index = 0
    while index < len(tokens):
        if labels[index] != "place":
            index += 1
            continue
        end = index
        while end < len(tokens) and labels[end] == "place":
            end += 1
        cut = next((k for k in range(index, end - 1) if tokens[k].endswith(",")), None)
        if cut is not None and not tokens[end - 1].endswith(":"):  # "Evanston, Ill.: Regency"
            head = [w.lower().strip(".") for w in WORD.findall(" ".join(tokens[index : cut + 1]))]
            tail = tokens[cut + 1 : end]
            tail_words = [w.lower().strip(".") for w in WORD.findall(" ".join(tail))]
            if (
                head
                and all(word in places for word in head)
                and tail_words
                and tail[0][:1].isupper()
                and not any(word in places or word in regions for word in tail_words)
                and not CODE.match(tail[0].strip(",.;:"))
                and not ABBREVIATED_REGION.match(" ".join(tail))
            ):
                relabelled = [*relabelled[: cut + 1], *["publisher"] * (end - cut - 1), *relabelled[end:]]
        index = end
    return relabelled
