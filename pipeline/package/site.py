"""The reader site: a static page per paper with its extractions on the text, and an index of papers.

A historian checking a paper should not have to join tables and count characters. Each page renders the
cleaned text once, with every record that has offsets (mentions, time expressions, events, claims,
citations) as a highlight built from those offsets, footnotes linked both ways, the works cited and a
timeline of the paper's events. Clicking a highlight shows its record and a correction stub ready to paste
into corrections/. Tables, keys and columns come from the package's datapackage.json, so a column or table
another change adds shows up without a change here. No server: plain files that open from file://.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.package.database import TableSpec, table_specs
from pipeline.package.site_text import (
    HIGHLIGHT_TABLES,
    Highlight,
    PaperRecords,
    esc,
    highlights_for,
    note_anchor,
    record_key,
    render_text,
    slug,
)

ASSETS = ("site.css", "site.js")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


# --- reading the package ----------------------------------------------------------------------------


def read_package(package_dir: Path) -> tuple[dict[str, Any], dict[str, TableSpec], dict[str, pl.DataFrame]]:
    """The descriptor, the table specs and every table (from its Parquet file), by table name."""
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    specs = {s.name: s for s in table_specs(package_dir)}
    frames = {name: pl.read_parquet(spec.parquet) for name, spec in specs.items()}
    return descriptor, specs, frames


def papers_records(specs: Mapping[str, TableSpec], frames: Mapping[str, pl.DataFrame]) -> list[PaperRecords]:
    """Each paper's rows of every table that has a document_id column, papers in ID order."""
    documents = frames["documents"].sort("document_id").to_dicts()
    papers = {d["document_id"]: PaperRecords(d) for d in documents}
    for name, frame in frames.items():
        if name == "documents" or "document_id" not in frame.columns:
            continue
        for (document_id,), part in frame.partition_by("document_id", as_dict=True).items():
            if document_id in papers:
                papers[document_id].rows[name] = part.to_dicts()
    return list(papers.values())


# --- page parts -------------------------------------------------------------------------------------


def _chicago(text: str) -> str:
    """A work's Chicago rendering with its *italics* as <em>."""
    pieces = esc(text).split("*")
    return "".join(f"<em>{p}</em>" if i % 2 else p for i, p in enumerate(pieces))


def works_html(paper: PaperRecords, works: Mapping[str, Mapping[str, Any]], specs) -> str:
    cited = sorted({c["work_id"] for c in paper.rows.get("citations", []) if c.get("work_id")})
    if not cited:
        return ""
    items = []
    for work_id in cited:
        work = works.get(work_id, {})
        key = esc(record_key("works", specs["works"], work)) if work else ""
        label = _chicago(work.get("chicago") or work_id)
        items.append(
            f'<li id="work-{slug(work_id)}"><span class="hl k-work" tabindex="0" data-rec="{key}" '
            f'data-kind="work">{label}</span></li>'
        )
    return f'<section id="works"><h2>Works cited</h2><ol>{"".join(items)}</ol></section>'


def timeline_html(paper: PaperRecords, anchors: Mapping[str, str], specs) -> str:
    """The paper's dated events in date order: a strip with a dot per event, and the list."""
    events = [e for e in paper.rows.get("events", []) if e.get("date_earliest") and e.get("date_latest")]
    if not events:
        return ""
    events.sort(key=lambda e: (e["date_earliest"], e["date_latest"], e["event_id"]))
    low = events[0]["date_earliest"].toordinal()
    high = max(e["date_latest"].toordinal() for e in events)
    span = max(high - low, 1)
    dots, items = [], []
    for event in events:
        key = record_key("events", specs["events"], event)
        target = anchors.get(key)
        middle = (event["date_earliest"].toordinal() + event["date_latest"].toordinal()) / 2
        x = 10 + 980 * (middle - low) / span
        x1 = 10 + 980 * (event["date_earliest"].toordinal() - low) / span
        x2 = 10 + 980 * (event["date_latest"].toordinal() - low) / span
        title = f"{event.get('edtf') or ''} {event.get('label') or event['event_id']}"
        dots.append(
            f'<a href="#{target or ""}" aria-hidden="true" tabindex="-1"><title>{esc(title)}</title>'
            f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="20" y2="20"/><circle cx="{x:.1f}" cy="20" r="5"/></a>'
        )
        link = f'<a href="#{target}">{esc(event.get("label") or event["event_id"])}</a>' if target else ""
        link = link or esc(event.get("label") or event["event_id"])
        items.append(
            f'<li><time datetime="{esc(event["date_earliest"].isoformat())}">'
            f"{esc(event.get('edtf'))}</time>"
            f' {link} <span class="etype">{esc(event.get("event_type") or "")}</span></li>'
        )
    first, last = events[0]["date_earliest"].isoformat(), dt.date.fromordinal(high).isoformat()
    svg = (
        f'<svg class="strip" viewBox="0 0 1000 40" role="img" aria-label="events from {first} to {last}">'
        f"{_year_ticks(low, high)}{''.join(dots)}</svg>"
    )
    return f'<section id="timeline"><h2>Timeline of events</h2>{svg}<ol>{"".join(items)}</ol></section>'


