"""Extractors: pure functions from a CleanedDocument's tables to the tables of things found in the text.

In: the cleaned text layer (pipeline.text), the authority files (authority/), the vocabularies (vocab/).
Out: citations and works, entity mentions, time expressions and events, claims — polars frames whose
columns come from schemas/.
"""
