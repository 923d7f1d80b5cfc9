"""Table specifications: the single source for pandera models, Table Schemas and the data dictionary.

Each table is described once, in ``schemas/<table>.yaml``. Everything that needs to know a table's
columns (validation, casting, ``datapackage.json``, docs) derives it from here, so the three can never
disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from pipeline.paths import SCHEMA_DIR
from pipeline.vocab import load_yaml

if TYPE_CHECKING:  # pandera (and pandas under it) costs seconds to import; only validation needs it
    import pandera.polars as pa

POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "integer": pl.Int64(),
    "number": pl.Float64(),
    "boolean": pl.Boolean(),
    "date": pl.Date(),
}


RECORD_STATUS = "record_status"
RECORD_STATUS_FIELD_DESCRIPTION = (
    "active for a current record; withdrawn when a correction withdrew it (the row and its ID stay, IDs are "
    "never reused)."
)


class SchemaSpecError(ValueError):
    """A file in schemas/ is not a valid table specification."""


# The stages that make the published tables, in the order the build runs them: each spec names its own
# (``stage``), and the build's table lists are derived from the specs (`tables_of`).
STAGES = ("text", "bibliography", "claims", "entities", "events", "package")
# ``scope: paper``: the table's rows are the union of each paper's own rows, made and checked with the paper
# (adding such a table means its spec and the per-paper function that fills it); ``scope: corpus``: the
# table is made from all papers together (works merged across papers, the authority, corrections).
SCOPES = ("paper", "corpus")


@dataclass(frozen=True)
class FieldSpec:
    """One column: its name, type, meaning and constraints."""

    name: str
    type: str
    description: str
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    example: Any = None
    source_text: bool = False  # republishes the paper's wording: withheld when a paper's full text is off

    @property
    def dtype(self) -> pl.DataType:
        return POLARS_TYPES[self.type]


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """A published table: description, columns in order, keys and row order."""

    name: str
    title: str
    description: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    row_order: tuple[str, ...] = field(default=())
    stage: str = "package"
    scope: str = "corpus"

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        return {f.name: f.dtype for f in self.fields}

    @property
    def sort_columns(self) -> list[str]:
        return list(self.row_order or self.primary_key)


def _parse_field(table: str, raw: dict[str, Any]) -> FieldSpec:
    missing = {"name", "type", "description"} - raw.keys()
    if missing:
        raise SchemaSpecError(f"schemas/{table}.yaml: field {raw.get('name', '?')!r} lacks {sorted(missing)}")
    if raw["type"] not in POLARS_TYPES:
        raise SchemaSpecError(
            f"schemas/{table}.yaml: field {raw['name']!r} has unknown type {raw['type']!r}; "
            f"use one of {sorted(POLARS_TYPES)}"
        )
    unknown = raw.keys() - {f.name for f in FieldSpec.__dataclass_fields__.values()}
    if unknown:
        raise SchemaSpecError(
            f"schemas/{table}.yaml: field {raw['name']!r} has unknown keys {sorted(unknown)}"
        )
    if raw.get("source_text") and raw.get("required"):
        raise SchemaSpecError(
            f"schemas/{table}.yaml: field {raw['name']!r} is source_text, so it is empty when a paper's full "
            "text is off and cannot be required"
        )
    enum = tuple(raw["enum"]) if raw.get("enum") is not None else None
    return FieldSpec(**{**raw, "enum": enum, "description": " ".join(str(raw["description"]).split())})


def parse_table_spec(name: str, raw: dict[str, Any]) -> TableSpec:
    """Build a TableSpec from the YAML mapping of ``schemas/<name>.yaml``."""
    for key in ("title", "description", "primary_key", "fields", "stage", "scope"):
        if key not in raw:
            raise SchemaSpecError(f"schemas/{name}.yaml: missing top-level key {key!r}")
    if raw["stage"] not in STAGES:
        raise SchemaSpecError(f"schemas/{name}.yaml: stage {raw['stage']!r} is not one of {list(STAGES)}")
    if raw["scope"] not in SCOPES:
        raise SchemaSpecError(f"schemas/{name}.yaml: scope {raw['scope']!r} is not one of {list(SCOPES)}")
    fields = (
        *(_parse_field(name, f) for f in raw["fields"]),
        FieldSpec(
            name=RECORD_STATUS,
            type="string",
            description=RECORD_STATUS_FIELD_DESCRIPTION,
            required=True,
            enum=("active", "withdrawn"),
        ),
    )
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise SchemaSpecError(f"schemas/{name}.yaml: duplicate column names")
    for key_col in [*raw["primary_key"], *raw.get("row_order", [])]:
        if key_col not in names:
            raise SchemaSpecError(f"schemas/{name}.yaml: key column {key_col!r} is not a field")
    foreign_keys = tuple(
        ForeignKey(
            fields=tuple(fk["fields"]),
            resource=fk["reference"]["resource"],
            reference_fields=tuple(fk["reference"]["fields"]),
        )
        for fk in raw.get("foreign_keys", [])
    )
    return TableSpec(
        name=name,
        title=raw["title"],
        description=" ".join(str(raw["description"]).split()),
        fields=fields,
        primary_key=tuple(raw["primary_key"]),
        foreign_keys=foreign_keys,
        row_order=tuple(raw.get("row_order", ())),
        stage=raw["stage"],
        scope=raw["scope"],
    )


@cache
def load_table_spec(name: str, schema_dir: Path = SCHEMA_DIR) -> TableSpec:
    path = schema_dir / f"{name}.yaml"
    if not path.exists():
        raise SchemaSpecError(f"no table specification at {path}")
    raw = load_yaml(path.read_text(encoding="utf-8"))
    if raw.get("name", name) != name:
        raise SchemaSpecError(f"{path}: name {raw['name']!r} does not match the file name")
    return parse_table_spec(name, raw)


def all_table_names(schema_dir: Path = SCHEMA_DIR) -> list[str]:
    return sorted(p.stem for p in schema_dir.glob("*.yaml"))


def tables_of(stage: str | None = None, scope: str | None = None, schema_dir: Path = SCHEMA_DIR) -> list[str]:
    """The tables whose specs name this stage and/or scope, by name."""
    return [
        name
        for name in all_table_names(schema_dir)
        if (stage is None or load_table_spec(name, schema_dir).stage == stage)
        and (scope is None or load_table_spec(name, schema_dir).scope == scope)
    ]


def extracted_columns(name: str) -> dict[str, pl.DataType]:
    """The columns an extractor fills, with their types: every column of the spec but record_status."""
    return {f.name: f.dtype for f in load_table_spec(name).fields if f.name != RECORD_STATUS}


def rows_to_frame(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Extracted rows as a frame with the table's column types (columns the rows lack are null)."""
    return pl.DataFrame(rows, schema=extracted_columns(name))