def _year_ticks(low: int, high: int) -> str:
    """Labels for the timeline strip: 1 January of every year, or every 2, 5, 10 ... years (at most 10)."""
    first, last = dt.date.fromordinal(low).year, dt.date.fromordinal(high).year
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if (last - first) / s <= 10)
    span = max(high - low, 1)
    ticks = []
    for year in range(first + (-first) % step, last + 1, step):
        x = 10 + 980 * (dt.date(year, 1, 1).toordinal() - low) / span
        if 0 <= x <= 1000:
            ticks.append(f'<text x="{x:.1f}" y="38" text-anchor="middle">{year}</text>')
    if not ticks:  # all within one year: its first and last dates
        ticks = [
            f'<text x="10" y="38">{dt.date.fromordinal(low).isoformat()}</text>',
            f'<text x="990" y="38" text-anchor="end">{dt.date.fromordinal(high).isoformat()}</text>',
        ]
    return "".join(ticks)


def records_list_html(highlights_by_kind: Mapping[str, list[tuple[str, str]]]) -> str:
    """For a paper whose text is not published: its records by kind, each opening its record."""
    sections = []
    for kind, records in highlights_by_kind.items():
        items = "".join(
            f'<li><span class="hl k-{slug(kind)}" tabindex="0" data-rec="{esc(key)}" '
            f'data-kind="{esc(kind)}">'
            f"{esc(label)}</span></li>"
            for key, label in records
        )
        sections.append(f'<section class="kind-list"><h3>{esc(kind)}</h3><ul>{items}</ul></section>')
    return '<div id="records" class="text">' + "".join(sections) + "</div>"


# --- the records a page carries ---------------------------------------------------------------------


@dataclass(frozen=True)
class SiteModel:
    """What every page shares: the table specs, the tables linked to the highlighted ones, names, works."""

    specs: Mapping[str, TableSpec]
    highlighted: tuple[str, ...]
    children: Mapping[str, list[tuple[str, str]]]  # parent table -> [(child table, FK column)]
    orphan_children: Mapping[str, dict[str, list[dict[str, Any]]]]  # child rows of tables without paper
    names: Mapping[str, str]
    works: Mapping[str, dict[str, Any]]


def site_model(specs: Mapping[str, TableSpec], frames: Mapping[str, pl.DataFrame]) -> SiteModel:
    highlighted = tuple(t for t, _, _ in HIGHLIGHT_TABLES if t in specs)
    children: dict[str, list[tuple[str, str]]] = defaultdict(list)
    orphan: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, spec in sorted(specs.items()):
        for fields, table, _ in spec.foreign_keys:
            if table in highlighted and table != name and len(fields) == 1:
                children[table].append((name, fields[0]))
                if "document_id" not in frames[name].columns:
                    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
                    for row in frames[name].to_dicts():
                        grouped[str(row[fields[0]])].append(row)
                    orphan[name] = grouped
    entities = frames.get("entities")
    names = {}
    if entities is not None and "preferred_name" in entities.columns:
        names = dict(zip(entities["entity_id"], entities["preferred_name"], strict=True))
    works = {w["work_id"]: w for w in frames["works"].to_dicts()} if "works" in frames else {}
    return SiteModel(specs, highlighted, dict(children), orphan, names, works)


def page_records(paper: PaperRecords, model: SiteModel) -> tuple[dict[str, dict], dict[str, list[str]]]:
    """The records a page can show (its highlights, notes, linked rows, works, entities) and, for each
    record, the rows of other tables that point at it."""
    specs = model.specs
    records: dict[str, dict[str, Any]] = {}
    related: dict[str, list[str]] = defaultdict(list)

    def add(table: str, row: Mapping[str, Any]) -> str:
        key = record_key(table, specs[table], row)
        records[key] = {k: _json_value(v) for k, v in row.items() if v is not None}
        return key

    for table in (*model.highlighted, "footnotes"):
        for row in paper.rows.get(table, []):
            parent = add(table, row)
            for child, _ in model.children.get(table, []):
                if child in model.orphan_children:
                    rows = model.orphan_children[child].get(str(row[specs[table].primary_key[0]]), [])
                    for child_row in rows:
                        related[parent].append(add(child, child_row))
    for table in model.highlighted:
        for child, column in model.children.get(table, []):
            if child in model.orphan_children:
                continue
            for row in paper.rows.get(child, []):
                if row.get(column) is not None:
                    parent = f"{table}/{row[column]}"
                    related[parent].append(add(child, row))
    for row in list(records.values()):
        work_id = row.get("work_id")
        if work_id in model.works:
            add("works", model.works[work_id])
    return records, {k: sorted(set(v)) for k, v in sorted(related.items())}


