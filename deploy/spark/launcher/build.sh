#!/usr/bin/env bash
# Builds lakehouse-launcher.jar with the JDK's javac alone: the launcher reaches Spark by reflection, so no Spark
# jars are needed at build time. Usage: build.sh [OUTPUT_DIR]   (default: deploy/spark/launcher/build)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/build}"
classes="$out/classes"
rm -rf "$classes"
mkdir -p "$classes"
# Java 11 bytecode: Spark 3.5 runs on Java 8/11/17 and Spark 4 on 17/21; the launcher needs Java 11 (ProcessHandle).
javac --release 11 -Xlint:all -Werror -d "$classes" $(find "$here/src" -name '*.java' | sort)
jar --create --file "$out/lakehouse-launcher.jar" --main-class lakehouse.launcher.Launcher -C "$classes" .
rm -rf "$classes"
echo "$out/lakehouse-launcher.jar"
