"""Tests of airflow/dags/lakehouse_medallion.py with python3 alone: the file compiles for Python 3.9+, imports only
Airflow and the standard library, and -- run against the recording Airflow stand-in (airflow_standin.py) -- builds
the tasks, dependencies, schedule, templated arguments and operator settings that the plan JSON and the
deployment kit call for.

Run: python3 -m unittest discover -s airflow/tests  (tests/Lakehouse.Deploy.Tests runs it too).
"""
import ast
import importlib.util
import json
import logging
import os
import py_compile
import shlex
import sys
import tempfile
import unittest
from datetime import timedelta
from unittest import mock

import airflow_standin

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DAG_FILE = os.path.join(REPO, "airflow", "dags", "lakehouse_medallion.py")
CONTRACT_PLAN = os.path.join(HERE, "fixtures", "contract_plan.json")
TWO_SOURCES_PLAN = os.path.join(HERE, "fixtures", "two_sources_plan.json")
PLANS = [CONTRACT_PLAN, TWO_SOURCES_PLAN] + ([os.environ["LAKEHOUSE_TEST_REAL_PLAN"]] if os.environ.get("LAKEHOUSE_TEST_REAL_PLAN") else [])

CONNECT_PLUGIN = "org.apache.spark.sql.connect.SparkConnectPlugin"
RUN_ARGS = [
    "--run-id", "{{ run_id }}",
    "--data-interval-start", "{{ data_interval_start }}",
    "--data-interval-end", "{{ data_interval_end }}",
]


def load_dag(plan=CONTRACT_PLAN, layout="2", variables=None, env=None):
    """Runs the DAG file against the stand-in; returns (recording, module)."""
    recording = airflow_standin.install(layout, variables)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LAKEHOUSE_")}
    clean["LAKEHOUSE_PLAN"] = plan
    clean.update(env or {})
    try:
        with mock.patch.dict(os.environ, clean, clear=True):
            spec = importlib.util.spec_from_file_location("lakehouse_medallion_under_test", DAG_FILE)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
    finally:
        airflow_standin.uninstall()
    return recording, module


