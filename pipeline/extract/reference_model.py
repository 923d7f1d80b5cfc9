"""The trained reference parser: a linear-chain CRF (python-crfsuite) that labels the tokens of a reference.

Training data are AnyStyle's labelled references (BSD-2-Clause, see models/reference-crf/README.md): each
``<sequence>`` is one reference cut into labelled segments. AnyStyle's labels are mapped onto fewer model
labels (journal and container-title are both a container, url/doi/isbn are identifiers ...); the labelled
tokens are then turned into the project's citation fields (authors as "Given Family; ..." lists, year, pages
without "pp." ...). The model is a committed artefact; the build only loads it, never trains.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from itertools import compress
from operator import ne
from pathlib import Path
from typing import Any

from pipeline.extract import archival
from pipeline.extract.reference_dates import is_date, to_edtf
from pipeline.extract.reference_features import (
    FEATURE_SET_VERSION,
    FeatureReader,
    sequence_features,
    tokenize,
)
from pipeline.extract.reference_relabel import relabel
from pipeline.paths import REPO_ROOT

MODEL_DIR = REPO_ROOT / "models" / "reference-crf"
MODEL_FILE = MODEL_DIR / "model.crfsuite"
MODEL_INFO = MODEL_DIR / "model.json"
MERGE_POLICY = MODEL_DIR / "merge-policy.json"

# AnyStyle label -> model label. Labels not listed are "other".
ANYSTYLE_LABELS = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "title": "title",
    "container-title": "container",
    "journal": "container",
    "collection-title": "series",
    "location": "place",
    "publisher": "publisher",
    "date": "date",
    "volume": "volume",
    "pages": "pages",
    "note": "note",
    "edition": "edition",
    "citation-number": "number",
    "url": "identifier",
    "doi": "identifier",
    "isbn": "identifier",
    "identifier": "identifier",
    "source": "note",
    "genre": "genre",
    "medium": "genre",
    "signal": "signal",
    "director": "author",
    "producer": "author",
    "archive": "archive",
    "shelfmark": "shelfmark",
}
# Evaluation field -> the project field(s) that carry it; rules and model are combined per evaluation field.
SCORED = {
    "author": ("authors",),
    "title": ("title",),
    "container": ("container_title",),
    "editor": ("editors",),
    "place": ("place",),
    "publisher": ("publisher",),
    "date": ("year",),
    "volume": ("volume",),
    "pages": ("pages",),
    "note": ("note",),
    "archive": ("archive",),
    "shelfmark": ("collection", "box", "record_group", "file_number", "folio"),
}
# Evaluation fields compared as a bag of words: names (given/family order is style) and shelf marks (the
# rules and the model may fill their columns in another order than the reference prints them).
BAG_OF_WORDS = ("author", "editor", "shelfmark")
SCORED_SOURCES = frozenset(source for sources in SCORED.values() for source in sources)
POLICIES = ("rules", "model", "rules_then_model", "model_then_rules", "clean_rules_else_model")
# Fixed training parameters: L-BFGS is deterministic, so the same data give a byte-identical model.
TRAINING_PARAMS = {
    "c1": 0.5,
    "c2": 0.01,
    "max_iterations": 120,
    "feature.possible_transitions": True,
    "feature.minfreq": 1,
}


class TrainingDataError(ValueError):
    """A training file that is not AnyStyle's labelled XML."""


@dataclass
class LabelledReference:
    """One reference of the training data: its text and one label per white-space token."""

    text: str
    labels: list[str]
    source: str


def read_anystyle(path: Path) -> list[LabelledReference]:
    """The references of one AnyStyle XML file, each token labelled with its model label."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        raise TrainingDataError(f"{path}: not readable as XML ({error})") from error
    if root.tag != "dataset":
        raise TrainingDataError(f"{path}: root element is <{root.tag}>, expected <dataset>")
    references = []
    for number, sequence in enumerate(root.iter("sequence"), start=1):
        pieces, labels = [], []
        for segment in sequence:
            text = " ".join((segment.text or "").split())
            if not text:
                continue
            pieces.append(text)
            labels += [ANYSTYLE_LABELS.get(segment.tag, "other")] * len(text.split())
        if not pieces:
            raise TrainingDataError(f"{path}: <sequence> number {number} has no labelled text")
        references.append(LabelledReference(" ".join(pieces), labels, f"{path.name}#{number}"))
    if not references:
        raise TrainingDataError(f"{path}: no <sequence> elements")
    return references


def data_sha256(paths: list[Path]) -> str:
    """One digest over the training files (names and bytes), to tie a model to its data."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def train(references: list[LabelledReference], model_path: Path) -> None:
    """Train the CRF on the references and write it to model_path (deterministic for the same input)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for reference in references:
        trainer.append(sequence_features(reference.text), reference.labels)
    trainer.set_params(TRAINING_PARAMS)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))


@dataclass(slots=True)
class Labelling:
    """The model's reading of one reference: token spans, labels, the labelling's probability, and each
    token's marginal probability (empty unless asked for)."""

    text: str
    spans: list[tuple[int, int]]
    labels: list[str]
    marginals: list[float]
    probability: float

    def segments(self) -> list[tuple[str, int, int, float]]:
        """Runs of tokens with the same label: (label, start, end, lowest token marginal in the run)."""
        labels, spans, marginals = self.labels, self.spans, self.marginals
        if not labels:
            return []
        firsts = [0, *compress(range(1, len(labels)), map(ne, labels[1:], labels))]  # where a label changes
        ends = [*firsts[1:], len(labels)]
        return [
            (labels[a], spans[a][0], spans[b - 1][1], min(marginals[a:b]) if marginals else 1.0)
            for a, b in zip(firsts, ends, strict=True)
        ]


