"""Vocabularies a historian may read and extend, kept as data in vocab/<name>.yaml.

Each file is a mapping with a `description` (what the list is for and who reads it) and `entries`: a list
of words or phrases, or a mapping from a word or phrase to its value (a type, a certainty level ...).
Files are read once per process.
"""

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import yaml

from pipeline.paths import VOCAB_DIR

# PyYAML's C reader where it was built with libyaml (it reads the same YAML several times faster).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str | bytes) -> Any:
    """YAML text as Python data, safely (no tags that build objects); the one YAML reader of the build."""
    return yaml.load(text, Loader=_YAML_LOADER)


class VocabularyError(ValueError):
    """A vocabulary file is missing or not of the documented shape."""


@cache
def load_vocab(name: str) -> Any:
    """The `entries` of vocab/<name>.yaml: a list or a mapping, as the file has it."""
    path = VOCAB_DIR / f"{name}.yaml"
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise VocabularyError(f"{path}: vocabulary file not found") from error
    if not isinstance(data, dict) or not isinstance(data.get("description"), str) or "entries" not in data:
        raise VocabularyError(f"{path}: expected a mapping with 'description' (text) and 'entries'")
    entries = data["entries"]
    if not isinstance(entries, list | dict) or not entries:
        raise VocabularyError(f"{path}: 'entries' must be a non-empty list or mapping")
    _check_words(path, entries)
    return entries


def _check_words(path: object, entries: Any) -> None:
    """No word may be a YAML boolean or null: unquoted, YAML reads "no", "on", "off" and "yes" as booleans,
    and the word silently drops out of the list."""
    items = [*entries.keys(), *entries.values()] if isinstance(entries, dict) else entries
    for item in items:
        if isinstance(item, bool) or item is None:
            raise VocabularyError(
                f'{path}: an entry reads as {item!r}, not a word; quote words such as "no", "on" or "off"'
            )
        if isinstance(item, list | dict):
            _check_words(path, item)


def load_words(name: str) -> tuple[str, ...]:
    """A vocabulary that is a plain list of words or phrases."""
    entries = load_vocab(name)
    if not isinstance(entries, list) or not all(isinstance(entry, str) for entry in entries):
        raise VocabularyError(f"{VOCAB_DIR / (name + '.yaml')}: 'entries' must be a list of strings")
    return tuple(entries)


def load_mapping(name: str) -> dict[str, Any]:
    """A vocabulary that maps each word or phrase to a value."""
    entries = load_vocab(name)
    if not isinstance(entries, dict):
        raise VocabularyError(f"{VOCAB_DIR / (name + '.yaml')}: 'entries' must be a mapping")
    return dict(entries)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so that a longer word wins over its prefix."""
    return "|".join(sorted((re.escape(w) for w in words), key=lambda w: (-len(w), w)))
