"""Score the text layer on a corpus, per paper: ``python -m evaluation.corpus_scoring [-v] [CORPUS_DIR ...]``.

Each paper of the dev corpus (``../shared/dev-corpus/papers/*.md``, answers in ``gold/``) is run through the
real cleaner and compared with its answers by ``evaluation.text_scoring.score_paper``. The figure is the
distribution over papers, not the total: per volume (the paper's name up to its last "-") and over all papers,
the mean, median and minimum of each paper's recall and how many papers fall under 0.90 and 0.97, for

- paragraphs: body paragraphs rebuilt exactly;
- footnotes: note texts with their numbers;
- links: notes linked to the paragraph the publisher's markup names;
- frame kinds: framing blocks (heading, byline, dateline, opener, closer, source note) given their kind;
- kinds P/R: precision and recall of every block kind (body and frame) over the group's built papers.

A paper that would be left out of a build (the cleaner raises, or its markers and notes do not pair) counts
0 on every measure; the left-out papers are listed with the reason. A paper with nothing of one measure
(no notes) does not count in that measure's distribution. Totals give precision and recall over all papers.
With ``-v`` the papers under 0.97 are listed. Any directory laid out as ``papers/`` (or ``docs/``) plus
``gold/`` can be scored, the dev papers too.
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from evaluation.counts import Counts
from evaluation.text_scoring import DEV_PAPERS, PaperScores, document_id_for, score_paper
from pipeline.text.clean import clean_document, footnote_problems
from pipeline.text.ingest import InputError

DEV_CORPUS = DEV_PAPERS.parent / "dev-corpus"
FRAME_KINDS = ("heading", "byline", "dateline", "opener", "closer", "source_note")
MEASURES = ("paragraphs", "footnotes", "links", "frame kinds")
THRESHOLDS = (0.90, 0.97)


@dataclass
class CorpusPaper:
    """One paper's scores (None when the cleaner raised) and why a build would leave it out."""

    name: str
    volume: str
    scores: PaperScores | None
    left_out: str | None


def frame_kinds(scores: PaperScores) -> Counts:
    """The framing blocks' kinds added up over the frame kinds."""
    total = Counts()
    for kind in FRAME_KINDS:
        if kind in scores.kinds:
            total.add(scores.kinds[kind])
    return total


def measure(scores: PaperScores, name: str) -> Counts:
    """One of ``MEASURES`` for a paper."""
    return frame_kinds(scores) if name == "frame kinds" else getattr(scores, name.replace(" ", "_"))


def volume_of(name: str) -> str:
    """A dev-corpus paper's volume: its name up to the last "-" ("frus1897-ch1" -> "frus1897")."""
    return name.rsplit("-", 1)[0] if "-" in name else name


def corpus_papers(corpus_dir: Path) -> list[Path]:
    """A corpus directory's papers (``papers/`` or ``docs/``), in name order."""
    papers_dir = corpus_dir / "papers" if (corpus_dir / "papers").is_dir() else corpus_dir / "docs"
    return sorted(papers_dir.glob("*.md"))


def sample_papers(corpus_dir: Path, per_volume: int = 3) -> list[Path]:
    """A fixed sample spread over the volumes: in each volume's name order, the first, the last and papers
    evenly spaced between (``per_volume`` in all, or the whole volume when it is that small)."""
    by_volume: dict[str, list[Path]] = defaultdict(list)
    for path in corpus_papers(corpus_dir):
        by_volume[volume_of(path.stem)].append(path)
    sample = []
    for _, papers in sorted(by_volume.items()):
        if len(papers) <= per_volume:
            sample += papers
            continue
        picks = sorted({round(i * (len(papers) - 1) / (per_volume - 1)) for i in range(per_volume)})
        sample += [papers[i] for i in picks]
    return sample


def score_corpus(corpus_dir: Path, papers: list[Path] | None = None) -> list[CorpusPaper]:
    """Clean and score every paper of a corpus directory (or the given ones of it)."""
    results = []
    for path in corpus_papers(corpus_dir) if papers is None else papers:
        document_id = document_id_for(path.stem)
        try:
            cleaned = clean_document(path.read_text(encoding="utf-8"), document_id, str(path))
        except InputError as error:
            results.append(CorpusPaper(path.stem, volume_of(path.stem), None, str(error)))
            continue
        problems = footnote_problems(cleaned.footnotes)
        scores = score_paper(cleaned, corpus_dir / "gold", path.stem)
        left_out = problems[0] if problems else None
        results.append(CorpusPaper(path.stem, volume_of(path.stem), scores, left_out))
    return results