def compact_rows(records: Mapping[str, Mapping[str, Any]], specs: Mapping[str, TableSpec]) -> dict[str, list]:
    """Records as value lists in each table's column order (the page's script rebuilds them): the
    column names are not repeated in every record."""
    rows: dict[str, list] = defaultdict(list)
    for key, record in sorted(records.items()):
        table = key.split("/", 1)[0]
        rows[table].append([record.get(f["name"]) for f in specs[table].schema["fields"]])
    return dict(sorted(rows.items()))


def tables_meta(specs: Mapping[str, TableSpec]) -> dict[str, Any]:
    """Per table: primary key, columns with their descriptions, foreign keys by column (for the JS)."""
    meta = {}
    for name, spec in sorted(specs.items()):
        fks = {fields[0]: table for fields, table, _ in spec.foreign_keys if len(fields) == 1}
        meta[name] = {
            "key": spec.primary_key,
            "fields": [f["name"] for f in spec.schema["fields"]],
            "descriptions": {
                f["name"]: " ".join(str(f.get("description", "")).split()) for f in spec.schema["fields"]
            },
            "fks": fks,
        }
    return meta


# --- pages ------------------------------------------------------------------------------------------


def _page(title: str, body: str, depth: int, data: str = "") -> str:
    up = "../" * depth
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title>"
        f'<link rel="stylesheet" href="{up}assets/site.css"></head>\n<body>{body}{data}'
        f'<script src="{up}assets/tables.js"></script><script src="{up}assets/site.js"></script>'
        "</body></html>\n"
    )


def _byline(document: Mapping[str, Any]) -> str:
    parts = [document.get("author"), document.get("date_published")]
    series = document.get("series")
    if series:
        parts.append(f"{series} #{document['series_number']}" if document.get("series_number") else series)
    return " · ".join(esc(p) for p in parts if p)


def kind_counts(highlights: Iterable[Highlight]) -> dict[str, int]:
    """Records per kind, kinds in the order of HIGHLIGHT_TABLES (entity types by name)."""
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for h in highlights:
        counts[(h.order, h.kind)] += 1
    return {kind: counts[(order, kind)] for order, kind in sorted(counts)}


def _toggles(counts: Mapping[str, int]) -> str:
    boxes = "".join(
        f'<label class="toggle"><input type="checkbox" checked data-kind="{esc(kind)}">'
        f'<span class="swatch k-{slug(kind)}"></span> {esc(kind)} <span class="n">{count}</span></label>'
        for kind, count in counts.items()
    )
    return f'<fieldset class="toggles"><legend>Show on the text</legend>{boxes}</fieldset>'


def paper_page(paper: PaperRecords, package_dir: Path, model: SiteModel, version: str) -> str:
    """The HTML of one paper's page."""
    document = paper.document
    highlights = highlights_for(paper, model.specs)
    records, related = page_records(paper, model)
    anchors = {h.record: h.anchor for h in reversed(highlights)}
    for note in paper.rows.get("footnotes", []):
        anchors[record_key("footnotes", model.specs["footnotes"], note)] = note_anchor(note)
    for key, row in records.items():
        if key.startswith("works/"):
            anchors[key] = f"work-{slug(row['work_id'])}"
    text_path = package_dir / str(document.get("text_path") or "")
    published = (
        bool(document.get("full_text_published")) and text_path.is_file() and document.get("text_path")
    )
    if published:
        text = text_path.read_text(encoding="utf-8")
        main = render_text(paper, text, highlights)
    else:
        by_kind: dict[str, list[tuple[str, str]]] = {kind: [] for kind in kind_counts(highlights)}
        for h in highlights:
            row = records.get(h.record, {})
            what = (
                row.get("label")
                or row.get("edtf")
                or model.names.get(row.get("entity_id"))
                or row.get("kind")
                or row.get("reference_type")
            )
            record_id = h.record.split("/", 1)[1]
            by_kind[h.kind].append((h.record, f"{record_id}: {what}" if what else record_id))
        note = (
            '<p class="closed">The text of this paper is not published (its metadata does not set '
            "<code>full_text: true</code>); its records are listed by kind.</p>"
        )
        main = note + records_list_html(by_kind)
    names = {
        v: model.names[v]
        for r in records.values()
        for v in r.values()
        if isinstance(v, str) and v in model.names
    }
    data = {
        "document_id": document["document_id"],
        "rows": compact_rows(records, model.specs),
        "related": related,
        "anchors": anchors,
        "names": dict(sorted(names.items())),
    }
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace(
        "</", "<\\/"
    )
    script = f'<script type="application/json" id="page-data">{payload}</script>'
    body = (
        '<a class="skip" href="#main">Skip to the text</a>'
        '<header><p class="crumbs"><a href="../index.html">All papers</a> · '
        f"dataset version {esc(version)}</p>"
        f"<h1>{esc(document.get('title') or document['document_id'])}</h1>"
        f'<p class="byline">{_byline(document)}</p>{_toggles(kind_counts(highlights))}'
        '<p class="keys">Keys: <kbd>n</kbd>/<kbd>p</kbd> next/previous highlight, <kbd>Enter</kbd> show its '
        "record, <kbd>Esc</kbd> back to the text.</p></header>"
        f'<div class="layout"><main id="main" tabindex="-1">{main}'
        f"{works_html(paper, model.works, model.specs)}{timeline_html(paper, anchors, model.specs)}</main>"
        '<aside id="panel" aria-live="polite" aria-label="record"><p class="hint">Select a highlight to see '
        "its record and a correction stub.</p></aside></div>"
    )
    return _page(str(document.get("title") or document["document_id"]), body, 1, script)


