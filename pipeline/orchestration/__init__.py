"""Running the pipeline: the stage functions per document and per corpus, the Dagster shell, the CLI.

In: the project folder (raw/, authority/, corrections/, dataset.yaml). Out: the package, built incrementally.
"""
