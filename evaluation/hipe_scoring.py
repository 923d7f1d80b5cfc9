"""Score person finding on the CLEF-HIPE-2020 English development set with the HIPE measures.

Run ``python -m evaluation.hipe_scoring`` (the set is read from
``../shared/benchmarks/hipe2020-en-dev/`` beside the repository; ``-v`` lists misses and false finds).
Each article is rebuilt as a paper: tokens joined by the ``NoSpaceAfter`` and ``EndOfLine`` marks, a
``¬`` line-end hyphen rejoined with the next token. The persons the pipeline finds (person mentions other
than pronouns, and unlinked names) are mapped back to tokens and compared with the gold ``pers`` spans
(``NE-COARSE-LIT``), micro-averaged over all articles as the HIPE scorer does:

- strict: a found span counts when its first and last tokens are those of a gold span;
- fuzzy: a found span counts when it overlaps a gold span not matched yet (one-to-one).

The set is CC BY-NC-SA 4.0: it is read here to measure and tune, never copied into the package or a model.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.extract.entities import Authority, find_mentions, load_authority
from pipeline.extract.person_extent import mention_extent
from pipeline.text.clean import clean_document

REPO_ROOT = Path(__file__).resolve().parent.parent
HIPE_DEV = REPO_ROOT.parent / "shared" / "benchmarks" / "hipe2020-en-dev" / "HIPE-data-v1.4-dev-en.tsv"
HYPHEN = "¬"
# How far ahead a token is looked for in the cleaned text (the cleaner may drop or change a few characters).
ALIGN_WINDOW = 40

TokenSpan = tuple[int, int]


@dataclass
class Article:
    """One article: its tokens, their gold person spans (first, last token) and the rebuilt paper."""

    document_id: str
    tokens: list[str] = field(default_factory=list)
    misc: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def gold_persons(self) -> list[TokenSpan]:
        spans: list[TokenSpan] = []
        for index, tag in enumerate(self.tags):
            if tag == "B-pers":
                spans.append((index, index))
            elif tag == "I-pers" and spans and spans[-1][1] == index - 1:
                spans[-1] = (spans[-1][0], index)
        return spans

    def paper(self) -> tuple[str, list[TokenSpan | None]]:
        """The article as a paper's text, and each token's (start, end) in it (None for a ``¬``)."""
        parts: list[str] = []
        offsets: list[TokenSpan | None] = []
        length = 0
        for index, (token, misc) in enumerate(zip(self.tokens, self.misc, strict=True)):
            if token == HYPHEN:
                offsets.append(None)
                continue
            offsets.append((length, length + len(token)))
            parts.append(token)
            length += len(token)
            hyphen_next = index + 1 < len(self.tokens) and self.tokens[index + 1] == HYPHEN
            if hyphen_next or "NoSpaceAfter" in misc:
                continue
            separator = "\n" if "EndOfLine" in misc else " "
            parts.append(separator)
            length += 1
        return "".join(parts), offsets


def read_articles(path: Path = HIPE_DEV) -> list[Article]:
    """The articles of a HIPE TSV file, in file order."""
    articles: list[Article] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("# document_id"):
            articles.append(Article(line.split("=", 1)[1].strip()))
            continue
        if not line.strip() or line.startswith("#") or line.startswith("TOKEN\t"):
            continue
        cells = line.split("\t")
        if len(cells) < 10 or not articles:
            raise ValueError(f"{path}:{number}: expected 10 tab-separated cells after a document_id line")
        article = articles[-1]
        article.tokens.append(cells[0])
        article.tags.append(cells[1])
        article.misc.append(cells[9])
    return articles


def _align(tokens: list[str], offsets: list[TokenSpan | None], cleaned: str) -> list[TokenSpan | None]:
    """Each token's (start, end) in the cleaned text, found in order within a short window.

    A token with no word of three letters in it (a line-end "-" the cleaner rejoined, a stray "j") is
    taken only where no letter or digit stands between it and the last token placed: found further on, it
    would be another token's, and every token after it would be looked for past its own place."""
    position = 0
    found: list[TokenSpan | None] = []
    for token, offset in zip(tokens, offsets, strict=True):
        if offset is None:
            found.append(None)
            continue
        at = cleaned.find(token, position, position + len(token) + ALIGN_WINDOW)
        short = not re.search(r"\w{3}", token)
        if at < 0 or (short and re.search(r"\w", cleaned[position:at])):
            found.append(None)
            continue
        found.append((at, at + len(token)))
        position = at + len(token)
    return found


