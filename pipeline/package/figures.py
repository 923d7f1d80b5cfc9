"""The package's figures, drawn from its tables: each drawn only for inputs not drawn before."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import tempfile
from pathlib import Path

import polars as pl

# The columns the timeline draws from: a figure is redrawn only when one of them changes.
TIMELINE_INPUTS = {
    "events": ("event_id", "event_type", "date_earliest", "date_latest"),
    "event_participants": ("event_id", "entity_id", "entity_type", "role"),
    "entities": ("entity_id", "preferred_name", "name", "label"),
}


def timeline_figure(
    events_table: pl.DataFrame,
    participants: pl.DataFrame,
    entity_table: pl.DataFrame,
    cache: Path | None = None,
) -> bytes:
    """The timeline of events by person, as SVG bytes (deterministic).

    Importing matplotlib and drawing cost about a second; with a ``cache`` folder, a figure is drawn only
    for inputs not drawn before by the same code (the drawing module's source, read without importing it).
    """
    active = events_table.filter(pl.col("record_status") == "active")
    drawing = importlib.util.find_spec("pipeline.package.timeline")
    digest = hashlib.sha256(Path(drawing.origin).read_bytes() if drawing and drawing.origin else b"")
    for frame, drawn in (
        (active, TIMELINE_INPUTS["events"]),
        (participants, TIMELINE_INPUTS["event_participants"]),
        (entity_table, TIMELINE_INPUTS["entities"]),
    ):
        buffer = io.BytesIO()
        frame.select(c for c in drawn if c in frame.columns).write_csv(buffer)
        digest.update(buffer.getvalue())
    cached = cache / f"timeline-{digest.hexdigest()[:32]}.svg" if cache else None
    if cached and cached.exists():
        return cached.read_bytes()
    from pipeline.package import timeline

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "timeline.svg"
        timeline.render_timeline(active, participants, entity_table, path)
        figure = path.read_bytes()
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("timeline-*.svg"):
            old.unlink()
        scratch_file = cached.with_suffix(f".{os.getpid()}.tmp")
        scratch_file.write_bytes(figure)
        os.replace(scratch_file, cached)
    return figure
