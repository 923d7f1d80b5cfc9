"""The CHANGELOG: a record-level entry rendered from the comparison with the last release
(`package_diff`), CHANGELOG.md read and written so that released entries are never rewritten, and the
last release found (a git tag, a folder or a zip).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pipeline.package.package_diff import PackageDiff, TableDiff, diff_packages, next_version, suggest_bump

SHOWN_ROWS = 20
SHOWN_CHARS = 80
UNRELEASED = "Unreleased"
VERSION = re.compile(r"\d+\.\d+\.\d+")
ENTRY_HEADING = re.compile(r"(?m)^## \[")
RELEASED_HEADING = re.compile(r"(?m)^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$")
CHANGELOG_HEADER = (
    "# Changelog\n\n"
    "Record-level changes of each published version of the dataset, newest first.\n"
    "`papers-dataset changelog` regenerates the [Unreleased] entry from a comparison with the last release;\n"
    "`papers-dataset release` moves it under its version and date. Released entries are never edited.\n"
    "The bump rules are in [docs/versioning.md](docs/versioning.md).\n"
)

# --- rendering -----------------------------------------------------------------------------------------


def _cell(value: str | None) -> str:
    if value is None or value == "":
        return "*(empty)*"
    text = " ".join(value.split())
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1] + "…"
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


def _id_list(label: str, ids: list[str], limit: int) -> list[str]:
    if not ids:
        return []
    shown = ", ".join(f"`{i}`" for i in ids[:limit])
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    noun = "record" if len(ids) == 1 else "records"
    return [f"- {label} {len(ids)} {noun}: {shown}{more}."]


def _render_table(table: TableDiff, limit: int, old_version: str | None = None) -> list[str]:
    lines = [f"### `{table.name}`", "", f"{table.old_rows} → {table.new_rows} rows.", ""]
    if table.primary_key_change:
        old, new = table.primary_key_change
        lines.append(f"- Primary key changed from `{', '.join(old)}` to `{', '.join(new)}`.")
    if table.columns_added:
        lines.append("- Columns added: " + ", ".join(f"`{c}`" for c in table.columns_added) + ".")
    if table.columns_removed:
        lines.append("- Columns removed: " + ", ".join(f"`{c}`" for c in table.columns_removed) + ".")
    for column, old, new in table.columns_retyped:
        lines.append(f"- Column `{column}` changed type from {old} to {new}.")
    lines += _id_list("Added", table.added, limit)
    lines += _id_list("Withdrawn", table.withdrawn, limit)
    lines += _id_list("Reinstated (withdrawn before, active again)", table.reinstated, limit)
    last = f"last published in {old_version}" if old_version else "last published in the previous version"
    lines += _id_list(
        f"Withdrawn, no longer found by extraction ({last}; IDs not reused)", table.retired, limit
    )
    if table.reissued:
        lines.append(
            "- Record IDs re-issued in the stable form that later versions keep (docs/versioning.md, "
            '"Finding a record across versions"): the IDs below are replaced by the added ones; match '
            "records by document_id and their text or offsets."
        )
    lines += _id_list("Removed without withdrawal (IDs no longer present)", table.vanished, limit)
    if table.changed:
        records = len({c.record_id for c in table.changed})
        lines += [
            f"- Changed {len(table.changed)} field value(s) in {records} record(s):",
            "",
            "| record | field | old | new |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{c.record_id}` | `{c.field}` | {_cell(c.old)} | {_cell(c.new)} |"
            for c in table.changed[:limit]
        ]
        if len(table.changed) > limit:
            lines.append(f"| … | | | {len(table.changed) - limit} more changes not shown |")
    lines.append("")
    return lines


def render_changelog_entry(
    diff: PackageDiff, version: str | None, date: str | None, limit: int = SHOWN_ROWS
) -> str:
    """A markdown CHANGELOG entry: tables and records added, withdrawn and changed, with their IDs.

    Without a version the entry is the ``## [Unreleased]`` one; a release renders the same body under
    ``## [<version>] - <date>``.
    """
    bump = suggest_bump(diff)
    heading = f"## [{version}] - {date}" if version else f"## [{UNRELEASED}]"
    lines = [heading, ""]
    compared = f"Compared with {diff.old_version}" if diff.old_version else "First release"
    lines += [f"{compared}; change level: {bump} (see docs/versioning.md).", ""]
    if diff.empty:
        return "\n".join([*lines, "No changes to tables or files.", ""])
    overview = []
    for name, rows in diff.tables_added.items():
        overview.append(f"- New table `{name}` ({rows} row{'' if rows == 1 else 's'}).")
    overview += [f"- Table `{name}` removed." for name in diff.tables_removed]
    overview += [f"- New file `{p}`." for p in diff.files_added]
    overview += [f"- File `{p}` removed." for p in diff.files_removed]
    overview += [f"- File `{p}` changed." for p in diff.files_changed]
    if overview:
        lines += ["### Package", "", *overview, ""]
    for name in sorted(diff.tables):
        if not diff.tables[name].empty:
            lines += _render_table(diff.tables[name], limit, diff.old_version)
    return "\n".join(lines).rstrip("\n") + "\n"


# --- the CHANGELOG.md file -----------------------------------------------------------------------------


class ChangelogError(ValueError):
    """CHANGELOG.md cannot be read or a release would rewrite history; the message says what to do."""


def _version_key(version: str) -> tuple[int, ...]:
    if not VERSION.fullmatch(version):
        raise ChangelogError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Changelog:
    """CHANGELOG.md split into its parts. Released entries are kept as the exact text they were written
    as, so no command can alter an earlier version's history; only the unreleased entry is regenerated."""

    header: str
    unreleased: str | None
    released: str

    @classmethod
    def parse(cls, text: str, where: str = "CHANGELOG.md") -> Changelog:
        starts = [m.start() for m in ENTRY_HEADING.finditer(text)]
        header = text[: starts[0]] if starts else text
        unreleased, released = None, ""
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            heading = text[start:].split("\n", 1)[0]
            line = text[:start].count("\n") + 1
            if heading == f"## [{UNRELEASED}]":
                if index != 0:
                    raise ChangelogError(
                        f"{where}:{line}: the [{UNRELEASED}] entry must come first, above every release"
                    )
                unreleased = text[start:end]
            elif not RELEASED_HEADING.fullmatch(heading):
                raise ChangelogError(
                    f"{where}:{line}: {heading!r} is neither '## [{UNRELEASED}]' nor "
                    "'## [X.Y.Z] - YYYY-MM-DD'; fix the heading by hand"
                )
            elif not released:
                released = text[start:]
        return cls(header, unreleased, released)

    @classmethod
    def read(cls, path: Path) -> Changelog:
        if not path.exists():
            return cls(CHANGELOG_HEADER, None, "")
        return cls.parse(path.read_text(encoding="utf-8"), str(path))

    @property
    def released_versions(self) -> list[str]:
        """Versions with a released entry, newest first as written."""
        return [m.group(1) for m in RELEASED_HEADING.finditer(self.released)]

    def released_entry(self, version: str) -> tuple[str, str] | None:
        """(date, entry text) of a released version, as written."""
        matches = list(RELEASED_HEADING.finditer(self.released))
        for index, match in enumerate(matches):
            if match.group(1) == version:
                end = matches[index + 1].start() if index + 1 < len(matches) else len(self.released)
                return match.group(2), self.released[match.start() : end]
        return None

    @property
    def text(self) -> str:
        parts = [self.header.rstrip("\n") + "\n"]
        if self.unreleased:
            parts.append(self.unreleased.rstrip("\n") + "\n")
        if self.released:
            parts.append(self.released)
        return "\n".join(parts)

    def with_unreleased(self, entry: str | None) -> Changelog:
        """The same history with the unreleased entry replaced (None removes it)."""
        return Changelog(self.header, entry, self.released)

    def with_release(self, entry: str) -> Changelog:
        """The unreleased entry moved under its version and date, above every earlier release."""
        match = RELEASED_HEADING.fullmatch(entry.split("\n", 1)[0])
        if not match:
            raise ChangelogError("a released entry starts with '## [X.Y.Z] - YYYY-MM-DD'")
        check_new_version(self, match.group(1))
        body = entry.rstrip("\n") + "\n"
        released = body + ("\n" + self.released if self.released else "")
        return Changelog(self.header, None, released)


