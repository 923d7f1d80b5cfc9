"""Changelog: record-level differences between two packages, the bump rule, and the CHANGELOG file."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipeline.package.changelog import (
    Changelog,
    ChangelogError,
    release_history,
    render_changelog_entry,
    write_changelog,
)
from pipeline.package.package_diff import FieldChange, diff_packages, next_version, suggest_bump

REPO_ROOT = Path(__file__).resolve().parent.parent

PERSONS = {
    "primary_key": ["person_id"],
    "fields": {"person_id": "string", "name": "string", "born": "integer", "record_status": "string"},
    "rows": [
        {"person_id": "d:per01", "name": "Louis Fisher", "born": "1896", "record_status": "active"},
        {"person_id": "d:per02", "name": "Ivan Maisky", "born": "1884", "record_status": "active"},
        {"person_id": "d:per03", "name": "A. Nobody", "born": "", "record_status": "active"},
    ],
}


def write_package(root: Path, version: str, tables: dict, files: dict[str, str] | None = None) -> Path:
    """A minimal Frictionless package: one CSV per table, primary keys and types in the descriptor."""
    resources = []
    for name, table in tables.items():
        path = root / "data" / "csv" / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(table["fields"]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(table["rows"])
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": f"data/csv/{name}.csv",
                "format": "csv",
                "schema": {
                    "fields": [{"name": n, "type": t} for n, t in table["fields"].items()],
                    "primaryKey": table["primary_key"],
                },
            }
        )
    for relative, digest in (files or {}).items():
        resources.append({"name": relative, "type": "file", "path": relative, "hash": digest})
    root.mkdir(parents=True, exist_ok=True)
    (root / "datapackage.json").write_text(json.dumps({"version": version, "resources": resources}))
    return root


def changed_persons() -> dict:
    rows = [dict(r) for r in PERSONS["rows"]]
    rows[0]["name"] = "Louis Fischer"  # an OCR fix
    rows[2]["record_status"] = "withdrawn"
    rows.append({"person_id": "d:per04", "name": "Jane Degras", "born": "1905", "record_status": "active"})
    return {**PERSONS, "rows": rows}


def test_known_changes_are_listed_with_their_ids(tmp_path):
    old = write_package(tmp_path / "old", "0.1.0", {"persons": PERSONS})
    new = write_package(tmp_path / "new", "0.2.0", {"persons": changed_persons()})
    diff = diff_packages(old, new)
    persons = diff.tables["persons"]
    assert persons.added == ["d:per04"]
    assert persons.withdrawn == ["d:per03"]
    assert persons.vanished == []
    assert persons.changed == [FieldChange("d:per01", "name", "Louis Fisher", "Louis Fischer")]
    assert (diff.old_version, diff.new_version) == ("0.1.0", "0.2.0")
    assert suggest_bump(diff) == "minor"  # extractor output changed (not explained by corrections)
    entry = render_changelog_entry(diff, "0.2.0", "2026-11-27")
    assert entry.startswith("## [0.2.0] - 2026-11-27\n\nCompared with 0.1.0; change level: minor")
    assert "### `persons`\n\n3 → 4 rows." in entry
    assert "- Added 1 record: `d:per04`." in entry
    assert "- Withdrawn 1 record: `d:per03`." in entry
    assert "| `d:per01` | `name` | `Louis Fisher` | `Louis Fischer` |" in entry


def test_changes_explained_by_new_corrections_are_a_patch(tmp_path):
    corrections_fields = {
        "correction_id": "string",
        "table_name": "string",
        "record_id": "string",
        "field": "string",
    }
    before = {"primary_key": ["correction_id"], "fields": corrections_fields, "rows": []}
    after = {
        **before,
        "rows": [
            {"correction_id": "C1", "table_name": "persons", "record_id": "d:per01", "field": "name"},
            {
                "correction_id": "C2",
                "table_name": "persons",
                "record_id": "d:per03",
                "field": "record_status",
            },
        ],
    }
    rows = [dict(r) for r in PERSONS["rows"]]
    rows[0]["name"] = "Louis Fischer"
    rows[2]["record_status"] = "withdrawn"
    old = write_package(tmp_path / "old", "0.1.0", {"persons": PERSONS, "corrections": before})
    new = write_package(
        tmp_path / "new", "0.1.1", {"persons": {**PERSONS, "rows": rows}, "corrections": after}
    )
    diff = diff_packages(old, new)
    assert diff.tables["corrections"].added == ["C1", "C2"]
    assert suggest_bump(diff) == "patch"


def test_vanished_records_and_changed_columns_are_major(tmp_path):
    old = write_package(tmp_path / "old", "0.1.0", {"persons": PERSONS})
    vanished = {**PERSONS, "rows": PERSONS["rows"][:2]}
    new = write_package(tmp_path / "new", "0.2.0", {"persons": vanished})
    diff = diff_packages(old, new)
    assert diff.tables["persons"].vanished == ["d:per03"]
    assert suggest_bump(diff) == "major"
    assert "Removed without withdrawal (IDs no longer present) 1 record: `d:per03`" in render_changelog_entry(
        diff, "1.0.0", "2026-11-27"
    )
    retyped = {**PERSONS, "fields": {**PERSONS["fields"], "born": "string"}}
    diff = diff_packages(old, write_package(tmp_path / "retyped", "0.2.0", {"persons": retyped}))
    assert diff.tables["persons"].columns_retyped == [("born", "integer", "string")]
    assert suggest_bump(diff) == "major"


def test_new_tables_and_columns_are_minor(tmp_path):
    old = write_package(tmp_path / "old", "0.1.0", {"persons": PERSONS})
    fields = {**PERSONS["fields"], "died": "integer"}
    rows = [{**r, "died": ""} for r in PERSONS["rows"]]
    works = {"primary_key": ["work_id"], "fields": {"work_id": "string"}, "rows": [{"work_id": "w1"}]}
    new = write_package(
        tmp_path / "new", "0.2.0", {"persons": {**PERSONS, "fields": fields, "rows": rows}, "works": works}
    )
    diff = diff_packages(old, new)
    assert diff.tables_added == {"works": 1}
    assert diff.tables["persons"].columns_added == ["died"]
    assert diff.tables["persons"].changed == []  # a new empty column is not a change of every record
    assert suggest_bump(diff) == "minor"
    entry = render_changelog_entry(diff, "0.2.0", "2026-11-27")
    assert "- New table `works` (1 row)." in entry and "- Columns added: `died`." in entry


def test_long_lists_are_summarised(tmp_path):
    many = {
        **PERSONS,
        "rows": [
            {"person_id": f"d:p{i:03d}", "name": "x", "born": "", "record_status": "active"}
            for i in range(30)
        ],
    }
    old = write_package(tmp_path / "old", "0.1.0", {"persons": {**PERSONS, "rows": []}})
    new = write_package(tmp_path / "new", "0.2.0", {"persons": many})
    entry = render_changelog_entry(diff_packages(old, new), "0.2.0", "2026-11-27", limit=5)
    assert "- Added 30 records: `d:p000`, `d:p001`, `d:p002`, `d:p003`, `d:p004` and 25 more." in entry


def test_changed_text_files_are_listed(tmp_path):
    old = write_package(tmp_path / "old", "0.1.0", {"persons": PERSONS}, {"text/d.txt": "sha256:aa"})
    new = write_package(tmp_path / "new", "0.1.1", {"persons": PERSONS}, {"text/d.txt": "sha256:bb"})
    diff = diff_packages(old, new)
    assert diff.files_changed == ["text/d.txt"]
    assert suggest_bump(diff) == "patch"
    assert "- File `text/d.txt` changed." in render_changelog_entry(diff, "0.1.1", "2026-11-27")


def test_committed_package_compared_with_itself_has_no_changes(tmp_path):
    diff = diff_packages(REPO_ROOT, REPO_ROOT)
    assert diff.empty and suggest_bump(diff) == "none"
    assert "footnotes" in diff.tables and diff.tables["footnotes"].old_rows > 0
    assert "No changes to tables or files." in render_changelog_entry(diff, diff.new_version, "2026-11-27")


def test_committed_package_with_a_withdrawn_footnote(tmp_path):
    copy = tmp_path / "new"
    copy.mkdir()
    shutil.copy(REPO_ROOT / "datapackage.json", copy)
    shutil.copytree(REPO_ROOT / "data" / "csv", copy / "data" / "csv")
    path = copy / "data" / "csv" / "footnotes.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    note = pl.read_csv(path).filter(pl.col("number") == 30)["footnote_id"][0]
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{note},"))
    assert lines[index].endswith(",active")
    lines[index] = lines[index][: -len("active")] + "withdrawn"
    path.write_text("\n".join(lines), encoding="utf-8")
    diff = diff_packages(REPO_ROOT, copy)
    footnotes = diff.tables["footnotes"]
    assert footnotes.withdrawn == [note]
    assert footnotes.changed == [] and footnotes.added == []
    assert all(diff.tables[n].empty for n in diff.tables if n != "footnotes")


def test_next_version():
    assert next_version("0.1.0", "patch") == "0.1.1"
    assert next_version("0.1.3", "minor") == "0.2.0"
    assert next_version("0.4.3", "major") == "1.0.0"
    assert next_version("1.2.3", "none") == "1.2.3"
    with pytest.raises(ValueError):
        next_version("v1", "patch")


HISTORY = """# Changelog

