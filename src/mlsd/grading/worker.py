"""A long-lived grading worker: ``python -m mlsd.grading.worker AUTOGRADER_DIR SECTION TIMEOUT
[--no-sandbox] [--memory-mb N] [--cpu-seconds N] ...`` (the sandbox options are those of
:meth:`mlsd.grading.settings.SandboxSettings.to_worker_args`).

It loads nbgrader once, then reads student ids from stdin, one a line, and runs nbgrader's own
autograde (the same code as ``nbgrader autograde SECTION --student ID``) for each, writing one
JSON line per event to stdout: ``{"event": "start", ...}`` then ``{"event": "done", ...}``.
The parent (a backend of :mod:`mlsd.grading.backends`) holds the wall-clock limit and kills
this process tree when a student overruns it. Kernels run in the bubblewrap sandbox of
:mod:`mlsd.grading.sandbox` unless ``--no-sandbox``; every cell's output is capped
(:mod:`mlsd.grading.capped`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time

from mlsd.grading import sandbox
from mlsd.grading.judged import autograde_preprocessors
from mlsd.grading.settings import SandboxSettings


def _api(autograder: str, timeout: int, spec: sandbox.SandboxSpec | None, caps: dict[str, int]):
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=autograder).load_config()
    overrides = Config()
    overrides.Execute.timeout = timeout
    # The kernel is thrown away after the last cell: killing it at once instead of asking it
    # to shut down and polling for its exit saves ~0.4 s of idle wall time per submission.
    overrides.Execute.shutdown_kernel = "immediate"
    overrides.Autograde.autograde_preprocessors = autograde_preprocessors()
    overrides.CappedExecute.max_output_chars = caps["output_cell_chars"]
    overrides.CappedExecute.max_notebook_output_chars = caps["output_notebook_chars"]
    config.merge(overrides)
    if spec is not None:
        config.merge(spec.config())
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, SandboxSettings]:
    parser = argparse.ArgumentParser(prog="python -m mlsd.grading.worker")
    parser.add_argument("autograder")
    parser.add_argument("section")
    parser.add_argument("timeout", type=int)
    args, sandbox_args = parser.parse_known_args(argv)
    return args, SandboxSettings.from_worker_args(sandbox_args)


def main(argv: list[str]) -> int:
    args, settings = parse_args(argv)
    os.chdir(args.autograder)
    out = sys.stdout
    sys.stdout = sys.stderr  # nbgrader's own prints must not corrupt the JSON lines
    with contextlib.ExitStack() as stack:
        spec = None
        if settings.enabled:
            spec = sandbox.SandboxSpec(settings.spec_options())
            stack.enter_context(spec)
            os.environ.update(spec.env())
        api = _api(args.autograder, args.timeout, spec, settings.output_caps())
        return _serve(api, args.section, out)


def outcome_of(done: dict) -> tuple[str, str]:
    """A ``"done"`` record as (outcome, detail): "done" or "failed", nbgrader's error and log."""
    return ("done" if done["success"] else "failed"), done["error"] + done["log"]


def _serve(api, section: str, out) -> int:
    print(json.dumps({"event": "ready", "pid": os.getpid()}), file=out, flush=True)
    for line in sys.stdin:
        student = line.strip()
        if not student:
            continue
        print(json.dumps({"event": "start", "student": student}), file=out, flush=True)
        start = time.perf_counter()
        result = api.autograde(section, student, force=True, create=True)
        record = {
            "event": "done",
            "student": student,
            "success": bool(result.get("success")),
            "log": result.get("log", ""),
            "error": result.get("error", ""),
            "seconds": round(time.perf_counter() - start, 3),
        }
        print(json.dumps(record), file=out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
