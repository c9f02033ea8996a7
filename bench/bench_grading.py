"""Bench: the same N submissions graded by plain sequential ``nbgrader autograde`` (nbgrader's
own steps: the baseline) and by ``mlsd grade autograde`` (sandboxed, judged, cleaned, cores + 1
workers: its defaults); prints both wall times (medians), the speed-up (bar: 3x) and whether
every per-question grade is identical.

The class: reference answers with one wrong answer in turn, plus three bad submissions (an
infinite loop stopped at the per-cell limit, an import error, malformed JSON), as issue 6 asks.

    .venv/bin/python bench/bench_grading.py [--students 40] [--repeats 3] [--workers N]
        [--costs]   # also time sequential nbgrader with the judge and the pipeline without
                    # the sandbox: what each protection costs per submission
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
from mlsd.grading import similarity  # noqa: E402
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


BAR = 3.0  # issue 14: at least 3x sequential nbgrader on 2 cores, with every protection on


def _course(tmp: Path, label: str, notebooks: dict[str, bytes], judged: bool = True) -> Path:
    root = make_root(tmp / label, judged=judged)
    course.nbgrader(root, "generate_assignment", SECTION, "--force")
    place_submissions(root, notebooks)
    return root


def _sequential(tmp: Path, label: str, notebooks, judged: bool = False) -> tuple[float, Path]:
    root = _course(tmp, label, notebooks, judged)
    start = time.perf_counter()
    try:  # nbgrader grades everyone, then exits 1 because of the malformed notebook
        course.nbgrader(root, "autograde", SECTION, f"--Execute.timeout={CELL_TIMEOUT}")
    except RuntimeError as exc:
        if "zz-malformed" not in str(exc):
            raise
    return time.perf_counter() - start, root


def _pipeline(tmp: Path, label: str, notebooks, workers: int, sandboxed: bool):
    root = _course(tmp, label, notebooks)
    # Each `mlsd grade autograde` is a new process: no repeat may reuse the last one's work.
    similarity._package_functions.cache_clear()
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
        "--costs",
        action="store_true",
        help="also time sequential nbgrader with the judge and the pipeline without the "
        "sandbox: what each protection costs per submission",
    )
    args = parser.parse_args()
    args.workers = args.workers or default_workers()
    runs = {"sequential": [], "pipeline": [], "sequential, judged": [], "pipeline, no sandbox": []}
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
            if args.costs:
                seconds, judged = _sequential(tmp, f"judged-{rep}", notebooks, judged=True)
                runs["sequential, judged"].append(seconds)
                for student in notebooks:
                    if _points(plain, student) != _points(judged, student):
                        identical = False
                        print(f"grades differ for {student} in repeat {rep} (judged)")
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
        how = "sequentially" if name.startswith("sequential") else f"{args.workers} workers"
        print(
            f"  {name}, {how}: {statistics.median(times):.1f} s, "
            f"speed-up (median of per-repeat ratios) {statistics.median(ratios):.2f}x"
        )
        if name == "pipeline":
            ratio = statistics.median(ratios)
    if args.costs:
        per = {k: statistics.median(v) / args.students for k, v in runs.items()}
        judge = per["sequential, judged"] - per["sequential"]
        box = per["pipeline"] - per["pipeline, no sandbox"]
        print(
            f"  per submission (wall): judge + cleaner {judge:+.2f} s sequentially; "
            f"sandbox {box:+.2f} s in the pipeline"
        )
    verdict = "met" if ratio >= BAR else "NOT met"
    print(f"  bar >= {BAR:g}x for the (sandboxed) pipeline: {verdict}")
    print(f"  grades identical: {identical}")
    return 0 if identical and ratio >= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
