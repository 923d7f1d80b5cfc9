"""How the text layer holds up on layouts nobody tuned it for: ``python -m evaluation.layout_variants``.

The dev corpus is one generator's layout (a paragraph per line, clean characters). Real OCR differs, so each
transform below rewrites a sample of dev-corpus papers the way another OCR engine or export would, keeping the
words, and the variant papers are scored against the unchanged answers with ``evaluation.corpus_scoring``:

- ``windows_lines``: CRLF line ends;
- ``hard_wrapped``: lines wrapped at 72 columns, long words broken with a hyphen at the line end;
- ``invisible_marks``: zero-width spaces, soft hyphens and a byte-order mark in the text, no-break spaces
  for some spaces;
- ``specks``: a stray OCR speck ("|", "•", "·", "'") on a line of its own at the head of some blocks;
- ``attached_labels``: notes labelled "-12 text" instead of "- 12 text" (the space lost);
- ``page_furniture``: the page number after each page's notes, and a running head on every other page;
- ``endnotes``: every note moved to the paper's end under a "Notes" heading, as a book's endnotes are;
- ``pandoc_notes``: markers written "[^12]" and notes "[^12]: text", as a Markdown export writes them;
- ``per_page_numbers``: notes numbered afresh on every page (1, 2 | 1, 2, 3 | ...), as many printed books
  number them, markers renumbered to match;
- ``paren_labels``: notes labelled "12) text", as many European printers set them;
- ``per_page_wrapped``: notes numbered afresh on every page in a hard-wrapped text, as a scanned book
  comes out of OCR (a wrapped line may then start with a number: "6 to 31, 1929.", "1 hour before");
- ``plain_markers``: markers printed as plain digits glued to the word before them ("signed.3 The"), as
  OCR that loses the superscript prints them;
- ``plain_text``: bold and italic markup gone, as a plain-text OCR export prints the page: headings are
  then told by their shape and place alone;
- ``lost_note``: one note's line deleted, as when OCR misses it. The paper is rightly left out (its marker
  has no note); what is measured is whether that is its *only* problem, not the first of a cascade.

Per transform it prints the papers left out, the paragraph, footnote, link and frame-kind recall
distributions and every block kind's precision and recall; ``lost_note`` prints how many papers report
exactly the one lost note. Options: ``--per-volume N`` papers from each volume (default 6; 0 for all),
``--seed S``, ``--keep DIR`` to keep the variant papers for reading, ``--only NAME`` (repeatable) to run
only some transforms. A kept variant corpus links the dev corpus's answers, so the other scorers read it
too: ``python -m evaluation.source_document_scoring DIR/plain_text``.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

from evaluation.corpus_scoring import (
    DEV_CORPUS,
    MEASURES,
    corpus_papers,
    distribution_line,
    kinds_line,
    paper_value,
    sample_papers,
)
from evaluation.corpus_scoring import score_corpus as score_variant_corpus
from pipeline.text.clean import clean_document, footnote_problems
from pipeline.text.footnotes import match_note_line
from pipeline.text.inline import SUPERSCRIPT_DIGITS

Transform = Callable[[str, random.Random], str]
SPECKS = ["|", "•", "·", "'"]
NOTE_LABEL = re.compile(r"^- (\d{1,4}) ", re.MULTILINE)
BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def windows_lines(text: str, rng: random.Random) -> str:
    """CRLF line ends, as a Windows export writes them."""
    return text.replace("\n", "\r\n")


def _hyphen_break(line: str, rng: random.Random) -> str:
    """Break one long word of a wrapped line's last word across the line end with a hyphen, sometimes."""
    words = line.rsplit(" ", 1)
    if len(words) == 2 and words[1].isalpha() and len(words[1]) >= 8 and rng.random() < 0.3:
        cut = len(words[1]) // 2
        return f"{words[0]} {words[1][:cut]}-\n{words[1][cut:]}"
    return line


def hard_wrapped(text: str, rng: random.Random) -> str:
    """Every line over 80 characters wrapped at 72, some long words hyphenated across the line end."""
    out = []
    for line in text.split("\n"):
        if len(line) <= 80:
            out.append(line)
            continue
        wrapped = textwrap.wrap(line, 72, break_long_words=False, break_on_hyphens=False)
        out += [_hyphen_break(part, rng) for part in wrapped[:-1]] + wrapped[-1:]
    return "\n".join(out)


