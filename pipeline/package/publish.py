"""Write the data package: CSV and Parquet per table, cleaned texts, figures and datapackage.json.

Everything is written into a fresh staging folder, validated with frictionless, and only then committed by
one rename and moved in; a failed or killed run leaves the last good package (or, once committed, the new
one) in place, and the next start finishes or undoes what a killed run left. A lock file keeps two builds
from publishing into the same folder. Output is
deterministic: stable row order, no timestamps, fixed serialisation settings.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow
import pyarrow.parquet as pq
import yaml

from pipeline.package.schema import POLARS_TYPES, TableSpec, data_dictionary_markdown, frictionless_schema
from pipeline.package.swap import (
    STAGING_PREFIX,
    package_lock,
    swap_in,
)
from pipeline.package.tables import Frame, collected
from pipeline.text.sentences import split_sentences

DATA_DICTIONARY = Path("docs/data-dictionary.md")
# Tables written (and compared with their twins) at once: two keep both cores busy.
WRITER_THREADS = 2
# Rows of a table written at a time (`write_csv`, `write_parquet`): writing holds copies of a slice (its
# CSV text, its Arrow form), not of the whole table, however many papers the corpus has. Each slice is one
# Parquet row group.
WRITE_SLICE_ROWS = 65_536

log = logging.getLogger(__name__)


class PublishError(RuntimeError):
    """The staged package failed validation; the previous package was left in place."""


@dataclass(frozen=True)
class DatasetMetadata:
    """Package-level metadata from dataset.yaml (the single home of the dataset version)."""

    raw: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.raw["version"])

    @classmethod
    def load(cls, path: Path) -> DatasetMetadata:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("name", "title", "version", "description", "licenses"):
            if key not in raw:
                raise PublishError(f"{path}: missing {key!r}")
        version = str(raw["version"])
        if not re.fullmatch(r"\d+\.\d+\.\d+", version):
            raise PublishError(
                f"{path}: version {version!r} is not a MAJOR.MINOR.PATCH version such as 0.2.0 "
                "(no 'v', three numbers; see docs/versioning.md)"
            )
        return cls(raw)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_facts(root: Path, relative: str) -> dict[str, Any]:
    path = root / relative
    return {"bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}"}


def blank_empty_strings(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty strings become nulls: in CSV an empty cell means missing, so the two must not differ."""
    return frame.with_columns(
        pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def write_table(frame: pl.DataFrame, csv_path: Path, parquet_path: Path) -> None:
    """Write one table as UTF-8 CSV (header, ISO dates, empty = missing) and as Parquet."""
    write_csv(frame, csv_path)
    write_parquet(frame, parquet_path)


def csv_bytes(frame: pl.DataFrame, header: bool = True) -> memoryview:
    """The table as published in CSV: header, ISO dates, empty = missing, LF line ends (the buffer's
    bytes, not a copy of them)."""
    buffer = io.BytesIO()
    frame.write_csv(
        buffer, include_header=header, line_terminator="\n", null_value="", date_format="%Y-%m-%d"
    )
    return buffer.getbuffer()


def _slice_starts(height: int) -> range:
    """The first row of each slice a table of ``height`` rows is written in (an empty table is one slice)."""
    return range(0, max(height, 1), WRITE_SLICE_ROWS)


def _slices(frame: pl.DataFrame, blank: bool) -> Iterator[pl.DataFrame]:
    """The frame WRITE_SLICE_ROWS rows at a time, with empty strings made missing (`blank_empty_strings`)
    when ``blank``."""
    for offset in _slice_starts(frame.height):
        rows = frame.slice(offset, WRITE_SLICE_ROWS)
        yield blank_empty_strings(rows) if blank else rows


def write_csv(frame: pl.DataFrame, path: Path, blank: bool = False) -> tuple[int, str]:
    """Write the table's CSV (`csv_bytes`) a slice of rows at a time; the file's size and SHA-256. The
    file is the one the whole table written at once gives, byte for byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        for index, rows in enumerate(_slices(frame, blank)):
            content = csv_bytes(rows, header=index == 0)
            digest.update(content)
            size += out.write(content)
            del rows, content  # before the next slice is made: one slice's rows and text at a time
    return size, digest.hexdigest()


def write_parquet(frame: pl.DataFrame, path: Path, blank: bool = False) -> None:
    """Write the table's Parquet file a slice of rows at a time, each slice one row group (a table of up to
    WRITE_SLICE_ROWS rows is one row group, as writing it whole gives). Each slice is made contiguous
    first: pyarrow pages a column of several chunks differently, and the same rows must give the same
    file however they were stacked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer: pq.ParquetWriter | None = None
    try:
        for rows in _slices(frame, blank):
            table = rows.rechunk().to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd", write_statistics=True)
            writer.write_table(table)
            del rows, table  # before the next slice is made
    finally:
        if writer is not None:
            writer.close()


