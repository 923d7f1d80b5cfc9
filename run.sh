#!/usr/bin/env bash
# Install the pipeline into .venv (pinned by requirements.lock) and build the data package from raw/.
#   ./run.sh           install, then run the whole pipeline (Dagster, in-process) and publish the package
#   ./run.sh install   install only
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.13,<0.14"
fi
.venv/bin/uv pip install --quiet --python .venv/bin/python -r requirements.lock -e .

if [ "${1:-}" != "install" ]; then
  .venv/bin/papers-dataset build
fi