def paper_value(paper: CorpusPaper, name: str) -> float | None:
    """A paper's recall on a measure; 0 when left out; None when its answers have nothing to find."""
    if paper.scores is None:
        return 0.0
    counts = measure(paper.scores, name)
    if counts.expected == 0:
        return None
    return 0.0 if paper.left_out else counts.recall


def distribution_line(label: str, values: list[float]) -> str:
    """Mean, median, minimum and papers under each threshold."""
    if not values:
        return f"  {label:<12} (nothing to score)"
    under = "  ".join(f"<{t:.2f}: {sum(v < t for v in values):>3}" for t in THRESHOLDS)
    return (
        f"  {label:<12} n {len(values):>3}  mean {statistics.fmean(values):.3f}  "
        f"median {statistics.median(values):.3f}  min {min(values):.3f}  {under}"
    )


def kinds_line(papers: list[CorpusPaper]) -> str:
    """Precision / recall of each block kind over the built papers of a group."""
    kinds: dict[str, Counts] = defaultdict(Counts)
    for paper in papers:
        if paper.scores is not None and paper.left_out is None:
            for kind, counts in paper.scores.kinds.items():
                kinds[kind].add(counts)
    cells = [
        f"{kind} {counts.precision:.2f}/{counts.recall:.2f}"
        for kind, counts in sorted(kinds.items())
        if counts.expected or counts.predicted
    ]
    return f"  {'kinds P/R':<12} " + "  ".join(cells)


def report(papers: list[CorpusPaper], verbose: bool = False) -> list[str]:
    """The printed report: per volume and in total, then totals and the left-out papers."""
    out: list[str] = []
    by_volume: dict[str, list[CorpusPaper]] = defaultdict(list)
    for paper in papers:
        by_volume[paper.volume].append(paper)
    groups = [*sorted(by_volume.items()), ("ALL", papers)]
    for volume, members in groups:
        left = sum(paper.left_out is not None for paper in members)
        out.append(f"{volume}: {len(members)} papers, {left} left out")
        for name in MEASURES:
            values = [v for paper in members if (v := paper_value(paper, name)) is not None]
            out.append(distribution_line(name, values))
        out.append(kinds_line(members))
    out.append("totals over built papers (precision / recall):")
    for name in MEASURES:
        total = Counts()
        for paper in papers:
            if paper.scores is not None and paper.left_out is None:
                total.add(measure(paper.scores, name))
        out.append(
            f"  {name:<12} precision {total.precision:.3f}  recall {total.recall:.3f}  "
            f"({total.found} found, {total.predicted} ours, {total.expected} gold)"
        )
    kinds: dict[str, Counts] = defaultdict(Counts)
    for paper in papers:
        if paper.scores is not None and paper.left_out is None:
            for kind, counts in paper.scores.kinds.items():
                kinds[kind].add(counts)
    for kind, counts in sorted(kinds.items()):
        out.append(
            f"  kind {kind:<11} precision {counts.precision:.3f}  recall {counts.recall:.3f}  "
            f"({counts.found} found, {counts.predicted} ours, {counts.expected} gold)"
        )
    for paper in papers:
        if paper.left_out:
            out.append(f"left out: {paper.name}: {paper.left_out}")
    if verbose:
        for paper in papers:
            low = [
                f"{name} {value:.3f}"
                for name in MEASURES
                if (value := paper_value(paper, name)) is not None and value < THRESHOLDS[1]
            ]
            if low:
                out.append(f"under {THRESHOLDS[1]}: {paper.name}: {', '.join(low)}")
    return out


def main(argv: list[str]) -> None:
    paths = [Path(arg) for arg in argv if not arg.startswith("-")] or [DEV_CORPUS]
    papers = [paper for path in paths for paper in score_corpus(path)]
    print("\n".join(report(papers, verbose="-v" in argv)))


if __name__ == "__main__":
    main(sys.argv[1:])