Intro.

## [0.2.0] - 2026-11-20

Second release, written by hand: *keep me exactly*.

## [0.1.0] - 2026-11-01

First release.
"""


def test_unreleased_entry_is_regenerated_and_released_entries_stay_byte_for_byte(tmp_path):
    path = tmp_path / "CHANGELOG.md"
    path.write_text(HISTORY, encoding="utf-8")
    released = HISTORY[HISTORY.index("## [0.2.0]") :]
    old = write_package(tmp_path / "old", "0.2.0", {"persons": PERSONS})
    new = write_package(tmp_path / "new", "0.2.0", {"persons": changed_persons()})
    _, entry = write_changelog(old, new, path)
    assert entry is not None and entry.startswith(
        "## [Unreleased]\n\nCompared with 0.2.0; change level: minor"
    )
    first = path.read_text(encoding="utf-8")
    assert first == "# Changelog\n\nIntro.\n\n" + entry + "\n" + released
    # the same comparison again: the unreleased entry is replaced, not stacked
    write_changelog(old, new, path)
    assert path.read_text(encoding="utf-8") == first
    # a different package: only the unreleased entry changes
    fewer = write_package(tmp_path / "fewer", "0.2.0", {"persons": {**PERSONS, "rows": PERSONS["rows"][:2]}})
    write_changelog(old, fewer, path)
    text = path.read_text(encoding="utf-8")
    assert text.count("## [Unreleased]") == 1 and "`d:per03`" in text and "`d:per04`" not in text
    assert text.endswith(released)


def test_unchanged_package_leaves_the_file_untouched(tmp_path):
    path = tmp_path / "CHANGELOG.md"
    path.write_text(HISTORY, encoding="utf-8")
    before = path.stat().st_mtime_ns
    package = write_package(tmp_path / "same", "0.2.0", {"persons": PERSONS})
    diff, entry = write_changelog(package, package, path)
    assert entry is None and diff.empty
    assert path.read_text(encoding="utf-8") == HISTORY
    assert path.stat().st_mtime_ns == before
    # a stale unreleased entry goes when the package is back to the release
    path.write_text(HISTORY.replace("## [0.2.0]", "## [Unreleased]\n\nStale.\n\n## [0.2.0]", 1))
    write_changelog(package, package, path)
    assert path.read_text(encoding="utf-8") == HISTORY


def test_release_moves_the_unreleased_entry_under_its_version_and_date(tmp_path):
    old = write_package(tmp_path / "old", "0.2.0", {"persons": PERSONS})
    new = write_package(tmp_path / "new", "0.3.0", {"persons": changed_persons()})
    diff = diff_packages(old, new)
    history = Changelog.parse(HISTORY).with_unreleased(render_changelog_entry(diff, None, None))
    released = history.with_release(render_changelog_entry(diff, "0.3.0", "2026-11-29"))
    text = released.text
    assert "[Unreleased]" not in text
    body = history.unreleased.split("\n", 1)[1]
    assert text.startswith("# Changelog\n\nIntro.\n\n## [0.3.0] - 2026-11-29\n" + body)
    assert text.endswith(HISTORY[HISTORY.index("## [0.2.0]") :])
    assert released.released_versions == ["0.3.0", "0.2.0", "0.1.0"]


def test_a_released_version_cannot_be_written_again_or_go_backwards(tmp_path):
    history = Changelog.parse(HISTORY)
    with pytest.raises(ChangelogError, match=r"version 0\.2\.0 is already released"):
        history.with_release("## [0.2.0] - 2026-11-29\n\nRewritten.\n")
    with pytest.raises(ChangelogError, match=r"version 0\.1\.5 is older than the released 0\.2\.0"):
        history.with_release("## [0.1.5] - 2026-11-29\n\nBackwards.\n")


def test_a_heading_that_is_neither_released_nor_unreleased_is_refused():
    legacy = HISTORY.replace("## [0.1.0] - 2026-11-01", "## [0.1.0] - unreleased")
    with pytest.raises(ChangelogError, match=r"CHANGELOG.md:9: '## \[0.1.0\] - unreleased' is neither"):
        Changelog.parse(legacy)
    late = HISTORY + "\n## [Unreleased]\n\nLate.\n"
    with pytest.raises(ChangelogError, match="must come first"):
        Changelog.parse(late)


def test_the_committed_changelog_parses_with_released_entries_only():
    history = Changelog.read(REPO_ROOT / "CHANGELOG.md")
    assert history.unreleased is None and "0.1.0" in history.released_versions
    assert history.text == (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_write_changelog_against_a_release_zip(tmp_path):
    from pipeline.package.release import write_zip

    old = write_package(tmp_path / "old", "0.1.0", {"persons": PERSONS})
    contents = {p.relative_to(old).as_posix(): p.read_bytes() for p in old.rglob("*") if p.is_file()}
    release = write_zip(contents, tmp_path / "release-0.1.0.zip")
    new = write_package(tmp_path / "new", "0.2.0", {"persons": changed_persons()})
    changelog = tmp_path / "CHANGELOG.md"
    diff, entry = write_changelog(release, new, changelog)
    assert suggest_bump(diff) == "minor"
    assert "- Added 1 record: `d:per04`." in changelog.read_text(encoding="utf-8")
    assert entry in changelog.read_text(encoding="utf-8")


def test_wording_of_a_paper_closed_since_the_release_is_not_printed(tmp_path):
    wording = "The committee met three times in the spring of that year."
    documents = {
        "primary_key": ["document_id"],
        "fields": {"document_id": "string", "full_text_published": "boolean"},
        "rows": [{"document_id": "d", "full_text_published": "true"}],
    }
    paragraphs = {
        "primary_key": ["paragraph_id"],
        "fields": {
            "paragraph_id": "string",
            "document_id": "string",
            "text": "string",
            "char_end": "integer",
        },
        "rows": [{"paragraph_id": "d:p1", "document_id": "d", "text": wording, "char_end": "57"}],
    }
    old = write_package(tmp_path / "old", "0.1.0", {"documents": documents, "paragraphs": paragraphs})
    closed_documents = {**documents, "rows": [{"document_id": "d", "full_text_published": "false"}]}
    closed_paragraphs = {
        **paragraphs,
        "rows": [{"paragraph_id": "d:p1", "document_id": "d", "text": "", "char_end": "58"}],
    }
    new = write_package(
        tmp_path / "new", "0.2.0", {"documents": closed_documents, "paragraphs": closed_paragraphs}
    )
    entry = render_changelog_entry(diff_packages(old, new), None, None)
    assert "three times" not in entry
    assert "| `d:p1` | `text` | `(withheld: the paper's text is not published)` |" in entry
    assert "| `d:p1` | `char_end` | `57` | `58` |" in entry  # offsets are not wording and stay listed


def test_release_history_rebuilds_a_release_only_while_the_package_is_that_release(tmp_path):
    old = write_package(tmp_path / "old", "0.2.0", {"persons": PERSONS})
    new = write_package(tmp_path / "new", "0.3.0", {"persons": changed_persons()})
    diff = diff_packages(old, new)
    history, is_new = release_history(Changelog.parse(HISTORY), diff, "0.3.0", "2026-11-29", "HEAD")
    assert is_new and history.released_versions == ["0.3.0", "0.2.0", "0.1.0"]
    # again, before the release is committed: the same difference its entry records
    again, is_new = release_history(history, diff, "0.3.0", "2026-11-30", "HEAD")
    assert not is_new and again.text == history.text
    # compared with the release itself: no difference
    same = diff_packages(new, new)
    assert release_history(history, same, "0.3.0", "2026-11-30", "v0.3.0") == (history, False)
    # anything else under a released version is refused, with the version to set
    emptied = write_package(tmp_path / "other", "0.3.0", {"persons": {**PERSONS, "rows": []}})
    other = diff_packages(old, emptied)
    with pytest.raises(ChangelogError, match=r"set version: 1\.0\.0 \(suggested\)"):
        release_history(history, other, "0.3.0", "2026-11-30", "HEAD")
    with pytest.raises(ChangelogError, match="nothing changed since the package at HEAD"):
        release_history(history, same, "0.4.0", "2026-11-30", "HEAD")
