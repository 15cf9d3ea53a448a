#!/usr/bin/env bash
# The test command from the README: builds everything and runs every test project.
# Tests run in the Debug configuration, where the shared buffer checks its reference counts.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build Cep.sln -nologo -v q
dotnet test Cep.sln --no-build -nologo --logger "console;verbosity=minimal"
