"""Load every table of the data package in pandas with the column types declared in datapackage.json.

Usage: python examples/load_package.py [path/to/datapackage.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def load_package(descriptor_path: Path) -> dict[str, pd.DataFrame]:
    package = json.loads(descriptor_path.read_text(encoding="utf-8"))
    tables = {}
    for resource in package["resources"]:
        if resource.get("format") != "csv":
            continue
        fields = resource["schema"]["fields"]
        dtypes = {f["name"]: PANDAS_TYPES[f["type"]] for f in fields if f["type"] in PANDAS_TYPES}
        dates = [f["name"] for f in fields if f["type"] == "date"]
        tables[resource["name"]] = pd.read_csv(
            descriptor_path.parent / resource["path"],
            dtype=dtypes,
            parse_dates=dates,
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8",
        )
    return tables


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "datapackage.json")
    for name, frame in load_package(path).items():
        print(f"{name:22} {len(frame):6} rows {frame.shape[1]:3} columns")
