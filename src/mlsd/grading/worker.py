"""A long-lived grading worker: ``python -m mlsd.grading.worker AUTOGRADER_DIR SECTION TIMEOUT``.

It loads nbgrader once, then reads student ids from stdin, one a line, and runs nbgrader's own
autograde (the same code as ``nbgrader autograde SECTION --student ID``) for each, writing one
JSON line per event to stdout: ``{"event": "start", ...}`` then ``{"event": "done", ...}``.
The parent (:mod:`mlsd.grading.pipeline`) holds the wall-clock limit and kills this process
tree when a student overruns it.
"""

from __future__ import annotations

import json
import os
import sys
import time


def _api(autograder: str, timeout: int):
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=autograder).load_config()
    overrides = Config()
    overrides.Execute.timeout = timeout
    config.merge(overrides)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def main(argv: list[str]) -> int:
    autograder, section, timeout = argv[0], argv[1], int(argv[2])
    os.chdir(autograder)
    out = sys.stdout
    sys.stdout = sys.stderr  # nbgrader's own prints must not corrupt the JSON lines
    api = _api(autograder, timeout)
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
