"""The person-tagger experiment's training data: the publisher's person tags become token labels.

Reads a paper of ``../shared/dev-corpus``; skipped without it."""

from __future__ import annotations

import json
import re

import pytest

from evaluation.person_crf_experiment import DEV, features, labelled_blocks

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="../shared/dev-corpus is absent")

PAPER = DEV / "papers" / "frus1917supp02v02-ch1subch1.md"


def _tag_words(paper_id: str) -> list[str]:
    words = []
    for line in (DEV / "gold" / f"{paper_id}.persons.jsonl").open(encoding="utf-8"):
        words += json.loads(line)["text"].replace(".", " ").split()
    return words


def test_tagged_tokens_are_the_tags_words() -> None:
    blocks = labelled_blocks(PAPER)
    labelled = [
        t for tokens, labels, _ in blocks for t, label in zip(tokens, labels, strict=True) if label != "O"
    ]
    tag_words = _tag_words(PAPER.stem)
    assert labelled, "no tagged token"
    # Every labelled token is a word of some tag (or an initial's full stop; a possessive stays on its
    # word); nearly every tag word is labelled (a few blocks the cleaner changed are not placed).
    words = {re.sub(r"['’]s\Z", "", token) for token in labelled} - {"."}
    assert words <= set(tag_words)
    assert len(labelled) >= 0.9 * len(tag_words)


def test_a_name_starts_with_b_and_continues_with_i() -> None:
    for tokens, labels, _ in labelled_blocks(PAPER):
        for index, label in enumerate(labels):
            if label == "I":
                assert labels[index - 1] in ("B", "I"), tokens


def test_features_see_the_neighbours() -> None:
    rows = features(["Mr", ".", "Lansing", "said"], frozenset({"said"}))
    assert "-2w=mr" in rows[2] and "1w=said" in rows[2]
    assert "-1edge" in rows[0] and "2edge" in rows[-1]
