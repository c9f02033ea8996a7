"""nbgrader's Execute step with a cap on the output a cell may keep.

nbgrader's own ``LimitOutput`` counts lines only and runs after execution: one 20 MB line, or
a print loop until the cell's time limit, would reach the grader's memory, the autograded
notebook and the feedback HTML whole. Here each output is measured as it arrives; past the
cell's budget the rest is dropped and one notice says so (the notice text is
:data:`TRUNCATED_NOTICE`, which the pipeline looks for to report it).
"""

from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

TRUNCATED_NOTICE = "[mlsd grader: output over the per-cell limit was cut here]"


def output_size(out) -> int:
    """Characters an output adds to the notebook (text, data payloads, traceback)."""
    kind = out.get("output_type")
    if kind == "stream":
        return len(out.get("text", ""))
    if kind == "error":
        return sum(len(line) for line in out.get("traceback", [])) + len(out.get("evalue", ""))
    return sum(len(str(value)) for value in out.get("data", {}).values())


class CappedExecute(Execute):
    """Execute with at most ``max_output_chars`` of output kept per cell."""

    max_output_chars = Integer(
        2_000_000, help="Characters of output kept per cell; the rest is replaced by a notice."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._used: dict[int, int] = {}
        return super().preprocess(nb, resources, km)

    def output(self, outs, msg, display_id, cell_index):
        used = self._used.get(cell_index, 0)
        if used > self.max_output_chars:  # already cut: drop without building the output
            return None
        out = super().output(outs, msg, display_id, cell_index)
        if out is None:
            return None
        size = output_size(out)
        self._used[cell_index] = used + size
        if used + size <= self.max_output_chars:
            return out
        outs.remove(out)
        room = self.max_output_chars - used
        if out.get("output_type") == "stream" and room > 0:  # keep the head of long text
            outs.append(new_output("stream", name=out["name"], text=out["text"][:room]))
        outs.append(new_output("stream", name="stderr", text=f"\n{TRUNCATED_NOTICE}\n"))
        self._used[cell_index] = self.max_output_chars + 1
        return None
