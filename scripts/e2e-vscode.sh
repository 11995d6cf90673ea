#!/usr/bin/env bash
# VS Code end-to-end test (slow, heavy; .ci/run runs it after the other tests): installs code-server + headless Chromium +
# playwright-core (../shared/tools/install-code-server.sh, ~10 min the first time), builds the server and the
# .vsix, installs the .vsix into code-server, opens a scratch copy of editors/fixtures/FixDiagnostic, runs
# "OCI: Fix Diagnostic" from the command palette (editors/vscode/e2e/fix-diagnostic.e2e.js), saves, and checks
# the file on disk and that the workspace now builds. Screenshot: .e2e/vscode.png; logs under .e2e/vscode/.
# Usage: scripts/e2e-vscode.sh [--fallback]. By default oci.server.path names the Release build of the server;
# --fallback leaves it unset, as a newcomer would, so the extension must find the checkout it was packaged from
# (out/repository.json) and `dotnet run` its server.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
artefacts="$repo/.e2e/vscode"
rm -rf "$artefacts" && mkdir -p "$artefacts"

eval "$(bash ../shared/tools/install-code-server.sh "${OCI_E2E_PREFIX:-$HOME/.cache/oci-e2e}" | grep '^export')"

echo "== server"
dotnet build src/OCI.LanguageServer -c Release -v q -nologo
dll="$repo/src/OCI.LanguageServer/bin/Release/net10.0/OCI.LanguageServer.dll"

echo "== extension"
(cd editors/vscode && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm test >/dev/null && npm run package >/dev/null)
vsix="$repo/editors/vscode/oci-language-server.vsix"

work=$(mktemp -d) # outside the repository: the fixture is its own workspace
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp -r editors/fixtures/FixDiagnostic "$work/"
workspace="$work/FixDiagnostic"
data="$work/code-data"; extensions="$work/code-extensions"
mkdir -p "$data/User" "$data/Machine"
# Machine settings too: in code-server (a remote window) machine-scoped settings come from there.
server_setting="\"oci.server.path\": \"$dll\","
[ "${1:-}" = "--fallback" ] && server_setting=
cat > "$data/User/settings.json" <<JSON
{
  $server_setting
  "oci.model.backend": "none",
  "oci.verification.runTests": false,
  "oci.trace.server": "messages",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false
}
JSON
cp "$data/User/settings.json" "$data/Machine/settings.json"
code-server --user-data-dir "$data" --extensions-dir "$extensions" --install-extension "$vsix" >"$artefacts/install.log" 2>&1

port=$((20000 + RANDOM % 20000))
code-server --auth none --bind-addr "127.0.0.1:$port" --user-data-dir "$data" --extensions-dir "$extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust "$workspace" >"$artefacts/code-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

echo "== VS Code end-to-end"
status=0
OCI_E2E_URL="http://127.0.0.1:$port/?folder=$workspace" OCI_E2E_FILE="$workspace/Program.cs" \
  OCI_E2E_SCREENSHOT="$repo/.e2e/vscode.png" timeout 900 node editors/vscode/e2e/fix-diagnostic.e2e.js || status=$?
find "$data" -path '*exthost*' -name '*OCI*' -exec cp {} "$artefacts/" \; 2>/dev/null || true
cp "$workspace/Program.cs" "$artefacts/Program.cs.after"
[ $status -eq 0 ] || { echo "VS Code end-to-end failed: screenshot .e2e/vscode.png, logs .e2e/vscode/" >&2; exit $status; }
expected_source=setting; [ "${1:-}" = "--fallback" ] && expected_source=development
grep -h "Starting the OCI language server ($expected_source)" "$artefacts"/*OCI*.log || {
  echo "the extension did not start the server from source '$expected_source' (see .e2e/vscode/)" >&2; exit 1; }

echo "== the fixed workspace builds"
(cd "$workspace" && dotnet build -v q -nologo)
