"""``mlsd grade ...``: the instructor's grading commands (see autograder/README.md)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mlsd import course
from mlsd.grading.settings import SandboxSettings, SubmissionLimits


def _root(args) -> Path:
    return course.repo_root(args.root)


def _roster(args) -> int:
    from mlsd.grading.roster import import_roster

    import_roster(_root(args), args.file)
    return 0


def _release(args) -> int:
    from mlsd.grading.release import release

    release(_root(args), args.section)
    return 0


def _collect(args) -> int:
    from mlsd.grading.collect import collect

    limits = SubmissionLimits.from_cli(args)
    collect(_root(args), args.section, args.source, name_pattern=args.name_pattern, limits=limits)
    return 0


def _autograde(args) -> int:
    from mlsd.grading.autograde import autograde

    results = autograde(
        _root(args),
        args.section,
        workers=args.workers,  # None: the local pool's default, computed now
        timeout=args.timeout,
        student_limit=args.student_limit,
        force=args.force,
        settings=SandboxSettings.from_cli(args),
        dask=args.dask,
        limits=SubmissionLimits.from_cli(args),
    )
    return 0 if results else 1


def _feedback(args) -> int:
    from mlsd.grading.feedback import feedback

    feedback(_root(args), args.section, force=args.force)
    return 0


def _score(args) -> int:
    from mlsd.grading.manual import record

    record(_root(args), args.section, args.student, args.question, args.points, args.comment)
    return 0


def _ui(args) -> int:
    from mlsd.grading import ui

    return ui.serve(_root(args), args.port or ui.free_port())


def _reports(args) -> Path:
    return _root(args) / "autograder" / "reports"


def _export(args) -> int:
    out = args.out or _reports(args) / "grades.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    from mlsd.grading.export import export

    export(_root(args), out, args.per_question)
    return 0


def _stats(args) -> int:
    out = args.out or _reports(args) / f"{args.section}-stats.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    from mlsd.grading.stats import stats

    stats(_root(args), args.section, out)
    return 0


def _grade(args) -> int:
    try:
        return args.grade_func(args)
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``grade`` command group to ``mlsd``'s subparsers."""
    grade = subparsers.add_parser("grade", help="instructor: roster, collect, autograde, report")
    grade.add_argument(
        "--root", type=Path, default=None, help="workbook checkout (default: found from cwd)"
    )
    grade.set_defaults(func=_grade)
    sub = grade.add_subparsers(dest="grade_command", required=True)

    p = sub.add_parser("roster", help="import students from a CSV: id,first_name,last_name,email")
    p.add_argument("file", type=Path)
    p.set_defaults(grade_func=_roster)

    p = sub.add_parser("release", help="regenerate course/SECTION (keeps submitted sections)")
    p.add_argument("section")
    p.set_defaults(grade_func=_release)

    p = sub.add_parser("collect", help="copy LMS submissions into autograder/submitted/")
    p.add_argument("section")
    p.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=None,
        help="folder or zip of submissions (default: nbgrader collect from the exchange)",
    )
    p.add_argument(
        "--name-pattern",
        default=None,
        metavar="REGEX",
        help="the LMS's file names: a regular expression over the path in the download with"
        " the groups (?P<student_id>...), optionally (?P<file_id>...) and (?P<timestamp>...)"
        " (default: c.MlsdCollect.name_pattern in nbgrader_config.py, else <student>/<file>,"
        " <student>/<section>/<file> or <student>_<anything>.ipynb)",
    )
    SubmissionLimits.add_cli_options(p)
    p.set_defaults(grade_func=_collect)

    p = sub.add_parser("autograde", help="grade every submission of SECTION in parallel")
    p.add_argument("section")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="grading processes (default: the cores this process may use + 1, as memory "
        "allows at 512 MB each)",
    )
    p.add_argument("--timeout", type=int, default=60, help="per-cell limit in s (default 60)")
    p.add_argument(
        "--student-limit",
        type=float,
        default=None,
        help="wall-clock limit per submission in s (default 3 x timeout + 60)",
    )
    p.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    SandboxSettings.add_cli_options(p)
    SubmissionLimits.add_cli_options(p)
    p.add_argument(
        "--dask",
        default=os.environ.get("MLSD_DASK_SCHEDULER"),
        metavar="ADDRESS",
        help="grade on this Dask scheduler (e.g. tcp://host:8786; default $MLSD_DASK_SCHEDULER,"
        " else local worker processes)",
    )
    p.set_defaults(grade_func=_autograde)

    p = sub.add_parser("feedback", help="nbgrader generate_feedback (hidden tests removed)")
    p.add_argument("section")
    p.add_argument(
        "--force",
        action="store_true",
        help="send feedback even while written answers are not graded yet",
    )
    p.set_defaults(grade_func=_feedback)

    p = sub.add_parser("score", help="record a written answer's grade (as formgrader does)")
    p.add_argument("section")
    p.add_argument("student")
    p.add_argument("question", help="the graded cell's grade id, e.g. numbers-rewrite-09")
    p.add_argument("points", type=float)
    p.add_argument("--comment", default=None, help="feedback text shown with the grade")
    p.set_defaults(grade_func=_score)

    p = sub.add_parser(
        "ui", help="formgrader on this course, to grade written answers (read-only server)"
    )
    p.add_argument("--port", type=int, default=None, help="default: a free port")
    p.set_defaults(grade_func=_ui)

    p = sub.add_parser("export", help="grades per student and section (and per question)")
    p.add_argument("--out", type=Path, default=None, help="default: autograder/reports/grades.csv")
    p.add_argument("--per-question", type=Path, default=None)
    p.set_defaults(grade_func=_export)

    p = sub.add_parser("stats", help="per-question HTML report: pass rates, failures, chart")
    p.add_argument("section")
    p.add_argument(
        "--out", type=Path, default=None, help="default: autograder/reports/SECTION-stats.html"
    )
    p.set_defaults(grade_func=_stats)
    return grade


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``main(["grade", "autograde", "09-common-mistakes"])``."""
    parser = argparse.ArgumentParser(prog="mlsd")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
