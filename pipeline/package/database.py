"""The release as a DuckDB database: every table with the keys and descriptions of datapackage.json.

The Parquet files carry no primary or foreign keys, so SQL users would have to declare them by hand. This
module reads the tables, their keys and descriptions from the package's own descriptor (so a table or
column another change adds flows through), creates the tables in dependency order with their constraints,
loads the Parquet rows (DuckDB checks every key on insert), comments every table and column, and adds the
documented views of ``sql/views.sql``.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from importlib import resources
from pathlib import Path
from typing import Any

BLOCK_SIZE = 16_384
SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "time": "TIME",
    "year": "INTEGER",
}


class DatabaseError(RuntimeError):
    """The package cannot be turned into a database; the message names the table, file or key."""


@dataclass(frozen=True)
class TableSpec:
    """One table of the package: its Table Schema (from the CSV resource) and its Parquet file."""

    name: str
    description: str
    schema: Mapping[str, Any]
    parquet: Path
    # Tables this one's foreign keys reference that also reference it (directly or round a cycle): DuckDB
    # needs a referenced table to exist first, so those keys are named in the comments, not enforced.
    unenforced: frozenset[str] = frozenset()

    @property
    def primary_key(self) -> list[str]:
        key = self.schema.get("primaryKey") or []
        return [key] if isinstance(key, str) else list(key)

    @property
    def foreign_keys(self) -> list[tuple[list[str], str, list[str]]]:
        """(fields, referenced table, referenced fields); an empty resource name means this table."""
        keys = []
        for key in self.schema.get("foreignKeys") or []:
            fields = key["fields"]
            reference = key["reference"]
            ref_fields = reference["fields"]
            keys.append(
                (
                    [fields] if isinstance(fields, str) else list(fields),
                    reference.get("resource") or self.name,
                    [ref_fields] if isinstance(ref_fields, str) else list(ref_fields),
                )
            )
        return keys


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _plain(text: Any) -> str:
    """A description on one line, without the "(Dataset version ...)" suffix the descriptor adds."""
    words = " ".join(str(text or "").split())
    if words.endswith(")") and "(Dataset version " in words:
        words = words[: words.rindex("(Dataset version ")].rstrip()
    return words


def table_specs(package_dir: Path) -> list[TableSpec]:
    """The package's tables from datapackage.json: each CSV table resource with its Parquet twin."""
    descriptor_path = package_dir / "datapackage.json"
    if not descriptor_path.is_file():
        raise DatabaseError(f"{descriptor_path}: not found; build the package first")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in descriptor.get("resources", [])}
    specs = []
    for resource in descriptor.get("resources", []):
        if resource.get("type") != "table" or resource.get("format") != "csv":
            continue
        twin = by_name.get(f"{resource['name']}-parquet")
        if twin is None or twin.get("format") != "parquet":
            raise DatabaseError(f"datapackage.json: table {resource['name']!r} has no Parquet resource")
        parquet = package_dir / twin["path"]
        if not parquet.is_file():
            raise DatabaseError(f"{parquet}: listed in datapackage.json but missing; rebuild the package")
        specs.append(
            TableSpec(resource["name"], _plain(resource.get("description")), resource["schema"], parquet)
        )
    return specs


def dependency_order(specs: list[TableSpec]) -> list[TableSpec]:
    """Tables ordered so that every table comes after the tables its foreign keys reference. Where keys
    form a cycle (paragraphs point to their source document, which names its first paragraph), one key of
    the cycle is left unenforced (``TableSpec.unenforced``) until the rest can be ordered."""
    names = {s.name: s for s in specs}
    graph: dict[str, set[str]] = {}
    for spec in specs:
        referenced = set()
        for fields, table, _ in spec.foreign_keys:
            if table not in names:
                raise DatabaseError(
                    f"datapackage.json: {spec.name}.{fields} references unknown table {table!r}"
                )
            if table != spec.name:
                referenced.add(table)
        graph[spec.name] = referenced
    unenforced: dict[str, set[str]] = {}
    while True:
        try:
            ordered = list(TopologicalSorter(dict(sorted(graph.items()))).static_order())
            break
        except CycleError as exc:
            cycle = exc.args[1]
            # graphlib lists a cycle as [a, b, ..., a] where each node depends on the next one
            table, referenced = cycle[0], cycle[1]
            if referenced not in graph[table]:
                table, referenced = cycle[1], cycle[0]
            graph[table].discard(referenced)
            unenforced.setdefault(table, set()).add(referenced)
    return [
        dataclasses.replace(names[name], unenforced=frozenset(unenforced.get(name, ()))) for name in ordered
    ]


def _unique_columns(spec: TableSpec) -> set[str]:
    return {f["name"] for f in spec.schema["fields"] if (f.get("constraints") or {}).get("unique")}


def create_statement(spec: TableSpec, specs: Mapping[str, TableSpec]) -> str:
    """CREATE TABLE with column types, NOT NULL, the primary key and every usable foreign key.

    DuckDB needs a referenced column set to be a primary key or UNIQUE; single columns the schema marks
    unique get a UNIQUE constraint for that.
    """
    lines = []
    for field in spec.schema["fields"]:
        constraints = field.get("constraints") or {}
        sql_type = SQL_TYPES.get(field.get("type", "string"), "VARCHAR")
        not_null = " NOT NULL" if constraints.get("required") else ""
        lines.append(f"{_ident(field['name'])} {sql_type}{not_null}")
    if spec.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(_ident(c) for c in spec.primary_key)})")
    single_key = set(spec.primary_key) if len(spec.primary_key) == 1 else set()
    for column in sorted(_unique_columns(spec) - single_key):
        lines.append(f"UNIQUE ({_ident(column)})")
    for fields, table, ref_fields in spec.foreign_keys:
        if table in spec.unenforced:
            continue
        target = specs[table]
        if ref_fields != target.primary_key and not (
            len(ref_fields) == 1 and ref_fields[0] in _unique_columns(target)
        ):
            raise DatabaseError(
                f"datapackage.json: {spec.name}.{fields} references {table}.{ref_fields}, which is neither "
                "its primary key nor a unique column"
            )
        lines.append(
            f"FOREIGN KEY ({', '.join(_ident(c) for c in fields)}) REFERENCES {_ident(table)} "
            f"({', '.join(_ident(c) for c in ref_fields)})"
        )
    return f"CREATE TABLE {_ident(spec.name)} (\n    " + ",\n    ".join(lines) + "\n)"