def index_page(
    papers: list[PaperRecords], counts: Mapping[str, Mapping[str, int]], version: str, title: str
) -> str:
    kinds = sorted({k for c in counts.values() for k in c})
    head = "".join(f'<th scope="col">{esc(k)}</th>' for k in kinds)
    rows = []
    for paper in papers:
        document = paper.document
        document_id = document["document_id"]
        cells = "".join(f'<td class="num">{counts[document_id].get(k, 0)}</td>' for k in kinds)
        rows.append(
            f'<tr><td><a href="papers/{esc(slug(document_id))}.html">'
            f"{esc(document.get('title') or document_id)}</a><br>"
            f'<span class="id">{esc(document_id)}</span></td><td>{esc(document.get("author") or "")}</td>'
            f"<td>{esc(document.get('date_published') or '')}</td>"
            f"<td>{'yes' if document.get('full_text_published') else 'no'}</td>{cells}</tr>"
        )
    body = (
        f'<header><h1>{esc(title)}</h1><p class="byline">Dataset version {esc(version)} · '
        f"{len(papers)} papers. Counts are records per kind.</p></header>"
        '<main id="main" class="wide"><div class="scroll"><table class="index"><thead><tr>'
        '<th scope="col">paper</th>'
        f'<th scope="col">author</th><th scope="col">date</th><th scope="col">text</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></main>"
    )
    return _page(title, body, 0)


def build_site(package_dir: Path, out_dir: Path) -> Path:
    """Write the site for the package under package_dir into out_dir (index.html, papers/, assets/)."""
    descriptor, specs, frames = read_package(package_dir)
    version = str(descriptor.get("version", ""))
    model = site_model(specs, frames)
    papers = papers_records(specs, frames)
    (out_dir / "papers").mkdir(parents=True, exist_ok=True)
    (out_dir / "assets").mkdir(exist_ok=True)
    assets = resources.files("pipeline.package").joinpath("site_assets")
    for name in ASSETS:
        (out_dir / "assets" / name).write_text(
            assets.joinpath(name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    tables = json.dumps(tables_meta(specs), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (out_dir / "assets" / "tables.js").write_text(f"window.TABLES = {tables};\n", encoding="utf-8")
    counts = {}
    for paper in papers:
        counts[paper.document["document_id"]] = kind_counts(highlights_for(paper, specs))
        page = paper_page(paper, package_dir, model, version)
        (out_dir / "papers" / f"{slug(paper.document['document_id'])}.html").write_text(
            page, encoding="utf-8"
        )
    title = str(descriptor.get("title") or descriptor.get("name") or "Papers")
    (out_dir / "index.html").write_text(index_page(papers, counts, version, title), encoding="utf-8")
    return out_dir


def site_command(root: Path, out: Path) -> int:
    """`papers-dataset site OUT`: the reader site of the package under root."""
    if out.exists() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise RuntimeError(f"{out}: not empty and not a site written before; choose an empty folder")
    if (out / "papers").is_dir():
        shutil.rmtree(out / "papers")  # pages of papers no longer in the package go too
    build_site(root, out)
    print(f"site: {out / 'index.html'} ({len(os.listdir(out / 'papers'))} papers)")
    return 0