def check_new_version(changelog: Changelog, version: str) -> None:
    """A release needs a version newer than every released one (released entries are never rewritten)."""
    released = changelog.released_versions
    if version in released:
        raise ChangelogError(
            f"CHANGELOG.md: version {version} is already released and its entry is final; set a new "
            "version: in dataset.yaml (see docs/versioning.md), rebuild, and release again"
        )
    newest = max(released, key=_version_key) if released else None
    if newest and _version_key(version) < _version_key(newest):
        raise ChangelogError(
            f"dataset.yaml: version {version} is older than the released {newest}; set a newer version: "
            f"in dataset.yaml (for example {next_version(newest, 'patch')}, see docs/versioning.md), "
            "rebuild, and release again"
        )


def release_history(
    history: Changelog, diff: PackageDiff, version: str, date: str, baseline: str
) -> tuple[Changelog, bool]:
    """The changelog after releasing ``version``, and whether that is a new release.

    A new version gets the comparison with the last release as its entry (the [Unreleased] entry moves
    under it). A version that is already released is never written again: it may only be rebuilt while
    the package still is that release (no difference from it, or exactly the difference its entry
    records), otherwise the maintainer is told which version to set.
    """
    released = history.released_entry(version)
    if released:
        date_released, entry = released
        recorded = render_changelog_entry(diff, version, date_released).rstrip("\n") == entry.rstrip("\n")
        if not (diff.empty or recorded):
            raise ChangelogError(
                f"dataset.yaml: version {version} is already released, but the package differs from "
                f"{baseline}; set version: {next_version(version, suggest_bump(diff))} (suggested), rebuild, "
                "and release"
            )
        return history, False
    if diff.empty:
        raise ChangelogError(f"nothing changed since the package at {baseline}; there is nothing to release")
    return history.with_release(render_changelog_entry(diff, version, date)), True


