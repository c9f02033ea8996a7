"""The grading judge: runs autograded test cells where student code cannot reach them.

nbgrader scores a test cell by the outputs the student's kernel sends back for it, and
everything in that kernel belongs to the student: an exception handler, a pre- or post-run
callback, an input transformer, a patched ``mlsd.checks``, an object whose ``__eq__`` always
says True. Any of them forged full marks in an audit. So test cells never run there.

A test cell (its visible and hidden parts) runs here, in the grading process, in a fresh
namespace of its own. Every *learner name* it uses (a name neither builtin nor bound in the
cell: the functions the exercise asks for) is a :class:`LearnerFunction`: calling it sends the
arguments as plain data to the student's kernel, which calls the real function there and
sends the result back as plain data (:mod:`mlsd.grading.codec`, :mod:`mlsd.grading.agent`).
The comparison with the expected values, the hidden tests' source and their expected values
never enter the student's kernel; what comes back can only be the student's answer, rebuilt
from allowed types. The outputs the test cell gets in the graded notebook are made here.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nbformat.v4 import new_output

from mlsd.grading import codec

OUTPUT_CHARS = 20_000  # what a test cell may print; a check message is a few hundred
_STDOUT_LOCK = threading.Lock()  # redirect_stdout is process-wide: one judged cell at a time


# ----------------------------------------------------------------------------- names


class _Names(ast.NodeVisitor):
    """Names a cell loads before (or without) binding them itself, scope by scope."""

    def __init__(self) -> None:
        self.bound: set[str] = set()
        self.free: list[str] = []

    def _load(self, name: str) -> None:
        if name not in self.bound and name not in self.free:
            self.free.append(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._load(node.id)
        else:
            self.bound.add(node.id)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.bound.add(alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.bound.add(alias.asname or alias.name)

    def _scope(self, node, params: ast.arguments | None, body: Iterable[ast.AST]) -> None:
        inner = _Names()
        inner.bound = set(self.bound)
        if params is not None:
            for arg in [*params.posonlyargs, *params.args, *params.kwonlyargs]:
                inner.bound.add(arg.arg)
            for arg in (params.vararg, params.kwarg):
                if arg is not None:
                    inner.bound.add(arg.arg)
        for child in body:
            inner.visit(child)
        for name in inner.free:
            self._load(name)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for expr in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if expr is not None:
                self.visit(expr)
        self.bound.add(node.name)
        self._scope(node, node.args, node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for expr in [*node.args.defaults, *node.args.kw_defaults]:
            if expr is not None:
                self.visit(expr)
        self._scope(node, node.args, [node.body])

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        self.bound.add(node.name)
        self._scope(node, None, node.body)

    def _comprehension(self, node, results: list[ast.AST]) -> None:
        self.visit(node.generators[0].iter)  # evaluated outside the comprehension's scope
        inner = _Names()
        inner.bound = set(self.bound)
        for index, generator in enumerate(node.generators):
            if index:
                inner.visit(generator.iter)
            inner.visit(generator.target)
            for condition in generator.ifs:
                inner.visit(condition)
        for result in results:
            inner.visit(result)
        for name in inner.free:
            self._load(name)

    def visit_ListComp(self, node) -> None:
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.bound.add(node.name)
        for child in node.body:
            self.visit(child)

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            self._load(name)


def free_names(source: str) -> list[str]:
    """Names ``source`` uses without binding them, builtins excluded, in order of first use.

    For a test cell these are the learner's names (and any notebook global the cell should
    have imported itself: a test cell must be self-contained)."""
    finder = _Names()
    finder.visit(ast.parse(source))
    return [name for name in finder.free if not hasattr(builtins, name)]


# ----------------------------------------------------------------------------- calls


class LearnerError(Exception):
    """An exception raised by the learner's code in the student's kernel (its type's name
    and message only: the exception object itself stays there)."""


class LearnerTimeout(LearnerError):
    """The learner's function did not answer within the time limit."""


_BUILTIN_ERRORS = {
    name: value
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, Exception) and value.__module__ == "builtins"
}


def rebuild_error(name: str, message: str) -> Exception:
    """A judge-side exception for the learner's: a builtin class when the name is one (so a
    check can expect ``ValueError``), else :class:`LearnerError` named after it."""
    message = str(message)[:2000]
    builtin = _BUILTIN_ERRORS.get(name)
    if builtin is not None and builtin not in (StopIteration, StopAsyncIteration):
        try:
            return builtin(message)
        except TypeError:  # e.g. UnicodeDecodeError needs five arguments
            pass
    shown = name if name.isidentifier() and len(name) <= 60 else "Error"
    return type(shown, (LearnerError,), {})(message)


class Channel:
    """The judge's end of one connection to the agent in the student's kernel."""

    def __init__(self, sock: socket.socket, call_timeout: float) -> None:
        self.sock = sock
        self.call_timeout = call_timeout
        self.broken: str | None = None  # why no more calls can be made

    def _recv_exactly(self, size: int, deadline: float) -> bytes:
        chunks, left = [], size
        while left:
            self.sock.settimeout(max(0.001, deadline - time.monotonic()))
            chunk = self.sock.recv(min(left, 1 << 20))
            if not chunk:
                raise ConnectionError("the student's kernel closed the connection")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def call(self, name: str, args: tuple, kwargs: dict):
        if self.broken:
            raise LearnerError(self.broken)
        request = {"op": "call", "name": name, "args": list(args), "kwargs": dict(kwargs)}
        data, sent = codec.dumps(request)
        deadline = time.monotonic() + self.call_timeout
        try:
            self.sock.sendall(codec.frame(data))
            reply, _ = codec.loads(codec.read_frame(lambda n: self._recv_exactly(n, deadline)))
        except TimeoutError:
            self.broken = f"{name}() did not return within {self.call_timeout:g} s"
            raise LearnerTimeout(self.broken) from None
        except (OSError, codec.CodecError) as exc:
            self.broken = f"the student's kernel stopped answering ({exc})"
            raise LearnerError(self.broken) from None
        return _unpack(reply, sent)

    def close(self) -> None:
        if not self.broken:
            with contextlib.suppress(OSError):
                self.sock.sendall(codec.frame(codec.dumps({"op": "done"})[0]))
        self.sock.close()


