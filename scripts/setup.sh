#!/usr/bin/env bash
# Sourced by scripts/demo and scripts/test: a virtualenv in .venv with the app and its test
# tools, and the front end built from npm. Re-runs only what changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "==> Installing Python packages"
  .venv/bin/pip install --quiet --disable-pip-version-check -e ".[test]"
  rm -f .venv/.installed-* && touch "$stamp"
fi

npm_stamp="node_modules/.installed-$(cat package.json package-lock.json | sha1sum | cut -c1-12)"
if [ ! -f "$npm_stamp" ]; then
  echo "==> Installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$npm_stamp"
fi
if [ ! -f src/shortbreaks/static/dist/app.css ] || [ -n "$(find frontend package-lock.json -newer src/shortbreaks/static/dist/app.css -type f 2>/dev/null)" ]; then
  echo "==> Building the front end"
  npm run --silent build
fi
export PATH="$ROOT/.venv/bin:$PATH"
