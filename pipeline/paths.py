"""Where the repository's curated inputs live: table specs, authority files, vocabularies."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO_ROOT / "schemas"
AUTHORITY_DIR = REPO_ROOT / "authority"
VOCAB_DIR = REPO_ROOT / "vocab"
