#!/usr/bin/env bash
# Submits one Lakehouse job to Spark: spark-submit runs lakehouse-launcher.jar as the driver, which serves Spark
# Connect and runs the job executable against it (docs/spark-submit.md).
#
# usage: submit-job.sh [--dry-run] JOB [job arguments...]
#   JOB          bronze | silver | quality | gold (runs lakehouse-JOB, docs/pipeline-jobs.md)
#   --dry-run    print the spark-submit command (shell-quoted, one line) instead of running it
#
# Environment:
#   SPARK_HOME                 the Spark installation (its bin/spark-submit runs the job); needed unless --dry-run
#   SPARK_VERSION              3.5 or 4; default: read from $SPARK_HOME/jars/spark-core_*.jar, else 4
#   SPARK_MASTER               --master (default local[*])
#   SPARK_DEPLOY_MODE          client (default: the job runs beside spark-submit) or cluster
#   LAKEHOUSE_JOBS_DIR         the directory of the published job executables (client mode default: artifacts/jobs;
#                              cluster mode: where they are installed on the nodes)
#   LAKEHOUSE_JOBS_ARCHIVE     cluster mode: jobs.tar.gz of the published executables, shipped with --archives
#   LAKEHOUSE_LAUNCHER_JAR     default deploy/spark/launcher/build/lakehouse-launcher.jar (build.sh makes it)
#   LAKEHOUSE_SPARK_DEFAULTS   packages and settings (default deploy/spark/spark-defaults-$SPARK_VERSION.conf)
#
# Exit code: spark-submit's, which in client mode is the job's (docs/pipeline-jobs.md); 2 for a bad command line.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

fail() {
  echo "submit-job.sh: $*" >&2
  exit 2
}

dry_run=false
if [ "${1:-}" = "--dry-run" ]; then
  dry_run=true
  shift
fi
[ $# -ge 1 ] || fail "no job given. usage: submit-job.sh [--dry-run] bronze|silver|quality|gold [job arguments...]"
job="$1"
shift
case "$job" in
  bronze|silver|quality|gold) ;;
  *) fail "unknown job '$job'; use bronze, silver, quality or gold." ;;
esac

# The Spark and Scala versions of the installation, from its spark-core jar (spark-core_2.12-3.5.3.jar).
spark_full=""
scala=""
if [ -n "${SPARK_HOME:-}" ]; then
  core="$(find "$SPARK_HOME/jars" -maxdepth 1 -name 'spark-core_*.jar' 2>/dev/null | head -n 1)"
  if [ -n "$core" ]; then
    core="$(basename "$core" .jar)"
    scala="${core#spark-core_}"
    scala="${scala%%-*}"
    spark_full="${core#spark-core_"$scala"-}"
  fi
elif [ "$dry_run" = false ]; then
  fail "SPARK_HOME is not set; point it at a Spark 3.5 or 4.x installation."
fi

version="${SPARK_VERSION:-}"
if [ -z "$version" ]; then
  case "$spark_full" in
    3.5.*) version=3.5 ;;
    *) version=4 ;;
  esac
fi
case "$version" in
  3.5|4) ;;
  *) fail "SPARK_VERSION is '$version'; use 3.5 or 4." ;;
esac
case "$version:$spark_full" in
  *:) ;;
  3.5:3.5.*|4:4.*) ;;
  *) fail "SPARK_VERSION is $version but $SPARK_HOME is Spark $spark_full; set SPARK_VERSION to match it." ;;
esac

defaults="${LAKEHOUSE_SPARK_DEFAULTS:-$here/spark-defaults-$version.conf}"
[ -f "$defaults" ] || fail "no Spark settings file at $defaults (LAKEHOUSE_SPARK_DEFAULTS)."
launcher="${LAKEHOUSE_LAUNCHER_JAR:-$here/launcher/build/lakehouse-launcher.jar}"
master="${SPARK_MASTER:-local[*]}"
deploy_mode="${SPARK_DEPLOY_MODE:-client}"

args=(--master "$master" --deploy-mode "$deploy_mode")

# The application name says which job ran on what: lakehouse-bronze-orders, lakehouse-quality-silver.orders.
name="lakehouse-$job"
previous=""
for arg in "$@"; do
  case "$previous" in
    --source|--table|--model) name="$name-$arg" ;;
  esac
  previous="$arg"
done
args+=(--name "$name" --class lakehouse.launcher.Launcher)

# One "key value" per line; spark.jars.packages becomes --packages, the rest --conf key=value.
while IFS= read -r line || [ -n "$line" ]; do
  line="${line#"${line%%[![:space:]]*}"}"
  case "$line" in
    ''|'#'*) continue ;;
  esac
  key="${line%%[[:space:]]*}"
  value="${line#"$key"}"
  value="${value#"${value%%[![:space:]]*}"}"
  value="${value%"${value##*[![:space:]]}"}"
  if [ "$key" = spark.jars.packages ]; then
    if [ "$version" = 3.5 ] && [ -n "$spark_full" ]; then
      # The Connect server jar must be exactly the installation's Spark and Scala version.
      value="$(printf '%s' "$value" | sed -E "s/org\.apache\.spark:spark-connect_[0-9.]+:[^,]+/org.apache.spark:spark-connect_$scala:$spark_full/; s/io\.delta:delta-spark_[0-9.]+:/io.delta:delta-spark_$scala:/")"
    fi
    args+=(--packages "$value")
  else
    args+=(--conf "$key=$value")
  fi
done < "$defaults"

case "$deploy_mode" in
  client)
    jobs_dir="${LAKEHOUSE_JOBS_DIR:-$repo/artifacts/jobs}"
    executable="$(realpath -m "$jobs_dir")/lakehouse-$job"
    ;;
  cluster)
    if [ -n "${LAKEHOUSE_JOBS_ARCHIVE:-}" ]; then
      args+=(--archives "$LAKEHOUSE_JOBS_ARCHIVE#jobs")
      # --archives unpacks into the driver's working directory; the launcher resolves relative paths there.
      executable="jobs/lakehouse-$job"
    elif [ -n "${LAKEHOUSE_JOBS_DIR:-}" ]; then
      # The jobs are installed at this path on every node that can run a driver.
      executable="$LAKEHOUSE_JOBS_DIR/lakehouse-$job"
    else
      fail "cluster mode needs LAKEHOUSE_JOBS_ARCHIVE (jobs.tar.gz to ship) or LAKEHOUSE_JOBS_DIR (installed on the nodes)."
    fi
    ;;
  *) fail "SPARK_DEPLOY_MODE is '$deploy_mode'; use client or cluster." ;;
esac

command=("${SPARK_HOME:-\$SPARK_HOME}/bin/spark-submit" "${args[@]}" "$launcher" "$executable" "$@")
if [ "$dry_run" = true ]; then
  printf '%q ' "${command[@]}" | sed 's/ $//'
  echo
  exit 0
fi
exec "${command[@]}"
