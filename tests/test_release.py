"""Release: reproducible zip of the committed package, citation and Zenodo metadata, dry-run upload."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from pipeline.package import zenodo
from pipeline.package.release import (
    ReleaseError,
    build_release,
    citation_cff,
    validate_release,
    write_root_metadata,
    zenodo_metadata,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
README = "# A test README\n"
pytestmark = pytest.mark.usefixtures("validate_each_release_once")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the committed package and the repository files a release needs."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("datapackage.json", "dataset.yaml", "LICENSE-DATA", "CHANGELOG.md"):
        shutil.copy(REPO_ROOT / name, root / name)
    for directory in ("data", "text", "figures", "raw"):
        shutil.copytree(REPO_ROOT / directory, root / directory)
    (root / "README.md").write_text(README, encoding="utf-8")
    return root


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_are_byte_identical(repo, tmp_path):
    first = build_release(repo, tmp_path / "one" / "release.zip")
    (repo / "README.md").touch()  # a newer modification time must not change the archive
    second = build_release(repo, tmp_path / "two" / "release.zip")
    assert first.read_bytes() == second.read_bytes()


def test_zip_holds_the_package_and_release_files(repo, tmp_path):
    path = build_release(repo, tmp_path / "release.zip")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        infos = archive.infolist()
        assert names == sorted(names)
        for required in (
            "datapackage.json",
            "README.md",
            "LICENSE-DATA",
            "CITATION.cff",
            ".zenodo.json",
            "CHANGELOG.md",
        ):
            assert required in names
        assert "data/csv/footnotes.csv" in names and "data/parquet/footnotes.parquet" in names
        assert "text/kennan-op-263.txt" in names
        assert not any(n.startswith("raw/") for n in names)  # the OCR source is not part of the release
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        readme = archive.read("README.md").decode()
        assert archive.read("data/csv/footnotes.csv") == (repo / "data/csv/footnotes.csv").read_bytes()
        licence = archive.read("LICENSE-DATA").decode()
    # the data README, not the repository's: what the tables are, how to load them, how to cite
    assert README not in readme
    for heading in ("## The tables", "## Loading", "## Citing"):
        assert heading in readme
    footnote_rows = (repo / "data/csv/footnotes.csv").read_text(encoding="utf-8").count("\n") - 1
    assert f"| `footnotes` | {footnote_rows} | One row per footnote" in readme
    assert "- `text/kennan-op-263.txt`: Cleaned text of kennan-op-263" in readme
    assert "{{" not in readme
    assert "CC BY 4.0" in licence and "NOT licensed by this dataset" in licence
    assert "- kennan-op-263: Hugh Phillips" in licence
    assert "Copyright: ©June 1996 Woodrow Wilson International Center for Scholars." in licence


def test_zip_opens_and_validates_with_frictionless(repo, tmp_path):
    path = build_release(repo, tmp_path / "release.zip", validate=False)
    assert validate_release(path) == []
    from frictionless import Package, system

    with system.use_context(trusted=True):
        package = Package(str(path))
        first = package.get_resource("footnotes").read_rows()[0]
        assert first["number"] == 1 and first["footnote_id"].startswith("kennan-op-263:fn-")


def test_version_is_stamped_everywhere_from_dataset_yaml(repo, tmp_path):
    version = yaml.safe_load((repo / "dataset.yaml").read_text())["version"]
    with zipfile.ZipFile(build_release(repo, tmp_path / "release.zip")) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        cff = yaml.safe_load(archive.read("CITATION.cff"))
        deposit = json.loads(archive.read(".zenodo.json"))
    assert descriptor["version"] == cff["version"] == deposit["version"] == version
    tables = [r for r in descriptor["resources"] if r["type"] == "table"]
    assert all(f"(Dataset version {version}.)" in r["description"] for r in tables)


def test_stale_package_version_is_refused(repo, tmp_path):
    meta = (repo / "dataset.yaml").read_text()
    (repo / "dataset.yaml").write_text(meta.replace("\nversion: ", "\nversion: 9.9.9\nold_version: "))
    with pytest.raises(
        ReleaseError, match=r"datapackage\.json has version '.*' but dataset\.yaml says '9\.9\.9'"
    ):
        build_release(repo, tmp_path / "release.zip")
    assert not (tmp_path / "release.zip").exists()


def test_full_text_switched_off_must_not_ship_the_text(repo, tmp_path):
    path = repo / "data/csv/documents.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["full_text_published"] = "false"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(ReleaseError, match="switches full text off, but its text is in the package"):
        build_release(repo, tmp_path / "release.zip", validate=False)


def test_citation_cff_and_zenodo_metadata(repo):
    meta = yaml.safe_load((repo / "dataset.yaml").read_text())
    document = {
        "document_id": "kennan-op-263",
        "title": "Maxim M. Litvinov and Soviet-American Relations, 1918–1946",
        "author": "Hugh Phillips",
        "series": "Kennan Institute Occasional Papers",
        "series_number": "263",
        "publisher": "Woodrow Wilson International Center for Scholars",
        "place": "Washington, D.C.",
        "date_published": "1996-06",
        "copyright": "©June 1996 Woodrow Wilson International Center for Scholars",
        "source_url": "https://example.org/op263.pdf",
    }
    cff = yaml.safe_load(citation_cff(meta, [document]))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["license"] == "CC-BY-4.0"
    assert cff["authors"] == [{"name": "History Papers Dataset maintainers"}]
    reference = cff["references"][0]
    assert reference["authors"] == [{"name": "Hugh Phillips"}] and reference["year"] == 1996
    assert reference["issue"] == "263"
    deposit = zenodo_metadata(meta, [document])
    assert deposit["upload_type"] == "dataset" and deposit["license"] == "cc-by-4.0"
    assert deposit["creators"] == [{"name": "History Papers Dataset maintainers"}]
    assert deposit["keywords"] == meta["keywords"]
    assert deposit["related_identifiers"] == [
        {
            "identifier": "https://example.org/op263.pdf",
            "relation": "isDerivedFrom",
            "resource_type": "publication-workingpaper",
            "scheme": "url",
        }
    ]
    assert deposit["references"] == [
        "Hugh Phillips, “Maxim M. Litvinov and Soviet-American Relations, 1918–1946”, Kennan Institute "
        "Occasional Papers #263, Woodrow Wilson International Center for Scholars, Washington, D.C., "
        "1996-06. Copyright: ©June 1996 Woodrow Wilson International Center for Scholars."
    ]
    assert "keep their own copyright" in deposit["notes"]


def test_root_metadata_files_match_the_release(repo, tmp_path):
    write_root_metadata(repo)
    with zipfile.ZipFile(build_release(repo, tmp_path / "release.zip")) as archive:
        assert archive.read("CITATION.cff") == (repo / "CITATION.cff").read_bytes()
        assert archive.read(".zenodo.json") == (repo / ".zenodo.json").read_bytes()


def test_zenodo_dry_run_shows_the_requests_and_connects_to_nothing(repo, tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the dry run must not connect")

    monkeypatch.setattr(zenodo.urllib.request, "urlopen", no_network)
    monkeypatch.setenv("ZENODO_TOKEN", "secret-token-value")
    path = build_release(repo, tmp_path / "release.zip", validate=False)
    metadata = json.loads(zipfile.ZipFile(path).read(".zenodo.json"))
    out = io.StringIO()
    result = zenodo.upload(path, metadata, token=None, dry_run=True, out=out)
    printed = out.getvalue()
    assert result["requests"] == [
        "POST https://zenodo.org/api/deposit/depositions",
        "PUT <links.bucket of the new deposition>/release.zip",
        "PUT https://zenodo.org/api/deposit/depositions/<id>",
    ]
    assert "secret-token-value" not in printed
    assert f"<release.zip: {path.stat().st_size} bytes, md5 " in printed
    assert '"upload_type": "dataset"' in printed
    published = zenodo.upload(path, metadata, token="t", dry_run=True, publish=True, out=io.StringIO())
    assert published["requests"][-1].endswith("/actions/publish")


def test_zenodo_upload_without_token_fails_before_connecting(repo, tmp_path, monkeypatch):
    monkeypatch.delenv("ZENODO_TOKEN", raising=False)
    path = build_release(repo, tmp_path / "release.zip", validate=False)
    with pytest.raises(zenodo.ZenodoError, match="no Zenodo token"):
        zenodo.upload(path, {}, token=None, dry_run=False)


def test_release_of_the_committed_repository(tmp_path):
    """The real repository: README, licence, changelog and package as committed, built twice."""
    first = build_release(REPO_ROOT, tmp_path / "a.zip")
    second = build_release(REPO_ROOT, tmp_path / "b.zip")
    assert sha256(first) == sha256(second)
    with zipfile.ZipFile(first) as archive:
        names = set(archive.namelist())
        descriptor = json.loads(archive.read("datapackage.json"))
    assert {r["path"] for r in descriptor["resources"]} <= names
    assert "data/csv/corrections.csv" in names


def test_zip_holds_only_what_the_descriptor_lists(repo, tmp_path):
    (repo / "data/csv/notes-to-self.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (repo / "figures/draft.svg").write_text("<svg/>", encoding="utf-8")
    (repo / "text/.hidden.txt").write_text("secret", encoding="utf-8")
    path = build_release(repo, tmp_path / "release.zip")
    descriptor = json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))
    listed = {r["path"] for r in descriptor["resources"]}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    package_files = {n for n in names if n.split("/")[0] in ("data", "text", "figures")}
    assert package_files == listed
    assert "data/csv/notes-to-self.csv" not in names and "figures/draft.svg" not in names


def test_a_symlink_in_the_package_is_refused(repo, tmp_path):
    outside = tmp_path / "host"
    outside.write_text("machine-name\n", encoding="utf-8")
    (repo / "figures/host.svg").symlink_to(outside)  # not listed: simply not shipped
    with zipfile.ZipFile(build_release(repo, tmp_path / "ok.zip")) as archive:
        assert "figures/host.svg" not in archive.namelist()
        assert all(b"machine-name" not in archive.read(n) for n in archive.namelist())
    timeline = repo / "figures/timeline.svg"
    timeline.rename(tmp_path / "timeline.svg")
    timeline.symlink_to(tmp_path / "timeline.svg")  # listed, same bytes, but a link
    with pytest.raises(ReleaseError, match=r"figures/timeline\.svg: is a symbolic link; a release ships no"):
        build_release(repo, tmp_path / "refused.zip")
    assert not (tmp_path / "refused.zip").exists()
    timeline.unlink()
    (tmp_path / "timeline.svg").rename(timeline)
    shutil.move(repo / "text", tmp_path / "text-folder")
    (repo / "text").symlink_to(tmp_path / "text-folder")  # a linked folder on the way is refused too
    with pytest.raises(ReleaseError, match=r"/text: is a symbolic link"):
        build_release(repo, tmp_path / "refused.zip")


def test_the_archive_file_is_world_readable(repo, tmp_path):
    path = build_release(repo, tmp_path / "release.zip")
    assert path.stat().st_mode & 0o777 == 0o644
