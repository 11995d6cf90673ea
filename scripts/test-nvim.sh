#!/usr/bin/env bash
# Neovim client tests: unit checks of editors/nvim, then the end-to-end test in a real headless Neovim against
# the real server (published here as editors run it: ReadyToRun) on a scratch copy of editors/fixtures/FixDiagnostic; after the fix the copy must
# build. Usage: scripts/test-nvim.sh [--unit-only]. Artefacts (LSP log) under .e2e/nvim/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v nvim >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq neovim >/dev/null
fi
nvim --version | head -1

echo "== Neovim unit checks"
timeout 120 nvim --headless -u NONE -c "luafile editors/nvim/tests/unit.lua"
[ "${1:-}" = "--unit-only" ] && exit 0

echo "== Neovim end-to-end (the published server, fixture FixDiagnostic)"
artefacts="$repo/.e2e/nvim"
rm -rf "$artefacts" && mkdir -p "$artefacts"
work=$(mktemp -d) # outside the repository, so the fixture is its own workspace root
trap 'rm -rf "$work"' EXIT
# The server as editors run it: the ReadyToRun publish (scripts/publish-server.sh), started directly.
bash scripts/publish-server.sh "$work/server"
server="$work/server/OCI.LanguageServer"
cp -r editors/fixtures/FixDiagnostic "$work/"
if (cd "$work/FixDiagnostic" && dotnet build -v q -nologo >/dev/null 2>&1); then
  echo "fixture builds before the fix: it must not" >&2; exit 1
fi
rm -rf "$work/FixDiagnostic/bin" "$work/FixDiagnostic/obj"

status=0
OCI_SERVER_CMD=$(printf '%s\t--stdio' "$server") OCI_E2E_FILE="$work/FixDiagnostic/Program.cs" \
  XDG_CACHE_HOME="$artefacts/cache" XDG_STATE_HOME="$artefacts/state" \
  timeout 600 nvim --headless -u NONE -c "luafile editors/nvim/tests/e2e.lua" || status=$?
find "$artefacts" -name 'lsp.log' -exec cp {} "$artefacts/lsp.log" \; 2>/dev/null || true
cp "$work/FixDiagnostic/Program.cs" "$artefacts/Program.cs.after"
[ $status -eq 0 ] || { echo "Neovim end-to-end failed (server log: .e2e/nvim/lsp.log)" >&2; exit $status; }

echo "== the fixed fixture builds"
(cd "$work/FixDiagnostic" && dotnet build -v q -nologo)
