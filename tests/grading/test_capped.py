"""The output cap of the grading Execute step, on a real kernel."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mlsd.grading.capped import TRUNCATED_NOTICE, CappedExecute, output_size

pytestmark = pytest.mark.slow

LIMIT = 100_000


def _run(*sources: str):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    CappedExecute(max_output_chars=LIMIT, timeout=60).preprocess(nb, {"metadata": {"path": "."}})
    return nb


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
