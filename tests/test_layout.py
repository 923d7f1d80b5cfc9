"""The house rules of the layout: imports run downwards, the quality harness stays out of the product,
and every vocabulary file is readable data with a description."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
import yaml
from setuptools import find_packages

from pipeline.vocab import VocabularyError, load_vocab

REPO_ROOT = Path(__file__).resolve().parent.parent
# Each stage may import from the stages before it, never from those after it.
ORDER = ["text", "extract", "package", "orchestration"]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_pipeline_never_imports_the_evaluation_harness():
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "pipeline").rglob("*.py")
        if any(name.split(".")[0] == "evaluation" for name in _imported_modules(path))
    ]
    assert offenders == []


def test_stage_packages_import_only_earlier_stages():
    upward = []
    for stage in ORDER:
        later_stages = ORDER[ORDER.index(stage) + 1 :]
        for path in (REPO_ROOT / "pipeline" / stage).rglob("*.py"):
            for name in _imported_modules(path):
                parts = name.split(".")
                later = parts[0] == "pipeline" and len(parts) > 1 and parts[1] in later_stages
                if later and parts[1:3] != ["package", "schema"]:
                    upward.append(f"{path.relative_to(REPO_ROOT)} imports {name}")
    assert upward == []


def test_the_wheel_holds_the_pipeline_and_not_the_harness():
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    config = pyproject["tool"]["setuptools"]["packages"]["find"]
    packages = find_packages(str(REPO_ROOT), include=config["include"], exclude=config.get("exclude", ()))
    assert "pipeline.text" in packages and "pipeline.orchestration" in packages
    assert not [name for name in packages if name.split(".")[0] in {"evaluation", "tests", "benchmarks"}]


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "vocab").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_vocabulary_says_what_it_is_for_and_loads(path: Path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(raw["description"].split()) >= 8, "a description a historian can act on"
    entries = load_vocab(path.stem)
    values = entries if isinstance(entries, list) else list(entries)
    # YAML 1.1 reads On/No/Yes as booleans: a word list must stay words.
    assert all(not isinstance(value, bool) for value in values)


def test_a_vocabulary_of_the_wrong_shape_is_refused_with_its_path(tmp_path, monkeypatch):
    import pipeline.vocab as vocab

    (tmp_path / "broken.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    monkeypatch.setattr(vocab, "VOCAB_DIR", tmp_path)
    load_vocab.cache_clear()
    with pytest.raises(VocabularyError, match=r"broken\.yaml: expected a mapping"):
        load_vocab("broken")
    with pytest.raises(VocabularyError, match=r"missing\.yaml: vocabulary file not found"):
        load_vocab("missing")
    nested = "description: words no block ends on\nentries:\n  run_on: [of, on, to]\n"
    (tmp_path / "nested.yaml").write_text(nested, encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"nested\.yaml: an entry reads as True, not a word"):
        load_vocab("nested")
    load_vocab.cache_clear()


def test_no_module_imports_itself_back_through_others():
    """No import cycle among the pipeline's modules (imports inside functions count too)."""
    modules = {
        ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for path in (REPO_ROOT / "pipeline").rglob("*.py")
    }
    edges = {
        name: {other for other in _imported_modules(path) if other in modules and other != name}
        for name, path in modules.items()
    }
    cycles = []

    def visit(name: str, trail: list[str]) -> None:
        for other in sorted(edges[name]):
            if other in trail:
                cycles.append(" -> ".join([*trail[trail.index(other) :], other]))
            elif other not in done:
                visit(other, [*trail, other])
        done.add(name)

    done: set[str] = set()
    for name in sorted(modules):
        if name not in done:
            visit(name, [name])
    assert cycles == []


def test_the_orchestration_modules_stay_small():
    """A module does one job: none of the build's modules over 500 lines, and the build around the
    extractors fits in 1,800 lines (issue 27)."""
    sizes = {
        p.name: len(p.read_text(encoding="utf-8").splitlines())
        for p in (REPO_ROOT / "pipeline/orchestration").glob("*.py")
    }
    assert {name: size for name, size in sizes.items() if size > 500} == {}
    assert sum(sizes.values()) <= 1800
