"""nbgrader's Execute step with autograded test cells run by the judge (:mod:`.judge`).

Every other cell runs in the student's kernel as usual (its outputs are the student's and go
to the feedback as they are, capped by :class:`~mlsd.grading.capped.CappedExecute`). A test
cell does not: the kernel is asked to run one line that answers calls of the learner's
functions over a socket, while the test cell runs in this process with those calls sent to
the kernel. The test cell's outputs in the graded notebook are the judge's, so nbgrader's
scoring (an error output means 0 points) reads what the judge decided.

The kernel's working folder is a fresh, empty folder of its own (:mod:`.workspace`), never
the folder nbgrader writes the graded notebook and the feedback into: nothing the kernel
leaves behind is read, followed, copied or chmod-ed afterwards; the folder is removed.

Configured in ``autograder/nbgrader_config.py`` in place of nbgrader's Execute, so the
instructor's pipeline, plain ``nbgrader autograde`` and formgrader all grade the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
from queue import Empty
from time import monotonic

from jupyter_client.utils import ensure_async
from nbclient.exceptions import CellTimeoutError
from nbclient.util import run_sync
from traitlets import Float, Integer, Unicode

from mlsd.grading import judge
from mlsd.grading.capped import CappedExecute
from mlsd.grading.workspace import KernelWorkspace

TEST_CELL_TAG = "mlsd-judged"  # marks, in the graded notebook, the cells the judge ran


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


class JudgedExecute(CappedExecute):
    """Execute with test cells judged outside the student's kernel."""

    workspace_root = Unicode(
        "", help="Folder for the kernels' working folders (empty: a temporary folder)."
    ).tag(config=True)
    sandbox_uid = Integer(
        None, allow_none=True, help="User id the sandboxed kernel runs as (set by the worker)."
    ).tag(config=True)
    connect_timeout = Float(
        30.0, help="Seconds the kernel may take to start answering a test cell's calls."
    ).tag(config=True)

    _workspace: KernelWorkspace | None = None

    def preprocess(self, nb, resources=None, km=None):
        with KernelWorkspace.create(self.workspace_root or None, self.sandbox_uid) as workspace:
            self._workspace = workspace
            resources = dict(resources or {})
            resources["metadata"] = {**resources.get("metadata", {}), "path": str(workspace.work)}
            try:
                return super().preprocess(nb, resources, km)
            finally:
                self._workspace = None

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        if self._workspace is not None and km.transport == "ipc":
            # a fresh connection file per kernel, in a folder the kernel cannot write; its
            # sockets in a folder of their own (jupyter_client puts them beside the file)
            km.connection_file = str(self._workspace.connection_file)
            km.ip = str(self._workspace.ipc_prefix)
        return km

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if not is_test_cell(cell) or not cell.source.strip():
            return await super().async_execute_cell(
                cell, cell_index, execution_count, store_history
            )
        verdict = await self._judge(cell.source)
        cell.outputs = verdict.outputs
        cell.execution_count = None
        tags = cell.metadata.setdefault("tags", [])
        if TEST_CELL_TAG not in tags:
            tags.append(TEST_CELL_TAG)
        self.code_cells_executed += 1
        self.nb["cells"][cell_index] = cell
        return cell

    # nbclient binds its synchronous wrapper to its own coroutine: rebind it to this one, or
    # test cells would quietly run in the student's kernel again
    execute_cell = run_sync(async_execute_cell)

    async def _judge(self, source: str) -> judge.Verdict:
        try:
            names = judge.free_names(source)
        except SyntaxError as exc:
            return judge.Verdict(False, [judge.error_output(exc)[0]], "test cell does not parse")
        if not names:  # nothing of the learner's to call: plain trusted code
            return await asyncio.to_thread(judge.run_test_cell, source, {})
        listener = self._workspace.listen()
        msg_id = await ensure_async(
            self.kc.execute(
                judge.serve_code(listener.path),
                silent=True,
                store_history=False,
                stop_on_error=False,
            )
        )
        limit = float(self.timeout or 60)
        channel = None
        try:
            channel = await asyncio.to_thread(listener.accept, self.connect_timeout, limit)
        except (TimeoutError, OSError):
            reason = "the notebook's kernel did not answer the grader (it did not run its cell)"
            learner = {n: judge.LearnerFunction(n, None, reason) for n in names}
        else:
            learner = {n: judge.LearnerFunction(n, channel) for n in names}
        finally:
            listener.close()
        try:
            verdict = await asyncio.to_thread(judge.run_test_cell, source, learner)
        finally:
            if channel is not None:
                channel.close()
        # the kernel only has to read "done" now; a niced kernel on a busy machine may take a
        # while, so allow the cell limit and half a minute more before interrupting it
        await self._finish_serving(msg_id, limit + 30)
        return verdict

    async def _finish_serving(self, msg_id: str, limit: float) -> None:
        """Wait for the kernel's serving cell to end; interrupt it once if it overruns."""
        deadline, interrupted = monotonic() + limit, False
        while True:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=1.0))
            except Empty:
                await self._async_check_alive()
                if monotonic() < deadline:
                    continue
                if interrupted:
                    message = "a test cell's learner code ignored the interrupt"
                    raise CellTimeoutError(message) from None
                with contextlib.suppress(Exception):
                    await ensure_async(self.km.interrupt_kernel())
                deadline, interrupted = monotonic() + 10, True
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return


def autograde_preprocessors() -> list:
    """nbgrader's autograde steps with its Execute replaced by this one, followed by the
    step that makes the graded notebook safe to display (:mod:`mlsd.grading.sanitize`)."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from mlsd.grading.sanitize import SanitizeSubmission

    steps = []
    for step in Autograde.class_traits()["autograde_preprocessors"].default():
        steps += [JudgedExecute, SanitizeSubmission] if step is Execute else [step]
    return steps