def save_changelog(path: Path, changelog: Changelog) -> bool:
    """Write CHANGELOG.md only when its text changes; True when it was written."""
    text = changelog.text
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def write_changelog(last_release: Path, new_package: Path, changelog: Path) -> tuple[PackageDiff, str | None]:
    """Regenerate the unreleased entry of CHANGELOG.md from the difference with the last release.

    Released entries are left byte for byte as they are; with no difference the unreleased entry is
    removed (and a file without one is not touched). Returns the difference and the entry written.
    """
    diff = diff_packages(last_release, new_package)
    entry = None if diff.empty else render_changelog_entry(diff, None, None)
    save_changelog(changelog, Changelog.read(changelog).with_unreleased(entry))
    return diff, entry


# --- the last release ----------------------------------------------------------------------------------


def last_release_reference(root: Path) -> str:
    """The newest git tag v*, or HEAD: the package as last committed is the last release."""
    tags = subprocess.run(
        ["git", "tag", "--list", "v*", "--sort=-v:refname"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return tags[0] if tags else "HEAD"


def export_package(root: Path, reference: str, target: Path) -> Path:
    """Unpack the package files of a git revision into ``target``."""
    result = subprocess.run(
        ["git", "archive", "--format=tar", reference, "--", "datapackage.json", "data", "text"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangelogError(
            f"{root}: cannot read the package at git revision {reference!r} "
            f"({message[0] if message else 'git archive failed'}); pass --since with a release zip or folder"
        )
    subprocess.run(["tar", "-x", "-C", str(target)], input=result.stdout, check=True)
    return target


def last_release_package(root: Path, since: str | None, scratch: Path) -> tuple[Path, str]:
    """The package to compare with: a folder or zip given as ``since``, else a git revision unpacked."""
    if since and Path(since).exists():
        return Path(since), since
    reference = since or last_release_reference(root)
    return export_package(root, reference, scratch), reference