def _present(name: str, dtype: pl.DataType) -> pl.Expr:
    """A cell that holds a value: not null and, for text, not empty (an empty CSV cell means missing)."""
    present = pl.col(name).is_not_null()
    return present & (pl.col(name) != "") if dtype == pl.String() else present


def _element_check(expr: pl.Expr, name: str, error: str) -> pa.Check:
    import pandera.polars as pa

    return pa.Check(lambda data: data.lazyframe.select(expr), name=name, error=error)


@dataclass(frozen=True)
class RowRule:
    """One rule every row must pass: a boolean expression (True = passes), the check's name and message.

    The pandera model checks each rule; `validate` first evaluates all of them in one polars pass.
    """

    name: str
    error: str
    passes: pl.Expr
    pandera_builtin: str | None = None  # "ge" / "le": checked with pandera's own check of that name
    bound: float | None = None


def _field_rules(f: FieldSpec) -> list[RowRule]:
    """The Table Schema constraints of one column, with the Table Schema's meaning.

    In the published CSV an empty string is a missing value, so: a required text column may not hold an
    empty string; pattern (matched against the whole value), enum and unique apply to present values only.
    """
    column, present = pl.col(f.name), _present(f.name, f.dtype)
    rules = []
    if f.required and f.dtype == pl.String():
        rules.append(RowRule("required", "required, found an empty string (a missing value)", column != ""))
    if f.pattern:
        full_match = column.str.contains(f"^(?:{f.pattern})$")
        rules.append(RowRule("pattern", f"must match {f.pattern} in full", ~present | full_match))
    if f.enum:
        allowed = column.is_in(list(f.enum))
        rules.append(RowRule("enum", f"must be one of {list(f.enum)}", ~present | allowed))
    if f.minimum is not None:
        passes = column.is_null() | (column >= f.minimum)
        rules.append(RowRule("ge", "", passes, "ge", f.minimum))
    if f.maximum is not None:
        passes = column.is_null() | (column <= f.maximum)
        rules.append(RowRule("le", "", passes, "le", f.maximum))
    if f.unique:
        once = ~column.is_duplicated()
        rules.append(RowRule("unique", "values must be unique", ~present | once))
    return rules