def _insert(connection, spec: TableSpec) -> None:
    """Load the Parquet rows; rows that reference rows of their own table go in after those rows."""
    columns = [f["name"] for f in spec.schema["fields"]]
    select = ", ".join(_ident(c) for c in columns)
    source = f"read_parquet({_literal(str(spec.parquet))})"
    self_keys = [(f, r) for f, t, r in spec.foreign_keys if t == spec.name]
    target = f"INSERT INTO {_ident(spec.name)} ({select}) SELECT {select} FROM {source}"
    try:
        if not self_keys:
            connection.execute(target)
            return
        # Self references (Ibid. pointing at an earlier citation, a relative date at its anchor): insert
        # in rounds, each round the rows whose references are already in the table.
        pending = " OR ".join(
            "(" + " AND ".join(f"s.{_ident(c)} IS NOT NULL" for c in fields) + ")" for fields, _ in self_keys
        )
        present = " AND ".join(
            "(" + " OR ".join(f"s.{_ident(c)} IS NULL" for c in fields) + " OR EXISTS (SELECT 1 FROM "
            f"{_ident(spec.name)} t WHERE "
            + " AND ".join(f"t.{_ident(r)} = s.{_ident(c)}" for c, r in zip(fields, refs, strict=True))
            + "))"
            for fields, refs in self_keys
        )
        key = " AND ".join(f"t.{_ident(c)} = s.{_ident(c)}" for c in spec.primary_key)
        connection.execute(f"{target} s WHERE NOT ({pending})")
        while True:
            before = connection.execute(f"SELECT count(*) FROM {_ident(spec.name)}").fetchone()[0]
            connection.execute(
                f"INSERT INTO {_ident(spec.name)} ({select}) SELECT {select} FROM {source} s WHERE {present} "
                f"AND NOT EXISTS (SELECT 1 FROM {_ident(spec.name)} t WHERE {key})"
            )
            after = connection.execute(f"SELECT count(*) FROM {_ident(spec.name)}").fetchone()[0]
            if after == before:
                break
        total = connection.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
        if after != total:
            raise DatabaseError(
                f"{spec.parquet}: {total - after} row(s) of {spec.name} reference rows of their own table "
                "that are missing"
            )
    except DatabaseError:
        raise
    except Exception as exc:
        raise DatabaseError(f"{spec.parquet}: loading {spec.name} failed: {exc}") from exc


def _comment(connection, spec: TableSpec) -> None:
    description = spec.description
    for fields, table, ref_fields in spec.foreign_keys:
        if table in spec.unenforced:
            description += (
                f" Foreign key ({', '.join(fields)}) -> {table} ({', '.join(ref_fields)}): declared in "
                f"datapackage.json, not enforced here ({table} references this table in turn)."
            )
    connection.execute(f"COMMENT ON TABLE {_ident(spec.name)} IS {_literal(description)}")
    for field in spec.schema["fields"]:
        description = _plain(field.get("description"))
        if description:
            connection.execute(
                f"COMMENT ON COLUMN {_ident(spec.name)}.{_ident(field['name'])} IS {_literal(description)}"
            )


def views_sql() -> str:
    """The documented views (CREATE VIEW and COMMENT ON VIEW statements)."""
    return resources.files("pipeline.package").joinpath("sql/views.sql").read_text(encoding="utf-8")


def build_database(package_dir: Path, out_path: Path) -> Path:
    """Write the package under package_dir as a DuckDB file at out_path (replacing it when complete)."""
    import duckdb

    specs = dependency_order(table_specs(package_dir))
    by_name = {s.name: s for s in specs}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(f".partial-{out_path.name}")
    partial.unlink(missing_ok=True)
    try:
        with duckdb.connect() as connection:
            connection.execute("SET threads = 1")  # a shared machine; the tables are small
            # Small blocks: at the default 256 KiB every table and index takes whole blocks (21 MB for
            # the one-paper package, 1 MB with these).
            connection.execute(f"ATTACH {_literal(str(partial))} AS release (BLOCK_SIZE {BLOCK_SIZE})")
            connection.execute("USE release")
            for spec in specs:
                connection.execute(create_statement(spec, by_name))
                _insert(connection, spec)
                _comment(connection, spec)
            connection.execute(views_sql())
            connection.execute("CHECKPOINT")
            connection.execute("USE memory")
            connection.execute("DETACH release")
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)
    return out_path


def build_release_database(repo_root: Path, zip_path: Path) -> Path:
    """The release's DuckDB file beside its zip: dist/<name>-<version>.duckdb for the default zip path."""
    return build_database(repo_root, zip_path.with_suffix(".duckdb"))


def database_command(root: Path, out: Path | None) -> int:
    """`papers-dataset database`: the package under root as a DuckDB file (default beside the release zip)."""
    from pipeline.package.release import default_release_path

    path = build_database(root, out or default_release_path(root).with_suffix(".duckdb"))
    print(f"database: {path} ({path.stat().st_size} bytes)")
    return 0
