"""The kind of every block of a body, pass by pass: each block's own shape, headings a paper did not mark,
lists, quotations, tables, then the frame that only a block's place tells (bylines, signatures)."""

from __future__ import annotations

from pipeline.text.blocks import (
    PARAGRAPH,
    local_kind,
    mark_frame_by_place,
    mark_labelled_runs,
    mark_list_items,
    mark_quotes,
    mark_table_rows,
    mark_unlabelled_runs,
)
from pipeline.text.unmarked_headings import mark_unmarked_headings


def classify_blocks(raws: list[str], plains: list[str]) -> list[str]:
    """The kind of every block of a body, in order (blocks already joined across page breaks)."""
    kinds = [local_kind(raw, plain) or PARAGRAPH for raw, plain in zip(raws, plains, strict=True)]
    mark_unmarked_headings(raws, kinds, plains)
    mark_list_items(kinds, plains)
    mark_labelled_runs(kinds, plains)
    mark_unlabelled_runs(kinds, plains)
    mark_quotes(kinds, plains)
    mark_table_rows(kinds, plains)
    mark_frame_by_place(kinds, plains)
    return kinds
