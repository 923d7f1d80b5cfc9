"""From extracted tables to a published, versioned data package.

In: per-document frames from pipeline.text and pipeline.extract, the table specs in schemas/, the human
corrections in corrections/, dataset.yaml.
Out: validated CSV and Parquet files with datapackage.json, the data dictionary, the timeline figure,
changelog entries, the release zip and the Zenodo upload.
"""
