#!/usr/bin/env bash
# Runs every test project of the solution and prints one closing line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
dotnet test Lakehouse.sln -c Release --logger "console;verbosity=minimal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
awk '/(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
       }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