def read_plan(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class SourceTests(unittest.TestCase):
    def setUp(self):
        with open(DAG_FILE, encoding="utf-8") as f:
            self.source = f.read()

    def test_compiles(self):
        with tempfile.TemporaryDirectory() as tmp:
            py_compile.compile(DAG_FILE, cfile=os.path.join(tmp, "dag.pyc"), doraise=True)

    def test_parses_as_python_3_9(self):
        ast.parse(self.source, filename=DAG_FILE, feature_version=(3, 9))

    def test_imports_only_airflow_and_the_standard_library(self):
        modules = set()
        for node in ast.walk(ast.parse(self.source)):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                modules.add(node.module)
        for module in modules:
            top = module.split(".")[0]
            self.assertTrue(
                top in ("airflow", "__future__") or top in sys.stdlib_module_names,
                "%s is neither Airflow nor the standard library" % module,
            )


class DagTests(unittest.TestCase):
    def test_schedule_every_4_hours_no_catchup_one_run_at_a_time(self):
        for layout in ("2", "3"):
            with self.subTest(layout=layout):
                recording, _ = load_dag(layout=layout)
                self.assertEqual(1, len(recording.dags))
                dag = recording.dags[0].kwargs
                self.assertEqual("lakehouse_medallion", dag["dag_id"])
                self.assertEqual("0 */4 * * *", dag["schedule"])
                self.assertIs(False, dag["catchup"])
                self.assertEqual(1, dag["max_active_runs"])
                self.assertIsNotNone(dag["start_date"].tzinfo)

    def test_tasks_and_dependencies_are_the_plans(self):
        for plan_path in PLANS:
            for layout in ("2", "3"):
                with self.subTest(plan=os.path.basename(plan_path), layout=layout):
                    recording, _ = load_dag(plan=plan_path, layout=layout)
                    plan = read_plan(plan_path)
                    tasks = recording.dags[0].tasks
                    self.assertEqual([t["id"] for t in plan["tasks"]], [o.task_id for o in recording.operators])
                    for task in plan["tasks"]:
                        self.assertEqual(set(task["upstream"]), tasks[task["id"]].upstream, task["id"])

    def test_medallion_order_bronze_silver_quality_then_gold_then_gold_quality(self):
        for plan_path in PLANS:
            with self.subTest(plan=os.path.basename(plan_path)):
                recording, _ = load_dag(plan=plan_path)
                tasks = recording.dags[0].tasks
                plan = {t["id"]: t for t in read_plan(plan_path)["tasks"]}
                sources = {t["source"] for t in plan.values() if t["job"] == "bronze"}
                self.assertTrue(sources)
                for source in sources:
                    self.assertEqual(set(), tasks["bronze_%s" % source].upstream)
                    self.assertEqual({"bronze_%s" % source}, tasks["silver_%s" % source].upstream)
                    # A silver quality task waits for its own silver task and for the silver tasks of the tables
                    # its relationship checks read (docs/pipeline-jobs.md), exactly as the plan says.
                    upstream = tasks["quality_silver_%s" % source].upstream
                    self.assertIn("silver_%s" % source, upstream)
                    self.assertEqual(set(plan["quality_silver_%s" % source]["upstream"]), upstream)
                    self.assertTrue(all(u.startswith("silver_") for u in upstream))
                gold = [t for t in plan.values() if t["job"] == "gold"]
                self.assertTrue(gold)
                for model in gold:
                    gates = tasks[model["id"]].upstream
                    self.assertTrue(gates, model["id"])
                    # Gold starts only after silver quality gates.
                    self.assertTrue(all(plan[g]["job"] == "quality" and plan[g]["layer"] == "silver" for g in gates), gates)
                    self.assertEqual({model["id"]}, tasks["quality_" + model["id"]].upstream)

    def test_spark_engine_submits_the_launcher_with_the_settings_file(self):
        recording, _ = load_dag(plan=TWO_SOURCES_PLAN)
        for op in recording.operators:
            with self.subTest(task=op.task_id):
                self.assertEqual("SparkSubmitOperator", type(op).__name__)
                k = op.kwargs
                self.assertEqual("/opt/lakehouse/lakehouse-launcher.jar", k["application"])
                self.assertEqual("lakehouse.launcher.Launcher", k["java_class"])
                self.assertEqual("spark_default", k["conn_id"])
                self.assertEqual("lakehouse-" + op.task_id, k["name"])
                self.assertEqual(
                    "io.delta:delta-spark_2.13:4.0.0,io.delta:delta-connect-server_2.13:4.0.0,"
                    "com.google.protobuf:protobuf-java:3.25.1",
                    k["packages"],
                )
                self.assertEqual(CONNECT_PLUGIN, k["conf"]["spark.plugins"])
                self.assertEqual("io.delta.sql.DeltaSparkSessionExtension", k["conf"]["spark.sql.extensions"])
                self.assertEqual(
                    "org.apache.spark.sql.delta.catalog.DeltaCatalog", k["conf"]["spark.sql.catalog.spark_catalog"]
                )
                self.assertEqual(
                    "org.apache.spark.sql.connect.delta.DeltaRelationPlugin",
                    k["conf"]["spark.connect.extensions.relation.classes"],
                )
                self.assertEqual(
                    "org.apache.spark.sql.connect.delta.DeltaCommandPlugin",
                    k["conf"]["spark.connect.extensions.command.classes"],
                )
                self.assertNotIn("archives", k)

    def test_every_task_retries_with_backoff_times_out_uses_the_pool_and_reports_failure(self):
        for engine in ("spark", "embedded"):
            recording, module = load_dag(env={"LAKEHOUSE_ENGINE": engine})
            for op in recording.operators:
                with self.subTest(engine=engine, task=op.task_id):
                    k = op.kwargs
                    self.assertGreaterEqual(k["retries"], 1)
                    self.assertIs(True, k["retry_exponential_backoff"])
                    self.assertIsInstance(k["retry_delay"], timedelta)
                    self.assertIsInstance(k["max_retry_delay"], timedelta)
                    self.assertIsInstance(k["execution_timeout"], timedelta)
                    self.assertEqual("spark_slots", k["pool"])
                    self.assertIs(module.on_failure, k["on_failure_callback"])

    def test_application_args_are_job_path_job_args_config_and_templated_run_args(self):
        recording, _ = load_dag(plan=TWO_SOURCES_PLAN, env={"LAKEHOUSE_CONFIG": "/etc/lakehouse/shop.yaml"})
        plan = {t["id"]: t for t in read_plan(TWO_SOURCES_PLAN)["tasks"]}
        for op in recording.operators:
            with self.subTest(task=op.task_id):
                task = plan[op.task_id]
                self.assertEqual(
                    ["/opt/lakehouse/jobs/lakehouse-" + task["job"]]
                    + task["args"]
                    + ["--config", "/etc/lakehouse/shop.yaml"]
                    + RUN_ARGS,
                    op.kwargs["application_args"],
                )

    def test_spark_35_uses_its_settings_file(self):
        recording, _ = load_dag(env={"LAKEHOUSE_SPARK_VERSION": "3.5"})
        k = recording.operators[0].kwargs
        self.assertEqual("org.apache.spark:spark-connect_2.12:3.5.7,io.delta:delta-spark_2.12:3.3.2", k["packages"])
        self.assertEqual(CONNECT_PLUGIN, k["conf"]["spark.plugins"])
        self.assertNotIn("spark.connect.extensions.relation.classes", k["conf"])

    def test_jobs_archive_ships_the_jobs_and_uses_the_unpacked_path(self):
        recording, _ = load_dag(env={"LAKEHOUSE_JOBS_ARCHIVE": "hdfs:///apps/lakehouse/jobs.tar.gz"})
        k = recording.operators[0].kwargs
        self.assertEqual("hdfs:///apps/lakehouse/jobs.tar.gz#jobs", k["archives"])
        self.assertEqual("jobs/lakehouse-bronze", k["application_args"][0])

    def test_embedded_engine_runs_the_executable_with_remote_local(self):
        recording, _ = load_dag(plan=TWO_SOURCES_PLAN, layout="3", env={"LAKEHOUSE_ENGINE": "embedded"})
        plan = {t["id"]: t for t in read_plan(TWO_SOURCES_PLAN)["tasks"]}
        for op in recording.operators:
            with self.subTest(task=op.task_id):
                self.assertEqual("BashOperator", type(op).__name__)
                task = plan[op.task_id]
                self.assertEqual(
                    ["/opt/lakehouse/jobs/lakehouse-" + task["job"]]
                    + task["args"]
                    + ["--config", "/opt/lakehouse/lakehouse.yaml"]
                    + RUN_ARGS
                    + ["--remote", "local"],
                    shlex.split(op.kwargs["bash_command"]),
                )
                self.assertEqual(set(task["upstream"]), op.upstream)

    def test_pushgateway_setting_reaches_the_job_environment(self):
        for engine, key in (("spark", "env_vars"), ("embedded", "env")):
            recording, _ = load_dag(env={"LAKEHOUSE_ENGINE": engine, "LAKEHOUSE_PUSHGATEWAY": "http://pushgateway:9091"})
            self.assertEqual({"LAKEHOUSE_PUSHGATEWAY": "http://pushgateway:9091"}, recording.operators[0].kwargs[key])

    def test_airflow_variable_wins_over_environment(self):
        recording, _ = load_dag(
            variables={"LAKEHOUSE_POOL": "lakehouse_from_variable"}, env={"LAKEHOUSE_POOL": "lakehouse_from_env"}
        )
        self.assertEqual("lakehouse_from_variable", recording.operators[0].kwargs["pool"])

    def test_plan_path_from_variable(self):
        recording, _ = load_dag(plan="/nonexistent/plan.json", variables={"LAKEHOUSE_PLAN": TWO_SOURCES_PLAN})
        self.assertEqual(10, len(recording.operators))


class BadInputTests(unittest.TestCase):
    def test_missing_plan_names_the_command_that_writes_it(self):
        with self.assertRaises(FileNotFoundError) as caught:
            load_dag(plan="/nonexistent/lakehouse_plan.json")
        self.assertIn("lakehouse plan --config lakehouse.yaml --json", str(caught.exception))

    def test_plan_with_unknown_upstream_is_rejected(self):
        self.assert_rejected(
            {"tasks": [{"id": "silver_orders", "job": "silver", "args": [], "upstream": ["bronze_orders"]}]},
            "bronze_orders",
        )

    def test_plan_with_invalid_task_id_is_rejected(self):
        self.assert_rejected({"tasks": [{"id": "bronze-orders", "job": "bronze", "args": [], "upstream": []}]}, "bronze-orders")

    def test_plan_with_unknown_job_is_rejected(self):
        self.assert_rejected({"tasks": [{"id": "x", "job": "platinum", "args": [], "upstream": []}]}, "platinum")

    def test_unknown_engine_is_rejected(self):
        with self.assertRaises(ValueError) as caught:
            load_dag(env={"LAKEHOUSE_ENGINE": "duckdb"})
        self.assertIn("spark or embedded", str(caught.exception))

    def assert_rejected(self, plan, named):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "plan.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(plan, f)
            with self.assertRaises(ValueError) as caught:
                load_dag(plan=path)
            self.assertIn(named, str(caught.exception))


class FailureCallbackTests(unittest.TestCase):
    def test_logs_task_run_try_and_the_exit_code_meanings(self):
        _, module = load_dag()
        ti = mock.Mock(task_id="quality_silver_orders", try_number=2, log_url="http://airflow/log")
        with self.assertLogs(module._log, level=logging.ERROR) as logs:
            module.on_failure({"task_instance": ti, "run_id": "scheduled__x", "exception": RuntimeError("exit 7")})
        text = "\n".join(logs.output)
        for expected in ("quality_silver_orders", "scheduled__x", "exit 7", "7 = quality gate failed", "http://airflow/log"):
            self.assertIn(expected, text)


if __name__ == "__main__":
    unittest.main()
