"""The quality harness: scorers that compare the pipeline's output with hand-checked answers.

Run by the tests and by hand (`python -m evaluation.<scorer>`). Never imported by pipeline/ and not in the
wheel: it measures the product, it is not part of it.
"""
