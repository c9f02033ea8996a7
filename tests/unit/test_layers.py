"""The layer arrows of DESIGN.md, enforced by reading every module's imports (ast).

```
notebooks ──> mlsd.widgets ──> mlsd core ──> numpy / pandas / ...
         └──> mlsd.checks ──┘
autograder/ ──> nbgrader, mlsd.grading
```
Every import counts, at the top of a module or inside a function (a lazy import still
couples the layers; it only moves the cost), and so does ``importlib.import_module("...")``
with a constant name. Two modules of ``src/mlsd`` are commands rather than core: ``cli.py``
(``mlsd ...``, which dispatches to the grading pipeline), ``present.py`` (which launches
Voila on a section) and ``workspace.py`` (``mlsd update`` and ``mlsd lab``: merges course
updates into a learner's folder with nbgrader's checksums and starts their JupyterLab), and so
is the ``hub`` package (the course server: JupyterHub config, a
Jupyter server extension, ``mlsd hub ...``): they stand at the top beside the notebooks and
may import any layer.

Core may read and write notebook *files* (``nbformat``, a file-format library: the
self-check, the course build), but imports nothing that runs or displays in Jupyter.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "mlsd"
COMMANDS = {"mlsd.cli", "mlsd.present", "mlsd.workspace"}

# Packages that run or draw things in Jupyter: not for core, and not for checks (a check runs
# in the grading judge as well as in the kernel; only IPython's display is allowed there).
JUPYTER = (
    "IPython",
    "ipykernel",
    "ipywidgets",
    "anywidget",
    "plotly",
    "jupyter_client",
    "jupyter_core",
    "jupyter_server",
    "jupyterlab",
    "notebook",
    "nbclient",
    "nbconvert",
    "nbgrader",
    "voila",
)
DRAWING = ("ipywidgets", "anywidget", "plotly", "nbgrader", "voila")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "mlsd.selfcheck"
    name: str  # what it imports, absolute, e.g. "mlsd.checks.core"
    line: int
    lazy: bool  # inside a function


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(node: ast.ImportFrom, importer: str, is_package: bool) -> list[str]:
    if node.level == 0:
        base = node.module or ""
    else:
        package = importer.split(".") if is_package else importer.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    # "from mlsd import checks" imports the subpackage mlsd.checks: name it fully.
    return [f"{base}.{alias.name}" if base == "mlsd" else base for alias in node.names]


def imports_of(source: str, importer: str, is_package: bool = False) -> list[Import]:
    """Every import in ``source`` (module ``importer``), with its line and whether it is lazy."""
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend(Import(importer, a.name, child.lineno, lazy) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                found.extend(
                    Import(importer, name, child.lineno, lazy)
                    for name in _resolve(child, importer, is_package)
                )
            elif (
                isinstance(child, ast.Call)
                and getattr(child.func, "attr", getattr(child.func, "id", None))
                in ("import_module", "__import__")
                and child.args
                and isinstance(child.args[0], ast.Constant)
                and isinstance(child.args[0].value, str)
            ):
                found.append(Import(importer, child.args[0].value, child.lineno, True))
            visit(child, inner)

    visit(ast.parse(source), False)
    return found


def layer_of(module: str) -> str:
    if module in COMMANDS or module == "mlsd.hub" or module.startswith("mlsd.hub."):
        return "command"
    for layer in ("widgets", "checks", "grading"):
        if module == f"mlsd.{layer}" or module.startswith(f"mlsd.{layer}."):
            return layer
    return "core"


def _under(name: str, roots) -> bool:
    return any(name == r or name.startswith(f"{r}.") for r in roots)


def violation(imp: Import) -> str | None:
    """Why this import breaks an arrow, or None if it is allowed."""
    layer, name = layer_of(imp.module), imp.name
    target = layer_of(name) if _under(name, ["mlsd"]) else "external"
    if layer == "command":
        return None
    if layer == "core":
        if _under(name, JUPYTER):
            return "core imports no Jupyter, widget or plotting package"
        if target in ("widgets", "checks", "grading", "command"):
            return f"core imports nothing from mlsd.{target}"
    if layer == "checks":
        if target in ("widgets", "grading", "command"):
            return f"checks import core, never mlsd.{target}"
        if _under(name, DRAWING):
            return "checks draw nothing (they also run in the grading judge)"
    if layer == "widgets" and target in ("checks", "grading", "command"):
        return f"widgets import core, never mlsd.{target}"
    if layer == "grading" and target in ("widgets", "command"):
        return f"grading imports nothing from mlsd.{target}"
    return None


def all_imports() -> list[Import]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        out += imports_of(path.read_text("utf-8"), module_name(path), path.name == "__init__.py")
    return out


def test_src_has_modules_in_every_layer():
    layers = {layer_of(module_name(p)) for p in SRC.rglob("*.py")}
    assert layers == {"core", "widgets", "checks", "grading", "command"}


def test_every_import_follows_the_layer_arrows():
    broken = [
        f"{imp.module}:{imp.line} imports {imp.name}{' (lazily)' if imp.lazy else ''}: "
        f"{violation(imp)}"
        for imp in all_imports()
        if violation(imp)
    ]
    assert broken == [], "\n".join(broken)


# --- the reader and the rules themselves, on synthetic modules ---------------------------


def test_reader_finds_top_level_lazy_relative_and_dynamic_imports():
    source = (
        "import numpy as np\n"
        "from mlsd.checks.core import manifest\n"
        "from . import engine\n"
        "from .outcome import MIME\n"
        "from mlsd import widgets\n"
        "def f():\n"
        "    import plotly.graph_objects as go\n"
        "    importlib.import_module('mlsd.grading.pipeline')\n"
        "class C:\n"
        "    def m(self):\n"
        "        from IPython.display import display\n"
    )
    found = [(i.name, i.lazy) for i in imports_of(source, "mlsd.checks.core")]
    assert found == [
        ("numpy", False),
        ("mlsd.checks.core", False),
        ("mlsd.checks", False),
        ("mlsd.checks.outcome", False),
        ("mlsd.widgets", False),
        ("plotly.graph_objects", True),
        ("mlsd.grading.pipeline", True),
        ("IPython.display", True),
    ]


@pytest.mark.parametrize(
    ("module", "name", "broken"),
    [
        ("mlsd.selfcheck", "mlsd.checks.core", True),  # the violation this test was written for
        ("mlsd.selfcheck", "mlsd.manifest", False),
        ("mlsd.bandits", "ipywidgets", True),
        ("mlsd.bandits", "IPython.display", True),
        ("mlsd.bandits", "plotly.graph_objects", True),
        ("mlsd.bandits", "mlsd.widgets.common", True),
        ("mlsd.bandits", "mlsd.grading.notebooks", True),
        ("mlsd.course", "nbformat", False),
        ("mlsd.checks.fraud", "mlsd.fraud", False),
        ("mlsd.checks.fraud", "mlsd.widgets.fraud", True),
        ("mlsd.checks.fraud", "plotly", True),
        ("mlsd.checks.fraud", "mlsd.grading", True),
        ("mlsd.checks.outcome", "IPython.display", False),
        ("mlsd.widgets.fraud", "mlsd.fraud", False),
        ("mlsd.widgets.fraud", "ipywidgets", False),
        ("mlsd.widgets.fraud", "mlsd.checks.fraud", True),
        ("mlsd.widgets.fraud", "mlsd.grading.pipeline", True),
        ("mlsd.grading.pipeline", "mlsd.widgets.common", True),
        ("mlsd.grading.pipeline", "nbgrader.api", False),
        ("mlsd.cli", "mlsd.grading.cli", False),
    ],
)
def test_rules_catch_each_wrong_arrow(module, name, broken):
    for lazy in (False, True):  # a lazy import is held to the same arrow
        assert (violation(Import(module, name, 1, lazy)) is not None) is broken