def _field_checks(f: FieldSpec) -> list[pa.Check]:
    """The column's rules as pandera checks."""
    import pandera.polars as pa

    checks = []
    for rule in _field_rules(f):
        if rule.pandera_builtin == "ge":
            checks.append(pa.Check.ge(rule.bound))
        elif rule.pandera_builtin == "le":
            checks.append(pa.Check.le(rule.bound))
        else:
            checks.append(_element_check(rule.passes, rule.name, rule.error))
    return checks


def _primary_key_rule(spec: TableSpec) -> RowRule:
    """No two rows share a primary key, an empty string counting as missing (as it does in the CSV)."""
    dtypes = spec.polars_schema
    key = pl.struct(
        pl.when(_present(c, dtypes[c])).then(pl.col(c)).otherwise(None).alias(c) for c in spec.primary_key
    )
    return RowRule(
        "primary_key", f"primary key ({', '.join(spec.primary_key)}) must be unique", ~key.is_duplicated()
    )


@cache
def pandera_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """The pandera (polars) model of a table, built from its spec.

    It gives the verdict frictionless gives on the published CSV (tests/test_schema_rules.py): same
    required, pattern, enum, unique, minimum/maximum and primary-key rules, empty strings read as missing.
    """
    import pandera.polars as pa

    columns = {
        f.name: pa.Column(
            f.dtype, checks=_field_checks(f), nullable=not f.required, description=f.description
        )
        for f in spec.fields
    }
    key = _primary_key_rule(spec)
    return pa.DataFrameSchema(
        columns,
        checks=[_element_check(key.passes, key.name, key.error)],
        name=spec.name,
        title=spec.title,
        description=spec.description,
        strict=True,
        ordered=True,
    )


@cache
def _all_rows_pass(spec: TableSpec) -> pl.Expr:
    """One expression that is True when every row passes every rule of the table (nulls in required
    columns included)."""
    rules = [rule.passes for f in spec.fields for rule in _field_rules(f)]
    rules += [pl.col(f.name).is_not_null() for f in spec.fields if f.required]
    rules.append(_primary_key_rule(spec).passes)
    return pl.all_horizontal(rules).fill_null(False).all()


def conform(spec: TableSpec, frame: pl.DataFrame, keep: Sequence[str] = ()) -> pl.DataFrame:
    """Cast a frame to the spec's column order and types and sort it into its stable row order.

    Missing optional columns are added as nulls so that extractors only fill what they know; the
    standard record_status column starts as "active". Columns named in ``keep`` (not the spec's) go
    along after the spec's columns, in the same row order.
    """
    missing_required = [
        f.name for f in spec.fields if f.required and f.name not in frame.columns and f.name != RECORD_STATUS
    ]
    if missing_required:
        raise SchemaSpecError(f"table {spec.name}: extractor produced no column(s) {missing_required}")
    extra = [c for c in frame.columns if c not in spec.columns and c not in keep]
    if extra:
        raise SchemaSpecError(f"table {spec.name}: columns {extra} are not in schemas/{spec.name}.yaml")
    if RECORD_STATUS not in frame.columns:
        frame = frame.with_columns(pl.lit("active").alias(RECORD_STATUS))
    exprs = [
        (pl.col(f.name) if f.name in frame.columns else pl.lit(None)).cast(f.dtype).alias(f.name)
        for f in spec.fields
    ]
    exprs += [pl.col(c) for c in keep]
    conformed = frame.select(exprs)
    if conformed.height >= ORDER_CHECK_ROWS and in_row_order(conformed, spec.sort_columns):
        return conformed  # what the stable sort would give, without its copy of every column
    return conformed.sort(spec.sort_columns, nulls_last=True, maintain_order=True)


# Below this many rows a sort costs no more than checking the order would (about half a millisecond),
# and its copy is small: a paper's own frames are sorted, a corpus's tables checked first.
ORDER_CHECK_ROWS = 10_000


# Key types whose order polars' comparisons and its sort agree on.
_ORDERED_KINDS = (pl.String, pl.Date, pl.Boolean)