# How the attributes' block of a CRFsuite text dump starts: one "<index>: <attribute>" line each follows.
ATTRIBUTES_BLOCK = "ATTRIBUTES = {\n"


def model_attributes(tagger: Any) -> frozenset[str]:
    """The attributes an open CRFsuite tagger knows, read from the ATTRIBUTES block of its text dump
    (``tagger.info()`` parses every weight of the dump in Python too, which takes six times as long)."""
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "model.txt"
        tagger.dump(str(dump))
        text = dump.read_text(encoding="utf-8")
    start = text.index(ATTRIBUTES_BLOCK) + len(ATTRIBUTES_BLOCK)
    block = text[start : text.index("\n}\n", start)]
    return frozenset(line.split(": ", 1)[1] for line in block.split("\n") if line)


class ReferenceModel:
    """A loaded CRF tagger."""

    def __init__(self, model_path: Path = MODEL_FILE) -> None:
        import pycrfsuite

        if not model_path.exists():
            raise FileNotFoundError(
                f"{model_path}: reference model missing; run `papers-dataset references train`"
            )
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model_path))
        self.features = FeatureReader(model_attributes(self.tagger))

    def label(
        self, text: str, italics: list[tuple[int, int]] | None = None, marginals: bool = False
    ) -> Labelling:
        """The most likely labels, their probability, and (when asked: it costs) each token's marginal."""
        spans = tokenize(text)
        if not spans:
            return Labelling(text, [], [], [], 1.0)
        tagger = self.tagger
        tagger.set(sequence_features(text, italics, spans, self.features))
        labels = tagger.tag()
        token_marginals = (
            [tagger.marginal(label, index) for index, label in enumerate(labels)] if marginals else []
        )
        probability = tagger.probability(labels)
        labels = relabel(text, spans, labels)
        return Labelling(text, spans, labels, token_marginals, probability)


@cache
def shipped_model() -> ReferenceModel:
    """The committed model, loaded once per process."""
    return ReferenceModel(MODEL_FILE)


@cache
def shipped_merge_policy() -> dict[str, str]:
    """Rules, model or a combination, per evaluation field, as measured (see merge-policy.json)."""
    shipped_model_info()
    policy = json.loads(MERGE_POLICY.read_text(encoding="utf-8"))["policy"]
    unknown = {
        name: choice for name, choice in policy.items() if name not in SCORED or choice not in POLICIES
    }
    if unknown:
        raise ValueError(f"{MERGE_POLICY}: unknown fields or policies {unknown}")
    return policy


@cache
def shipped_model_info() -> dict[str, Any]:
    """The JSON beside the committed model: data hash, feature set, held-out scores."""
    info = json.loads(MODEL_INFO.read_text(encoding="utf-8"))
    if info.get("feature_set_version") != FEATURE_SET_VERSION:
        raise ValueError(
            f"{MODEL_INFO}: model was trained with feature set {info.get('feature_set_version')}, "
            f"the code has {FEATURE_SET_VERSION}; run `papers-dataset references train`"
        )
    return info


# ---------------------------------------------------------------- labelled tokens -> project fields

