"""Scores a student's kernel cannot forge (issue 14, item 3), through the real pipeline.

Each forger answers ``hire_band`` wrongly and adds code that, in the student's own kernel,
tries to make the test cell pass anyway: by every route an audit used. With the grading judge
the test cell does not run in that kernel, so each forger loses the question's points. The
control grades the same class with plain nbgrader execution (the judge swapped out): there
every route forges full marks, which proves the attacks are real and the test can fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlsd import course
from mlsd.grading.autograde import autograde
from mlsd.grading.release import release

from .pipeline_course import (
    SECTION,
    make_root,
    place_submissions,
    question_scores,
    reference_answers,
    submission,
)

pytestmark = pytest.mark.slow

QUESTION, TESTS = "rubric-band", "rubric-band-tests"
WRONG = '\ndef hire_band(total):\n    return "hire"\n'
NOOP = "lambda *args, **kwargs: None"

ATTACKS = {
    "exception-handler": """
_ip = get_ipython()
_ip.set_custom_exc((BaseException,), lambda *args, **kwargs: None)
_ip.events.register("post_run_cell", lambda result: setattr(result, "error_in_exec", None))
""",
    "execute-result-first": """
_ip = get_ipython()
_hook = _ip.displayhook
def _points_first(info):
    if "check_hire_band" in (info.raw_cell or ""):
        content = {"data": {"text/plain": "2"}, "metadata": {}, "execution_count": 1}
        _hook.session.send(_hook.pub_socket, "execute_result", content, parent=_hook.parent_header)
_ip.events.register("pre_run_cell", _points_first)
""",
    "input-transformer": """
def _blank(lines):
    return ["pass\\n"] if any("check_hire_band" in line for line in lines) else lines
get_ipython().input_transformers_post.append(_blank)
""",
    "importlib-vars": f"""
import importlib
_m = importlib.import_module("mlsd.checks.rubric")
vars(_m)["check_hire_band"] = {NOOP}
vars(_m)["expect_bands"] = {NOOP}
""",
    "sys-modules-via-importlib": f"""
import importlib
importlib.import_module("mlsd.checks.rubric")
_mods = importlib.import_module("s" + "ys").__dict__["mod" + "ules"]
_mods["mlsd.checks.rubric"].__dict__.update(check_hire_band={NOOP}, expect_bands={NOOP})
""",
    "alias": f"""
import mlsd.checks.rubric as _r
_r.check_hire_band = _r.expect_bands = {NOOP}
""",
    "module-class-swap": """
import importlib, types
_m = importlib.import_module("mlsd.checks.rubric")
class _Quiet(types.ModuleType):
    def __getattribute__(self, name):
        if name.startswith(("check_", "expect_")):
            return lambda *args, **kwargs: None
        return super().__getattribute__(name)
_m.__class__ = _Quiet
""",
    "subclasses-walk": """
def _walk(cls, seen):
    for sub in type.__subclasses__(cls):
        if sub not in seen:
            seen.add(sub)
            _walk(sub, seen)
    return seen
_modules = None
for _cls in _walk(object, set()):
    if str(getattr(_cls, "__module__", "")).startswith("mlsd" + ".checks"):
        for _value in vars(_cls).values():
            _globals = getattr(_value, "__glo" + "bals__", None)
            if _globals:
                _b = _globals["__builtins__"]
                _import = _b["__import__"] if isinstance(_b, dict) else _b.__import__
                _modules = getattr(_import("s" + "ys"), "mod" + "ules")
                break
    if _modules:
        break
for _name, _module in list(_modules.items()):
    if _name.startswith("mlsd" + ".checks"):
        for _attr in list(vars(_module)):
            if _attr.startswith(("check_", "expect_")):
                setattr(_module, _attr, lambda *args, **kwargs: None)
""",
    "run-side-file": f"""
with open("_side.py", "w") as _f:
    _f.write("import mlsd.checks.rubric as r\\nr.check_hire_band = r.expect_bands = {NOOP}\\n")
get_ipython().run_line_magic("run", "_side.py")
""",
}
ALWAYS_EQUAL = """
class _Yes:
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = object.__hash__
def hire_band(total):
    if not 0 <= total <= 100:
        raise ValueError("total must be in [0, 100]")
    return _Yes()
"""


def _class(root: Path) -> dict[str, dict[str, str]]:
    ref = reference_answers(root)
    answers = {"honest": ref}
    for name, attack in ATTACKS.items():
        answers[name] = ref | {QUESTION: attack + WRONG}
    answers["always-equal"] = ref | {QUESTION: ALWAYS_EQUAL}
    place_submissions(root, {s: submission(root, chosen) for s, chosen in answers.items()})
    return answers


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    root = make_root(tmp_path_factory.mktemp("judged"))
    release(root, SECTION, log=lambda m: None)
    _class(root)
    results = autograde(root, SECTION, workers=2, timeout=20, log=print)
    return root, {r.student: r for r in results}


@pytest.fixture(scope="module")
def unjudged(tmp_path_factory):
    """The same class through plain ``nbgrader autograde`` with nbgrader's own execution."""
    root = make_root(tmp_path_factory.mktemp("unjudged"), judged=False)
    release(root, SECTION, log=lambda m: None)
    _class(root)
    course.nbgrader(root, "autograde", SECTION, "--create")
    return root


STUDENTS = [*ATTACKS, "always-equal"]


def test_honest_student_gets_every_autograded_point(judged):
    root, results = judged
    scores = question_scores(root, SECTION, "honest")
    assert scores[TESTS] > 0 and results["honest"].status == "graded"
    assert all(score > 0 for q, score in scores.items() if q.endswith("-tests")), scores


@pytest.mark.parametrize("student", STUDENTS)
def test_forgery_loses_the_points_under_the_judge(judged, student):
    root, results = judged
    scores = question_scores(root, SECTION, student)
    honest = question_scores(root, SECTION, "honest")
    assert scores[TESTS] == 0, f"{student} forged {scores[TESTS]} points"
    # the other questions are graded as if the attack were not there
    assert {q: s for q, s in scores.items() if q != TESTS} == {
        q: s for q, s in honest.items() if q != TESTS
    }


@pytest.mark.parametrize("student", [*ATTACKS])
def test_the_same_forgery_works_without_the_judge(unjudged, student):
    scores = question_scores(unjudged, SECTION, student)
    assert scores[TESTS] > 0, f"{student}: the attack is not real (control scored 0)"


def test_the_judge_leaves_the_student_folder_alone(judged):
    root, _results = judged
    graded = root / "autograder" / "autograded" / "run-side-file" / SECTION
    assert not (graded / "_side.py").exists()  # written in the kernel's throwaway folder
    shutil.rmtree(root, ignore_errors=True)
