#!/usr/bin/env bash
# Runs every test: the .NET test projects (real server process, real Roslyn/MSBuild/dotnet test, real LLamaSharp on
# ../shared/models) and the Neovim end-to-end test. The VS Code end-to-end test is separate: scripts/e2e-vscode.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build OCI.LanguageServer.sln -c Release
dotnet test OCI.LanguageServer.sln -c Release --no-build --logger "console;verbosity=normal"
# Editor clients: VS Code unit tests (when its node_modules are installed) and Neovim unit checks. The Neovim
# end-to-end test (bash scripts/test-nvim.sh, no flag) joins here once the refine engine applies fixes.
if [ -d editors/vscode/node_modules ] || (cd editors/vscode && npm ci --no-audit --no-fund >/dev/null 2>&1); then
  (cd editors/vscode && npm test)
fi
bash scripts/test-nvim.sh --unit-only
