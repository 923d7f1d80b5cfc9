"""Experiment (issue 31): a CRF person tagger trained on the FRUS dev corpus's person tags, beside the rules.

Run ``python -m evaluation.person_crf_experiment COMMAND [THRESHOLD] [-v]``:

- ``train``: training data are the publisher's person tags (public-domain FRUS text) placed in the cleaned
  papers as token BIO labels: every block with a tag, and every untagged heading (section titles, true
  negatives). The volumes in HELD_OUT are left out. The model goes to ``/tmp/person-crf``, never into the
  package: the experiment did not win (docs/known-limits.md), so no model is shipped.
- ``hipe T`` / ``corpus T``: HIPE-2020 dev persons (fuzzy, strict) and the held-out volumes' tagged persons
  (corpus_person_scoring's measures), with the model's spans of lowest token marginal >= T added where no
  rule found a candidate (reason "model", so person_evidence's precision filters apply); without T, the
  rules alone. ``-v`` lists the spans the model added.
- ``sample T``: a seeded sample of 50 spans the model adds in running text it was not trained on.
- ``speed [T]``: CPU seconds of people detection over the dev corpus, rules alone or with the model.

The model is wired in by replacing ``entities.find_person_spans`` and ``persons._longest_first`` in this
process only, so the pipeline's code is measured unchanged. The HIPE-2020 set is only measured on.
"""

from __future__ import annotations

import bisect
import json
import random
import re
import sys
import time
from collections import defaultdict
from functools import cache
from pathlib import Path

import pycrfsuite

from evaluation import corpus_person_scoring, hipe_scoring
from pipeline.extract import entities, persons
from pipeline.extract.person_evidence import names_a_thing
from pipeline.extract.person_words import (
    LOWER_WORD,
    is_given_name,
    is_title_word,
    make_span,
    sentence_initial,
)
from pipeline.text.clean import clean_document
from pipeline.text.ingest import InputError

DEV = corpus_person_scoring.DEV_CORPUS
HELD_OUT = ("frus1917supp02v02", "frus1936v03")
MODEL = Path("/tmp/person-crf/model.crfsuite")
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|[^\w\s]")
PARAMS = {"c1": 0.5, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True}


def _shape(token: str) -> str:
    if token[0].isupper():
        return "X" if token.isupper() and len(token) > 1 else "Xx"
    if token[0].islower():
        return "x"
    return "d" if token[0].isdigit() else token


@cache
def _word(token: str) -> tuple[str, str, str]:
    shape = _shape(token)
    cue = "T" if is_title_word(token) else "G" if shape != "x" and is_given_name(token) else ""
    return token.lower(), shape, cue


def features(tokens: list[str], lower: frozenset[str]) -> list[list[str]]:
    """Cheap features per token: word, shape, suffix, vocab cues, the paper's lower-case use, neighbours."""
    info = []
    for token in tokens:
        word, shape, cue = _word(token)
        info.append((word, shape, cue, shape in ("X", "Xx") and word in lower))
    rows = []
    for index, (word, shape, cue, common) in enumerate(info):
        row = [f"w={word}", f"s={shape}", f"x={word[-3:]}", f"c={cue}", f"l={common}", f"n={len(word) > 3}"]
        for offset in (-2, -1, 1, 2):
            at = index + offset
            if 0 <= at < len(info):
                other = info[at]
                row += [f"{offset}w={other[0]}", f"{offset}s={other[1]}", f"{offset}c={other[2]}"]
            else:
                row.append(f"{offset}edge")
        rows.append(row)
    return rows


def _paper(path: Path):
    try:
        return clean_document(path.read_text(encoding="utf-8"), path.stem, path.name)
    except InputError:
        return None


def labelled_blocks(path: Path) -> list[tuple[list[str], list[str], frozenset[str]]]:
    """(tokens, BIO labels, the paper's lower-case words) for each tagged block and untagged heading."""
    document = _paper(path)
    if document is None:
        return []
    text = document.text
    blocks = corpus_person_scoring._blocks(path)
    placed = corpus_person_scoring._place_blocks(text, blocks)
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for line in (DEV / "gold" / f"{path.stem}.persons.jsonl").open():
        tag = json.loads(line)
        if tag["block_index"] in placed and tag["start_in_text"] is not None:
            start = placed[tag["block_index"]][0]
            spans[tag["block_index"]].append((start + tag["start_in_text"], start + tag["end_in_text"]))
    lower = frozenset(LOWER_WORD.findall(text))
    out = []
    for index, (start, end) in placed.items():
        if index not in spans and blocks[index]["kind"] != "heading":
            continue
        tokens, labels = [], []
        previous = None
        for match in TOKEN.finditer(text, start, end):
            inside = next((s for s in spans[index] if s[0] <= match.start() < s[1]), None)
            label = "O" if inside is None else ("I" if inside == previous else "B")
            previous = inside
            tokens.append(match.group())
            labels.append(label)
        if tokens:
            out.append((tokens, labels, lower))
    return out


