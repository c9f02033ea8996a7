"""Plausible wrong answers per exercise, keyed by the solution cell's grade id.

One module per section (``sNN_topic.py``) defines ``WRONG_ANSWERS``; they are merged here.
Each wrong answer must lose points under the real nbgrader autograde
(tests/grading/test_autograde_sections_*.py). Every exercise has at least three, including one
returning None and one off at a boundary.
"""

import importlib
import pkgutil

WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {}
for _module in pkgutil.iter_modules(__path__):
    _answers = importlib.import_module(f"{__name__}.{_module.name}").WRONG_ANSWERS
    _clash = set(_answers) & set(WRONG_ANSWERS)
    if _clash:
        raise ValueError(f"grade ids {sorted(_clash)} appear in two wrong-answer modules")
    WRONG_ANSWERS.update(_answers)
