"""A recording STAND-IN for the parts of the Airflow API the Lakehouse DAG uses (no Airflow can run in these tests).

``install(layout, variables)`` puts fake ``airflow`` modules into ``sys.modules`` -- the Airflow 2 layout
(``airflow.DAG``, ``airflow.models.Variable``, ``airflow.operators.bash``) or the Airflow 3 one (``airflow.sdk``,
``airflow.providers.standard.operators.bash``), plus the Spark provider's ``spark_submit`` module -- whose classes
only record how they were built: every DAG with its arguments, every operator with its class, arguments and
upstream tasks. ``uninstall()`` removes them again.
"""
import sys
import types

_MODULES = []


class Recording:
    """What the DAG file built: the DAGs and the operators, in order."""

    def __init__(self):
        self.dags = []
        self.operators = []


class StandInDAG:
    """Records its arguments; operators built inside ``with`` belong to it."""

    _current = None

    def __init__(self, recording, **kwargs):
        self.kwargs = kwargs
        self.tasks = {}
        recording.dags.append(self)

    def __enter__(self):
        StandInDAG._current = self
        return self

    def __exit__(self, *exc):
        StandInDAG._current = None
        return False


class StandInOperator:
    """Records its class name, arguments, DAG and upstream task ids; ``a >> b`` makes a upstream of b."""

    def __init__(self, recording, task_id, **kwargs):
        if StandInDAG._current is None:
            raise RuntimeError("stand-in: operator %s built outside a DAG context" % task_id)
        if task_id in StandInDAG._current.tasks:
            raise RuntimeError("stand-in: duplicate task id %s" % task_id)
        self.task_id = task_id
        self.kwargs = kwargs
        self.dag = StandInDAG._current
        self.upstream = set()
        self.dag.tasks[task_id] = self
        recording.operators.append(self)

    def __rshift__(self, other):
        other.upstream.add(self.task_id)
        return other


def install(layout="2", variables=None):
    """Installs the stand-in modules; returns the Recording that fills as the DAG file runs."""
    if layout not in ("2", "3"):
        raise ValueError("layout is 2 or 3")
    uninstall()
    recording = Recording()
    store = dict(variables or {})

    class DAG(StandInDAG):
        def __init__(self, **kwargs):
            super().__init__(recording, **kwargs)

    class Variable:
        @staticmethod
        def get(key, default=None, deserialize_json=False):
            return store.get(key, default)

    def operator(name):
        def __init__(self, task_id, **kwargs):
            StandInOperator.__init__(self, recording, task_id, **kwargs)

        return type(name, (StandInOperator,), {"__init__": __init__})

    modules = {
        "airflow": {},
        "airflow.providers": {},
        "airflow.providers.apache": {},
        "airflow.providers.apache.spark": {},
        "airflow.providers.apache.spark.operators": {},
        "airflow.providers.apache.spark.operators.spark_submit": {"SparkSubmitOperator": operator("SparkSubmitOperator")},
    }
    if layout == "2":
        modules["airflow"] = {"DAG": DAG}
        modules["airflow.models"] = {"Variable": Variable}
        modules["airflow.operators"] = {}
        modules["airflow.operators.bash"] = {"BashOperator": operator("BashOperator")}
    else:
        modules["airflow.sdk"] = {"DAG": DAG, "Variable": Variable}
        modules["airflow.providers.standard"] = {}
        modules["airflow.providers.standard.operators"] = {}
        modules["airflow.providers.standard.operators.bash"] = {"BashOperator": operator("BashOperator")}
    for name, attributes in modules.items():
        module = types.ModuleType(name)
        module.__path__ = []  # a package, so that submodules import
        module.__dict__.update(attributes)
        sys.modules[name] = module
        _MODULES.append(name)
    return recording


def uninstall():
    while _MODULES:
        sys.modules.pop(_MODULES.pop(), None)
