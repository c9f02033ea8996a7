"""Model answers to the workbook's open questions, revealed on demand after trying.

Two sources, one lookup:

- *Ungraded questions* ("Question (not graded)"): ``mlsd/answers/NN-topic.toml``, one table
  per question id (``NN-short-kebab-name``, unique in the course) with ``question`` and
  ``answer`` (Markdown, written as a strong candidate would say it).
- *Manually graded written answers* (nbgrader markdown cells with grade and solution): the
  model answer is the solution region of that cell in ``solutions/``, looked up by its grade
  id. It is read only from a checkout that has ``solutions/`` (a self-paced learner's clone),
  so graded model answers are never in the installed package.

Instructors switch answers off for graded use, either with the environment variable
``MLSD_ANSWERS=off`` (for a JupyterHub's single-user servers) or by shipping an empty file
named ``mlsd-answers-off`` in the released notebook's folder or any folder above it (for a
release handed out as files). Then ``lookup`` says so politely instead of answering.

Core module: no Jupyter import; ``mlsd.checks.answer`` displays what ``lookup`` returns.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

ID_PATTERN = re.compile(r"\d\d-[a-z0-9]+(?:-[a-z0-9]+)*")
SWITCH_ENV = "MLSD_ANSWERS"
SWITCH_FILE = "mlsd-answers-off"
OFF_VALUES = ("off", "0", "no", "false")
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
SWITCHED_OFF = (
    "Model answers are switched off for this course run (your instructor will share them "
    "after grading). Compare your answer with the rubric in the prompt instead."
)


@dataclass(frozen=True)
class Answer:
    id: str
    question: str
    answer: str  # Markdown
    source: str  # where it came from, e.g. "answers/08-evaluation-rubric.toml"

    def markdown(self) -> str:
        return f"**Model answer · {self.id}**\n\n*{self.question}*\n\n{self.answer.strip()}\n"

    def text(self) -> str:
        return f"Model answer ({self.id})\nQ: {self.question}\n\n{self.answer.strip()}\n"


def _table(entry, key: str, where: str) -> Answer:
    if not ID_PATTERN.fullmatch(key):
        raise ValueError(
            f"answer id {key!r} in {where} must look like 'NN-short-kebab-name' "
            "(two digits for the section, then lowercase words joined by '-')."
        )
    if not isinstance(entry, dict) or set(entry) != {"question", "answer"}:
        got = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
        raise ValueError(f"answer {key!r} in {where} must have question and answer; got {got}.")
    for field in ("question", "answer"):
        if not (isinstance(entry[field], str) and entry[field].strip()):
            raise ValueError(f"answer {key!r} in {where}: {field} must be non-empty text.")
    return Answer(key, entry["question"].strip(), entry["answer"], where)


def parse_file(name: str, text: str) -> dict[str, Answer]:
    """The answers of one TOML file, validated (``name`` like ``08-evaluation-rubric.toml``)."""
    where = f"answers/{name}"
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where} is not valid TOML: {exc}") from exc
    section = name[:2]
    out = {}
    for key, entry in raw.items():
        answer = _table(entry, key, where)
        if key[:2] != section:
            raise ValueError(f"answer id {key!r} in {where} must start with its section {section}.")
        out[key] = answer
    return out


@cache
def bank() -> dict[str, Answer]:
    """Every ungraded question's answer, keyed by id, from ``mlsd/answers/*.toml``."""
    out: dict[str, Answer] = {}
    folder = resources.files("mlsd").joinpath("answers")
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".toml"):
            continue
        for key, answer in parse_file(file.name, file.read_text("utf-8")).items():
            if key in out:
                raise ValueError(
                    f"answer id {key!r} is defined twice ({out[key].source}, {file.name})"
                )
            out[key] = answer
    return out


# --- graded written answers, from solutions/ when the checkout has it ---------------------


def solutions_folder(start: Path | None = None) -> Path | None:
    """The ``solutions/`` folder of the checkout this runs in (searched from ``start``, the
    working folder by default, upwards, then beside an editable install), or None."""
    here = Path(start or Path.cwd()).resolve()
    package_checkout = Path(__file__).resolve().parents[2]
    for folder in (here, *here.parents, package_checkout):
        candidate = folder / "solutions"
        if candidate.is_dir() and any(candidate.glob("*/*.ipynb")):
            return candidate
    return None


def _solution_region(source: str) -> str:
    pattern = re.compile(
        rf"^[ \t]*{re.escape(BEGIN_SOLUTION)}[^\n]*\n(.*?)^[ \t]*{re.escape(END_SOLUTION)}",
        re.S | re.M,
    )
    return "\n".join(part.strip() for part in pattern.findall(source))


def graded_answers(solutions: Path) -> dict[str, Answer]:
    """grade id -> model answer of every manually graded markdown cell under ``solutions``."""
    out = {}
    for path in sorted(solutions.glob("*/*.ipynb")):
        cells = json.loads(path.read_text("utf-8")).get("cells", [])
        for index, cell in enumerate(cells):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not (
                cell.get("cell_type") == "markdown" and meta.get("grade") and meta.get("solution")
            ):
                continue
            source = "".join(cell.get("source", ""))
            model = _solution_region(source)
            if model:
                question = _prompt_before(cells, index)
                where = f"solutions/{path.parent.name}/{path.name}"
                out[meta["grade_id"]] = Answer(meta["grade_id"], question, model, where)
    return out


def _prompt_before(cells: list[dict], index: int) -> str:
    """The first line of the markdown prompt above a written-answer cell."""
    for cell in reversed(cells[:index]):
        if cell.get("cell_type") == "markdown":
            lines = [ln.strip("#* ") for ln in "".join(cell.get("source", "")).splitlines()]
            return next((ln for ln in lines if ln), "the written exercise above")
    return "the written exercise above"


# --- the switch and the lookup -----------------------------------------------------------


def switched_off(start: Path | None = None) -> bool:
    """Whether an instructor has switched model answers off (environment or marker file)."""
    if os.environ.get(SWITCH_ENV, "").strip().lower() in OFF_VALUES:
        return True
    here = Path(start or Path.cwd()).resolve()
    return any((folder / SWITCH_FILE).exists() for folder in (here, *here.parents))


def known_ids(start: Path | None = None) -> list[str]:
    solutions = solutions_folder(start)
    graded = graded_answers(solutions) if solutions else {}
    return sorted({*bank(), *graded})


def lookup(question_id: str, start: Path | None = None) -> Answer | None:
    """The model answer for ``question_id``; None when answers are switched off.

    Raises ValueError for an id that names no question, listing the closest ids.
    """
    if not isinstance(question_id, str):
        raise ValueError(f"question_id must be a string such as '08-...'; got {question_id!r}.")
    if switched_off(start):
        return None
    if question_id in bank():
        return bank()[question_id]
    solutions = solutions_folder(start)
    graded = graded_answers(solutions) if solutions else {}
    if question_id in graded:
        return graded[question_id]
    ids = sorted({*bank(), *graded})
    close = difflib.get_close_matches(question_id, ids, n=3, cutoff=0.5)
    suggestion = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    graded_note = (
        ""
        if solutions
        else " (Model answers to graded written exercises are read from solutions/, "
        "which this checkout does not have.)"
    )
    raise ValueError(
        f"question_id {question_id!r} names no question with a model answer.{suggestion}"
        f"{graded_note}"
    )
