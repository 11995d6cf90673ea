#!/usr/bin/env bash
# The fast tier while you work: every .NET test except those marked [Trait(TestSpeed.Name, TestSpeed.Slow)] (they
# start MSBuild, dotnet build/test, a model or an editor). CI runs everything: scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet test OCI.LanguageServer.sln -c Release --filter "Speed!=Slow" "$@"
