"""The committed package loads in pandas and in R, with text surviving the trip exactly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "examples"))
from load_package import load_package  # noqa: E402

DESCRIPTOR = REPO_ROOT / "datapackage.json"


@pytest.fixture(scope="module")
def tables():
    return load_package(DESCRIPTOR)


@pytest.fixture(scope="module")
def package():
    return json.loads(DESCRIPTOR.read_text(encoding="utf-8"))


def test_every_csv_resource_loads_in_pandas_with_declared_columns(tables, package):
    for resource in package["resources"]:
        if resource["format"] == "csv":
            columns = [f["name"] for f in resource["schema"]["fields"]]
            assert list(tables[resource["name"]].columns) == columns


def test_csv_and_parquet_hold_the_same_rows(tables):
    for name, frame in tables.items():
        parquet = pq.read_table(REPO_ROOT / f"data/parquet/{name}.parquet").to_pandas(
            types_mapper=pd.ArrowDtype
        )
        assert list(parquet.columns) == list(frame.columns)
        assert len(parquet) == len(frame)
        for column in frame.columns:
            left = frame[column].astype("string").fillna("<NA>").tolist()
            right = parquet[column].astype("string").fillna("<NA>").tolist()
            if str(frame[column].dtype).startswith("datetime"):
                left = [v[:10] for v in left]
                right = [v[:10] for v in right]
            assert left == right, f"{name}.{column} differs between CSV and Parquet"


def test_text_round_trips_through_pandas(tables):
    text = (REPO_ROOT / "text/kennan-op-263.txt").read_text(encoding="utf-8")
    paragraphs = tables["paragraphs"]
    for row in paragraphs.itertuples():
        assert text[row.char_start : row.char_end] == row.text
    joined = "".join(paragraphs["text"])
    for sample in ("“bourgeois West.”", "Maksim Maksimovich", "vis-a-vis", "Stalin’s", "1938–1945"):
        assert sample in joined or sample in "".join(tables["footnotes"]["text"].dropna())


def test_cyrillic_and_diacritics_survive_csv(tmp_path):
    """The paper has no Cyrillic, so write a tiny table through the publisher and read it back."""
    import polars as pl

    from pipeline.package.table_files import write_table

    values = ["Максим Литвинов", "Café — “quoted”", "naïve façade", "line\nbreak, comma"]
    frame = pl.DataFrame({"text": values})
    write_table(frame, tmp_path / "t.csv", tmp_path / "t.parquet")

    assert pd.read_csv(tmp_path / "t.csv", dtype="string", encoding="utf-8")["text"].tolist() == values
    assert pl.read_parquet(tmp_path / "t.parquet")["text"].to_list() == values


@pytest.mark.skipif(
    shutil.which("Rscript") is None and not os.environ.get("CI"),
    reason="R is not installed here (.ci/run installs it; in CI this test must run)",
)
def test_every_csv_loads_in_r_with_text_intact(tables, tmp_path):
    result = subprocess.run(
        ["Rscript", str(REPO_ROOT / "examples/load_package.R"), str(DESCRIPTOR), str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": "C"},
    )
    assert result.returncode == 0, result.stderr
    for name, frame in tables.items():
        from_r = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        assert from_r["rows"] == len(frame)
        for column, lengths in from_r["text_lengths"].items():
            expected = [None if pd.isna(v) else len(v) for v in frame[column].astype(object)]
            got = [None if v in (None, "NA") else v for v in lengths]
            assert got == expected, f"{name}.{column}: lengths differ in R"
