#!/usr/bin/env bash
# Install the pipeline into .venv (pinned by requirements.lock) and build the data package from raw/.
#   ./run.sh           install (skipped when the lock and the venv agree), then build the package:
#                      only the papers whose inputs changed; "up to date" when nothing did
#   ./run.sh install   install only
# Extra arguments go to `papers-dataset build` (e.g. ./run.sh --strict --full-check, as CI does).
set -euo pipefail
cd "$(dirname "$0")"

# What the venv was installed from: the lock, the project metadata and the Python that runs it.
stamp_file=.venv/.installed-from
wanted="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1) $(command -v python3)"
if [ ! -x .venv/bin/papers-dataset ] || [ "$(cat "$stamp_file" 2>/dev/null)" != "$wanted" ]; then
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if [ ! -x .venv/bin/uv ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.13,<0.14"
  fi
  .venv/bin/uv pip install --quiet --compile-bytecode --python .venv/bin/python -r requirements.lock -e .
  # Bytecode for everything, also what was installed before: no start recompiles it (machines that set
  # PYTHONDONTWRITEBYTECODE would otherwise recompile every module at every start).
  .venv/bin/python -m compileall -q -j 0 .venv/lib/python3*/site-packages pipeline >/dev/null || true
  echo "$wanted" > "$stamp_file"
fi

if [ "${1:-}" != "install" ]; then
  .venv/bin/papers-dataset build "$@"
fi
