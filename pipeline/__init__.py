"""The pipeline, in the order data flows: text (read and clean) -> extract -> package; orchestration runs it.

See docs/architecture.md for the picture and for where each kind of change goes.
"""