def invisible_marks(text: str, rng: random.Random) -> str:
    """A byte-order mark, and about one zero-width space, soft hyphen or no-break space per 150 characters."""
    marks = ["\u200b", "\u00ad", "\ufeff"]
    out = ["\ufeff"]
    for char in text:
        if char == " " and rng.random() < 0.02:
            out.append("\u00a0")
            continue
        if char.isalpha() and rng.random() < 0.007:
            out.append(rng.choice(marks))
        out.append(char)
    return "".join(out)


def specks(text: str, rng: random.Random) -> str:
    """A speck of dirt read as a character, on its own line at the head of about one block in eight."""
    blocks = text.split("\n\n")
    return "\n\n".join(
        f"{rng.choice(['|', '•', '·', chr(39)])}\n{block}"
        if block.strip() and rng.random() < 0.125
        else block
        for block in blocks
    )


def attached_labels(text: str, rng: random.Random) -> str:
    """Note labels with the space after the dash lost ("-12 text")."""
    return NOTE_LABEL.sub(lambda m: f"-{m.group(1)} " if rng.random() < 0.5 else m.group(0), text)


def _note_firsts(text: str) -> list[int]:
    """1-based line numbers of the first line of each note the text layer finds, in order."""
    notes = clean_document(text, "variant", "variant").footnotes.drop_nulls("source_line")
    return notes["source_line"].to_list()


def lost_note(text: str, rng: random.Random) -> str:
    """One note's first line deleted: a note other than the paper's first and last, at random."""
    notes = _note_firsts(text)
    lines = text.split("\n")
    if len(notes) < 3:
        return text
    del lines[rng.choice(notes[1:-1]) - 1]
    return "\n".join(lines)


def page_furniture(text: str, rng: random.Random) -> str:
    """The printed page's folio and running head kept by OCR: after each page's notes, the page number on a
    line of its own ("14", "— 15 —" or "[16]", one form per paper) and, on every other page, the running
    head in capitals."""
    lines = text.split("\n")
    notes = set(_note_firsts(text))
    folio = rng.choice(["{}", "— {} —", "[{}]"])
    page = rng.randint(2, 400)
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        out.append(line)
        if number in notes and not any(n in notes for n in (number + 1, number + 2)):
            out += ["", folio.format(page)] + (["", "FOREIGN RELATIONS, VOLUME II"] if page % 2 else [])
            page += 1
    return "\n".join(out)


def _note_lines(text: str) -> list[int]:
    """0-based indexes of every line of the paper's notes (first lines and continuations)."""
    lines = text.split("\n")
    indexes: list[int] = []
    for first in _note_firsts(text):
        index = first - 1
        indexes.append(index)
        while index + 1 < len(lines) and lines[index + 1].strip() and not match_note_line(lines[index + 1]):
            index += 1
            indexes.append(index)
    return indexes


def endnotes(text: str, rng: random.Random) -> str:
    """All notes gathered at the paper's end under a "Notes" heading, in their order."""
    lines = text.split("\n")
    moved = set(_note_lines(text))
    if not moved:
        return text
    body = [line for index, line in enumerate(lines) if index not in moved]
    heading = rng.choice(["Notes", "NOTES", "## Notes"])
    return "\n".join([*body, "", heading, "", *(lines[index] for index in sorted(moved))])


def pandoc_notes(text: str, rng: random.Random) -> str:
    """Markers as "[^12]" after their word and notes as "[^12]: text", a Markdown export's footnotes."""
    lines = text.split("\n")
    for number in _note_firsts(text):
        label, _, rest = match_note_line(lines[number - 1]) or (0, "", lines[number - 1])
        lines[number - 1] = f"[^{label}]: {rest}"
    body = "\n".join(lines)
    return re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: f"[^{m.group(0).translate(SUPERSCRIPT_DIGITS)}]", body)


def paren_labels(text: str, rng: random.Random) -> str:
    """Each note's label written "12)" ("12) text")."""
    lines = text.split("\n")
    for number in _note_firsts(text):
        label, _, rest = match_note_line(lines[number - 1]) or (0, "", lines[number - 1])
        lines[number - 1] = f"{label}) {rest}"
    return "\n".join(lines)


def per_page_numbers(text: str, rng: random.Random) -> str:
    """Each page's notes (a run of note lines) numbered from 1, and the markers above them to match."""
    lines = text.split("\n")
    firsts = _note_firsts(text)
    pages: list[list[int]] = []
    for first in firsts:
        if pages and all(
            not lines[index].strip() or match_note_line(lines[index])
            for index in range(pages[-1][-1], first - 1)
        ):
            pages[-1].append(first)
        else:
            pages.append([first])
    top = 0
    for page in pages:
        renumber: dict[int, int] = {}
        for new, line_number in enumerate(page, start=1):
            old = (match_note_line(lines[line_number - 1]) or (0,))[0]
            renumber[old] = new
            lines[line_number - 1] = re.sub(r"\d+", str(new), lines[line_number - 1], count=1)
        for index in range(top, page[0] - 1):
            lines[index] = _renumber_markers(lines[index], renumber)
        top = page[-1]
    return "\n".join(lines)


