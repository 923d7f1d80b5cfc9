"""Reading raw/: bad input fails with the file, the line and what is wrong."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.text.ingest import InputError, discover_documents, read_document

REPO_ROOT = Path(__file__).resolve().parent.parent


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


def test_unknown_metadata_field_is_rejected_when_the_paper_is_read(tmp_path):
    folder = _doc(tmp_path, "paper", b"Text.\n", "id: paper\nauthors: X\n")
    # Finding the papers takes the ID only: one paper's bad metadata leaves that paper out, not the build.
    assert discover_documents(tmp_path / "raw") == {"paper": folder}
    with pytest.raises(InputError, match=r"metadata\.yaml: unknown metadata field 'authors'"):
        read_document(folder, tmp_path)


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


def test_front_matter_only_is_refused(tmp_path):
    folder = _doc(tmp_path, "stub", b"---\ntitle: A stub\nauthor: Someone\n---\n\n")
    with pytest.raises(InputError, match=r"stub\.md:1-4: the file holds only a YAML front-matter block"):
        read_document(folder, tmp_path)


def test_front_matter_followed_by_text_is_read(tmp_path):
    folder = _doc(tmp_path, "with-body", b"---\ntitle: A paper\n---\n\nThe body of the paper.\n")
    assert read_document(folder, tmp_path).text.endswith("The body of the paper.\n")


def test_metadata_as_a_list_says_what_to_do(tmp_path):
    folder = _doc(tmp_path, "paper", b"Text.\n", "- title: A paper\n- language: en\n")
    with pytest.raises(InputError, match=r"metadata\.yaml: expected metadata fields .* got a list; remove"):
        read_document(folder, tmp_path)


def test_metadata_that_is_not_utf8_names_its_line(tmp_path):
    folder = _doc(tmp_path, "paper", b"Text.\n")
    (folder / "metadata.yaml").write_bytes("language: en\ntitle: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"metadata\.yaml:2: not valid UTF-8"):
        read_document(folder, tmp_path)


def test_broken_metadata_yaml_names_its_line(tmp_path):
    folder = _doc(tmp_path, "paper", b"Text.\n", "language: en\ntitle: [unclosed\n")
    with pytest.raises(InputError, match=r"metadata\.yaml:\d: not valid YAML"):
        read_document(folder, tmp_path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ñandú Papér — 1933.md", "nandu-paper-1933"),
        ("Œuvres ﬁnales (Straße) Łódź.txt", "oeuvres-finales-strasse-lodz"),
        ("Zürich – Genève 1919.markdown", "zurich-geneve-1919"),
    ],
)
def test_unicode_file_names_are_transliterated_into_ids(tmp_path, name, expected):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / name).write_text("Body.\n", encoding="utf-8")
    assert list(discover_documents(tmp_path / "raw")) == [expected]


def test_a_name_with_no_letters_left_asks_for_an_id(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "—.md").write_text("Body.\n", encoding="utf-8")
    with pytest.raises(InputError, match="no document id can be made from this name"):
        discover_documents(tmp_path / "raw")


def test_upper_case_and_markdown_suffixes_are_read_and_the_rest_is_listed(tmp_path, caplog):
    raw = tmp_path / "raw"
    _doc(tmp_path, "folder-paper", b"Body.\n")
    (raw / "folder-paper" / "folder-paper.md").rename(raw / "folder-paper" / "Scan.MD")
    (raw / "folder-paper" / "page-1.png").write_bytes(b"\x89PNG")
    (raw / "Loose Paper.markdown").write_text("Body.\n", encoding="utf-8")
    (raw / "notes.docx").write_bytes(b"PK")
    (raw / ".drafts").mkdir()
    (raw / ".drafts" / "draft.md").write_text("Draft.\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        found = discover_documents(raw)
        document = read_document(found["folder-paper"], tmp_path)
    assert sorted(found) == ["folder-paper", "loose-paper"]
    assert document.source_path == "raw/folder-paper/Scan.MD"
    assert "raw/.drafts: ignored (hidden)" in caplog.text
    assert "raw/notes.docx: ignored (not a .md, .markdown or .txt file)" in caplog.text
    assert "folder-paper/page-1.png: ignored (not a .md, .markdown or .txt file)" in caplog.text


def test_a_symlink_out_of_the_corpus_is_refused_before_reading(tmp_path, monkeypatch):
    outside = tmp_path / "elsewhere" / "secret.md"
    outside.parent.mkdir()
    outside.write_text("Not part of the corpus.\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "raw" / "linked").mkdir(parents=True)
    (corpus / "raw" / "linked" / "paper.md").symlink_to(outside)
    (corpus / "raw" / "direct.md").symlink_to(outside)
    read = []
    real_read_bytes = Path.read_bytes

    def recording_read_bytes(self):
        read.append(self.resolve())
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", recording_read_bytes)
    with pytest.raises(InputError, match=r"raw/direct\.md: a symbolic link to .*secret\.md, outside"):
        discover_documents(corpus / "raw")
    (corpus / "raw" / "direct.md").unlink()
    with pytest.raises(InputError, match=r"raw/linked/paper\.md: a symbolic link to .*secret\.md, outside"):
        discover_documents(corpus / "raw")
    assert outside.resolve() not in read


def test_a_symlink_inside_the_corpus_is_followed(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sources").mkdir(parents=True)
    (corpus / "sources" / "paper.md").write_text("Body.\n", encoding="utf-8")
    (corpus / "raw" / "linked").mkdir(parents=True)
    (corpus / "raw" / "linked" / "paper.md").symlink_to(corpus / "sources" / "paper.md")
    document = read_document(discover_documents(corpus / "raw")["linked"], corpus)
    assert document.text == "Body.\n"


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline.commands", "--root", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_cli_reports_bad_input_in_two_lines_without_a_traceback(tmp_path, cli_in_process):
    root = tmp_path / "corpus"
    folder = _doc(root, "latin", "First line\nSecond line caf\xe9\n".encode("latin-1"))
    (folder / "metadata.yaml").write_text("full_text: true\n", encoding="utf-8")
    shutil.copy2(REPO_ROOT / "dataset.yaml", root / "dataset.yaml")
    shutil.copytree(REPO_ROOT / "authority", root / "authority")
    result = _cli(root, "build")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and len(lines) <= 2, result.stderr[-3000:]
    assert re.search(r"latin\.md:2: not valid UTF-8 \(byte 0xe9 at offset 26\); re-export", lines[0])
    assert "UnicodeDecodeError" not in result.stderr
    debug = cli_in_process("--root", root, "--debug", "build")
    assert debug.returncode == 1 and "UnicodeDecodeError" in debug.stderr


def test_cli_help_works_and_commands_fail_cleanly_with_a_list_as_metadata(tmp_path):
    root = tmp_path / "corpus"
    _doc(root, "paper", b"Text.\n", "- title: A paper\n")
    shutil.copy2(REPO_ROOT / "dataset.yaml", root / "dataset.yaml")
    shutil.copytree(REPO_ROOT / "authority", root / "authority")
    env_help = subprocess.run(
        [sys.executable, "-m", "pipeline.commands", "--help"],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "DATASET_ROOT": str(root)},
    )
    assert env_help.returncode == 0 and "usage: papers-dataset" in env_help.stdout
    result = _cli(root, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"{root / 'raw/paper/metadata.yaml'}: expected metadata fields (key: value lines, e.g. "
        "'title: ...'), got a list; remove the leading '- ' if the fields are written as a list"
    ) in result.stderr