def _volume(path: Path) -> str:
    return path.stem.split("-")[0].lower()


def train() -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    count = 0
    for path in sorted((DEV / "papers").glob("*.md")):
        if _volume(path) in HELD_OUT:
            continue
        for tokens, labels, lower in labelled_blocks(path):
            trainer.append(features(tokens, lower), labels)
            count += 1
    trainer.set_params(PARAMS)
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    started = time.process_time()
    trainer.train(str(MODEL))
    print(f"trained on {count} blocks in {time.process_time() - started:.1f} CPU s -> {MODEL}")


_TAGGER: pycrfsuite.Tagger | None = None


def model_spans(
    text: str,
    paragraphs: list[tuple[int, int]],
    threshold: float,
    covered: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Spans the model tags as persons (B/I runs) whose lowest token marginal reaches ``threshold``.

    With ``covered`` (the rules' candidate spans), only windows of three tokens either side of a capitalised
    token no rule covered are tagged: the model only fills gaps, so the rest need not be read."""
    global _TAGGER
    if _TAGGER is None:
        _TAGGER = pycrfsuite.Tagger()
        _TAGGER.open(str(MODEL))
    lower = frozenset(LOWER_WORD.findall(text))
    starts = sorted(s for s, _ in covered or [])
    ends = [e for _, e in sorted(covered or [])]
    found = []
    for start, end in paragraphs:
        matches = list(TOKEN.finditer(text, start, end))
        tokens = [m.group() for m in matches]
        if covered is None:
            windows = [(0, len(tokens))] if any(t[0].isupper() for t in tokens) else []
        else:
            windows = []
            for index, match in enumerate(matches):
                if not tokens[index][0].isupper():
                    continue
                at = bisect.bisect_right(starts, match.start()) - 1
                if at >= 0 and ends[at] > match.start():
                    continue
                low, high = max(0, index - 3), min(len(tokens), index + 4)
                if windows and low <= windows[-1][1]:
                    windows[-1] = (windows[-1][0], high)
                else:
                    windows.append((low, high))
        for low, high in windows:
            labels = _TAGGER.tag(features(tokens[low:high], lower))
            run: list[int] = []
            for index, label in enumerate([*labels, "O"]):
                if label == "I" and run:
                    run.append(index)
                    continue
                if run and min(_TAGGER.marginal(labels[i], i) for i in run) >= threshold:
                    found.append((matches[low + run[0]].start(), matches[low + run[-1]].end()))
                run = [index] if label == "B" else []
    return found


ADDED: list[str] = []


def install(threshold: float) -> None:
    """Add the model's spans to the rules' candidates (reason "model", weak: the precision filters apply)."""
    original_find, original_longest = entities.find_person_spans, persons._longest_first
    state: dict[str, object] = {}

    def find(text, paragraphs, not_persons=frozenset()):
        state["text"], state["paragraphs"] = text, paragraphs
        spans = original_find(text, paragraphs, not_persons)
        ADDED.extend(
            f"{text[max(0, s.start - 50) : s.start]}[[{text[s.start : s.end]}]]{text[s.end : s.end + 40]}"
            for s in spans
            if s.reason == "model"
        )
        return spans

    def longest(spans):
        # The model only fills gaps: a span any rule found (even one later dropped) keeps the rule's extent.
        text = state["text"]
        covered = [(s.start, s.end) for s in spans]
        extra = [
            span
            for s, e in model_spans(text, state["paragraphs"], threshold, covered)
            if (span := make_span(text, s, e, "model")) is not None
            and (" " in text[s:e] or not sentence_initial(text, s))
        ]
        gaps = [x for x in extra if not any(x.start < s.end and s.start < x.end for s in spans)]
        return original_longest(spans + gaps)

    entities.find_person_spans = find
    persons._longest_first = longest


def span_vote(text: str, start: int, end: int) -> float:
    """The model's vote for text[start:end] as one person's name: the lowest marginal of B on its first
    token and I on the others, the tokens read with three tokens either side (within the line)."""
    global _TAGGER
    if _TAGGER is None:
        _TAGGER = pycrfsuite.Tagger()
        _TAGGER.open(str(MODEL))
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    matches = list(TOKEN.finditer(text, line_start, line_end if line_end >= 0 else len(text)))
    inside = [i for i, m in enumerate(matches) if start <= m.start() < end]
    if not inside:
        return 0.0
    low, high = max(0, inside[0] - 3), min(len(matches), inside[-1] + 4)
    _TAGGER.set(features([m.group() for m in matches[low:high]], frozenset(LOWER_WORD.findall(text))))
    return min(_TAGGER.marginal("B" if i == inside[0] else "I", i - low) for i in inside)


def install_vote(threshold: float) -> None:
    """Keep a name the precision filters drop where the model votes for it at ``threshold`` or more
    (a name that is a thing by names_a_thing stays dropped)."""
    original = persons.with_evidence

    def with_vote(text, spans, not_persons, lower):
        kept = original(text, spans, not_persons, lower)
        taken = {(s.start, s.end) for s in kept}
        rescued = [
            s
            for s in spans
            if (s.start, s.end) not in taken
            and not names_a_thing(text, s)
            and span_vote(text, s.start, s.end) >= threshold
        ]
        ADDED.extend(
            f"{text[max(0, s.start - 50) : s.start]}[[{text[s.start : s.end]}]]{text[s.end : s.end + 40]}"
            for s in rescued
        )
        return sorted(kept + rescued, key=lambda s: s.start)

    persons.with_evidence = with_vote


def corpus(threshold: float | None) -> None:
    if threshold is not None:
        install(threshold)
    authority = entities.load_authority()
    for volume in HELD_OUT:
        score = corpus_person_scoring.VolumeScore()
        for path in sorted((DEV / "papers").glob("*.md")):
            if _volume(path) == volume:
                corpus_person_scoring.score_paper(path, authority, score)
        tags = {k: f"{v[0]}/{v[1]}" for k, v in score.tags.items()}
        hit = sum(v[0] for v in score.tags.values())
        total = sum(v[1] for v in score.tags.values())
        print(
            f"{volume}: people {score.people_found}/{score.people_gold} "
            f"({score.people_found / max(score.people_gold, 1):.3f}); tags {hit}/{total} "
            f"({hit / max(total, 1):.3f}) {tags}; heading/signature precision "
            f"{score.judged_true}/{score.judged_found}"
        )
    print(f"{len(ADDED)} spans the model added")
    if "-v" in sys.argv:
        print("\n".join(" ".join(a.split()) for a in ADDED))


def hipe(threshold: float | None) -> None:
    if threshold is not None:
        install(threshold)
    result = hipe_scoring.score(hipe_scoring.read_articles(), entities.load_authority())
    print(result.fuzzy.line("fuzzy"))
    print(result.strict.line("strict"))
    print(f"{len(ADDED)} spans the model added")
    if "-v" in sys.argv:
        print("\n".join(" ".join(a.split()) for a in ADDED))
    if "-v" in sys.argv:
        print("found, not gold:", "; ".join(result.false_finds))


def sample(threshold: float, size: int = 50, seed: int = 9311) -> None:
    """A seeded random sample of the spans the model adds in running text it was not trained on: the papers
    of the held-out volumes and of the volumes whose running text is untagged (all but 1917 and 1919)."""
    install(threshold)
    authority = entities.load_authority()
    for path in sorted((DEV / "papers").glob("*.md")):
        unseen = _volume(path) not in ("frus1917supp02v02", "frus1919parisv01") or _volume(path) in HELD_OUT
        if unseen and (document := _paper(path)) is not None:
            entities.find_mentions(document.text, document.sentences, document.footnotes, authority)
    print(f"{len(ADDED)} spans the model added; a sample of {size} (seed {seed}):")
    for line in random.Random(seed).sample(ADDED, min(size, len(ADDED))):
        print(" ".join(line.split()))


def speed(threshold: float | None) -> None:
    """CPU seconds of people detection (rules, with the model when a threshold is given) over the dev corpus,
    as benchmarks/bench_persons.py measures it."""
    if threshold is not None:
        install(threshold)
    not_persons = entities.place_and_body_words(entities.load_authority())
    documents = [d for p in sorted((DEV / "papers").glob("*.md")) if (d := _paper(p)) is not None]
    units = sum(d.sentences.height + d.footnotes.height for d in documents)
    paragraphs = [entities.paragraph_spans(d.sentences, d.footnotes) for d in documents]
    started = time.process_time()
    for document, spans in zip(documents, paragraphs, strict=True):
        entities.find_person_spans(document.text, spans, not_persons)
    seconds = time.process_time() - started
    print(
        f"people detection: {units} sentences+notes in {seconds:.2f} CPU s: "
        f"{units / seconds:,.0f} sentences/s"
    )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    level = float(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "-v" else None
    commands = {
        "train": train,
        "corpus": lambda: corpus(level),
        "hipe": lambda: hipe(level),
        "sample": lambda: sample(level or 0.8),
        "speed": lambda: speed(level),
        "vote-hipe": lambda: (install_vote(level or 0.8), hipe(None)),
        "vote-corpus": lambda: (install_vote(level or 0.8), corpus(None)),
    }
    if command not in commands:
        sys.exit(
            f"usage: python -m evaluation.person_crf_experiment {{{'|'.join(commands)}}} [THRESHOLD] [-v]"
        )
    commands[command]()
