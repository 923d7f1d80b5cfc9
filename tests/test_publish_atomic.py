"""Publishing survives SIGKILL at any instant, two builds cannot publish at once, and killed Dagster runs are
marked failed. Kills (a) a publishing process just before each file-system step of the swap, in turn, and
(b) the real CLI build in a subprocess at given moments of the build on a small corpus; after every kill
the folder holds exactly the old or the new package, valid, once the next start has run its recovery.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.orchestration.fingerprints import PAPER_STORE
from pipeline.package.swap import PENDING_DIR, PREVIOUS_DIR, STAGING_PREFIX, package_lock
from pipeline.package.validation import validate_staged_package
from tests.conftest import shared_folder

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ("datapackage.json", "data", "text", "figures")
PAPER = """\
**Grain and Credit in the Baltic Ports
by Ann Author**

©2001 Example Press

The harbour board met in March 1921 to set the grain tariffs.¹ Its members disagreed on credit.

In 1923 the board asked the ministry for a loan.² The minister said that "no money is left."

1 B. Smith, *Ports and Power* (London: 1990), 12.

2 Ibid., 14.
"""
KILLING_PUBLISH = textwrap.dedent(
    """
    import os, shutil, signal, sys
    from pathlib import Path

    import polars as pl

    from pipeline.package.publish import DatasetMetadata, PackageContents, publish
    from pipeline.package.validation import validate_staged_package
    from pipeline.package.schema import load_table_spec

    root, source, kill_before = Path(sys.argv[1]).resolve(), Path(sys.argv[2]), int(sys.argv[3])
    tables = {
        path.stem: (load_table_spec(path.stem), pl.read_parquet(path))
        for path in sorted((source / "data/parquet").glob("*.parquet"))
    }
    texts = {path.stem: path.read_text(encoding="utf-8") for path in (source / "text").glob("*.txt")}
    figures = {f"figures/{p.name}": p.read_bytes() for p in (source / "figures").iterdir()}
    steps = 0

    def counted(real):
        def step(*args, **kwargs):
            global steps
            if str(Path(args[0]).resolve()).startswith(str(root)):
                steps += 1
                if steps == kill_before:
                    os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return step

    os.replace, shutil.rmtree = counted(os.replace), counted(shutil.rmtree)
    # The reference run (no kill) validates the staged package as a build does; a killed run stages the
    # same bytes, and what it tests is the swap, so it skips the (seconds of) frictionless validation.
    validate = validate_staged_package if kill_before == 0 else (lambda descriptor: [])
    contents = PackageContents(tables, texts, figures)
    publish(root, DatasetMetadata.load(root / "dataset.yaml"), contents, validate=validate)
    print(f"package steps: {steps}")
    """
)


def digest(root: Path) -> dict[str, str]:
    files = [root / "datapackage.json"]
    for folder in PACKAGE[1:]:
        files += sorted(p for p in (root / folder).rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def leftovers(root: Path) -> list[str]:
    names = [PENDING_DIR, PREVIOUS_DIR]
    return sorted(p.name for p in root.iterdir() if p.name in names or p.name.startswith(STAGING_PREFIX))


def cli(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline.commands", "--root", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, Path]:
    """An old package, and the inputs of a new one whose documents are already materialised; both valid.

    Built in this process (the CLI's own build function) once per test run, shared by the xdist workers.
    """
    from pipeline.orchestration.cli import build

    def make(base: Path) -> None:
        old = base / "old"
        (old / "raw" / "grain").mkdir(parents=True)
        (old / "raw/grain/paper.md").write_text(PAPER, encoding="utf-8")
        (old / "raw/grain/metadata.yaml").write_text("language: en\nfull_text: true\n", encoding="utf-8")
        shutil.copy2(REPO_ROOT / "dataset.yaml", old / "dataset.yaml")
        shutil.copytree(REPO_ROOT / "authority", old / "authority")
        assert build(old) == 0
        new = base / "new"
        shutil.copytree(old, new)
        paper = new / "raw/grain/paper.md"
        paper.write_text(PAPER.replace("on credit.", "on credit and on the harbour dues."), encoding="utf-8")
        assert build(new) == 0

    base = shared_folder(tmp_path_factory, "atomic", make)
    old, new = base / "old", base / "new"
    assert digest(new) != digest(old)
    # Every state a kill may leave is then checked by its bytes: equal to one of these two, hence valid.
    assert validate_staged_package(old / "datapackage.json") == []
    assert validate_staged_package(new / "datapackage.json") == []
    return {"old": old, "new": new}


def kill_publish(root: Path, source: Path, kill_before: int) -> subprocess.CompletedProcess:
    """Publish the package of ``source`` into ``root``, SIGKILLed just before its kill_before-th step."""
    return subprocess.run(
        [sys.executable, "-c", KILLING_PUBLISH, str(root), str(source), str(kill_before)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def killed_copy(corpora: dict[str, Path], target: Path) -> Path:
    """The old package with the new inputs and the new documents' Dagster materialisations."""
    shutil.copytree(corpora["old"], target, ignore=shutil.ignore_patterns(".dagster_home", "raw"))
    shutil.copytree(corpora["new"] / "raw", target / "raw")
    shutil.copytree(corpora["new"] / ".dagster_home", target / ".dagster_home")
    return target


def check_after_recovery(root: Path, corpora: dict[str, Path]) -> str:
    """Run the next start's recovery; the folder must hold exactly the old or the new package, byte for
    byte (both validated in the fixture, so the one found is valid too)."""
    with package_lock(root):
        pass
    assert leftovers(root) == []
    found = digest(root)
    state = "old" if found == digest(corpora["old"]) else "new" if found == digest(corpora["new"]) else None
    assert state, f"a mixed package: {sorted(found)}"
    return state


def test_a_kill_before_any_step_of_the_swap_leaves_a_whole_package(corpora, tmp_path):
    reference = killed_copy(corpora, tmp_path / "reference")
    result = kill_publish(reference, corpora["new"], 0)
    assert result.returncode == 0, result.stderr[-2000:]
    assert digest(reference) == digest(corpora["new"])  # the harness publishes exactly the new package
    steps = int(result.stdout.rsplit("package steps: ", 1)[1])
    assert steps >= 9  # the commit rename, four entries out and in, the cleanup
    states = []
    for kill_before in range(1, steps + 1):
        root = killed_copy(corpora, tmp_path / f"kill-{kill_before}")
        result = kill_publish(root, corpora["new"], kill_before)
        assert result.returncode == -signal.SIGKILL, (kill_before, result.stderr[-2000:])
        if kill_before == 1:  # killed just before the commit rename: the old package is untouched
            assert digest(root) == digest(corpora["old"])
        if kill_before == steps:  # killed before the final cleanup: the new package is already in place
            assert digest(root) == digest(corpora["new"])
        states.append(check_after_recovery(root, corpora))
    # before the commit rename the old package stays; from it on, the new one is completed
    assert states == ["old"] + ["new"] * (steps - 1)


def _start_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.commands", "--root", str(root), "build", "--full"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _unfinished_runs(root: Path) -> list:
    from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

    instance = DagsterInstance.from_config(str(root / ".dagster_home"))
    try:
        unfinished = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
        return list(instance.get_runs(filters=RunsFilter(statuses=unfinished)))
    finally:
        instance.dispose()


def test_a_run_a_killed_build_left_started_is_marked_failed_and_its_leftovers_cleaned(
    corpora, tmp_path, cli_in_process
):
    """Local builds run on an ephemeral Dagster instance (no history to leave behind); the distributed
    route keeps runs in .dagster_home, and a build killed there leaves its run STARTED."""
    from dagster import DagsterInstance, DagsterRun, DagsterRunStatus

    root = killed_copy(corpora, tmp_path / "inside-run")
    instance = DagsterInstance.from_config(str(root / ".dagster_home"))
    try:
        instance.add_run(DagsterRun(job_name="documents_dask_job", status=DagsterRunStatus.STARTED))
    finally:
        instance.dispose()
    assert len(_unfinished_runs(root)) == 1
    # leftovers a killed run can leave, cleaned at the next start
    (root / f"{STAGING_PREFIX}abc123" / "data").mkdir(parents=True)
    (root / ".previous-package-xyz").mkdir()
    result = cli_in_process("--root", root, "build")
    assert result.returncode == 0, result.stderr
    assert "marked the interrupted Dagster run" in result.stdout
    assert _unfinished_runs(root) == []
    assert leftovers(root) == [] and not (root / ".previous-package-xyz").exists()
    assert digest(root) == digest(corpora["new"])


def _kill_build_when(root: Path, moment: Callable[[Path], bool]) -> bool:
    """Start the CLI build of ``root`` and SIGKILL it as soon as ``moment(root)`` holds; False when the build
    ended before that moment came (it was too quick for the poll)."""
    process = _start_build(root)
    try:
        while not moment(root):
            if process.poll() is not None:
                return False
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
    finally:
        returncode = process.wait(timeout=600)
    return returncode == -signal.SIGKILL


def test_kills_at_moments_of_the_build_leave_a_whole_package(corpora, tmp_path):
    """Killed once the paper's new build is stored (the package step under way), and once a staged package
    exists (publishing under way): at each moment the kill must find the build still running."""
    builds = corpora["old"] / PAPER_STORE / "grain"
    old_builds = {p.name for p in builds.iterdir() if p.is_dir()}
    assert old_builds

    def paper_stored(root: Path) -> bool:
        folder = root / PAPER_STORE / "grain"
        return any(p.is_dir() and p.name[0] != "." and p.name not in old_builds for p in folder.iterdir())

    def publishing(root: Path) -> bool:
        return any(root.glob(f"{STAGING_PREFIX}*"))

    for name, moment in (("paper stored", paper_stored), ("publishing", publishing)):
        for attempt in range(3):
            # the old package and the old paper's stored build, with the new inputs: the build redoes it
            root = tmp_path / f"{name}-{attempt}"
            shutil.copytree(corpora["old"], root, ignore=shutil.ignore_patterns("raw"))
            shutil.copytree(corpora["new"] / "raw", root / "raw")
            if _kill_build_when(root, moment):
                break
        else:
            pytest.fail(f"three builds ended before the moment to kill them: {name}")
        assert check_after_recovery(root, corpora) in ("old", "new"), name


def test_a_second_build_is_stopped_with_a_clear_message(corpora, tmp_path):
    root = killed_copy(corpora, tmp_path / "locked")
    before = digest(root)
    with package_lock(root):
        result = cli(root, "build")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "another build" in lines[0] and ".package.lock" in lines[0]
    assert "Traceback" not in result.stderr
    assert digest(root) == before


def _living_children(pid: int) -> dict[int, str]:
    """The processes whose parent is ``pid`` and that have not ended, with their command lines."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(parent) == pid and state != "Z":
            found[int(stat.parent.name)] = command
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_a_killed_build_leaves_no_worker_process_behind(corpora, tmp_path):
    """The CLI starts the paper's worker before it imports Dagster (`workers.HeadStart`); killed, it takes the
    worker with it instead of leaving it waiting for work forever."""
    root = tmp_path / "corpus"
    shutil.copytree(corpora["old"], root, ignore=shutil.ignore_patterns("raw"))
    shutil.copytree(corpora["new"] / "raw", root / "raw")
    process = _start_build(root)
    try:
        deadline = time.monotonic() + 120
        while not (workers := [p for p, c in _living_children(process.pid).items() if "spawn_main" in c]):
            assert process.poll() is None and time.monotonic() < deadline, "no worker process was started"
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=600)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() < deadline, f"worker processes {workers} outlived the killed build"
        time.sleep(0.05)