def published_resources(root: Path | None) -> dict[str, dict[str, Any]]:
    """The resources of the package published under ``root``, by name (none when there is none)."""
    path = root / "datapackage.json" if root else None
    if path is None or not path.exists():
        return {}
    try:
        return {r["name"]: r for r in json.loads(path.read_text(encoding="utf-8"))["resources"]}
    except (ValueError, KeyError, TypeError):
        return {}


def _reusable_parquet(
    root: Path, csv_digest: str, schema: dict[str, Any], previous: dict, rows: int
) -> Path | None:
    """The published Parquet twin of a table whose new CSV is byte for byte the published one, when it is
    exactly what writing the table's ``rows`` now would give: same Table Schema, intact, written by this
    pyarrow in the same row groups."""
    csv_resource, parquet_resource = previous.get("csv"), previous.get("parquet")
    if not csv_resource or not parquet_resource:
        return None
    if csv_resource.get("schema") != json.loads(json.dumps(schema)):  # as read back from the descriptor
        return None
    published_csv, published_parquet = root / csv_resource["path"], root / parquet_resource["path"]
    if not published_csv.is_file() or not published_parquet.is_file():
        return None
    # The recorded hash tells a changed table without reading it; the file itself must agree too.
    if csv_resource.get("hash") != f"sha256:{csv_digest}" or sha256_file(published_csv) != csv_digest:
        return None
    if parquet_resource.get("x-hash") != f"sha256:{sha256_file(published_parquet)}":
        return None
    try:
        metadata = pq.read_metadata(published_parquet)
    except (OSError, ValueError):
        return None
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    written = [min(WRITE_SLICE_ROWS, rows - start) for start in _slice_starts(rows)]
    same_writer = metadata.created_by.endswith(f"version {pyarrow.__version__}")
    return published_parquet if same_writer and groups == written else None


def published_files(published: Mapping[str, dict[str, Any]], name: str) -> dict[str, Any]:
    """A table's CSV and Parquet resources in the published package (``published_resources``), for
    `stage_table`."""
    return {"csv": published.get(name), "parquet": published.get(f"{name}-parquet")}


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def stage_table(
    staging: Path, spec: TableSpec, frame: Frame, published_root: Path | None, previous: dict
) -> dict[str, dict[str, Any]]:
    """Write one table's CSV and Parquet into ``staging``; a table whose rows are those already published
    under ``published_root`` is linked from there instead of written again. Returns each file's size and
    hash (``csv``, ``parquet``), worked out here where the bytes are at hand."""
    csv_path = staging / f"data/csv/{spec.name}.csv"
    parquet_path = staging / f"data/parquet/{spec.name}.parquet"
    rows = collected(frame)
    size, digest = write_csv(rows, csv_path, blank=True)
    reusable = (
        _reusable_parquet(published_root, digest, frictionless_schema(spec), previous, rows.height)
        if published_root is not None
        else None
    )
    if reusable is not None:
        csv_path.unlink()
        _link_or_copy(published_root / previous["csv"]["path"], csv_path)
        _link_or_copy(reusable, parquet_path)
    else:
        write_parquet(rows, parquet_path, blank=True)
    return {
        "csv": {"bytes": size, "hash": f"sha256:{digest}"},
        "parquet": _file_facts(staging, f"data/parquet/{spec.name}.parquet"),
    }