def _unpack(reply, sent: list):
    """The value of a reply; the caller's random generators move on as the learner's did."""
    if type(reply) is not dict:
        raise LearnerError("the student's kernel sent a malformed reply")
    if "error" in reply:
        raise rebuild_error(str(reply.get("error")), str(reply.get("message", "")))
    states = reply.get("states")
    if type(states) is not list or len(states) != len(sent) or "value" not in reply:
        raise LearnerError("the student's kernel sent a malformed reply")
    for generator, state in zip(sent, states, strict=True):
        expected = generator.bit_generator.state.get("bit_generator")
        if type(state) is not dict or state.get("bit_generator") != expected:
            raise LearnerError("the student's kernel sent a malformed generator state")
        try:
            generator.bit_generator.state = state
        except (TypeError, ValueError, KeyError):
            raise LearnerError("the student's kernel sent a malformed generator state") from None
    return reply["value"]


class LearnerFunction:
    """Stands, in the judge, for a function defined in the student's notebook."""

    def __init__(self, name: str, channel: Channel | None, missing: str = "") -> None:
        self.__name__ = self.__qualname__ = name
        self._channel = channel
        self._missing = missing

    def __call__(self, *args, **kwargs):
        if self._channel is None:
            raise LearnerError(self._missing or f"{self.__name__} could not be reached")
        return self._channel.call(self.__name__, args, kwargs)

    def __repr__(self) -> str:
        return f"<your function {self.__name__}>"


# ----------------------------------------------------------------------------- cells


@dataclass
class Verdict:
    """What a judged test cell earned and the outputs it gets in the graded notebook."""

    passed: bool
    outputs: list = field(default_factory=list)
    summary: str = ""  # one line: "passed" or "<ename>: <first line>"


def _capped(text: str) -> str:
    if len(text) <= OUTPUT_CHARS:
        return text
    return text[:OUTPUT_CHARS] + "\n[output of the check cut at the limit]\n"


class _Recorder(io.TextIOBase):
    """The test cell's outputs in the order they came: printed text and shown outcomes."""

    def __init__(self) -> None:
        self.outputs: list = []
        self.size = 0

    def write(self, text: str) -> int:
        if text and self.size < OUTPUT_CHARS:
            text = _capped(text) if self.size + len(text) > OUTPUT_CHARS else text
            last = self.outputs[-1] if self.outputs else None
            if last is not None and last.output_type == "stream":
                last.text += text
            else:
                self.outputs.append(new_output("stream", name="stdout", text=text))
        self.size += len(text)
        return len(text)

    def display(self, bundle: dict) -> None:
        self.outputs.append(new_output("display_data", data=dict(bundle)))


def error_output(exc: BaseException, recorder: _Recorder | None = None) -> tuple[dict, str]:
    """An nbgrader error output that shows the reason only: no stack, so no hidden lines.
    A failed check's readable block is recorded first, as the learner sees it in Jupyter."""
    ename = type(exc).__name__
    outcome = getattr(exc, "outcome", None)
    if outcome is not None and recorder is not None and hasattr(outcome, "bundle"):
        recorder.display(outcome.bundle())
        message, line = outcome.text(), outcome.short_line()
    else:
        message = str(exc) or "a hidden check failed"
        line = f"{ename}: {message}"
    message = _capped(message)
    first = message.strip().splitlines()[0] if message.strip() else ename
    output = new_output("error", ename=ename, evalue=message, traceback=[_capped(line)])
    return output, f"{ename}: {first}"[:200]


def run_test_cell(source: str, learner: dict[str, LearnerFunction]) -> Verdict:
    """Execute a test cell's source here with ``learner`` bound; never raises."""
    from mlsd.checks.outcome import recording

    namespace = {"__name__": "__judge__", "__builtins__": builtins, **learner}
    recorder = _Recorder()
    try:
        code = compile(source, "<test cell>", "exec")
        with _STDOUT_LOCK, contextlib.redirect_stdout(recorder), recording(recorder.display):
            exec(code, namespace)  # trusted: the released test cell, not the student's
    except Exception as exc:  # a failed check, a hidden assert, the learner's error
        error, summary = error_output(exc, recorder)
        return Verdict(False, [*recorder.outputs, error], summary)
    return Verdict(True, recorder.outputs, "passed")


# ----------------------------------------------------------------------------- the socket


class Listener:
    """The judge's listening socket, in a folder the student's sandbox can reach."""

    def __init__(self, path: Path, group: int | None = None) -> None:
        self.path = Path(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(self.path))
        if group is not None:  # the sandbox user connects through its group; nobody else
            import os

            os.chown(self.path, -1, group)
            os.chmod(self.path, 0o660)
        else:
            self.path.chmod(0o600)
        self.sock.listen(1)

    def accept(self, timeout: float, call_timeout: float) -> Channel:
        self.sock.settimeout(timeout)
        conn, _ = self.sock.accept()
        return Channel(conn, call_timeout)

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def serve_code(address: Path) -> str:
    """The one line the student's kernel runs to answer a test cell's calls."""
    return (
        f'__import__("mlsd.grading.agent", fromlist=["serve"]).serve({str(address)!r}, globals())'
    )
