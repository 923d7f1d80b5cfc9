"""Reading and cleaning.

In: a paper's OCR file under raw/<document_id>/ and its optional metadata.yaml.
Out: a CleanedDocument — the published cleaned text, and the paragraphs, sentences, footnotes and emphasis
spans with character offsets into it — plus the documents row.
"""
