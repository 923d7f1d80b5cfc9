"""Build the release archive for Zenodo: the published package plus README, licences and citation files.

The archive must be byte-reproducible so that a release can be rebuilt and checked from the same inputs:
entries are sorted, timestamps and permissions fixed, and every generated file (CITATION.cff,
.zenodo.json) is derived from dataset.yaml, the one place where the dataset version lives.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from pipeline.text.sentences import split_sentences

FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644
REPO_FILES = ("LICENSE-DATA", "CHANGELOG.md")
PACKAGE_README = Path("docs/package-readme.md")
ARCHIVE_FILE_MODE = 0o644
DOCS = (
    "docs/data-dictionary.md",
    "docs/versioning.md",
    "docs/claims-codebook.md",
    "docs/event-types.md",
    "docs/known-limits.md",
)
ZENODO_LICENSES = {"CC-BY-4.0": "cc-by-4.0", "CC0-1.0": "cc-zero", "ODbL-1.0": "odbl-1.0"}
SOURCE_RELATION = "isDerivedFrom"


class ReleaseError(RuntimeError):
    """The release cannot be built from the current files; the message says what to fix."""


# --- metadata ----------------------------------------------------------------------------------------


def _creators(dataset_meta: Mapping[str, Any]) -> list[dict[str, str]]:
    """Contributors with the creator role (all contributors when none has it)."""
    contributors = list(dataset_meta.get("contributors") or [])
    creators = [c for c in contributors if "creator" in (c.get("roles") or [])] or contributors
    if not creators:
        raise ReleaseError("dataset.yaml: list at least one contributor with the role 'creator'")
    return creators


def _license_id(dataset_meta: Mapping[str, Any]) -> str:
    licenses = dataset_meta.get("licenses") or []
    if not licenses or "name" not in licenses[0]:
        raise ReleaseError("dataset.yaml: the data licence (licenses[0].name) is missing")
    return str(licenses[0]["name"])


def _cff_person(contributor: Mapping[str, Any]) -> dict[str, str]:
    if contributor.get("familyName"):
        person = {"family-names": contributor["familyName"]}
        if contributor.get("givenName"):
            person["given-names"] = contributor["givenName"]
    else:
        person = {"name": str(contributor["title"])}
    if contributor.get("organization"):
        person["affiliation"] = contributor["organization"]
    if contributor.get("path", "").startswith("https://orcid.org/"):
        person["orcid"] = contributor["path"]
    return person


def _document_reference(document: Mapping[str, Any]) -> dict[str, Any]:
    """A CFF reference for a source paper (the data are derived from it)."""
    reference: dict[str, Any] = {"type": "report", "title": str(document["title"])}
    if document.get("author"):
        reference["authors"] = [{"name": a.strip()} for a in str(document["author"]).split(";") if a.strip()]
    if document.get("date_published"):
        reference["year"] = int(str(document["date_published"])[:4])
    for key, cff_key in (("publisher", "publisher"), ("series", "collection-title")):
        if document.get(key):
            reference[cff_key] = {"name": document[key]} if key == "publisher" else str(document[key])
    if document.get("series_number"):
        reference["issue"] = str(document["series_number"])
    if document.get("doi"):
        reference["doi"] = document["doi"]
    if document.get("source_url"):
        reference["url"] = document["source_url"]
    if document.get("copyright"):
        reference["copyright"] = str(document["copyright"])
    return reference


def citation_cff(dataset_meta: Mapping[str, Any], documents: Iterable[Mapping[str, Any]] = ()) -> str:
    """CITATION.cff (CFF 1.2.0) for the dataset, with the source papers as references."""
    cff: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": (
            "If you use this dataset, please cite it as below, and cite the source papers it is derived from."
        ),
        "type": "dataset",
        "title": str(dataset_meta["title"]),
        "version": str(dataset_meta["version"]),
        "abstract": " ".join(str(dataset_meta["description"]).split()),
        "authors": [_cff_person(c) for c in _creators(dataset_meta)],
        "license": _license_id(dataset_meta),
        "keywords": [str(k) for k in dataset_meta.get("keywords") or []],
    }
    for key, cff_key in (("homepage", "url"), ("repository", "repository-code"), ("doi", "doi")):
        if dataset_meta.get(key):
            cff[cff_key] = str(dataset_meta[key])
    references = [_document_reference(d) for d in documents]
    if references:
        cff["references"] = references
    header = "# Generated from dataset.yaml by the release command; do not edit.\n"
    return header + yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=110)


def _zenodo_creator(contributor: Mapping[str, Any]) -> dict[str, str]:
    if contributor.get("familyName"):
        name = f"{contributor['familyName']}, {contributor.get('givenName', '')}".rstrip(", ")
    else:
        name = str(contributor["title"])
    creator = {"name": name}
    if contributor.get("organization"):
        creator["affiliation"] = contributor["organization"]
    if contributor.get("path", "").startswith("https://orcid.org/"):
        creator["orcid"] = contributor["path"].removeprefix("https://orcid.org/")
    return creator


def _citation_text(document: Mapping[str, Any]) -> str:
    parts = [document.get("author"), f"“{document['title']}”"]
    series = document.get("series")
    if series:
        parts.append(f"{series} #{document['series_number']}" if document.get("series_number") else series)
    parts += [document.get("publisher"), document.get("place"), document.get("date_published")]
    text = ", ".join(str(p) for p in parts if p) + "."
    if document.get("copyright"):
        text += f" Copyright: {document['copyright']}."
    return text


def zenodo_metadata(
    dataset_meta: Mapping[str, Any], documents: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """The deposition metadata (.zenodo.json) for the release, derived from dataset.yaml and the documents."""
    documents = list(documents)
    license_id = _license_id(dataset_meta)
    description = " ".join(str(dataset_meta["description"]).split())
    notes = (
        f"The extracted data and the package structure are licensed {license_id}. The source papers keep "
        "their own copyright; their text is republished only where a paper's metadata allows it, with its "
        "copyright statement (see LICENSE-DATA and the documents table)."
    )
    metadata: dict[str, Any] = {
        "upload_type": "dataset",
        "title": str(dataset_meta["title"]),
        "version": str(dataset_meta["version"]),
        "description": f"<p>{_html(description)}</p><p>{_html(notes)}</p>",
        "creators": [_zenodo_creator(c) for c in _creators(dataset_meta)],
        "access_right": "open",
        "license": ZENODO_LICENSES.get(license_id, license_id.lower()),
        "keywords": [str(k) for k in dataset_meta.get("keywords") or []],
        "language": "eng" if dataset_meta.get("language", "en") == "en" else str(dataset_meta["language"]),
        "notes": notes,
        "references": [_citation_text(d) for d in documents],
    }
    related = []
    for document in documents:
        for key, scheme in (("doi", "doi"), ("source_url", "url")):
            if document.get(key):
                related.append(
                    {
                        "identifier": str(document[key]),
                        "relation": SOURCE_RELATION,
                        "resource_type": "publication-workingpaper",
                        "scheme": scheme,
                    }
                )
    if dataset_meta.get("repository"):
        related.append(
            {"identifier": str(dataset_meta["repository"]), "relation": "isSupplementedBy", "scheme": "url"}
        )
    if related:
        metadata["related_identifiers"] = related
    return metadata


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- reading the repository --------------------------------------------------------------------------


def load_dataset_meta(repo_root: Path) -> dict[str, Any]:
    path = repo_root / "dataset.yaml"
    if not path.exists():
        raise ReleaseError(f"{path}: not found; the dataset metadata and version live there")
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("name", "title", "version", "description", "licenses"):
        if key not in meta:
            raise ReleaseError(f"{path}: missing {key!r}")
    return meta


def _raw_metadata(repo_root: Path, source_path: str) -> dict[str, Any]:
    """doi and source_url of a paper from its metadata.yaml (they are not columns of the documents table)."""
    source = repo_root / source_path
    for candidate in (source.parent / "metadata.yaml", source.with_name(f"{source.stem}.metadata.yaml")):
        if candidate.exists():
            meta = yaml.safe_load(candidate.read_text(encoding="utf-8")) or {}
            return {k: meta[k] for k in ("doi", "source_url") if meta.get(k)}
    return {}


def read_documents(repo_root: Path) -> list[dict[str, Any]]:
    """Rows of the published documents table, with doi/source_url from the papers' metadata files."""
    path = repo_root / "data" / "csv" / "documents.csv"
    if not path.exists():
        raise ReleaseError(f"{path}: not found; build the package before the release")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)]
    for row in rows:
        row.update(_raw_metadata(repo_root, row.get("source_path") or ""))
    return sorted(rows, key=lambda r: r["document_id"])


