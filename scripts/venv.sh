#!/usr/bin/env bash
# Sourced by the scripts that run Python tools: puts the project's virtual environment
# (DCS_VENV, default .venv at the repository root; scripts/install-deps.sh creates it)
# first on PATH, so that python3, python, pip, pytest, ruff, mypy, build and auditwheel are
# the environment's. Nothing is ever installed into the system's interpreter, which Debian
# marks "externally managed" (PEP 668).
DCS_VENV=${DCS_VENV:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv}
if ! "$DCS_VENV/bin/python3" -c '' 2>/dev/null; then
  echo "$(basename "$0"): no usable Python virtual environment at $DCS_VENV:" \
    "run scripts/install-deps.sh first" >&2
  exit 2
fi
export DCS_VENV VIRTUAL_ENV=$DCS_VENV PATH=$DCS_VENV/bin:$PATH
unset PYTHONHOME
hash -r