def table_resources(spec: TableSpec, version: str, facts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The CSV resource (primary) and its Parquet twin for one table, given each file's size and hash."""
    description = f"{spec.description} (Dataset version {version}.)"
    schema = frictionless_schema(spec)
    csv_path = f"data/csv/{spec.name}.csv"
    parquet_path = f"data/parquet/{spec.name}.parquet"
    parquet_schema = {k: v for k, v in schema.items() if k != "foreignKeys"}
    # frictionless reads Parquet through pandas, where a missing integer or number becomes NaN.
    parquet_schema["fields"] = [
        {**f, "missingValues": ["", "nan"]} if f["type"] in ("integer", "number") else f
        for f in schema["fields"]
    ]
    return [
        {
            "name": spec.name,
            "type": "table",
            "title": spec.title,
            "description": description,
            "path": csv_path,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **facts["csv"],
            "dialect": {"header": True, "delimiter": ",", "quoteChar": '"'},
            "schema": schema,
        },
        {
            "name": f"{spec.name}-parquet",
            "type": "table",
            "title": f"{spec.title} (Parquet)",
            "description": f"The same rows and columns as {csv_path}, as Parquet. {description}",
            "path": parquet_path,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            # frictionless computes no byte count or hash for Parquet and would reject the standard
            # properties, so the facts are kept under their own names.
            **{f"x-{key}": value for key, value in facts["parquet"].items()},
            "schema": parquet_schema,
        },
    ]


def file_resource(
    root: Path,
    relative: str,
    name: str,
    title: str,
    description: str,
    mediatype: str,
    facts: dict[str, Any] | None = None,
) -> dict:
    """A file's resource; its size and hash read from the file unless given (``facts``)."""
    return {
        "name": name,
        "type": "file",
        "title": title,
        "description": description,
        "path": relative,
        "format": Path(relative).suffix.lstrip("."),
        "mediatype": mediatype,
        **({"encoding": "utf-8"} if mediatype.startswith("text/") or mediatype.endswith("xml") else {}),
        **(facts or _file_facts(root, relative)),
    }


def descriptor(
    meta: DatasetMetadata, resources: list[dict[str, Any]], sources: list[dict[str, Any]]
) -> dict[str, Any]:
    raw = meta.raw
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": raw["name"],
        "title": raw["title"],
        "description": " ".join(str(raw["description"]).split()),
        "version": meta.version,
        "keywords": raw.get("keywords", []),
        "licenses": raw["licenses"],
        "contributors": raw.get("contributors", []),
        "sources": sources,
        "resources": resources,
    }


def document_sources(documents: pl.DataFrame) -> list[dict[str, Any]]:
    """One Frictionless source per paper, with its copyright statement kept alongside."""
    sources = []
    for row in documents.sort("document_id").iter_rows(named=True):
        parts = [
            row["author"],
            row["title"],
            row["series"] and f"{row['series']} #{row['series_number'] or ''}",
        ]
        title = ", ".join(p for p in parts if p)
        source = {"title": title, "path": row["source_path"]}
        if row["copyright"]:
            source["description"] = f"Copyright: {row['copyright']}"
        sources.append(source)
    return sources


