"""Reading raw/: bad input fails with the file, the line and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.text.ingest import InputError, discover_documents, read_document


def _doc(tmp_path: Path, name: str, data: bytes, metadata: str | None = None) -> Path:
    folder = tmp_path / "raw" / name
    folder.mkdir(parents=True)
    (folder / f"{name}.md").write_bytes(data)
    if metadata is not None:
        (folder / "metadata.yaml").write_text(metadata, encoding="utf-8")
    return folder


def test_non_utf8_names_file_and_line(tmp_path):
    folder = _doc(tmp_path, "latin", "First line\nSecond line caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.md:2: not valid UTF-8 \(byte 0xe9"):
        read_document(folder, tmp_path)


def test_empty_file_is_rejected(tmp_path):
    folder = _doc(tmp_path, "empty", b"  \n\n")
    with pytest.raises(InputError, match=r"empty\.md: the file is empty"):
        read_document(folder, tmp_path)


def test_unknown_metadata_field_is_rejected(tmp_path):
    _doc(tmp_path, "paper", b"Text.\n", "id: paper\nauthors: X\n")
    with pytest.raises(InputError, match=r"metadata\.yaml: unknown metadata field 'authors'"):
        discover_documents(tmp_path / "raw")


def test_bad_document_id_is_rejected(tmp_path):
    _doc(tmp_path, "paper", b"Text.\n", "id: Paper One\n")
    with pytest.raises(InputError, match="must be lowercase letters"):
        discover_documents(tmp_path / "raw")


def test_folder_with_two_texts_is_rejected(tmp_path):
    folder = _doc(tmp_path, "two", b"Text.\n")
    (folder / "other.txt").write_text("More.", encoding="utf-8")
    with pytest.raises(InputError, match="exactly one OCR text file"):
        read_document(folder, tmp_path)


def test_bare_file_without_metadata_gets_id_from_its_name(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "Some Paper 12.md").write_text("Body.\n", encoding="utf-8")
    found = discover_documents(tmp_path / "raw")
    assert list(found) == ["some-paper-12"]
    document = read_document(found["some-paper-12"], tmp_path)
    assert document.source_path == "raw/Some Paper 12.md"
    assert document.metadata == {}


def test_committed_paper_reads_unchanged():
    root = Path(__file__).resolve().parent.parent
    document = read_document(discover_documents(root / "raw")["kennan-op-263"], root)
    assert document.text == (root / document.source_path).read_text(encoding="utf-8")
    assert document.metadata["language"] == "en"
