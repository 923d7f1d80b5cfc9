"""A scratch project of dev-corpus papers to build and read: ``python -m evaluation.dev_corpus_project DIR``.

The samples read by hand and the scorers that need a built package (``person_sample``, ``claim_sample``,
``event_sample``, ...) take ``--root DIR`` of such a build. The project holds every paper of
``../shared/dev-corpus/papers`` (or ``--per-volume N`` of each volume, as ``corpus_scoring`` samples them)
under ``raw/<id>/``, the repository's authority files and ``dataset.yaml``. The papers are U.S. Government
works in the public domain, so each is declared ``full_text: true`` and the build publishes its text.
``--build`` builds it at once (the same as ``papers-dataset --root DIR build --full``); an existing DIR is
replaced.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from evaluation.corpus_scoring import DEV_CORPUS, corpus_papers, sample_papers
from pipeline.orchestration.cli import build

REPO_ROOT = Path(__file__).resolve().parent.parent


def make_project(root: Path, papers: list[Path]) -> Path:
    """Lay out ``papers`` as a project under ``root`` (replaced if it exists) and return ``root``."""
    shutil.rmtree(root, ignore_errors=True)
    for path in papers:
        folder = root / "raw" / path.stem
        folder.mkdir(parents=True)
        shutil.copy2(path, folder / path.name)
        metadata = f"id: {path.stem}\nlanguage: en\nfull_text: true\n"
        (folder / "metadata.yaml").write_text(metadata, encoding="utf-8")
    shutil.copytree(REPO_ROOT / "authority", root / "authority")
    shutil.copy2(REPO_ROOT / "dataset.yaml", root / "dataset.yaml")
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the project folder (replaced if it exists)")
    parser.add_argument("--per-volume", type=int, help="this many papers of each volume, not all")
    parser.add_argument("--build", action="store_true", help="build the project once it is laid out")
    args = parser.parse_args(argv)
    papers = sample_papers(DEV_CORPUS, args.per_volume) if args.per_volume else corpus_papers(DEV_CORPUS)
    make_project(args.root, papers)
    print(f"{args.root}: {len(papers)} dev-corpus papers; build with papers-dataset --root {args.root} build")
    return build(args.root, full=True) if args.build else 0


if __name__ == "__main__":
    raise SystemExit(main())
