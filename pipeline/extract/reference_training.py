"""Training the reference model, measuring it on held-out references, and choosing rules or model per field.

``papers-dataset references train`` runs this: it trains a development model on every training file but
AnyStyle gold (AnyStyle core + good, GROBID's corpus, Linked Books), parses the held-out file (AnyStyle
gold, less the references that also occur verbatim in the development files) with the rules, the model
and every way of combining them, then trains the shipped model on all files. The model JSON records the
training data hash, feature set, parameters, attribution and the held-out scores. Which combination each
field uses (merge-policy.json beside the model) is chosen by ``python -m evaluation.reference_scoring
--write-policy`` from these scores and the footnote fixture.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.extract import reference_model as rm
from pipeline.extract.reference_features import FEATURE_SET_VERSION
from pipeline.extract.reference_model import POLICIES, SCORED, is_clean, merge

DEV_TRAIN_FILES = ("anystyle-core.xml", "anystyle-good.xml")
DEV_TEST_FILE = "anystyle-gold.xml"
# The training sources, each a set of files from one project (see the README beside the data): the
# cross-source split trains on all but one and tests on that one.
SOURCES = {
    "anystyle": ("anystyle-core.xml", "anystyle-gold.xml", "anystyle-good.xml"),
    "grobid": ("grobid-citations.xml",),
    "linkedbooks": ("linkedbooks-valid-test.xml",),
}
SOURCE_ATTRIBUTION = {
    "anystyle": "AnyStyle parser data (inukshuk/anystyle @ c6f5fb2), BSD-2-Clause, "
    "Copyright 2011-2023 Sylvester Keil: LICENSE-anystyle",
    "grobid": "GROBID citation training corpus (kermitt2/grobid @ b8d6bec), annotated data CC BY 4.0, "
    "the GROBID project",
    "linkedbooks": "Linked Books annotated references (dhlab-epfl/LinkedBooksDeepReferenceParsing "
    "@ 9411db4), CC BY 4.0, Giovanni Colavizza and Matteo Romanello",
}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class FieldScores:
    fields: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in SCORED})

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.fields.values():
            total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
        return total

    def as_dict(self) -> dict[str, Any]:
        return {name: counts.as_dict() for name, counts in [*self.fields.items(), ("micro", self.micro)]}


def normalise(name: str, value: str | None) -> str:
    """Compare values as lower-case ASCII words; names as a bag of words (order of given/family is style)."""
    if not value:
        return ""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    if name in rm.BAG_OF_WORDS:
        words = sorted(w for w in words if w not in ("and", "et", "al"))
    if name == "date":
        match = re.search(r"\b\d{4}\b", ascii_text)
        return match.group() if match else ""
    return " ".join(words)


def evaluation_values(values: dict[str, Any]) -> dict[str, str]:
    """The evaluation fields of a set of project fields, normalised."""
    out = {}
    for name, sources in SCORED.items():
        text = " ".join(str(values[s]) for s in sources if values.get(s))
        if normalised := normalise(name, text):
            out[name] = normalised
    return out


def score(gold: list[dict[str, Any]], predicted: list[dict[str, Any]], scores: FieldScores) -> None:
    """Exact match after normalisation, field by field (GROBID-style micro F1)."""
    for want_values, have_values in zip(gold, predicted, strict=True):
        want, have = evaluation_values(want_values), evaluation_values(have_values)
        for name, counts in scores.fields.items():
            expected, actual = want.get(name), have.get(name)
            if expected and actual == expected:
                counts.tp += 1
                continue
            if expected:
                counts.fn += 1
            if actual:
                counts.fp += 1


def gold_fields(reference: rm.LabelledReference) -> dict[str, Any]:
    spans = rm.tokenize(reference.text)
    labelling = rm.Labelling(reference.text, spans, reference.labels, [1.0] * len(spans), 1.0)
    return rm.to_fields(labelling)


def evaluate(model: rm.ReferenceModel, references: list[rm.LabelledReference]) -> dict[str, Any]:
    """Held-out scores of the rules, the model, and each way of combining them (one policy for all fields)."""
    from pipeline.extract.citations import parse_reference

    gold = [gold_fields(reference) for reference in references]
    model_values = [rm.to_fields(model.label(reference.text)) for reference in references]
    rule_parses = [parse_reference(reference.text, []) for reference in references]
    rule_values = [(parsed.values, is_clean(parsed)) for parsed in rule_parses]
    by_policy: dict[str, FieldScores] = {}
    for policy in POLICIES:
        scores = FieldScores()
        chosen = dict.fromkeys(SCORED, policy)
        score(
            gold,
            [merge(r, m, chosen, c) for (r, c), m in zip(rule_values, model_values, strict=True)],
            scores,
        )
        by_policy[policy] = scores
    return {"references": len(references), **{policy: by_policy[policy].as_dict() for policy in POLICIES}}


def held_out(data_dir: Path) -> tuple[list[rm.LabelledReference], list[rm.LabelledReference]]:
    """Development training references (every file found but AnyStyle gold), and AnyStyle gold less the
    references that occur verbatim among them."""
    names = [name for names in SOURCES.values() for name in names if name != DEV_TEST_FILE]
    train = [ref for name in names if (data_dir / name).exists() for ref in rm.read_anystyle(data_dir / name)]
    seen = {reference.text for reference in train}
    test = [ref for ref in rm.read_anystyle(data_dir / DEV_TEST_FILE) if ref.text not in seen]
    return train, test


def source_references(data_dir: Path, source: str) -> list[rm.LabelledReference]:
    """Every reference of one training source, in file order."""
    return [ref for name in SOURCES[source] for ref in rm.read_anystyle(data_dir / name)]


def cross_source(
    data_dir: Path, held_out_source: str
) -> tuple[list[rm.LabelledReference], list[rm.LabelledReference]]:
    """Training references of every other source, and the held-out source's references that do not occur
    verbatim among them (the figure that predicts references from a source the model has never seen)."""
    train = [
        ref for source in SOURCES if source != held_out_source for ref in source_references(data_dir, source)
    ]
    seen = {reference.text for reference in train}
    test = [ref for ref in source_references(data_dir, held_out_source) if ref.text not in seen]
    return train, test


def within_source(
    data_dir: Path, source: str
) -> tuple[list[rm.LabelledReference], list[rm.LabelledReference]]:
    """Every other source and the first half of one source (in file order) to train on, the second half
    (less references found verbatim in the training part) to test: what a model that has seen a source's
    conventions does on more references of that source (the shipped model has seen all three)."""
    own = source_references(data_dir, source)
    half = len(own) // 2
    train = [ref for other in SOURCES if other != source for ref in source_references(data_dir, other)]
    train += own[:half]
    seen = {reference.text for reference in train}
    return train, [ref for ref in own[half:] if ref.text not in seen]


def training_files(data_dir: Path) -> list[Path]:
    """The files of the sources found in data_dir (AnyStyle's development files at least)."""
    missing = [name for name in (*DEV_TRAIN_FILES, DEV_TEST_FILE) if not (data_dir / name).exists()]
    if missing:
        raise rm.TrainingDataError(f"{data_dir / missing[0]}: training file missing")
    return [data_dir / name for names in SOURCES.values() for name in names if (data_dir / name).exists()]


def train_and_ship(
    data_dir: Path, out_dir: Path = rm.MODEL_DIR, limit: int | None = None, keep_dev: Path | None = None
) -> dict[str, Any]:
    """The whole training command: dev model and held-out scores, then the shipped model on every file.

    limit keeps only the first references of each file (for quick, still deterministic, runs in tests);
    keep_dev moves the development model there instead of deleting it (evaluation.reference_scoring
    --dev-model then chooses the merge policy without training it again).
    """
    files = training_files(data_dir)
    train, test = held_out(data_dir)
    if limit is not None:
        train, test = train[:limit], test[: max(1, limit // 4)]
    out_dir.mkdir(parents=True, exist_ok=True)
    dev_path = out_dir / "dev-model.crfsuite"
    rm.train(train, dev_path)
    dev = evaluate(rm.ReferenceModel(dev_path), test)
    if keep_dev is not None:
        dev_path.replace(keep_dev)
    else:
        dev_path.unlink()
    everything = [ref for path in files for ref in rm.read_anystyle(path)]
    if limit is not None:
        everything = everything[:limit]
    rm.train(everything, out_dir / rm.MODEL_FILE.name)
    info = model_info(files, len(everything), dev)
    rm.write_info(out_dir / rm.MODEL_INFO.name, info)
    return info


def model_info(files: list[Path], references: int, dev: dict[str, Any]) -> dict[str, Any]:
    """What model.json records: data hash, feature set, parameters, attribution, development scores."""
    return {
        "model": rm.MODEL_FILE.name,
        "feature_set_version": FEATURE_SET_VERSION,
        "training_params": rm.TRAINING_PARAMS,
        "training_files": [path.name for path in files],
        "training_data_sha256": rm.data_sha256(files),
        "training_references": references,
        "dev_split": {
            "train": [path.name for path in files if path.name != DEV_TEST_FILE],
            "test": f"{DEV_TEST_FILE} less references found verbatim in the train files",
            **dev,
        },
        "attribution": {
            source: text
            for source, text in SOURCE_ATTRIBUTION.items()
            if any(path.name in SOURCES[source] for path in files)
        },
        "licence": "training data BSD-2-Clause (AnyStyle) and CC BY 4.0 (GROBID, Linked Books): "
        "README.md and LICENSE-anystyle beside the model",
    }
