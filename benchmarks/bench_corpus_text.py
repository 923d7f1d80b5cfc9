"""The text layer on the whole dev corpus, beside the whole build: CPU seconds, per volume and in all.

Run: ``.venv/bin/python benchmarks/bench_corpus_text.py [--no-build]``. The text layer (reading a paper,
cleaning it: front matter, notes, blocks and their kinds, inline markup, sentences) runs in this process
over every paper of ``../shared/dev-corpus/papers/`` (354 papers, 7 million characters); its CPU seconds
(``time.process_time``, steadier than wall time on a busy machine) are printed per volume and in all, with
characters per CPU second (target: the 354 papers in 15 s of CPU at most). Then, unless ``--no-build``,
the whole corpus is built in a temporary folder as a user builds it (``papers-dataset build``: wall and
CPU seconds of the build and its workers), and built again after a one-paper edit (the edit's share of the
full build's time; target at most 10 %).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench_corpus import timed_build

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the scorers' corpus helpers, run as a script from anywhere

from evaluation.corpus_scoring import DEV_CORPUS, corpus_papers, volume_of  # noqa: E402
from evaluation.text_scoring import document_id_for  # noqa: E402
from pipeline.text.clean import clean_document  # noqa: E402

EDIT = "\n\nA sentence added to time a one-paper edit.\n"


def text_layer_seconds(papers: list[Path]) -> dict[str, tuple[int, int, float]]:
    """Per volume: papers, characters and CPU seconds of reading and cleaning them."""
    figures: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for path in papers:
        started = time.process_time()
        text = path.read_text(encoding="utf-8")
        clean_document(text, document_id_for(path.stem), str(path))
        figure = figures[volume_of(path.stem)]
        figure[0] += 1
        figure[1] += len(text)
        figure[2] += time.process_time() - started
    return {volume: (int(n), int(chars), cpu) for volume, (n, chars, cpu) in figures.items()}


def build_seconds(papers: list[Path]) -> tuple[tuple[float, float], tuple[float, float]]:
    """(wall, CPU) seconds of a full build of the papers, and of the build after one paper's edit."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "authority", root / "authority")
        shutil.copy2(ROOT / "dataset.yaml", root / "dataset.yaml")
        for path in papers:
            (root / "raw" / path.stem).mkdir(parents=True)
            shutil.copy2(path, root / "raw" / path.stem / path.name)
        full = timed_build(root)
        edited = root / "raw" / papers[0].stem / papers[0].name
        edited.write_text(edited.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
        edit = timed_build(root)
    return (full[0], full[1]), (edit[0], edit[1])


def main(argv: list[str]) -> None:
    papers = corpus_papers(DEV_CORPUS)
    if not papers:
        raise SystemExit(f"no papers in {DEV_CORPUS}")
    figures = text_layer_seconds(papers)
    print("text layer (read + clean_document), CPU seconds:")
    for volume, (count, chars, cpu) in [*sorted(figures.items())]:
        print(
            f"  {volume:<20} {count:>4} papers {chars:>9} chars  {cpu:6.2f} s  {chars / cpu:>9,.0f} chars/s"
        )
    count = sum(n for n, _, _ in figures.values())
    chars = sum(c for _, c, _ in figures.values())
    cpu = sum(s for _, _, s in figures.values())
    print(f"  {'all':<20} {count:>4} papers {chars:>9} chars  {cpu:6.2f} s  {chars / cpu:>9,.0f} chars/s")
    if "--no-build" in argv:
        return
    (full_wall, full_cpu), (edit_wall, edit_cpu) = build_seconds(papers)
    print(f"whole build of {count} papers: {full_wall:.1f} s wall, {full_cpu:.1f} s CPU (build and workers)")
    print(
        f"one-paper edit: {edit_wall:.1f} s wall ({edit_wall / full_wall:.1%} of the full build), "
        f"{edit_cpu:.1f} s CPU ({edit_cpu / full_cpu:.1%})"
    )
    print(f"text layer share of the build's CPU: {cpu / full_cpu:.1%}")


if __name__ == "__main__":
    main(sys.argv[1:])
