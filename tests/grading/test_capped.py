"""The output cap of the grading Execute step, on a real kernel."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mlsd.grading.capped import (
    KEPT_CHARS,
    NOTEBOOK_TRUNCATED_NOTICE,
    TRUNCATED_NOTICE,
    CappedExecute,
    output_size,
)

pytestmark = pytest.mark.slow

LIMIT = 100_000


def _run(*sources: str, notebook_limit: int = 5_000_000):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    step = CappedExecute(
        max_output_chars=LIMIT, max_notebook_output_chars=notebook_limit, timeout=60
    )
    step.preprocess(nb, {"metadata": {"path": "."}})
    return nb


def _kept(nb) -> int:
    return sum(output_size(o) for cell in nb.cells for o in cell.outputs)


def test_output_is_cut_per_cell_and_other_cells_keep_theirs():
    nb = _run(
        "print('x' * 5_000_000)",  # one huge line
        "for i in range(500):\n    print('y' * 1000)",  # many small messages
        "print('fine')",
        "1 / 0",
    )
    one_line, many, fine, error = nb.cells
    for cell in (one_line, many):
        sizes = [output_size(o) for o in cell.outputs]
        assert sum(sizes) <= LIMIT + 200, sizes
        assert TRUNCATED_NOTICE in cell.outputs[-1].text
    assert one_line.outputs[0].text.startswith("x" * 1000)  # the head is kept
    assert [o.text for o in fine.outputs] == ["fine\n"]
    assert error.outputs[0].output_type == "error" and error.outputs[0].ename == "ZeroDivisionError"
    assert len(nbformat.writes(nb)) < 3 * LIMIT


def test_output_size_counts_each_kind():
    assert output_size({"output_type": "stream", "text": "abc"}) == 3
    assert output_size({"output_type": "error", "traceback": ["ab", "c"], "evalue": "d"}) == 4
    assert output_size({"output_type": "display_data", "data": {"text/plain": "12345"}}) == 5


def test_a_display_updated_in_place_is_capped_too():
    nb = _run(
        "handle = display('small', display_id=True)",
        "handle.update('y' * 20_000_000)\nprint('after')",  # rewrites the first cell's output
        "other = display('z' * 1000, display_id=True)\nother.update('w' * 1000)",
    )
    first, second, third = nb.cells
    assert "yyyy" not in nbformat.writes(nb)
    assert first.outputs[0].data["text/plain"] == "'small'"
    assert NOTEBOOK_TRUNCATED_NOTICE not in nbformat.writes(nb)
    assert TRUNCATED_NOTICE in second.outputs[-1].text
    assert third.outputs[0].data["text/plain"] == repr("w" * 1000)  # honest updates apply
    assert len(nbformat.writes(nb)) < 3 * LIMIT


def test_output_is_capped_per_notebook_and_errors_are_always_kept():
    near_cap = f"print('v' * {LIMIT - 1000})"
    nb = _run(
        *[near_cap] * 20,  # each cell just under its own cap
        "raise ValueError('e' * 5_000_000)",  # past the notebook's budget: kept, shortened
        notebook_limit=3 * LIMIT,
    )
    assert _kept(nb) <= 3 * LIMIT + 2 * KEPT_CHARS + 21 * 100
    assert len(nbformat.writes(nb)) < 5 * LIMIT
    notices = [c for c in nb.cells if NOTEBOOK_TRUNCATED_NOTICE in nbformat.writes(c)]
    assert len(notices) >= 17  # every cell past the budget says so, once
    (error,) = [o for o in nb.cells[-1].outputs if o.output_type == "error"]
    assert error.ename == "ValueError" and len(error.evalue) <= KEPT_CHARS


def test_a_display_update_is_capped_through_the_pipeline(attack_class):
    from mlsd.grading.status import Status

    from .pipeline_course import SECTION

    result = attack_class["results"]["display-update"]
    assert (result.status, result.score) == (Status.GRADED, 7.0)
    assert "output over the limit cut in rubric-transcript" in result.detail
    graded = attack_class["root"] / "autograder" / "autograded" / "display-update" / SECTION
    assert (graded / attack_class["name"]).stat().st_size < 3_000_000
