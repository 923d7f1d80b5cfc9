"""The package's figures, drawn from its tables: each drawn only for inputs not drawn before, and where
a build has an idle worker process, drawn there while the build checks and writes the package."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import tempfile
from concurrent.futures import Executor, Future
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
    draw_on: Executor | None = None,
) -> bytes | Future[bytes]:
    """The timeline of events by person, as SVG bytes (deterministic), or, drawn on ``draw_on``, a
    future of them.

    Importing matplotlib and drawing cost about a second of the build process's own time; with a ``cache``
    folder, a figure is drawn only for inputs not drawn before by the same code (the drawing module's
    source, read without importing it). Only the columns it draws from go to the drawing.
    """
    active = events_table.filter(pl.col("record_status") == "active")
    drawing = importlib.util.find_spec("pipeline.package.timeline")
    digest = hashlib.sha256(Path(drawing.origin).read_bytes() if drawing and drawing.origin else b"")
    inputs = []
    for frame, drawn in (
        (active, TIMELINE_INPUTS["events"]),
        (participants, TIMELINE_INPUTS["event_participants"]),
        (entity_table, TIMELINE_INPUTS["entities"]),
    ):
        inputs.append(frame.select(c for c in drawn if c in frame.columns))
        buffer = io.BytesIO()
        inputs[-1].write_csv(buffer)
        digest.update(buffer.getvalue())
    cached = cache / f"timeline-{digest.hexdigest()[:32]}.svg" if cache else None
    if cached and cached.exists():
        return cached.read_bytes()
    if draw_on is None:
        figure = draw_timeline(*inputs)
        _keep(cached, figure)
        return figure
    drawing_future = draw_on.submit(draw_timeline, *inputs)
    drawing_future.add_done_callback(lambda done: _keep_drawn(cached, done))
    return drawing_future


def draw_timeline(events: pl.DataFrame, participants: pl.DataFrame, entities: pl.DataFrame) -> bytes:
    """The timeline's SVG bytes (`timeline.render_timeline`); imports matplotlib in the process that draws."""
    from pipeline.package import timeline

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "timeline.svg"
        timeline.render_timeline(events, participants, entities, path)
        return path.read_bytes()


def _keep_drawn(cached: Path | None, done: Future[bytes]) -> None:
    if not done.cancelled() and done.exception() is None:
        _keep(cached, done.result())


def _keep(cached: Path | None, figure: bytes) -> None:
    """Keep the figure as the one drawing of its inputs (the older drawings go)."""
    if cached is None:
        return
    cached.parent.mkdir(parents=True, exist_ok=True)
    for old in cached.parent.glob("timeline-*.svg"):
        old.unlink()
    scratch_file = cached.with_suffix(f".{os.getpid()}.tmp")
    scratch_file.write_bytes(figure)
    os.replace(scratch_file, cached)
