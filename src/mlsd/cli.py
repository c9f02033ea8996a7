"""``mlsd`` command line: the author's and instructor's entry points."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlsd import course
from mlsd.grading import cli as grading_cli
from mlsd.hub import cli as hub_cli


def _build(args) -> int:
    root = course.repo_root()
    if args.check:
        diffs = course.diff_release(root, only=args.sections or None)
        if diffs:
            print("course/ is out of date with solutions/; run `mlsd build-course`:")
            print("\n".join(f"  {d}" for d in diffs))
            return 1
        print("course/ matches what solutions/ generates.")
        return 0
    changed = [p for p in sorted((root / "solutions").rglob("*.ipynb")) if course.clean(p)]
    for path in changed:
        print(f"cleaned outputs from {path.relative_to(root)}")
    course.replace_course(root, only=args.sections or None)
    return 0


def _clean(args) -> int:
    root = course.repo_root()
    paths = args.paths or sorted((root / "solutions").rglob("*.ipynb"))
    for path in paths:
        if course.clean(path):
            print(f"cleaned {path}")
    return 0


def _present(args) -> int:
    from mlsd import present

    keep = [x.strip() for x in (args.exercises or "").split(",") if x.strip()]
    try:
        return present.serve(
            args.section, args.port, keep, open_browser=not args.no_browser, out_dir=args.out
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _interviewer_notes(args) -> int:
    from mlsd.grading.interviewer_notes import write_notes

    root = course.repo_root() / "autograder"
    count = write_notes(root, args.assignment)
    print(f"interviewer's notes written as the comment of {count} graded mock(s)")
    return 0


def _update(args) -> int:
    from mlsd import workspace

    root = course.repo_root()
    work = args.work or root / "work"
    release = args.course or root / "course"
    result = workspace.update(work, release, open_paths=workspace.open_notebooks(work))
    print("\n".join(result.lines()), flush=True)
    return 0


def _lab(args) -> int:
    """Start the learner's JupyterLab on work/ (``make lab`` runs ``mlsd update`` first)."""
    import os

    from mlsd import workspace

    root = course.repo_root()
    work = args.work or root / "work"
    if not work.is_dir():
        raise FileNotFoundError(f"{work} does not exist yet: run `mlsd update` to create it")
    cmd = workspace.lab_command(work, args.port)
    print("Starting JupyterLab on work/: open the URL it prints (with its token).", flush=True)
    os.execve(cmd[0], cmd, workspace.learner_env(root))
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mlsd", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build-course", help="regenerate course/ from solutions/ via nbgrader")
    build.add_argument(
        "--check",
        action="store_true",
        help="only report whether course/ (or the named sections) is current",
    )
    build.add_argument("sections", nargs="*", help="e.g. 06-tradeoffs (default: all)")
    build.set_defaults(func=_build)
    clean = sub.add_parser("clean", help="strip outputs and execution counts from notebooks")
    clean.add_argument("paths", nargs="*", type=Path)
    clean.set_defaults(func=_clean)
    present = sub.add_parser(
        "present",
        help="classroom demo of a section: Voila, code hidden, large widgets, no exercises",
    )
    present.add_argument("section", help="e.g. 06-tradeoffs")
    present.add_argument("--port", type=int, default=None, help="default: a free port")
    present.add_argument(
        "--exercises",
        default="",
        help="comma-separated exercise ids whose prompts to show (default: none)",
    )
    present.add_argument("--no-browser", action="store_true", help="do not open a browser")
    present.add_argument(
        "--out", type=Path, default=None, help="keep the presenter notebook in this folder"
    )
    present.set_defaults(func=_present)
    notes = sub.add_parser(
        "interviewer-notes",
        help="after autograde: the mock checker's notes as each graded mock's comment",
    )
    notes.add_argument("assignment", nargs="?", default="12-mock-interview")
    notes.set_defaults(func=_interviewer_notes)
    update = sub.add_parser(
        "update",
        help="bring course updates into your work/ folder, keeping every answer you wrote",
        description="Copy new notebooks from course/ into work/ and merge changed ones cell "
        "by cell: the course's new text, widgets and checks come in; your answers, your "
        "own cells and your other files stay. Old copies go to work/.backups/.",
    )
    update.add_argument("--work", type=Path, default=None, help="default: work/ in the checkout")
    update.add_argument(
        "--course", type=Path, default=None, help="default: course/ in the checkout"
    )
    update.set_defaults(func=_update)
    lab = sub.add_parser("lab", help="start JupyterLab on work/ with the learner's settings")
    lab.add_argument("--work", type=Path, default=None, help="default: work/ in the checkout")
    lab.add_argument("--port", type=int, default=None, help="default: 8888 or the next free")
    lab.set_defaults(func=_lab)
    grading_cli.register(sub)
    hub_cli.register(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
