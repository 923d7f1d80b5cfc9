"""One spec, one verdict: the generated pandera model and frictionless (on the CSV as published) agree.

Each case is a purpose-made table spec and a frame that breaks (or keeps) one rule; the expected verdict
is written by hand from the Table Schema standard, where an empty CSV cell is a missing value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandera.errors
import polars as pl
import pytest
from frictionless import Resource, system

from pipeline.package.schema import TableSpec, frictionless_schema, pandera_schema, parse_table_spec, validate
from pipeline.package.table_files import blank_empty_strings, write_table


def _spec(*fields: dict[str, Any], primary_key: tuple[str, ...] = ("id",)) -> TableSpec:
    id_field = {"name": "id", "type": "string", "description": "Row ID.", "required": True}
    return parse_table_spec(
        "probe",
        {"title": "Probe", "description": "A table made for one rule.", "primary_key": list(primary_key),
         "stage": "text", "scope": "paper", "fields": [id_field, *fields]},
    )  # fmt: skip


def _frame(spec: TableSpec, **columns: list[Any]) -> pl.DataFrame:
    rows = len(next(iter(columns.values())))
    data = {"id": [f"r{i}" for i in range(rows)], **columns, "record_status": ["active"] * rows}
    return pl.DataFrame(data, schema=spec.polars_schema)


def _pandera_passes(spec: TableSpec, frame: pl.DataFrame) -> bool:
    """The pandera model's own verdict (`validate` asks it only when its one-pass check finds a failure)."""
    try:
        pandera_schema(spec).validate(frame, lazy=True)
    except (pandera.errors.SchemaError, pandera.errors.SchemaErrors):
        return False
    return True


def _validate_passes(spec: TableSpec, frame: pl.DataFrame) -> bool:
    try:
        validate(spec, frame)
    except (pandera.errors.SchemaError, pandera.errors.SchemaErrors):
        return False
    return True


def _frictionless_passes(spec: TableSpec, frame: pl.DataFrame, folder: Path) -> bool:
    write_table(blank_empty_strings(frame), folder / "probe.csv", folder / "probe.parquet")
    descriptor = {"name": "probe", "path": "probe.csv", "schema": frictionless_schema(spec)}
    with system.use_context(trusted=True):
        report = Resource(descriptor, basepath=str(folder)).validate()
    return report.valid


TEXT = {"name": "a", "type": "string", "description": "A text column."}
NUMBER = {"name": "a", "type": "integer", "description": "A number column."}
CASES = [
    # (rule, field spec, column values, passes)
    ("required text: empty string", {**TEXT, "required": True}, ["x", ""], False),
    ("required text: null", {**TEXT, "required": True}, ["x", None], False),
    ("required text: present", {**TEXT, "required": True}, ["x", "y"], True),
    ("required number: null", {**NUMBER, "required": True}, [1, None], False),
    ("optional text: empty and null", TEXT, ["", None], True),
    ("pattern: mismatch", {**TEXT, "pattern": r"^\d+$"}, ["1", "x"], False),
    ("pattern: matches only a prefix", {**TEXT, "pattern": r"\d{2}"}, ["12", "12ab"], False),
    ("pattern: empty optional", {**TEXT, "pattern": r"^\d+$"}, ["1", ""], True),
    ("pattern: empty required", {**TEXT, "pattern": r"^\d*$", "required": True}, ["1", ""], False),
    ("enum: outside", {**TEXT, "enum": ["p", "q"]}, ["p", "z"], False),
    ("enum: empty optional", {**TEXT, "enum": ["p", "q"]}, ["p", ""], True),
    ("unique: repeated", {**TEXT, "unique": True}, ["p", "p"], False),
    ("unique: repeated nulls", {**TEXT, "unique": True}, [None, None], True),
    ("unique: repeated empty strings", {**TEXT, "unique": True}, ["", ""], True),
    ("unique: repeated numbers", {**NUMBER, "unique": True}, [3, 3], False),
    ("minimum: below", {**NUMBER, "minimum": 1}, [1, 0], False),
    ("minimum: null", {**NUMBER, "minimum": 1}, [1, None], True),
    ("maximum: above", {**NUMBER, "maximum": 5}, [5, 6], False),
    ("maximum: at", {**NUMBER, "maximum": 5}, [5, 4], True),
]


@pytest.mark.parametrize(("rule", "field", "values", "passes"), CASES, ids=[case[0] for case in CASES])
def test_both_validators_give_the_same_verdict(rule, field, values, passes, tmp_path):
    spec = _spec(field)
    frame = _frame(spec, a=values)
    assert _frictionless_passes(spec, frame, tmp_path) is passes, f"frictionless on {rule}"
    assert _pandera_passes(spec, frame) is passes, f"pandera on {rule}"
    assert _validate_passes(spec, frame) is passes, f"validate on {rule}"


@pytest.mark.parametrize(
    ("rule", "ids", "values", "passes"),
    [
        ("primary key: repeated", ["r1", "r1"], ["x", "x"], False),
        ("primary key: differs in one part", ["r1", "r1"], ["x", "y"], True),
        ("primary key: empty string and null are both missing", ["r1", "r1"], ["", None], False),
    ],
)
def test_primary_key_verdicts_agree(rule, ids, values, passes, tmp_path):
    spec = _spec(TEXT, primary_key=("id", "a"))
    frame = pl.DataFrame({"id": ids, "a": values, "record_status": ["active"] * 2}, schema=spec.polars_schema)
    assert _frictionless_passes(spec, frame, tmp_path) is passes, f"frictionless on {rule}"
    assert _pandera_passes(spec, frame) is passes, f"pandera on {rule}"
    assert _validate_passes(spec, frame) is passes, f"validate on {rule}"


def test_the_pandera_error_names_the_column_and_the_rule():
    spec = _spec({**TEXT, "required": True})
    with pytest.raises(
        pandera.errors.SchemaErrors, match=r"Column 'a' failed.*required, found an empty string"
    ):
        validate(spec, _frame(spec, a=["x", ""]))


def test_foreign_keys_name_each_dangling_value_once() -> None:
    """The committed package's keys all resolve; a mention of an entity that is not there is named once,
    with its table, column and value, however often it occurs."""
    from pipeline.package.schema import load_table_spec
    from pipeline.package.tables import foreign_key_errors

    parquet = Path(__file__).resolve().parent.parent / "data" / "parquet"
    tables = {
        name: (load_table_spec(name), pl.read_parquet(parquet / f"{name}.parquet"))
        for name in (
            "mentions",
            "entities",
            "sentences",
            "footnotes",
            "paragraphs",
            "documents",
            "source_documents",
        )
    }
    assert foreign_key_errors(tables) == []
    spec, mentions = tables["mentions"]
    stray = mentions.head(3).with_columns(pl.lit("person:not-in-the-authority").alias("entity_id"))
    tables["mentions"] = (spec, pl.concat([mentions, stray]))
    assert foreign_key_errors(tables) == [
        "mentions: entity_id = ('person:not-in-the-authority',) has no row in entities"
    ]
    del tables["entities"]
    assert any("refers to missing table entities" in e for e in foreign_key_errors(tables))
