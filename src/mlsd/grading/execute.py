"""Run a notebook top to bottom in a fresh kernel and report what failed and how long it took."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from mlsd import kernels


@dataclass(frozen=True)
class CellError:
    index: int
    grade_id: str | None
    ename: str
    evalue: str


@dataclass(frozen=True)
class Run:
    notebook: nbformat.NotebookNode
    seconds: float  # executing the cells, kernel start excluded
    errors: tuple[CellError, ...]


def _kernel_manager(folder: str) -> AsyncKernelManager:
    """A python3 kernel whose connection file and sockets live in ``folder``: Unix sockets
    where they fit, else TCP (see :mod:`mlsd.kernels`; TCP ports collide under load)."""
    km = AsyncKernelManager(kernel_name="python3", connection_file=f"{folder}/kernel.json")
    if kernels.ipc_fits(folder):
        km.transport = "ipc"
        km.ip = f"{folder}/kernel-ipc"
    return km


def run_notebook(path: Path, *, timeout: int = 120, allow_errors: bool = True) -> Run:
    """Execute ``path`` in its own folder; widget state is not stored (it would hold plotly.js)."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="mlsd-run-") as runtime:
        client = NotebookClient(
            nb,
            km=_kernel_manager(runtime),
            timeout=timeout,
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(Path(path).parent)}},
            store_widget_state=False,
        )
        # Time the cells only: kernel start-up depends on the machine, not on the notebook.
        with client.setup_kernel():
            start = time.perf_counter()
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            seconds = time.perf_counter() - start
    errors = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                errors.append(CellError(index, grade_id, output["ename"], output["evalue"]))
    return Run(nb, seconds, tuple(errors))