def _check_package(
    repo_root: Path, meta: Mapping[str, Any], documents: list[dict[str, Any]]
) -> dict[str, Any]:
    descriptor_path = repo_root / "datapackage.json"
    if not descriptor_path.exists():
        raise ReleaseError(f"{descriptor_path}: not found; build the package before the release")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    if str(descriptor.get("version")) != str(meta["version"]):
        raise ReleaseError(
            f"datapackage.json has version {descriptor.get('version')!r} but dataset.yaml says "
            f"{meta['version']!r}; rebuild the package after bumping the version"
        )
    for resource in descriptor.get("resources", []):
        if not (repo_root / resource["path"]).is_file():
            raise ReleaseError(
                f"datapackage.json lists {resource['path']}, which is missing; rebuild the package"
            )
    for document in documents:
        text = repo_root / "text" / f"{document['document_id']}.txt"
        if str(document.get("full_text_published")).lower() == "false" and text.exists():
            raise ReleaseError(
                f"{text}: the metadata of {document['document_id']} switches full text off, but its text is "
                "in the package; rebuild the package"
            )
    return descriptor


def _license_text(repo_root: Path, documents: list[dict[str, Any]]) -> bytes:
    """LICENSE-DATA with the copyright statement of every source paper in this release appended."""
    path = repo_root / "LICENSE-DATA"
    if not path.exists():
        raise ReleaseError(f"{path}: not found; the data licence must travel with the release")
    lines = [path.read_text(encoding="utf-8").rstrip("\n"), "", "## Source papers in this release", ""]
    for d in documents:
        published = "published" if str(d.get("full_text_published")).lower() == "true" else "not published"
        lines.append(f"- {d['document_id']}: {_citation_text(d)} Full text {published} in this release.")
        if d.get("rights"):
            lines.append(f"  Rights note: {' '.join(str(d['rights']).split())}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _safe_file(repo_root: Path, relative: str, what: str) -> Path:
    """The file at ``relative`` under repo_root, refused when it is not a plain file of the repository.

    A release must ship exactly what the package lists: a path that leaves the repository, or a symlink
    anywhere on the way (which could point at any file of the machine), stops the release.
    """
    pure = Path(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ReleaseError(f"{what} lists {relative!r}, which is not a path inside the package; rebuild it")
    path = repo_root
    for part in pure.parts:
        path = path / part
        if path.is_symlink():
            raise ReleaseError(
                f"{path}: is a symbolic link; a release ships no links (they can point outside the "
                "repository). Replace it with the file itself or rebuild the package"
            )
    if not path.is_file():
        raise ReleaseError(f"{what} lists {relative}, which is missing; rebuild the package")
    return path


def package_files(repo_root: Path, descriptor: Mapping[str, Any]) -> dict[str, Path]:
    """datapackage.json and exactly the files its resources list (never what else lies in the folders)."""
    files = {"datapackage.json": _safe_file(repo_root, "datapackage.json", "the release")}
    for resource in descriptor.get("resources", []):
        relative = resource.get("path")
        if not isinstance(relative, str):
            raise ReleaseError(f"datapackage.json: resource {resource.get('name')!r} has no single file path")
        files[relative] = _safe_file(repo_root, relative, "datapackage.json")
    for doc in DOCS:
        if (repo_root / doc).is_file() or (repo_root / doc).is_symlink():
            files[doc] = _safe_file(repo_root, doc, "the release")
    return files


def _table_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def _traced_sentence(descriptor: Mapping[str, Any]) -> str:
    """Which tables' records carry document_id and offsets, and which do not, read from their schemas."""
    tables = [
        r for r in descriptor.get("resources", []) if r.get("type") == "table" and r.get("format") == "csv"
    ]
    columns = {r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in tables}
    spans = sorted(n for n, c in columns.items() if {"document_id", "char_start", "char_end"} <= c)
    documents = sorted(n for n, c in columns.items() if "document_id" in c and n not in spans)
    others = sorted(n for n, c in columns.items() if "document_id" not in c)

    def listed(names: list[str]) -> str:
        return ", ".join(f"`{n}`" for n in names)

    parts = [
        f"The records of {listed(spans)} carry `document_id` and character offsets (`char_start`, "
        "`char_end`: Unicode code points, 0-based, end-exclusive) into `text/<document_id>.txt`, the "
        "cleaned text of their paper."
    ]
    if documents:
        parts.append(f"Those of {listed(documents)} carry `document_id` only.")
    if others:
        parts.append(
            f"{listed(others)} hold corpus-wide records or links between records, and carry no "
            "`document_id`: join them through their keys."
        )
    return " ".join(parts)


def package_readme(repo_root: Path, descriptor: Mapping[str, Any]) -> bytes:
    """The README.md of the release: the data README template with the tables of this package filled in.

    Users of the archive need what the tables are, how to load them and how to cite them, not the
    developers' README of the repository.
    """
    template_path = repo_root / PACKAGE_README
    if not template_path.is_file():
        template_path = Path(__file__).resolve().parents[2] / PACKAGE_README
    template = template_path.read_text(encoding="utf-8")
    rows = ["| table | rows | what one row is |", "|---|---:|---|"]
    for resource in descriptor.get("resources", []):
        if resource.get("type") != "table" or resource.get("format") != "csv":
            continue
        description = " ".join(str(resource.get("description", "")).split())
        start, end = split_sentences(description)[0] if description else (0, 0)
        first = description[start:end].rstrip(".") + "."
        count = _table_rows(repo_root / resource["path"])
        rows.append(f"| `{resource['name']}` | {count} | {first.replace('|', '/')} |")
    files = [
        f"- `{r['path']}`: {' '.join(str(r.get('title', '')).split())}"
        for r in descriptor.get("resources", [])
        if r.get("type") != "table"
    ]
    values = {
        "traced": _traced_sentence(descriptor),
        "title": str(descriptor.get("title", "")),
        "version": str(descriptor.get("version", "")),
        "description": " ".join(str(descriptor.get("description", "")).split()),
        "tables": "\n".join(rows),
        "files": "\n".join(files) or "- (none)",
    }
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template.encode("utf-8")


def release_contents(repo_root: Path, changelog_text: str | None = None) -> dict[str, bytes]:
    """Every file of the release, by its path in the archive (``changelog_text`` replaces CHANGELOG.md)."""
    meta = load_dataset_meta(repo_root)
    documents = read_documents(repo_root)
    descriptor = _check_package(repo_root, meta, documents)
    contents = {name: path.read_bytes() for name, path in package_files(repo_root, descriptor).items()}
    for name in REPO_FILES:
        if not (repo_root / name).exists():
            raise ReleaseError(f"{repo_root / name}: not found; it belongs in the release")
        contents[name] = _safe_file(repo_root, name, "the release").read_bytes()
    if changelog_text is not None:
        contents["CHANGELOG.md"] = changelog_text.encode("utf-8")
    contents["README.md"] = package_readme(repo_root, descriptor)
    contents["LICENSE-DATA"] = _license_text(repo_root, documents)
    contents["CITATION.cff"] = citation_cff(meta, documents).encode("utf-8")
    zenodo = zenodo_metadata(meta, documents)
    contents[".zenodo.json"] = (json.dumps(zenodo, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return contents


def write_zip(contents: Mapping[str, bytes], out_path: Path) -> Path:
    """A deterministic zip: sorted entries, fixed timestamps and permissions, fixed compression."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".release-", suffix=".zip", dir=out_path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for name in sorted(contents):
                info = zipfile.ZipInfo(name, date_time=FIXED_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = FILE_MODE << 16
                archive.writestr(info, contents[name], compresslevel=9)
        os.chmod(temporary, ARCHIVE_FILE_MODE)
        os.replace(temporary, out_path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return out_path


def write_root_metadata(repo_root: Path) -> None:
    """Write CITATION.cff and .zenodo.json at the repository root (GitHub and Zenodo read them there)."""
    meta = load_dataset_meta(repo_root)
    documents = read_documents(repo_root)
    (repo_root / "CITATION.cff").write_text(citation_cff(meta, documents), encoding="utf-8")
    zenodo = json.dumps(zenodo_metadata(meta, documents), indent=2, ensure_ascii=False) + "\n"
    (repo_root / ".zenodo.json").write_text(zenodo, encoding="utf-8")


def validate_release(zip_path: Path) -> list[str]:
    """Unpack a release and validate it with frictionless; readable errors, empty when valid."""
    from pipeline.package.validation import validate_package

    with tempfile.TemporaryDirectory(prefix="release-check-") as scratch:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(scratch)
        return validate_package(Path(scratch) / "datapackage.json")


def build_release(
    repo_root: Path, out_path: Path, validate: bool = True, changelog_text: str | None = None
) -> Path:
    """Build the release zip from the published package under repo_root; same inputs, same bytes.

    The archive is validated with frictionless before it replaces any earlier file at out_path.
    """
    contents = release_contents(repo_root, changelog_text)
    if not validate:
        return write_zip(contents, out_path)
    candidate = write_zip(contents, out_path.parent / f".candidate-{out_path.name}")
    try:
        errors = validate_release(candidate)
        if errors:
            raise ReleaseError("the release package is not valid:\n  " + "\n  ".join(errors[:30]))
        os.replace(candidate, out_path)
    finally:
        candidate.unlink(missing_ok=True)
    return out_path


def default_release_path(repo_root: Path) -> Path:
    """dist/<name>-<version>.zip, named from dataset.yaml."""
    meta = load_dataset_meta(repo_root)
    return repo_root / "dist" / f"{meta['name']}-{meta['version']}.zip"
