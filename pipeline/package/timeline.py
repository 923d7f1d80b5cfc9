"""The timeline picture: events by person, as a byte-reproducible SVG.

People would rather look than read. One row per person who acts in (or receives, or is the counterpart of)
at least one event; a dot per distinct event at the middle of its date bounds, coloured by event type,
with a line over the bounds when the date is imprecise. The SVG is deterministic (fixed hash salt, no
date metadata), so two runs give identical bytes and releases do not churn.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import polars as pl
from matplotlib import rc_context
from matplotlib.collections import LineCollection
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from pipeline.extract.events import EVENT_TYPES

matplotlib.use("Agg")  # no display; Figure objects are used directly, never pyplot's global state

TIMELINE_ROLES = ("agent", "recipient", "counterpart")
MAX_PEOPLE = 20
_COLOURS = dict(
    zip(
        EVENT_TYPES,
        [
            "#1f77b4",
            "#ff7f0e",
            "#2ca02c",
            "#d62728",
            "#9467bd",
            "#8c564b",
            "#e377c2",
            "#7f7f7f",
            "#bcbd22",
            "#17becf",
            "#393b79",
            "#843c39",
            "#636363",
        ],
        strict=True,
    )
)
_SVG_RC = {"svg.hashsalt": "history-papers-timeline", "svg.fonttype": "path", "font.family": "DejaVu Sans"}


def _names(entities: pl.DataFrame) -> dict[str, str]:
    """Display names from an entities or persons table (preferred_name, name or label column)."""
    column = next((c for c in ("preferred_name", "name", "label") if c in entities.columns), None)
    if column is None:
        return {}
    return dict(zip(entities["entity_id"].to_list(), entities[column].to_list(), strict=True))


def timeline_rows(events: pl.DataFrame, event_participants: pl.DataFrame) -> pl.DataFrame:
    """Person-event pairs to plot, people ordered by their first event (ties by ID)."""
    people = event_participants.filter(
        (pl.col("entity_type") == "person") & pl.col("role").is_in(TIMELINE_ROLES)
    ).select("event_id", "entity_id", "role")
    joined = people.join(events, on="event_id", how="inner").filter(
        pl.col("date_earliest").is_not_null() | pl.col("date_latest").is_not_null()
    )
    first = (
        joined.with_columns(pl.coalesce("date_earliest", "date_latest").alias("when"))
        .group_by("entity_id")
        .agg(pl.col("when").min().alias("first"), pl.len().alias("count"))
        .sort(["count", "entity_id"], descending=[True, False])
        .head(MAX_PEOPLE)
        .sort(["first", "entity_id"])
    )
    order = {entity_id: i for i, entity_id in enumerate(first["entity_id"].to_list())}
    return (
        joined.filter(pl.col("entity_id").is_in(list(order)))
        .with_columns(pl.col("entity_id").replace_strict(order, return_dtype=pl.Int64).alias("row"))
        .sort(["row", "event_id"])
    )


def timeline_marks(rows: pl.DataFrame) -> pl.DataFrame:
    """One mark per distinct (person row, event type, date bounds): the same event told in several papers,
    or several events on the same dates, would only draw over each other."""
    return (
        rows.with_columns(
            pl.coalesce("date_earliest", "date_latest").alias("start"),
            pl.coalesce("date_latest", "date_earliest").alias("end"),
        )
        .select("row", "event_type", "start", "end")
        .unique()
        .sort(["row", "start", "end", "event_type"])
    )


def render_timeline(
    events: pl.DataFrame, event_participants: pl.DataFrame, persons_or_entities: pl.DataFrame, path: Path
) -> None:
    """Write the timeline of events by person to path (SVG); identical inputs give identical bytes.

    All dots are one scatter and all date ranges one line collection, so drawing costs the same for ten
    events or ten thousand.
    """
    rows = timeline_rows(events, event_participants)
    names = _names(persons_or_entities)
    people = rows.unique("entity_id").sort("row")["entity_id"].to_list()
    marks = timeline_marks(rows)
    starts = date2num(marks["start"].to_list()) if len(marks) else []
    ends = date2num(marks["end"].to_list()) if len(marks) else []
    colours = [_COLOURS.get(t, "#000000") for t in marks["event_type"].to_list()]
    places = marks["row"].to_list()
    with rc_context(_SVG_RC):
        figure = Figure(figsize=(11, 1.2 + 0.45 * max(len(people), 1)))
        axes = figure.add_subplot()
        axes.xaxis_date()
        ranges = [
            ([start, place], [end, place])
            for start, end, place in zip(starts, ends, places, strict=True)
            if end > start
        ]
        range_colours = [c for c, start, end in zip(colours, starts, ends, strict=True) if end > start]
        if ranges:
            axes.add_collection(LineCollection(ranges, colors=range_colours, linewidths=2, alpha=0.45))
        if len(marks):
            middles = [(start + end) / 2 for start, end in zip(starts, ends, strict=True)]
            axes.scatter(middles, places, c=colours, s=36, zorder=3)
        axes.autoscale_view()
        axes.set_yticks(range(len(people)), [names.get(p, p) for p in people])
        axes.invert_yaxis()
        axes.grid(axis="x", linewidth=0.3)
        axes.set_title("Dated events by person (dot: middle of the date bounds; line: the bounds)")
        used = [t for t in EVENT_TYPES if t in set(rows["event_type"].to_list())]
        handles = [Line2D([], [], marker="o", linestyle="", color=_COLOURS[t], label=t) for t in used]
        if handles:
            axes.legend(
                handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False
            )
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format="svg", metadata={"Date": None})
