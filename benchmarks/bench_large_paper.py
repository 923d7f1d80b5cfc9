"""Long-paper benchmark: every stage should grow no faster than the text (issue 14, item 5).

Run: ``.venv/bin/python benchmarks/bench_large_paper.py [k ...]`` (default 1 8 32). For each k the committed
paper is tiled into ONE paper of k copies that is still a valid paper: the front matter appears once (copies
after the first start at the first paragraph with a note marker), and copy i shifts every body marker and
every note number by i x (the paper's note count), so the long paper has k x that many paired footnotes
(checked). Each k is measured in fresh subprocesses:

* the per-document stage functions of pipeline/orchestration/stages.py (read, clean, citations, entities,
  events, claims, works) one after another, each timed, with the child's peak RSS;
* the whole ``papers-dataset --root <tmp corpus> build`` CLI on a corpus holding only the long paper (wall
  time, peak RSS of the build process and of its largest worker).

The table gives each figure and its ratio to k = 1; ``per char`` is time per character relative to k = 1
(about 1.0 when linear). Done when the 32x paper's time and memory are within 40x of the 1x paper's.
Everything happens in a temporary folder; nothing in the repository is touched.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT / "raw" / "kennan-op-263" / "kennan-op-263-phillips-1996.md"
CLI = Path(sys.executable).parent / "papers-dataset"
DOCUMENT_ID = "long-paper"
STAGES = ("read", "clean", "citations", "entities", "events", "claims", "works")

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
TO_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
TO_SUPERSCRIPTS = str.maketrans("0123456789", SUPERSCRIPTS)
MARKER = re.compile(r"(?<=\S)([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4})")
NOTE_LINE = re.compile(r"^(\s*(?:[-*•]\s+)?)(\d{1,4})(\.?\s+\S)")


def shift_copy(lines: list[str], shift: int) -> tuple[list[str], int]:
    """The lines with every body marker and every note number raised by ``shift``, and the number of notes.

    A note line is one whose number is the next expected note (1, 2, ...), so a body line that merely starts
    with a number (a street address, a year) is left alone."""
    expected = 1
    shifted = []
    for line in lines:
        note = NOTE_LINE.match(line)
        if note and int(note.group(2)) == expected:
            line = f"{note.group(1)}{expected + shift}{line[note.end(2) :]}"
            expected += 1
        else:
            line = MARKER.sub(
                lambda m: str(int(m.group(1).translate(TO_DIGITS)) + shift).translate(TO_SUPERSCRIPTS), line
            )
        shifted.append(line)
    return shifted, expected - 1


def long_paper(copies: int) -> tuple[str, int]:
    """The committed paper tiled ``copies`` times with note numbers continuing, and its note count."""
    lines = PAPER.read_text(encoding="utf-8").split("\n")
    body_start = next(i for i, line in enumerate(lines) if MARKER.search(line))
    while body_start > 0 and lines[body_start - 1].strip():
        body_start -= 1
    _, notes = shift_copy(lines, 0)
    parts = []
    for i in range(copies):
        part, count = shift_copy(lines if i == 0 else lines[body_start:], i * notes)
        if count != notes:
            raise SystemExit(f"copy {i + 1}: found {count} notes, expected {notes}")
        parts.append("\n".join(part).strip("\n"))
    return "\n\n".join(parts) + "\n", copies * notes


def make_corpus(root: Path, copies: int) -> tuple[Path, int, int]:
    """A one-paper corpus (authority, dataset.yaml, no corrections) holding the long paper."""
    shutil.copytree(ROOT / "authority", root / "authority")
    (root / "corrections").mkdir()  # the repository's corrections target its own paper, not this one
    shutil.copy2(ROOT / "dataset.yaml", root / "dataset.yaml")
    folder = root / "raw" / DOCUMENT_ID
    folder.mkdir(parents=True)
    text, notes = long_paper(copies)
    (folder / PAPER.name).write_text(text, encoding="utf-8")
    metadata = (PAPER.parent / "metadata.yaml").read_text(encoding="utf-8")
    (folder / "metadata.yaml").write_text(metadata.replace("kennan-op-263", DOCUMENT_ID), encoding="utf-8")
    return folder, len(text), notes


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_stages(paths, document_id: str, entry: Path, authority, corrections) -> tuple[dict, dict]:
    """Every per-document stage once on one paper, as build_document runs them: seconds per stage, and
    the cleaned document and claims (for the validity check)."""
    from pipeline.extract import paper_stages, works
    from pipeline.orchestration import stages

    seconds: dict[str, float] = {}

    def timed(name: str, run):
        started = time.perf_counter()
        value = run()
        seconds[name] = time.perf_counter() - started
        return value

    source = timed("read", lambda: stages.load_source(paths, document_id, entry, corrections))
    cleaned = timed("clean", lambda: stages.clean(source))
    citations = timed("citations", lambda: paper_stages.document_citations(cleaned))
    mentions = timed("entities", lambda: paper_stages.document_mentions(cleaned, authority))
    metadata, front = source.document.metadata, cleaned.front_matter
    document_date = metadata.get("date_published") or front.get("date_published")
    author = metadata.get("author") or front.get("author")
    found_events = timed(
        "events", lambda: paper_stages.document_events(cleaned, mentions["mentions"], document_date)
    )
    claims = timed(
        "claims",
        lambda: paper_stages.document_claims(
            cleaned,
            mentions["mentions"],
            found_events["events"],
            author,
            authority,
            mentions["unlinked_names"],
        ),
    )
    timed("works", lambda: works.build_works(citations))
    return seconds, {"cleaned": cleaned, "claims": claims["claims"]}


def run_stages(root: Path) -> dict:
    """Child process: every per-document stage once on the corpus's paper, timed, after one warm-up run on
    the committed paper (so first-call costs such as vocabularies and regexes are not billed to k = 1);
    peak RSS after imports and at the end."""
    from pipeline.orchestration import stages
    from pipeline.text.clean import footnote_problems

    paths = stages.ProjectPaths(root)
    authority = stages.load_authority(paths)
    corrections = stages.load_corrections(paths)
    rss_imported = peak_rss_mib()
    timed_stages(stages.ProjectPaths(ROOT), "kennan-op-263", PAPER.parent, authority, [])
    seconds, output = timed_stages(paths, DOCUMENT_ID, root / "raw" / DOCUMENT_ID, authority, corrections)
    footnotes = output["cleaned"].footnotes
    return {
        "seconds": seconds,
        "paired": footnotes.filter(footnotes["status"] == "ok").height,
        "problems": len(footnote_problems(footnotes)),
        "claims": output["claims"].height,
        "rss_mib": peak_rss_mib(),
        "rss_growth": peak_rss_mib() - rss_imported,
    }


def measure_stages(root: Path) -> dict:
    child = [sys.executable, __file__, "--stages", str(root)]
    run = subprocess.run(child, capture_output=True, text=True, check=False, cwd=ROOT)
    if run.returncode != 0:
        raise SystemExit(f"stage run failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.splitlines()[-1])


def measure_cli(root: Path) -> tuple[float, float, float]:
    """Wall seconds and peak RSS (MiB) of the build process and of its largest worker, for one CLI build."""
    wrapper = (
        f"import resource, runpy, sys; sys.argv = ['papers-dataset', '--root', {str(root)!r}, 'build']\n"
        "try:\n    runpy.run_path(" + repr(str(CLI)) + ", run_name='__main__')\nfinally:\n"
        "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    )
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    peaks = [line.split() for line in run.stderr.splitlines() if line.startswith("PEAK")]
    if run.returncode != 0 or not peaks:
        raise SystemExit(f"build failed:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}")
    return elapsed, int(peaks[-1][1]) / 1024, int(peaks[-1][2]) / 1024


def measure(copies: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        _, chars, notes = make_corpus(root, copies)
        figures = measure_stages(root)
        if figures["paired"] != notes or figures["problems"]:
            raise SystemExit(
                f"k={copies}: {figures['paired']} paired footnotes of {notes}, "
                f"{figures['problems']} pairing problems: the tiled paper is not valid"
            )
        cli_seconds, cli_rss, worker_rss = measure_cli(root)
    figures.update(k=copies, chars=chars, cli=cli_seconds, cli_rss=cli_rss, worker_rss=worker_rss)
    figures["total"] = sum(figures["seconds"].values())
    return figures


def report(rows: list[dict]) -> None:
    base = rows[0]
    header = f"{'k':>3} {'chars':>9} {'notes':>5} " + " ".join(f"{s:>9}" for s in STAGES)
    header += f" {'stages':>8} {'RSS MiB':>8} {'(growth)':>8} {'CLI s':>7} {'CLI RSS':>8} {'worker':>7}"
    print("Seconds per stage (fresh process per k); RSS = peak resident memory")
    print(header)
    for row in rows:
        cells = " ".join(f"{row['seconds'][s]:9.3f}" for s in STAGES)
        print(
            f"{row['k']:>3} {row['chars']:>9,} {row['paired']:>5} {cells} {row['total']:8.2f} "
            f"{row['rss_mib']:8.0f} {row['rss_growth']:8.1f} {row['cli']:7.1f} {row['cli_rss']:8.0f} "
            f"{row['worker_rss']:7.0f}"
        )
    print(f"\nRatios to k = {base['k']} (time per char relative in brackets: 1.0 = linear)")
    for row in rows[1:]:
        chars = row["chars"] / base["chars"]
        stage_ratios = [row["seconds"][s] / base["seconds"][s] for s in STAGES]
        cells = " ".join(f"{r:5.1f}({r / chars:4.2f})" for r in stage_ratios)
        print(f"{row['k']:>3} chars x{chars:.1f}: {cells}")
        total, cli = row["total"] / base["total"], row["cli"] / base["cli"]
        print(
            f"    stages total x{total:.1f} ({total / chars:.2f}), "
            f"stage RSS x{row['rss_mib'] / base['rss_mib']:.1f} (growth above imports "
            f"x{row['rss_growth'] / max(base['rss_growth'], 1):.1f}), "
            f"CLI wall x{cli:.1f} ({cli / chars:.2f}), "
            f"CLI RSS x{row['cli_rss'] / base['cli_rss']:.1f}, "
            f"worker RSS x{row['worker_rss'] / base['worker_rss']:.1f}"
        )
    last = rows[-1]
    if len(rows) > 1:
        factor = last["k"] / base["k"] * 40 / 32
        ok_time = max(last["total"] / base["total"], last["cli"] / base["cli"]) <= factor
        ok_memory = max(last["rss_mib"] / base["rss_mib"], last["cli_rss"] / base["cli_rss"]) <= factor
        print(
            f"\nk={last['k']} within {factor:.0f}x of k={base['k']}: time {'yes' if ok_time else 'NO'}, "
            f"memory {'yes' if ok_memory else 'NO'}"
        )


def main(counts: list[int]) -> None:
    rows = []
    for copies in counts:
        rows.append(measure(copies))
        print(f"k={copies} measured", file=sys.stderr, flush=True)
    report(rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--stages"]:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(run_stages(Path(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [1, 8, 32])
