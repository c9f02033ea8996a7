"""Bench: the same N submissions graded by plain sequential ``nbgrader autograde`` and by
``mlsd grade autograde`` (sandboxed, cores + 1 workers: its defaults); prints both wall times
(medians), the speed-up and whether every per-question grade is identical.

The class: reference answers with one wrong answer in turn, plus three bad submissions (an
infinite loop stopped at the per-cell limit, an import error, malformed JSON), as issue 6 asks.

    .venv/bin/python bench/bench_grading.py [--students 40] [--repeats 3] [--workers N]
        [--also-unsandboxed]   # also time --no-sandbox: what the sandbox costs
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mlsd import course  # noqa: E402
from mlsd.grading.autograde import autograde  # noqa: E402
from mlsd.grading.backends.local import default_workers  # noqa: E402
from mlsd.grading.settings import SandboxSettings  # noqa: E402
from tests.grading.pipeline_course import (  # noqa: E402
    SECTION,
    make_root,
    malformed_bytes,
    place_submissions,
    question_scores,
    reference_answers,
    submission,
)
from tests.grading.wrong_answers import WRONG_ANSWERS  # noqa: E402

CELL_TIMEOUT = 5  # s, for both runs: the infinite loop costs this much in each


def _class(root: Path, n: int) -> dict[str, bytes]:
    """n students: reference answers with the k-th wrong answer in one exercise, in turn;
    the last three are bad submissions."""
    ref = reference_answers(root)
    variants = [{}] + [
        {grade_id: source}
        for grade_id in sorted(ref)
        if grade_id in WRONG_ANSWERS
        for _label, source in WRONG_ANSWERS[grade_id]
    ]
    good = {
        f"student-{i:02d}": submission(root, ref | variants[i % len(variants)])
        for i in range(n - 3)
    }
    loop = ref["rubric-total"] + "\nwhile True:\n    pass\n"
    bad = {
        "zz-loop": submission(root, ref | {"rubric-total": loop}),
        "zz-importerror": submission(root, ref | {"rubric-band": "import no_such_mod\n"}),
        "zz-malformed": malformed_bytes(),
    }
    return good | bad


def _points(root: Path, student: str) -> dict[str, float]:
    """The questions that earned points. A malformed notebook scores nothing either way:
    plain nbgrader leaves an empty submission row, the pipeline screens it out first."""
    from nbgrader.api import MissingEntry

    try:
        scores = question_scores(root, SECTION, student)
    except MissingEntry:
        return {}
    return {question: score for question, score in scores.items() if score}


def _course(tmp: Path, label: str, notebooks: dict[str, bytes]) -> Path:
    root = make_root(tmp / label)
    course.nbgrader(root, "generate_assignment", SECTION, "--force")
    place_submissions(root, notebooks)
    return root


def _sequential(tmp: Path, label: str, notebooks: dict[str, bytes]) -> tuple[float, Path]:
    root = _course(tmp, label, notebooks)
    start = time.perf_counter()
    try:  # nbgrader grades everyone, then exits 1 because of the malformed notebook
        course.nbgrader(root, "autograde", SECTION, f"--Execute.timeout={CELL_TIMEOUT}")
    except RuntimeError as exc:
        if "zz-malformed" not in str(exc):
            raise
    return time.perf_counter() - start, root


def _pipeline(tmp: Path, label: str, notebooks, workers: int, sandboxed: bool):
    root = _course(tmp, label, notebooks)
    start = time.perf_counter()
    results = autograde(
        root,
        SECTION,
        workers=workers,
        timeout=CELL_TIMEOUT,
        log=lambda m: None,
        settings=SandboxSettings(enabled=sandboxed),
    )
    assert len(results) == len(notebooks)
    return time.perf_counter() - start, root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--workers", type=int, default=None, help="default: the pipeline's (cores + 1)"
    )
    parser.add_argument(
        "--also-unsandboxed",
        action="store_true",
        help="also time the pipeline with --no-sandbox (what the sandbox costs)",
    )
    args = parser.parse_args()
    args.workers = args.workers or default_workers()
    runs = {"sequential": [], "pipeline": [], "pipeline, no sandbox": []}
    identical = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seed = make_root(tmp / "seed")
        course.nbgrader(seed, "generate_assignment", SECTION, "--force")
        notebooks = _class(seed, args.students)
        for rep in range(args.repeats):
            seconds, plain = _sequential(tmp, f"plain-{rep}", notebooks)
            runs["sequential"].append(seconds)
            variants = [("pipeline", True)]
            if args.also_unsandboxed:
                variants.append(("pipeline, no sandbox", False))
            for name, sandboxed in variants:
                label = f"{name.replace(', ', '-').replace(' ', '-')}-{rep}"
                seconds, ours = _pipeline(tmp, label, notebooks, args.workers, sandboxed)
                runs[name].append(seconds)
                for student in notebooks:
                    if _points(plain, student) != _points(ours, student):
                        identical = False
                        print(f"grades differ for {student} in repeat {rep} ({name})")
            line = ", ".join(f"{k} {v[-1]:.1f} s" for k, v in runs.items() if v)
            print(f"repeat {rep + 1}: {line}; load {os.getloadavg()[0]:.1f}", flush=True)
    seq = statistics.median(runs["sequential"])
    print(f"{args.students} submissions of {SECTION} (3 bad), median of {args.repeats}:")
    print(f"  sequential nbgrader autograde: {seq:.1f} s")
    ratio = None
    for name, times in runs.items():
        if not times or name == "sequential":
            continue
        ratios = [s / p for s, p in zip(runs["sequential"], times, strict=True)]
        print(
            f"  {name}, {args.workers} workers: {statistics.median(times):.1f} s, "
            f"speed-up (median of per-repeat ratios) {statistics.median(ratios):.2f}x"
        )
        if name == "pipeline":
            ratio = statistics.median(ratios)
    verdict = "met" if ratio >= 1.8 else "NOT met"
    print(f"  bar >= 1.8x for the (sandboxed) pipeline: {verdict}")
    print(f"  grades identical: {identical}")
    return 0 if identical and ratio >= 1.8 else 1


if __name__ == "__main__":
    sys.exit(main())