def _to_tokens(spans: list[TokenSpan], token_offsets: list[TokenSpan | None]) -> list[TokenSpan]:
    """Character spans of the cleaned text as (first, last) token spans; spans on no token are dropped."""
    result = []
    for start, end in spans:
        covered = [i for i, o in enumerate(token_offsets) if o is not None and o[0] < end and start < o[1]]
        if covered:
            result.append((covered[0], covered[-1]))
    return sorted(set(result))


@dataclass
class Counts:
    """Micro counts over articles for one measure."""

    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label}: P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"(tp {self.true_positives}, found {self.predicted}, gold {self.gold})"
        )


def match_spans(predicted: list[TokenSpan], gold: list[TokenSpan]) -> tuple[int, int]:
    """(strict, fuzzy) true positives: exact boundaries, and one-to-one overlaps."""
    strict = len(set(predicted) & set(gold))
    unmatched = list(gold)
    fuzzy = 0
    for start, end in predicted:
        hit = next((g for g in unmatched if g[0] <= end and start <= g[1]), None)
        if hit is not None:
            unmatched.remove(hit)
            fuzzy += 1
    return strict, fuzzy


# A token that is OCR noise inside a name: a digit or sign among letters, or a capital after a lower-case
# letter ("rUTCE", "Be*naparte", "H011").
NOISY_TOKEN = re.compile(r"[0-9*■•\\|£]|[a-z][A-Z]|^[a-z]+[A-Z]")
ROLE_ONLY_FIRST = {"the", "his", "her", "my", "our", "their", "tile", "thedukeof", "theemperor"}


def classify_gold(tokens: list[str], gold: TokenSpan, predicted: list[TokenSpan]) -> str:
    """Why a gold span was not matched exactly: a boundary class when a found span overlaps it, else what
    kind of name was missed (a title or role with no name, all capitals, OCR noise, one word, other)."""
    overlapping = [p for p in predicted if p[0] <= gold[1] and gold[0] <= p[1]]
    if overlapping:
        found = overlapping[0]
        if found[0] > gold[0]:
            return "boundary: title or words before the name not taken"
        if found[1] < gold[1]:
            return "boundary: role or words after the name not taken"
        return "boundary: found span longer than the gold span"
    joined = " ".join(tokens[gold[0] : gold[1] + 1]).replace(f" {HYPHEN} ", "")
    words = [t for t in joined.split() if any(c.isalpha() for c in t)]
    if not words or words[0].lower() in ROLE_ONLY_FIRST or words[0][0].islower():
        return "missed: a title or role, no name (the King, his Majesty)"
    if all(w.isupper() and len(w) > 1 for w in words if len(w) > 1):
        return "missed: all capitals"
    if any(NOISY_TOKEN.search(w) for w in words):
        return "missed: OCR noise in the name"
    if len(words) == 1:
        return "missed: one word, no cue in the text"
    return "missed: other"


@dataclass
class Result:
    strict: Counts
    fuzzy: Counts
    sentences: int
    seconds: float
    misses: list[str]
    false_finds: list[str]
    gold_classes: Counter[str] = field(default_factory=Counter)
    false_classes: Counter[str] = field(default_factory=Counter)