def plain_text(text: str, rng: random.Random) -> str:
    """Bold and italic markup removed ("**Mr. Hay to Mr. Conger.**" → "Mr. Hay to Mr. Conger.")."""
    text = BOLD.sub(r"\1", text.replace("****", ""))
    return ITALIC.sub(r"\1", text)


def plain_markers(text: str, rng: random.Random) -> str:
    """Superscript markers printed as ordinary digits, as OCR that loses the raised type prints them."""
    return text.translate(SUPERSCRIPT_DIGITS)


def _renumber_markers(line: str, renumber: dict[int, int]) -> str:
    """The line's superscript markers given their new numbers (a marker not in ``renumber`` is kept)."""

    def new_marker(match: re.Match[str]) -> str:
        number = renumber.get(int(match.group(0).translate(SUPERSCRIPT_DIGITS)))
        return str(number).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")) if number else match.group(0)

    return re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", new_marker, line)


TRANSFORMS: dict[str, Transform] = {
    "windows_lines": windows_lines,
    "hard_wrapped": hard_wrapped,
    "invisible_marks": invisible_marks,
    "specks": specks,
    "attached_labels": attached_labels,
    "page_furniture": page_furniture,
    "endnotes": endnotes,
    "pandoc_notes": pandoc_notes,
    "paren_labels": paren_labels,
    "per_page_numbers": per_page_numbers,
    "per_page_wrapped": lambda text, rng: hard_wrapped(per_page_numbers(text, rng), rng),
    "plain_markers": plain_markers,
    "plain_text": plain_text,
}


def write_variants(papers: list[Path], transform: Transform, folder: Path, seed: int) -> Path:
    """The transformed papers in ``folder/papers`` beside the dev corpus's answers (linked as ``gold``)."""
    (folder / "papers").mkdir(parents=True)
    (folder / "gold").symlink_to(DEV_CORPUS / "gold")
    for path in papers:
        variant = transform(path.read_text(encoding="utf-8"), random.Random(f"{seed}:{path.stem}"))
        (folder / "papers" / path.name).write_bytes(variant.encode("utf-8"))
    return folder


def lost_note_report(papers: list[Path], seed: int) -> str:
    """Papers with one note deleted: how many report that note alone, and how many report more."""
    alone = cascade = untouched = 0
    for path in papers:
        text = path.read_text(encoding="utf-8")
        variant = lost_note(text, random.Random(f"{seed}:{path.stem}"))
        if variant == text:
            untouched += 1
            continue
        problems = footnote_problems(clean_document(variant, path.stem, str(path)).footnotes)
        alone += len(problems) == 1
        cascade += len(problems) > 1
    return (
        f"lost_note: {alone + cascade} papers with a note deleted: {alone} report that note alone, "
        f"{cascade} report more ({untouched} with under three notes not changed)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-volume", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--only", action="append", choices=sorted(TRANSFORMS), help="this transform only")
    args = parser.parse_args(argv)
    chosen = {name: TRANSFORMS[name] for name in args.only or TRANSFORMS}
    papers = sample_papers(DEV_CORPUS, args.per_volume) if args.per_volume else corpus_papers(DEV_CORPUS)
    work = args.keep or Path(tempfile.mkdtemp(prefix="layout-variants-"))
    print(f"{len(papers)} dev-corpus papers ({args.per_volume} per volume), seed {args.seed}")
    try:
        for name, transform in {"unchanged": lambda text, rng: text, **chosen}.items():
            scored = score_variant_corpus(write_variants(papers, transform, work / name, args.seed))
            left = [paper for paper in scored if paper.left_out]
            print(f"{name}: {len(left)} of {len(scored)} left out")
            for measure in MEASURES:
                values = [v for paper in scored if (v := paper_value(paper, measure)) is not None]
                print(distribution_line(measure, values))
            print(kinds_line([paper for paper in scored if paper.scores is not None]))
            for paper in left:
                print(f"  left out: {paper.name}: {paper.left_out[:160]}")
        print(lost_note_report(papers, args.seed))
    finally:
        if args.keep is None:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
