#!/usr/bin/env bash
# Runs every test: the .NET test projects (real server process, real Roslyn/MSBuild/dotnet test, real LLamaSharp on
# ../shared/models), the VS Code extension's unit tests and the Neovim client tests, end-to-end included. The VS
# Code end-to-end test is separate: scripts/e2e-vscode.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build OCI.LanguageServer.sln -c Release
dotnet test OCI.LanguageServer.sln -c Release --no-build --logger "console;verbosity=normal"
# Editor clients. VS Code: unit tests (a failed `npm ci` fails the run: node and npm are required). Neovim: unit
# checks, then the end-to-end test against the real server built above (verified fix-it, a fix and a cancelled fix
# on a copy of editors/fixtures/FixDiagnostic; about a minute). The VS Code end-to-end test (code-server +
# Chromium) runs separately: bash scripts/e2e-vscode.sh (.ci/run runs it after this script).
if [ ! -d editors/vscode/node_modules ] || [ "${CI:-}" = "true" ]; then
  (cd editors/vscode && npm ci --no-audit --no-fund)
fi
(cd editors/vscode && npm test)
bash scripts/test-nvim.sh