@dataclass(frozen=True)
class PackageContents:
    """What a package holds: tables with their specs, cleaned texts by document ID (each the text, or the
    file that holds it), figures by path (their bytes, or a future of them: a figure still being drawn is
    written last)."""

    tables: Mapping[str, tuple[TableSpec, Frame]]
    texts: Mapping[str, str | Path]
    figures: Mapping[str, bytes | Future[bytes]]
    # Tables already written by `stage_table` into ``prestaged`` (a folder laid out like the package), with
    # the facts it returned: linked into the staged package, not written again.
    staged: Mapping[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    prestaged: Path | None = None


def stage_package(
    staging: Path, meta: DatasetMetadata, contents: PackageContents, published_root: Path | None = None
) -> dict[str, Any]:
    """Write every file of the package into ``staging`` and return the descriptor written there.

    With ``published_root``, a table whose rows are exactly those of the package published there keeps its
    files (linked, not rewritten): the staged package is byte for byte what writing everything would give.
    """
    tables, texts, figures = contents.tables, contents.texts, contents.figures
    published = published_resources(published_root)
    resources: list[dict[str, Any]] = []
    for name in contents.staged if contents.prestaged is not None else ():
        for relative in (f"data/csv/{name}.csv", f"data/parquet/{name}.parquet"):
            _link_or_copy(contents.prestaged / relative, staging / relative)

    def stage(name: str) -> dict[str, dict[str, Any]]:
        previous = published_files(published, name)
        return stage_table(staging, tables[name][0], tables[name][1], published_root, previous)

    # Tables are written side by side: polars, hashlib and pyarrow let go of the GIL while they work.
    with ThreadPoolExecutor(WRITER_THREADS) as pool:
        staged = {name: pool.submit(stage, name) for name in sorted(set(tables) - set(contents.staged))}
        for name in sorted(tables):
            facts = contents.staged[name] if name in contents.staged else staged[name].result()
            resources += table_resources(tables[name][0], meta.version, facts)
    documents = collected(tables["documents"][1])
    # A text the package already publishes, byte for byte (the documents table has each text's digest),
    # is linked from there: it is neither read from the papers' rows nor written and hashed again.
    digests = dict(zip(documents["document_id"].to_list(), documents["text_sha256"].to_list(), strict=True))
    if texts:
        (staging / "text").mkdir(parents=True, exist_ok=True)
    for document_id in sorted(texts):
        relative = f"text/{document_id}.txt"
        name = f"text-{document_id}"
        previous = published.get(name)
        facts = None
        if _linked_as_published(
            published_root, previous, f"sha256:{digests.get(document_id)}", staging / relative
        ):
            facts = {"bytes": previous["bytes"], "hash": previous["hash"]}
        else:
            text = texts[document_id]
            (staging / relative).write_bytes(text.read_bytes() if isinstance(text, Path) else text.encode())
        resources.append(
            file_resource(
                staging,
                relative,
                name,
                f"Cleaned text of {document_id}",
                "The cleaned text that every char_start/char_end of this document points into (Unicode code "
                "points, 0-based, end-exclusive). The paper's copyright statement is in the documents table.",
                "text/plain",
                facts,
            )
        )
    for relative in sorted(figures):
        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        figure = figures[relative]
        (staging / relative).write_bytes(figure.result() if isinstance(figure, Future) else figure)
        stem = Path(relative).stem
        resources.append(
            file_resource(
                staging,
                relative,
                f"figure-{stem}",
                stem.replace("_", " ").capitalize(),
                f"Figure built by the pipeline from the package's tables ({relative}).",
                "image/svg+xml" if relative.endswith(".svg") else "image/png",
            )
        )
    package = descriptor(meta, resources, document_sources(documents))
    (staging / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return package


def _linked_as_published(
    published_root: Path | None, resource: dict[str, Any] | None, digest: str, target: Path
) -> bool:
    """Link the published file of ``resource`` to ``target`` when its recorded hash is ``digest`` and the
    file is there with its recorded size; False (nothing linked) otherwise."""
    if published_root is None or resource is None or resource.get("hash") != digest:
        return False
    source = published_root / resource["path"]
    if not source.is_file() or source.stat().st_size != resource.get("bytes"):
        return False
    _link_or_copy(source, target)
    return True


def _report_lines(report: Any) -> list[str]:
    errors = []
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            where = ", ".join(
                x for x in (f"row {row}" if row else "", f"field {field}" if field else "") if x
            )
            errors.append(f"{task.name}: {where + ': ' if where else ''}{error.message}")
    return errors + [f"package: {error.message}" for error in report.errors]


def frictionless_errors(descriptor: dict[str, Any] | Path, basepath: Path | None = None) -> list[str]:
    """Frictionless's verdict on a package (a descriptor, or its file) as readable error lines, empty when
    valid. A descriptor frictionless will not read (package metadata it finds invalid) is reported the same
    way, as ``package:`` lines, not raised."""
    from frictionless import FrictionlessException, Package, system

    source = str(descriptor) if isinstance(descriptor, Path) else descriptor
    options = {"basepath": str(basepath)} if basepath is not None else {}
    with system.use_context(trusted=True):
        try:
            package = Package(source, **options)
        except FrictionlessException as exc:
            reasons = [reason.message for reason in exc.reasons] or [exc.error.message]
            return [f"package: {reason}" for reason in reasons]
        return _report_lines(package.validate())


def validate_package(path: Path) -> list[str]:
    """Run frictionless on a whole descriptor; return readable error lines (empty when valid)."""
    return frictionless_errors(path)


def _parquet_errors(root: Path, descriptor: dict[str, Any], checked: Collection[str] = ()) -> list[str]:
    """Each Parquet twin must hold exactly its CSV table's rows and match its recorded size and hash;
    twins named in ``checked`` (already checked when the same files were published) are skipped."""
    resources = {r["name"]: r for r in descriptor["resources"]}
    twins = [
        (resource, resources[resource["name"].removesuffix("-parquet")])
        for resource in resources.values()
        if resource.get("format") == "parquet" and resource["name"] not in checked
    ]
    twins.sort(key=lambda pair: -pair[1].get("bytes", 0))  # the largest first
    with ThreadPoolExecutor(WRITER_THREADS) as pool:
        found = {
            resource["name"]: pool.submit(_twin_errors, root, resource, table) for resource, table in twins
        }
    return [error for name in resources if name in found for error in found[name].result()]


def _twin_errors(root: Path, resource: dict[str, Any], twin: dict[str, Any]) -> list[str]:
    errors = []
    path = root / resource["path"]
    if resource["x-hash"] != f"sha256:{sha256_file(path)}" or resource["x-bytes"] != path.stat().st_size:
        errors.append(f"{resource['name']}: size or hash differs from the descriptor")
    schema = {f["name"]: POLARS_TYPES[f["type"]] for f in twin["schema"]["fields"]}
    try:
        difference = _twin_difference(path, schema, root / twin["path"])
    except (OSError, pl.exceptions.PolarsError, pyarrow.ArrowException) as exc:
        return [*errors, f"{resource['name']}: cannot compare with {twin['path']}: {exc}".splitlines()[0]]
    if difference:
        errors.append(f"{resource['name']}: {difference} {twin['path']}")
    return errors


def _twin_difference(parquet_path: Path, schema: Mapping[str, Any], csv_path: Path) -> str | None:
    """How the Parquet file parts from its CSV twin, or None when its columns have the table's types and its
    rows, written as the package writes CSV (`csv_bytes`), give the CSV file byte for byte. Read a row group
    at a time: the comparison holds a group and its CSV text, never the table."""
    metadata = pq.read_metadata(parquet_path)
    groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] or [0]
    parquet = pl.scan_parquet(parquet_path)
    start = lines = 0  # rows read from the Parquet file, lines matched in the CSV file
    with csv_path.open("rb") as csv:
        for index, rows in enumerate(groups):
            group = parquet.slice(start, rows).collect()
            start += rows
            if list(group.schema.items()) != list(schema.items()):
                types = ", ".join(f"{name} {dtype}" for name, dtype in group.schema.items())
                return f"has columns ({types}) other than the Table Schema's of"
            content = csv_bytes(group, header=index == 0)
            del group
            found = csv.read(len(content))
            if found != content:
                pairs = enumerate(zip(found, content, strict=False))
                same = next((i for i, (got, wanted) in pairs if got != wanted), len(found))
                line = lines + found.count(b"\n", 0, same) + 1
                return f"rows differ from line {line} of"
            lines += found.count(b"\n")
            del content, found  # before the next group is read: one group and its text at a time
        return f"rows differ from line {lines + 1} of" if csv.read(1) else None


def validate_staged_package(path: Path) -> list[str]:
    """Validate a freshly written package: frictionless checks the CSV tables (types, keys, foreign keys)
    and the text files; each Parquet twin is checked to hold the same rows as its validated CSV table,
    which is both stricter and much faster than frictionless reading Parquet through pandas."""
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    primary = {
        **descriptor,
        "resources": [r for r in descriptor["resources"] if r.get("format") != "parquet"],
    }
    return frictionless_errors(primary, path.parent) + _parquet_errors(path.parent, descriptor)


def publish(
    root: Path,
    meta: DatasetMetadata,
    contents: PackageContents,
    validate: Callable[[Path], list[str]] = validate_staged_package,
) -> dict[str, Any]:
    """Stage, validate and swap in the package under ``root``; on failure keep the old one and raise.

    ``validate`` checks the staged descriptor (default: everything); an incremental build passes one that
    validates only what changed.
    """
    with package_lock(root):
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        try:
            package = stage_package(staging, meta, contents, root)
            errors = validate(staging / "datapackage.json")
            if errors:
                shown = "\n  ".join(errors[:30])
                raise PublishError(
                    f"the new package is not valid; the previous package is unchanged:\n  {shown}"
                )
            swap_in(staging, root)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    dictionary = root / DATA_DICTIONARY
    dictionary.parent.mkdir(parents=True, exist_ok=True)
    specs = [contents.tables[name][0] for name in sorted(contents.tables)]
    dictionary.write_text(data_dictionary_markdown(specs), encoding="utf-8")
    return package


README_START, README_END = "<!-- tables:start -->", "<!-- tables:end -->"


def readme_tables_section(
    meta: DatasetMetadata, specs: Mapping[str, TableSpec], counts: Mapping[str, int]
) -> str:
    """The README's table of tables, with row counts, regenerated on every build."""
    lines = [
        README_START,
        f"## The tables (dataset version {meta.version})",
        "",
        "Each table is `data/csv/<table>.csv` (primary, UTF-8) and `data/parquet/<table>.parquet`"
        " (the same rows).",
        "Column-by-column descriptions: [`docs/data-dictionary.md`](docs/data-dictionary.md) (generated from",
        "`schemas/`, like the pandera models and the Table Schemas in `datapackage.json`).",
        "",
        "| table | rows | what one row is |",
        "|---|---:|---|",
    ]
    for name in sorted(specs):
        spec = specs[name]
        start, end = split_sentences(spec.description)[0]
        first_sentence = spec.description[start:end]
        if len(first_sentence) > 220:
            first_sentence = first_sentence[:220].rsplit(" ", 1)[0] + " …"
        lines.append(f"| `{name}` | {counts[name]} | {first_sentence} |")
    lines.append(README_END)
    return "\n".join(lines)


def update_readme(readme: Path, section: str) -> None:
    """Replace the generated section between the markers; leave everything else as written."""
    if not readme.exists():
        return
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return
    readme.write_text(text[:start] + section + text[end + len(README_END) :], encoding="utf-8")