def score(articles: list[Article], authority: Authority, extent: bool = False) -> Result:
    """HIPE counts over the articles; with ``extent``, each found name is first widened to its titles and
    office in apposition (``mention_extent``), the extent HIPE's guidelines count as the person's mention."""
    strict, fuzzy = Counts(), Counts()
    misses: list[str] = []
    false_finds: list[str] = []
    gold_classes: Counter[str] = Counter()
    false_classes: Counter[str] = Counter()
    sentences, seconds = 0, 0.0
    for article in articles:
        text, offsets = article.paper()
        started = time.process_time()
        document = clean_document(text, article.document_id, f"{article.document_id}.md", body_start_line=1)
        mentions, unlinked = find_mentions(
            document.text, document.sentences, document.footnotes, authority, document.emphasis_spans
        )
        seconds += time.process_time() - started
        sentences += document.sentences.height
        persons = mentions.filter(
            (mentions["entity_type"] == "person") & (mentions["match_kind"] != "pronoun")
        )
        spans = list(zip(persons["char_start"].to_list(), persons["char_end"].to_list(), strict=True))
        spans += list(zip(unlinked["char_start"].to_list(), unlinked["char_end"].to_list(), strict=True))
        if extent:
            spans = [mention_extent(document.text, start, end) for start, end in spans]
        token_offsets = _align(article.tokens, offsets, document.text)
        predicted = _to_tokens(spans, token_offsets)
        gold = article.gold_persons()
        hits_strict, hits_fuzzy = match_spans(predicted, gold)
        strict.true_positives += hits_strict
        fuzzy.true_positives += hits_fuzzy
        for counts in (strict, fuzzy):
            counts.predicted += len(predicted)
            counts.gold += len(gold)

        def words(span: TokenSpan, tokens: list[str] = article.tokens) -> str:
            return " ".join(tokens[span[0] : span[1] + 1])

        misses += [words(g) for g in gold if not any(p[0] <= g[1] and g[0] <= p[1] for p in predicted)]
        false_finds += [words(p) for p in predicted if not any(p[0] <= g[1] and g[0] <= p[1] for g in gold)]
        gold_classes.update(classify_gold(article.tokens, g, predicted) for g in gold if g not in predicted)
        for found in predicted:
            if not any(found[0] <= g[1] and g[0] <= found[1] for g in gold):
                one_word = len([t for t in article.tokens[found[0] : found[1] + 1] if t[:1].isalpha()]) == 1
                false_classes["one word" if one_word else "two or more words"] += 1
    return Result(strict, fuzzy, sentences, seconds, misses, false_finds, gold_classes, false_classes)


def main(argv: list[str]) -> None:
    if not HIPE_DEV.exists():
        sys.exit(f"{HIPE_DEV}: the HIPE-2020 English dev set is not there")
    articles = read_articles()
    authority = load_authority()
    widened = score(articles, authority, extent=True)
    result = score(articles, authority)
    print(f"HIPE-2020 English dev: {len(articles)} articles, persons (pers, NE-COARSE-LIT)")
    print("  names as published (mentions and unlinked_names spans):")
    print(result.fuzzy.line("    fuzzy"))
    print(result.strict.line("    strict"))
    print("  names widened to HIPE's mention extent (titles and office in apposition, mention_extent):")
    print(widened.fuzzy.line("    fuzzy"))
    print(widened.strict.line("    strict"))
    print(
        f"  clean + find persons: {result.sentences} sentences in {result.seconds:.2f} CPU s "
        f"({result.sentences / max(result.seconds, 1e-9):.0f} sentences/s)"
    )
    print("  gold persons not matched exactly:")
    for label, count in result.gold_classes.most_common():
        print(f"    {count:4d}  {label}")
    print("  found spans overlapping no gold person:", dict(result.false_classes.most_common()))
    if "-v" in argv:
        print("missed:", "; ".join(result.misses))
        print("found, not gold persons:", "; ".join(result.false_finds))


if __name__ == "__main__":
    main(sys.argv[1:])
