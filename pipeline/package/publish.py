"""Write the data package: the tables' files, cleaned texts, figures and datapackage.json, swapped in whole.

Everything is written into a fresh staging folder, validated (`validation`), and only then committed by
one rename and moved in; a failed or killed run leaves the last good package (or, once committed, the new
one) in place, and the next start finishes or undoes what a killed run left. A lock file keeps two builds
from publishing into the same folder. Output is deterministic: stable row order, no timestamps, fixed
serialisation settings.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from pipeline.package.schema import TableSpec, data_dictionary_markdown, frictionless_schema
from pipeline.package.swap import STAGING_PREFIX, package_lock, swap_in
from pipeline.package.table_files import (
    file_facts,
    link_or_copy,
    published_files,
    published_resources,
    stage_table,
)
from pipeline.package.tables import Frame, collected
from pipeline.package.validation import validate_staged_package
from pipeline.text.sentences import split_sentences

DATA_DICTIONARY = Path("docs/data-dictionary.md")


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
        **(facts or file_facts(root, relative)),
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
            link_or_copy(contents.prestaged / relative, staging / relative)

    for name in sorted(tables):
        spec, frame = tables[name]
        facts = contents.staged.get(name) or stage_table(
            staging, spec, frame, published_root, published_files(published, name)
        )
        resources += table_resources(spec, meta.version, facts)
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
    link_or_copy(source, target)
    return True


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
