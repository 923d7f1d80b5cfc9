"""The README's "Fixing an error" workflow, run from the user's side: the CLI in a temporary git clone.

Released changelog entries must come out of every step byte for byte as they went in, and on a clone with
nothing changed the changelog and release commands must change nothing. The commands run through the
CLI's ``main`` in this process (``cli_in_process``); a refusal, whose exact message and exit status a user
sees, runs the command in a subprocess.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import citation_of_note

REPO_ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("validate_each_release_once")
CORRECTION = """- id: C9001
  kind: field
  table: citations
  record_id: "{citation}"
  field: pages
  old: "112-120"
  new: "112–120"
  reason: The printed note uses an en dash for the page range.
  author: test
  date: 2026-11-29
"""


def git(clone: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
        cwd=clone,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def cli_subprocess(clone: Path, *args: str) -> subprocess.CompletedProcess:
    """papers-dataset as a user runs it, on the clone, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline.commands", "--root", str(clone), *args],
        capture_output=True,
        text=True,
        timeout=900,
    )


def released_part(changelog: str) -> str:
    """Everything from the first released entry on (the part no command may change)."""
    return changelog[re.search(r"(?m)^## \[\d+\.\d+\.\d+\] - ", changelog).start() :]


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(target)], check=True)
    return target


@pytest.fixture
def cli(cli_in_process):
    """papers-dataset on the clone, run by the CLI's main in this process."""
    return lambda root, *args: cli_in_process("--root", root, *args)


def test_changelog_and_release_on_an_unchanged_clone_change_nothing(clone, cli, tmp_path):
    before = (clone / "CHANGELOG.md").read_bytes()
    result = cli(clone, "changelog")
    assert result.returncode == 0, result.stderr
    assert "no changes since the last release" in result.stdout
    assert (clone / "CHANGELOG.md").read_bytes() == before
    result = cli(clone, "release", "--out", str(tmp_path / "again.zip"))
    assert result.returncode == 0, result.stderr
    assert "already released" in result.stdout
    assert (clone / "CHANGELOG.md").read_bytes() == before
    with zipfile.ZipFile(tmp_path / "again.zip") as archive:
        assert archive.read("CHANGELOG.md") == before


def test_release_ships_only_the_listed_files_with_a_data_readme(clone, cli, tmp_path):
    (clone / "data/csv/scratch.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (clone / "figures/host.svg").symlink_to("/etc/hostname")
    zip_path = tmp_path / "release.zip"
    result = cli(clone, "release", "--out", str(zip_path))
    assert result.returncode == 0, result.stderr
    assert zip_path.stat().st_mode & 0o777 == 0o644
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        readme = archive.read("README.md").decode("utf-8")
    assert "data/csv/scratch.csv" not in names and "figures/host.svg" not in names
    assert readme != (clone / "README.md").read_text(encoding="utf-8")
    assert "## Loading" in readme and "## Citing" in readme
    (clone / "figures/timeline.svg").unlink()
    (clone / "figures/timeline.svg").symlink_to("/etc/hostname")
    result = cli_subprocess(clone, "release", "--out", str(tmp_path / "refused.zip"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {clone / 'figures/timeline.svg'}: is a symbolic link; a release ships no links (they can "
        "point outside the repository). Replace it with the file itself or rebuild the package"
    ]
    assert not (tmp_path / "refused.zip").exists()


def test_documented_correction_workflow_keeps_every_earlier_entry(clone, cli, tmp_path):
    original = (clone / "CHANGELOG.md").read_text(encoding="utf-8")
    history = released_part(original)
    assert "## [0.1.0] - " in history

    # 1. a correction; 2. ./run.sh
    with (clone / "corrections/kennan-op-263.yaml").open("a", encoding="utf-8") as handle:
        handle.write(CORRECTION.format(citation=citation_of_note(clone, 13)))
    assert cli(clone, "build").returncode == 0

    # 3. changelog, then bump the version, rebuild, changelog again
    result = cli(clone, "changelog")
    assert result.returncode == 0, result.stderr
    first = (clone / "CHANGELOG.md").read_text(encoding="utf-8")
    assert released_part(first) == history
    unreleased = first[first.index("## [Unreleased]") : first.index(history)]
    assert "change level: patch" in unreleased
    assert f"| `{citation_of_note(clone, 13)}` | `pages` | `112-120` | `112–120` |" in unreleased
    assert "suggested bump: patch (from 0.1.0: 0.1.1)" in result.stdout

    meta = clone / "dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("\nversion: 0.1.0\n", "\nversion: 0.1.1\n"))
    assert cli(clone, "build").returncode == 0
    assert cli(clone, "changelog").returncode == 0
    second = (clone / "CHANGELOG.md").read_text(encoding="utf-8")
    assert second == first  # the same difference: the unreleased entry is rewritten identically

    # 4. release: the unreleased entry moves under 0.1.1 and its date; 0.1.0 stays as it was
    zip_path = tmp_path / "release-0.1.1.zip"
    result = cli(clone, "release", "--date", "2026-11-29", "--out", str(zip_path))
    assert result.returncode == 0, result.stderr
    released = (clone / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" not in released
    assert released.endswith(history)
    assert released_part(released).startswith("## [0.1.1] - 2026-11-29\n")
    assert unreleased.split("\n", 1)[1] in released  # the entry's body moved unchanged
    with zipfile.ZipFile(zip_path) as archive:
        assert archive.read("CHANGELOG.md").decode("utf-8") == released

    # releasing 0.1.1 again rebuilds its zip; after a commit and tag, other changes are refused
    result = cli(clone, "release", "--out", str(tmp_path / "other.zip"))
    assert result.returncode == 0, result.stderr  # the package is still the 0.1.1 just released
    git(clone, "add", "-A")
    git(clone, "commit", "--quiet", "-m", "Release 0.1.1")
    git(clone, "tag", "v0.1.1")
    digest = hashlib.sha256((clone / "CHANGELOG.md").read_bytes()).hexdigest()
    assert cli(clone, "changelog").returncode == 0
    assert hashlib.sha256((clone / "CHANGELOG.md").read_bytes()).hexdigest() == digest
    (clone / "corrections/kennan-op-263.yaml").write_text(
        (clone / "corrections/kennan-op-263.yaml").read_text(encoding="utf-8").replace("112–120", "112—120"),
        encoding="utf-8",
    )
    assert cli(clone, "build").returncode == 0
    result = cli_subprocess(clone, "release", "--out", str(tmp_path / "refused.zip"))
    assert result.returncode == 1
    assert "version 0.1.1 is already released, but the package differs from v0.1.1" in result.stderr
    assert re.search(r"set version: 0\.(1\.[2-9]|[2-9]\.0) \(suggested\)", result.stderr)
    assert len(result.stderr.strip().splitlines()) <= 2
    assert hashlib.sha256((clone / "CHANGELOG.md").read_bytes()).hexdigest() == digest
    assert not (tmp_path / "refused.zip").exists()