EDGE = " .,;:()[]“”\"'‘’«»*†"
EDITOR_WORDS = re.compile(
    r"\(?\b(?:eds?|editors?|edited(?:\s+by)?|hrsg|hg|a\s+cura\s+di|éds?|dir|comps?|compiled(?:\s+by)?)\b\.?\)?"
    r"(?:\s+by)?",
    re.I,
)
TRANSLATOR_WORDS = re.compile(r"\(?\b(?:trans|transl|translated(?:\s+by)?|tr|trad)\b\.?\)?(?:\s+by)?", re.I)
CONTAINER_LEAD = re.compile(r"^(?:in|in:|dans|en|im)\s+", re.I)
# The word before a locator ("pp.", "pagg.", "S."), never the first letters of a longer word.
PAGES_LEAD = re.compile(r"^(?:pp|pagg|pag|pages|page|pgs|pg|p|ss|S)\.?(?![^\W\d_])\s*", re.I)
FOLIO_LEAD = re.compile(r"^(?:ff|fols?|f|cc|c|carte|carta|Bl)\.?\s*\d", re.I)
VOLUME_LEAD = re.compile(r"^(?:vols?|volume|Bd|t|tome|tomo|v)\.?\s*", re.I)
ISSUE = re.compile(r"(?:\(|,?\s*(?:no|nos|n|nr|issue|heft|fasc)\.?\s*)(\w+(?:[-–/]\w+)?)\)?", re.I)
YEAR = re.compile(r"\b(1[4-9]\d\d|20\d\d)(?:\s*[-–/]\s*(\d{2,4}))?[a-z]?\b")
QUOTED_LEAD = re.compile(r"^((?:(?:in|in:|dans|en|im)\s+)?(?:«[^»]+»|“[^”]+”|\"[^\"]+\"))[,.;:]?\s+\S", re.I)
YEAR_SPAN = re.compile(r"(1[4-9]\d\d|20\d\d)\s*[-–]\s*(\d\d|1[4-9]\d\d|20\d\d)")
ET_AL = re.compile(r",?\s*\bet\s+al\b\.?,?", re.I)
GIVEN = re.compile(r"^(?:(?:[A-Z][a-z]?\.\s*-?)+|[A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.\s*)+)?|(?:[A-Z]\s*)+)$")
SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?$")
NAME_SEPARATOR = re.compile(r"\s+(?:and|&|und|et|e|y)\s+|\s*&\s*|;\s*")
# An initial ("J.") or "Jr." whose period belongs to the name.
KEEPS_PERIOD = re.compile(r"(?:^|[\s.\-])[A-Z]\.$|\b(?:Jr|Sr)\.$")


def clean(text: str) -> str:
    """A field value without the punctuation and quotation marks around it."""
    text = " ".join(text.split()).strip(EDGE)
    if text.count("(") > text.count(")"):
        text = text.replace("(", "", 1).strip()
    return text


def split_names(text: str) -> tuple[list[str], bool]:
    """Personal names in "Given Family" order from a printed author list, and whether it ends in et al."""
    et_al = False
    if "et" in text.lower():  # ET_AL tries every position of the text: only when its word is there
        text, et_al_count = ET_AL.subn("", text)
        et_al = et_al_count > 0
    text = NAME_SEPARATOR.sub(" ; ", text.strip(" ,;:"))
    names: list[str] = []
    for group in text.split(" ; "):
        parts = [_name_part(part) for part in group.split(",")]
        parts = [part for part in parts if part]
        index = 0
        while index < len(parts):
            part = parts[index]
            following = parts[index + 1] if index + 1 < len(parts) else None
            if following and SUFFIX.match(following):
                names.append(f"{part}, {following}")
                index += 2
                continue
            if following and " " not in part.replace("- ", "-") and GIVEN.match(following):
                names.append(f"{following} {part}")
                index += 2
            else:
                names.append(part)
                index += 1
    return [" ".join(name.split()) for name in names if name], et_al


def _name_part(text: str) -> str:
    """A piece of a name list without the punctuation around it, keeping the period of an initial."""
    text = text.strip(" ,;:()[]“”\"'‘’*†")
    if text.endswith(".") and not KEEPS_PERIOD.search(text):
        text = text[:-1]
    return text


def _quoted_part(text: str) -> str:
    """A container that opens a quotation ends where the quotation closes ("in «Archivio storico
    italiano», ser. 1" is the journal "Archivio storico italiano"; what follows is not its title)."""
    match = QUOTED_LEAD.match(text)
    return match.group(1) if match else text


def _is_year_span(text: str) -> bool:
    """ "1901-1936", "1953-54": two years, the second later, with no page word before them."""
    match = YEAR_SPAN.fullmatch(text)
    if not match:
        return False
    first, second = match.group(1), match.group(2)
    return (second if len(second) == 4 else first[:2] + second) > first


def _volume_issue(text: str) -> tuple[str | None, str | None]:
    text = " ".join(text.split()).strip(" .,;:")
    issue_match = ISSUE.search(text)
    issue = issue_match.group(1) if issue_match else None
    volume_text = text[: issue_match.start()] if issue_match else text
    volume = clean(VOLUME_LEAD.sub("", clean(volume_text), count=1))
    return volume or None, issue


Segments = list[tuple[str, int, int, float]]


