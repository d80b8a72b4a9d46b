"""Lakehouse medallion pipeline: bronze -> silver -> quality per source, then gold and its quality checks.

The tasks come from ``lakehouse plan --json`` (docs/pipeline-jobs.md), written to a JSON file when the pipeline is
deployed, so the DAG has exactly the pipeline's tasks and dependencies. Each task runs one job executable:

* engine ``spark`` (default): SparkSubmitOperator submits lakehouse-launcher.jar, whose driver serves Spark Connect
  and runs the job against it (docs/spark-submit.md); packages and Spark settings come from the same
  spark-defaults file that deploy/spark/submit-job.sh uses;
* engine ``embedded``: BashOperator runs the job executable with ``--remote local`` (no Spark).

Settings, each an Airflow Variable, else an environment variable of the same name, else the default:
LAKEHOUSE_PLAN, LAKEHOUSE_ENGINE, LAKEHOUSE_CONFIG, LAKEHOUSE_JOBS_DIR, LAKEHOUSE_JOBS_ARCHIVE,
LAKEHOUSE_LAUNCHER_JAR, LAKEHOUSE_SPARK_VERSION, LAKEHOUSE_SPARK_DEFAULTS, LAKEHOUSE_SPARK_CONN_ID, LAKEHOUSE_POOL,
LAKEHOUSE_PUSHGATEWAY (docs/airflow.md).

Reruns and backfills are safe: every job's writes are idempotent for its run id and data interval.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shlex
from datetime import datetime, timedelta, timezone

try:  # Airflow 3: the task SDK
    from airflow.sdk import DAG, Variable
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.models import Variable
try:  # Airflow 3: BashOperator lives in the standard provider
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

DAG_ID = "lakehouse_medallion"
DEFAULT_SCHEDULE = "0 */4 * * *"
JOBS = ("bronze", "silver", "quality", "gold")
LAUNCHER_CLASS = "lakehouse.launcher.Launcher"
_DAGS_DIR = os.path.dirname(os.path.abspath(__file__))
_TASK_ID = re.compile(r"^[A-Za-z0-9_]+$")
_log = logging.getLogger(__name__)

# Every job gets these after its own arguments (docs/pipeline-jobs.md, common options): the run id and the data
# interval make a rerun of the same run write nothing twice.
RUN_ARGS = [
    "--run-id", "{{ run_id }}",
    "--data-interval-start", "{{ data_interval_start }}",
    "--data-interval-end", "{{ data_interval_end }}",
]


def setting(name, default):
    """An Airflow Variable, else the environment variable of the same name, else ``default``."""
    return Variable.get(name, os.environ.get(name, default))


def load_plan(path):
    """Reads and checks the output of ``lakehouse plan --json``; a bad plan fails the DAG import with the reason."""
    try:
        with open(path, encoding="utf-8") as f:
            plan = json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(
            "No pipeline plan at %s. Write it when deploying: "
            "lakehouse plan --config lakehouse.yaml --json > %s (or set LAKEHOUSE_PLAN)." % (path, path)
        ) from None
    ids = set()
    for task in plan.get("tasks", []):
        task_id = task.get("id", "")
        if not _TASK_ID.match(task_id) or task_id in ids:
            raise ValueError("%s: task id %r is not a unique Airflow task id." % (path, task_id))
        if task.get("job") not in JOBS:
            raise ValueError("%s: task %s has job %r; expected one of %s." % (path, task_id, task.get("job"), JOBS))
        for upstream in task.get("upstream", []):
            if upstream not in ids:
                raise ValueError("%s: task %s depends on %r, which is not listed before it." % (path, task_id, upstream))
        ids.add(task_id)
    if not ids:
        raise ValueError("%s: the plan has no tasks." % path)
    return plan


def read_spark_defaults(path):
    """Reads a spark-defaults file ("key value" lines, # comments) into (packages, conf)."""
    packages = None
    conf = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            key, value = parts[0], parts[1].strip() if len(parts) > 1 else ""
            if key == "spark.jars.packages":
                packages = value
            else:
                conf[key] = value
    return packages, conf


def on_failure(context):
    """Logs which job failed in which run, with the exit-code meanings of docs/pipeline-jobs.md."""
    ti = context.get("task_instance")
    _log.error(
        "Lakehouse task %s failed in run %s (try %s): %s. Job exit codes: 2 = bad configuration or input, "
        "6 = retryable, 7 = quality gate failed; downstream tasks do not run. Log: %s",
        getattr(ti, "task_id", "?"), context.get("run_id"), getattr(ti, "try_number", "?"),
        context.get("exception"), getattr(ti, "log_url", "?"),
    )


def build_dag():
    plan = load_plan(setting("LAKEHOUSE_PLAN", os.path.join(_DAGS_DIR, "lakehouse_plan.json")))
    engine = setting("LAKEHOUSE_ENGINE", "spark")
    if engine not in ("spark", "embedded"):
        raise ValueError("LAKEHOUSE_ENGINE is %r; use spark or embedded." % engine)
    config = setting("LAKEHOUSE_CONFIG", "/opt/lakehouse/lakehouse.yaml")
    jobs_dir = setting("LAKEHOUSE_JOBS_DIR", "/opt/lakehouse/jobs")
    jobs_archive = setting("LAKEHOUSE_JOBS_ARCHIVE", "")
    pushgateway = setting("LAKEHOUSE_PUSHGATEWAY", "")
    env = {"LAKEHOUSE_PUSHGATEWAY": pushgateway} if pushgateway else None

    common = dict(
        retries=3,
        retry_delay=timedelta(minutes=2),
        retry_exponential_backoff=True,
        max_retry_delay=timedelta(minutes=30),
        execution_timeout=timedelta(hours=1),
        pool=setting("LAKEHOUSE_POOL", "spark_slots"),
        on_failure_callback=on_failure,
    )

    if engine == "spark":
        version = setting("LAKEHOUSE_SPARK_VERSION", "4")
        defaults = setting(
            "LAKEHOUSE_SPARK_DEFAULTS",
            os.path.join(_DAGS_DIR, "..", "..", "deploy", "spark", "spark-defaults-%s.conf" % version),
        )
        packages, conf = read_spark_defaults(defaults)
        launcher_jar = setting("LAKEHOUSE_LAUNCHER_JAR", "/opt/lakehouse/lakehouse-launcher.jar")
        conn_id = setting("LAKEHOUSE_SPARK_CONN_ID", "spark_default")

    with DAG(
        dag_id=DAG_ID,
        description="Lakehouse %s: bronze, silver, quality and gold jobs (%s engine)" % (plan.get("pipeline"), engine),
        schedule=plan.get("schedule") or DEFAULT_SCHEDULE,
        start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
        catchup=False,
        max_active_runs=1,
        dagrun_timeout=timedelta(hours=4),
        tags=["lakehouse", engine],
        doc_md=__doc__,
    ) as dag:
        tasks = {}
        for task in plan["tasks"]:
            job_args = list(task.get("args", [])) + ["--config", config] + RUN_ARGS
            executable = "lakehouse-%s" % task["job"]
            if engine == "embedded":
                command = [os.path.join(jobs_dir, executable)] + job_args + ["--remote", "local"]
                operator = BashOperator(
                    task_id=task["id"], bash_command=shlex.join(command), env=env, append_env=True, **common
                )
            else:
                extra = {}
                if jobs_archive:
                    # Cluster mode: --archives unpacks the jobs into the driver's working directory.
                    extra["archives"] = jobs_archive + "#jobs"
                    path = "jobs/" + executable
                else:
                    path = os.path.join(jobs_dir, executable)
                operator = SparkSubmitOperator(
                    task_id=task["id"],
                    conn_id=conn_id,
                    name="lakehouse-" + task["id"],
                    application=launcher_jar,
                    java_class=LAUNCHER_CLASS,
                    packages=packages,
                    conf=dict(conf),
                    application_args=[path] + job_args,
                    env_vars=env,
                    **extra,
                    **common,
                )
            tasks[task["id"]] = operator
            for upstream in task.get("upstream", []):
                tasks[upstream] >> operator
    return dag


dag = build_dag()
