"""The release's DuckDB database, built from the committed package: rows, keys, comments and views."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml

from pipeline.package.database import DatabaseError, build_database, dependency_order, table_specs

REPO_ROOT = Path(__file__).resolve().parent.parent
DESCRIPTOR = json.loads((REPO_ROOT / "datapackage.json").read_text(encoding="utf-8"))
TABLES = {r["name"]: r for r in DESCRIPTOR["resources"] if r.get("format") == "csv"}


def package_table(name: str) -> pl.DataFrame:
    """A table as the package's CSV file has it (the database is loaded from the Parquet twin)."""
    return pl.read_csv(REPO_ROOT / TABLES[name]["path"], infer_schema=False)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory):
    path = build_database(REPO_ROOT, tmp_path_factory.mktemp("db") / "package.duckdb")
    with duckdb.connect(str(path), read_only=True) as connection:
        yield connection


def test_every_table_has_the_package_rows(database):
    tables = {name for (name,) in database.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == set(TABLES)
    for name in TABLES:
        (count,) = database.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        assert count == package_table(name).height, name


def test_keys_are_those_of_the_descriptor_and_hold_on_the_package_rows(database):
    declared = Counter()
    unenforced = {s.name: s.unenforced for s in dependency_order(table_specs(REPO_ROOT))}
    for name, resource in TABLES.items():
        for key in resource["schema"].get("foreignKeys", []):
            if key["reference"]["resource"] not in unenforced[name]:
                declared[(name, tuple(key["fields"]), key["reference"]["resource"] or name)] += 1
            # The package's own rows satisfy the key (read from the CSV files, not from the database).
            child = package_table(name).select(key["fields"]).drop_nulls()
            parent = package_table(key["reference"]["resource"] or name)
            values = set(parent.select(key["reference"]["fields"]).iter_rows())
            missing = [row for row in child.iter_rows() if row not in values]
            assert not missing, (name, key, missing[:3])
    found = Counter()
    for table, columns, referenced in database.execute(
        "SELECT table_name, constraint_column_names, referenced_table FROM duckdb_constraints() "
        "WHERE constraint_type = 'FOREIGN KEY'"
    ).fetchall():
        found[(table, tuple(columns), referenced)] += 1
    assert found == declared
    primary = {
        table: list(columns)
        for table, columns in database.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    }
    assert primary == {name: r["schema"]["primaryKey"] for name, r in TABLES.items()}


def test_the_database_refuses_a_row_that_breaks_a_foreign_key(tmp_path):
    path = build_database(REPO_ROOT, tmp_path / "package.duckdb")
    with duckdb.connect(str(path)) as connection, pytest.raises(duckdb.ConstraintException):
        connection.execute(
            "INSERT INTO claim_citations (claim_id, citation_id, footnote_id, record_status) "
            "SELECT 'no-such:c999', citation_id, footnote_id, 'active' FROM citations LIMIT 1"
        )


def test_tables_and_columns_carry_the_descriptions_of_schemas(database):
    comments = {
        (table, column): comment
        for table, column, comment in database.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns()"
        ).fetchall()
    }
    for schema_file in sorted((REPO_ROOT / "schemas").glob("*.yaml")):
        spec = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
        for field in spec["fields"]:
            # The descriptor's text is the schema's, with what publishing adds (e.g. on unpublished text).
            assert comments[(spec["name"], field["name"])].startswith(" ".join(field["description"].split()))
    table_comments = dict(database.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    assert all(table_comments[name] for name in TABLES)


def test_claims_view_names_speakers_and_the_works_of_the_supporting_note(database):
    claims = package_table("claims").filter(pl.col("record_status") == "active")
    names = dict(package_table("entities").select("entity_id", "preferred_name").iter_rows())
    works = defaultdict(set)
    for claim_id, work_id, status in (
        package_table("claim_citations").select("claim_id", "work_id", "record_status").iter_rows()
    ):
        if work_id and status == "active":
            works[claim_id].add(work_id)
    rows = database.execute(
        "SELECT claim_id, speaker_name, speaker_id, work_ids, work_count FROM claims_with_sources"
    ).fetchall()
    assert len(rows) == claims.height
    by_id = {r["claim_id"]: r for r in claims.iter_rows(named=True)}
    for claim_id, speaker_name, speaker_id, work_ids, work_count in rows:
        claim = by_id[claim_id]
        expected = names.get(claim["claimant_id"]) or claim["claimant_name"] or claim["claimant_text"]
        assert speaker_name == expected and speaker_id == claim["claimant_id"]
        assert set((work_ids or "").split("; ")) - {""} == works[claim_id]
        assert work_count == len(works[claim_id])
    assert any(w for *_, w in rows), "no claim with a supporting work in the committed paper"


def test_events_view_lists_every_participant(database):
    participants = package_table("event_participants").filter(pl.col("record_status") == "active")
    counts = Counter(participants["event_id"].to_list())
    rows = database.execute("SELECT event_id, participant_count, participants FROM events_with_participants")
    rows = rows.fetchall()
    assert len(rows) == package_table("events").filter(pl.col("record_status") == "active").height
    for event_id, count, listed in rows:
        assert count == counts[event_id]
        assert (len(listed.split("; ")) if listed else 0) == counts[event_id]


def test_person_mentions_view_has_every_mention_of_a_person(database):
    persons = set(package_table("entities").filter(pl.col("entity_type") == "person")["entity_id"])
    mentions = package_table("mentions").filter(
        pl.col("entity_id").is_in(list(persons)) & (pl.col("record_status") == "active")
    )
    rows = database.execute("SELECT mention_id, mention_text, context FROM person_mentions").fetchall()
    assert sorted(r[0] for r in rows) == sorted(mentions["mention_id"])
    assert all(text in context for _, text, context in rows if context)


def test_the_release_database_lies_beside_the_zip(tmp_path):
    from pipeline.package.database import build_release_database

    path = build_release_database(REPO_ROOT, tmp_path / "dist" / "history-papers-dataset-9.9.9.zip")
    assert path == tmp_path / "dist" / "history-papers-dataset-9.9.9.duckdb"
    assert path.is_file() and not list(path.parent.glob(".partial-*"))


def test_a_missing_parquet_file_is_named(tmp_path):
    shutil.copy(REPO_ROOT / "datapackage.json", tmp_path / "datapackage.json")
    with pytest.raises(DatabaseError, match=r"citations\.parquet.*missing"):
        table_specs(tmp_path)


def readme_examples() -> dict[str, str]:
    """The README's database examples, by language (the fenced blocks between the example markers)."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- database-examples:start -->")[1].split("<!-- database-examples:end -->")[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, flags=re.DOTALL)
    return dict(blocks)


def test_the_readme_examples_run_on_the_release_database(tmp_path, monkeypatch):
    examples = readme_examples()
    assert set(examples) == {"sql", "python", "r"}
    paths = set(re.findall(r"dist/[\w.-]+\.duckdb", examples["python"] + examples["r"]))
    assert len(paths) == 1
    build_database(REPO_ROOT, tmp_path / paths.pop())
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(examples["python"], "README python example", "exec"), namespace)
    assert len(namespace["events"]) == package_table("events").height
    with duckdb.connect(str(next(tmp_path.glob("dist/*.duckdb"))), read_only=True) as connection:
        quoted = connection.execute(examples["sql"]).fetchall()
        assert quoted and all(count >= 1 for _, count, _ in quoted)
        # R's duckdb package is not in Debian and CRAN is out of reach here: its query runs through Python.
        (query,) = re.findall(r'dbGetQuery\(con, "(.*?)"\)', examples["r"])
        mentions = connection.execute(query).fetchall()
        assert sum(count for *_, count in mentions) == len(
            connection.execute("SELECT * FROM person_mentions").fetchall()
        )


def test_keys_that_reference_each_other_are_ordered_and_one_is_named_not_enforced(database):
    specs = {s.name: s for s in dependency_order(table_specs(REPO_ROOT))}
    # paragraphs point to their source document, which names its first and last paragraph
    left_out = {(name, table) for name, spec in specs.items() for table in spec.unenforced}
    assert len(left_out) == 1 and left_out <= {
        ("paragraphs", "source_documents"),
        ("source_documents", "paragraphs"),
    }
    ((table, referenced),) = left_out
    (comment,) = database.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = ?", [table]
    ).fetchone()
    assert f"-> {referenced} (" in comment and "not enforced here" in comment