def in_row_order(frame: pl.DataFrame, columns: Sequence[str]) -> bool:
    """Whether the rows already stand as a stable sort on ``columns`` (nulls last) would put them: each
    row's key is at most the next one's. False also when the keys are of a type it does not compare
    (floats): the caller sorts. Rows are mostly stacked in order, so checking (a few boolean columns)
    usually spares sorting (a copy of the table)."""
    keys = frame.select(columns)
    if frame.height < 2:
        return True
    if not all(dtype.is_integer() or isinstance(dtype, _ORDERED_KINDS) for dtype in keys.dtypes):
        return False
    pairs = pl.concat(
        [
            keys.slice(0, frame.height - 1).rename(lambda c: f"this:{c}"),
            keys.slice(1).rename(lambda c: f"next:{c}"),
        ],
        how="horizontal",
    )
    ordered = pl.lit(True)
    for column in reversed(columns):  # lexicographic: an earlier column decides unless it ties
        this, then = pl.col(f"this:{column}"), pl.col(f"next:{column}")
        before = (this < then).fill_null(False) | (this.is_not_null() & then.is_null())
        ordered = before | (this.eq_missing(then) & ordered)
    return bool(pairs.select(ordered.all()).item())


def validate(spec: TableSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """Validate a collected frame against the table's pandera model (all errors at once).

    The model's verdict on a valid frame is known without it when the columns and types are the spec's
    and every rule holds on every row, which one polars pass decides (pandera runs one pass per check).
    Anything else goes to pandera, which names each failure.
    """
    if passes_all_rules(spec, frame):
        return frame
    return pandera_schema(spec).validate(frame, lazy=True)


def passes_all_rules(spec: TableSpec, frame: pl.DataFrame) -> bool:
    """The frame has the spec's columns and types, and every row passes every rule: pandera would pass it.

    False means pandera must be asked (it may still pass a frame this does not decide)."""
    return frame.schema == pl.Schema(spec.polars_schema) and bool(frame.select(_all_rows_pass(spec)).item())


def frictionless_schema(spec: TableSpec) -> dict[str, Any]:
    """The Frictionless Table Schema of a table."""
    fields = []
    for f in spec.fields:
        withheld = " Empty when the paper's full text is not published." if f.source_text else ""
        description = f.description + withheld
        entry: dict[str, Any] = {"name": f.name, "type": f.type, "description": description}
        constraints: dict[str, Any] = {}
        if f.required:
            constraints["required"] = True
        if f.unique:
            constraints["unique"] = True
        if f.pattern:
            constraints["pattern"] = f.pattern
        if f.enum:
            constraints["enum"] = list(f.enum)
        if f.minimum is not None:
            constraints["minimum"] = f.minimum
        if f.maximum is not None:
            constraints["maximum"] = f.maximum
        if constraints:
            entry["constraints"] = constraints
        if f.example is not None:
            entry["example"] = f.example
        fields.append(entry)
    schema: dict[str, Any] = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": list(spec.primary_key),
    }
    if spec.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fk.fields),
                "reference": {"resource": fk.resource, "fields": list(fk.reference_fields)},
            }
            for fk in spec.foreign_keys
        ]
    return schema


def data_dictionary_markdown(specs: list[TableSpec]) -> str:
    """A readable data dictionary for docs/, one section per table."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `schemas/*.yaml` by `papers-dataset build`; do not edit.",
        "",
    ]
    for spec in specs:
        lines += [f"## `{spec.name}` — {spec.title}", "", spec.description, ""]
        lines.append(f"Primary key: `{', '.join(spec.primary_key)}`.")
        for fk in spec.foreign_keys:
            lines.append(
                f"Foreign key: `{', '.join(fk.fields)}` → `{fk.resource}.{', '.join(fk.reference_fields)}`."
            )
        lines += ["", "| column | type | required | description |", "|---|---|---|---|"]
        for f in spec.fields:
            extra = []
            if f.enum:
                extra.append("one of " + ", ".join(f"`{v}`" for v in f.enum))
            if f.pattern:
                extra.append(f"pattern `{f.pattern}`")
            if f.source_text:
                extra.append("empty when the paper's full text is not published")
            desc = (f.description + (f" ({'; '.join(extra)})" if extra else "")).replace("|", "\\|")
            required = "yes" if f.required else ""
            lines.append(f"| `{f.name}` | {f.type} | {required} | {desc} |")
        lines.append("")
    return "\n".join(lines)