def to_fields(labelling: Labelling, segments: Segments | None = None) -> dict[str, Any]:
    """Project fields from a labelling: the first run of each label (later runs of authors are added)."""
    texts: dict[str, list[str]] = {}
    for label, start, end, _ in segments if segments is not None else labelling.segments():
        texts.setdefault(label, []).append(labelling.text[start:end])
    values: dict[str, Any] = {}
    if "author" in texts:
        names, et_al = split_names(" and ".join(texts["author"]))
        if names:
            values["authors"] = "; ".join(names)
            values["authors_as_printed"] = clean(" ".join(texts["author"]))
        if et_al:
            values["et_al"] = True
    if "editor" in texts:
        names, _ = split_names(EDITOR_WORDS.sub(" ", " and ".join(texts["editor"])))
        if names:
            values["editors"] = "; ".join(names)
    for label, name in (("title", "title"), ("place", "place"), ("publisher", "publisher")):
        if label in texts and (value := clean(texts[label][0])):
            values[name] = value
    if "container" in texts:
        container = clean(CONTAINER_LEAD.sub("", clean(_quoted_part(texts["container"][0]))))
        if container:
            values["container_title"] = container
    if "date" in texts and (year := YEAR.search(texts["date"][0])):
        values["year"] = year.group(0)
        if is_date(date := clean(texts["date"][0])):
            values["item_date"] = to_edtf(date)
    if "volume" in texts:
        volume, issue = _volume_issue(texts["volume"][0])
        if volume:
            values["volume"] = volume
        if issue:
            values["issue"] = issue
    if "pages" in texts:
        printed = clean(texts["pages"][0])
        if FOLIO_LEAD.match(printed) and (folio := archival.archival_part(printed)) and folio[0] == "folio":
            values["folio"] = folio[1]
        elif "year" not in values and _is_year_span(printed):
            values["year"] = printed  # "Milano, 1901-1936": the years of a work in volumes, not pages
        elif pages := clean(PAGES_LEAD.sub("", printed, count=1)):
            values["pages"] = pages
    if "archive" in texts and (archive := clean(texts["archive"][0])):
        values["archive"] = archive
    if "shelfmark" in texts:
        for column, value in archival.read_shelf_mark(" , ".join(texts["shelfmark"])).items():
            values.setdefault(column, value)
    if "edition" in texts:
        values["edition"] = clean(texts["edition"][0])
    notes = texts.get("note", [])
    if notes and "title" not in values and "container_title" not in values and (title := clean(notes[0])):
        values["title"] = title  # every work has a title: the model's first note is it ("Diarii (voi. I)")
        notes = notes[1:]
    if notes:
        values["note"] = clean(" ".join(notes))
    return values


def field_confidence(labelling: Labelling) -> dict[str, float]:
    """Per model label, the lowest token marginal among its tokens (how sure the model is of that field)."""
    confidence: dict[str, float] = {}
    for label, _, _, marginal in labelling.segments():
        confidence[label] = min(confidence.get(label, 1.0), marginal)
    return confidence


def write_info(path: Path, info: dict[str, Any]) -> None:
    path.write_text(json.dumps(info, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- combining with the rules


def merge(
    rules: dict[str, Any], model: dict[str, Any], policy: dict[str, str], rules_clean: bool
) -> dict[str, Any]:
    """Per project field, the value the policy picks (issue and edition, which no evaluation field covers,
    keep the rules' value and take the model's when the rules have none).

    rules_clean says the rules read the whole reference (no piece left over); "clean_rules_else_model"
    keeps the rules' reading then, and takes the model's otherwise.
    """
    merged = dict(rules)
    for name, sources in SCORED.items():
        choice = policy.get(name, "rules")
        if choice == "clean_rules_else_model":
            choice = "rules" if rules_clean else "model"
        first, second = (rules, model) if choice in ("rules", "rules_then_model") else (model, rules)
        falls_back = choice in ("rules_then_model", "model_then_rules")
        for source in sources:
            value = first.get(source)
            if value in (None, "") and falls_back:
                value = second.get(source)
            if value in (None, ""):
                merged.pop(source, None)
            else:
                merged[source] = value
    for name in ("issue", "edition", "item_date"):
        if name not in SCORED_SOURCES and merged.get(name) in (None, "") and model.get(name):
            merged[name] = model[name]
    # The printed form of the names goes with the reading whose names were kept.
    printed_by = rules if merged.get("authors") == rules.get("authors") else model
    if merged.get("authors") and printed_by.get("authors_as_printed"):
        merged["authors_as_printed"] = printed_by["authors_as_printed"]
    else:
        merged.pop("authors_as_printed", None)
    if "authors" in merged and merged.get("authors") == model.get("authors") and model.get("et_al"):
        merged["et_al"] = True
    return merged


def is_clean(parsed: Any) -> bool:
    """The rules read every piece of the reference and found what it is."""
    return (
        not parsed.unparsed
        and parsed.reference_type is not None
        and bool(
            parsed.values.get("title")
            or parsed.values.get("container_title")
            or parsed.reference_type in ("ibid", "short_form", "interview")
            or parsed.reference_type.startswith("archival")
        )
    )
