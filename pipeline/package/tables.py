"""Corpus-level table assembly: per-document frames combined, conformed to their specs and checked.

Pure functions shared by the Dagster assets and the tests, so a table can be built and checked
without Dagster.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from pipeline.package.schema import TableSpec, conform, load_table_spec, passes_all_rules, validate

# A table in hand, or one on disk read when it is needed (a build holds one table at a time, not all).
Frame = pl.DataFrame | pl.LazyFrame


def collected(frame: Frame) -> pl.DataFrame:
    """The table's rows in memory."""
    return frame.collect() if isinstance(frame, pl.LazyFrame) else frame


def combine(name: str, frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Concatenate per-document frames of one table and conform them to the table's spec.

    The frames are conformed once, together (the stable sort gives the same rows in the same order as
    conforming each first); frames whose columns cannot be concatenated as they are are conformed one by
    one first.
    """
    spec = load_table_spec(name)
    present = [frame for frame in frames if frame is not None]
    if not present:
        return conform(spec, pl.DataFrame(schema=spec.polars_schema))
    try:
        together = pl.concat(present, how="diagonal_relaxed")
    except pl.exceptions.PolarsError:
        together = pl.concat([conform(spec, frame) for frame in present], how="vertical")
    return conform(spec, together)


def schema_errors(spec: TableSpec, frame: pl.DataFrame) -> list[str]:
    """Run the pandera model; return one readable line per failure (empty when valid)."""
    if passes_all_rules(spec, frame):  # the model's verdict, without importing pandera (about a second)
        return []
    import pandera.errors

    try:
        validate(spec, frame)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for row in cases.head(30).iter_rows(named=True):
            lines.append(
                f"{spec.name}: column {row.get('column')}: {row.get('check')} failed"
                f" for value {row.get('failure_case')!r}"
            )
        return lines or [str(exc)]
    return []


def schema_failures(spec: TableSpec, frame: pl.DataFrame) -> list[tuple[int | None, str]]:
    """Every pandera failure with the row it is in (None when it concerns the whole table), the message
    naming the record by its primary key and, where the table has one, its source line."""
    if passes_all_rules(spec, frame):
        return []
    import pandera.errors

    try:
        validate(spec, frame)
    except pandera.errors.SchemaErrors as exc:
        failures = []
        line_column = next((c for c in ("source_line", "source_line_start") if c in frame.columns), None)
        for case in exc.failure_cases.iter_rows(named=True):
            row = case.get("index")
            value = case.get("failure_case")
            what = f"column {case.get('column')}: {case.get('check')} failed for value {value!r}"
            if row is not None and 0 <= row < frame.height:
                record = frame.row(row, named=True)
                key = ", ".join(str(record[k]) for k in spec.primary_key)
                line = f", source line {record[line_column]}" if line_column and record[line_column] else ""
                what = f"record {key}{line}: {what}"
            failures.append((row, what))
        return failures or [(None, str(exc))]
    return []


def foreign_key_errors(tables: Mapping[str, tuple[TableSpec, Frame]]) -> list[str]:
    """Foreign keys that point at no row, named by table, column and value (first few of each).

    Key by key, target by target: each referenced table's key columns are read once for every foreign key
    that points at them, and of a table on disk only the key columns are read."""
    keys = [(name, fk) for name, (spec, _) in sorted(tables.items()) for fk in spec.foreign_keys]
    found: dict[int, list[str]] = {}
    by_target: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for index, (name, fk) in enumerate(keys):
        if fk.resource not in tables:
            found[index] = [f"{name}: foreign key {fk.fields} refers to missing table {fk.resource}"]
        else:
            by_target.setdefault((fk.resource, fk.reference_fields), []).append(index)
    for (resource, columns), indexes in by_target.items():
        target = tables[resource][1].lazy().select(columns).collect()
        for index in indexes:
            name, fk = keys[index]
            fields = list(fk.fields)
            present = target.rename(dict(zip(columns, fields, strict=True))).lazy()
            dangling = (
                tables[name][1]
                .lazy()
                .select(fields)
                .drop_nulls()
                .join(present, on=fields, how="anti")
                .unique()
                .sort(fields)
                .collect()
            )
            rows = dangling.head(5).iter_rows()
            found[index] = [f"{name}: {', '.join(fields)} = {row} has no row in {resource}" for row in rows]
    return [error for index in range(len(keys)) for error in found[index]]
