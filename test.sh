#!/usr/bin/env bash
# The test command from the README: builds everything and runs every test project.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build Cep.sln -c Release -nologo -v q
dotnet test Cep.sln -c Release --no-build -nologo --logger "console;verbosity=minimal"
