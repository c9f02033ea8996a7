"""nbgrader's Execute step with caps on the output a notebook may keep.

nbgrader's own ``LimitOutput`` counts lines only and runs after execution: one 20 MB line, a
print loop until the cell's time limit, 20 cells each just under a per-cell cap, or one
display updated in place (``display(..., display_id=True).update(...)``) would reach the
grader's memory, the autograded notebook and the feedback HTML whole. Here every output
message is measured as it arrives, before nbclient stores it (so outputs captured by an
``Output`` widget count too), against two budgets: ``max_output_chars`` per cell and
``max_notebook_output_chars`` for the whole notebook. Past either, streams keep their head,
displays and display updates are dropped, and one notice per cell says so
(:data:`TRUNCATED_NOTICE` or :data:`NOTEBOOK_TRUNCATED_NOTICE`, which the pipeline looks
for to report it). An update is charged for every output it rewrites.

Errors and execute results are never dropped, since they decide a test cell's score
(nbgrader: an error is 0, a displayed number partial credit): each of their text fields is
cut to :data:`KEPT_CHARS` instead.

What remains: a message is received and decoded whole before it can be measured (one 200 MB
print took the grading process to a 680 MB peak); none of it is kept. Bounding that needs a
limit at the socket (ZeroMQ's ``ZMQ_MAXMSGSIZE`` on the iopub connection), not done here.
"""

from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

TRUNCATED_NOTICE = "[mlsd grader: output over the per-cell limit was cut here]"
NOTEBOOK_TRUNCATED_NOTICE = "[mlsd grader: output over the per-notebook limit was cut here]"
NOTICES = (TRUNCATED_NOTICE, NOTEBOOK_TRUNCATED_NOTICE)
KEPT_CHARS = 20_000  # per text field of an error or execute result
DISPLAYS = ("display_data", "execute_result", "update_display_data")
CAPPED = ("stream", "display_data", "update_display_data")


def output_size(out) -> int:
    """Characters an output adds to the notebook (text, data payloads, traceback)."""
    kind = out.get("output_type")
    if kind == "stream":
        return len(out.get("text", ""))
    if kind == "error":
        return sum(len(line) for line in out.get("traceback", [])) + len(out.get("evalue", ""))
    return sum(len(str(value)) for value in out.get("data", {}).values())


def message_size(msg) -> int:
    """Characters an iopub message would add, measured on its content."""
    content = msg.get("content", {})
    kind = msg.get("msg_type")
    out = {"output_type": "display_data" if kind in DISPLAYS else kind, **content}
    return output_size(out)


def shrink(content: dict, limit: int = KEPT_CHARS) -> None:
    """Cut every text field of an error or execute result content to ``limit`` characters."""
    for key in ("evalue", "ename"):
        if isinstance(content.get(key), str):
            content[key] = content[key][:limit]
    if isinstance(content.get("traceback"), list):
        kept, room = [], limit
        for line in content["traceback"][-100:]:
            kept.append(str(line)[:room])
            room -= len(kept[-1])
            if room <= 0:
                break
        content["traceback"] = kept
    data = content.get("data")
    if isinstance(data, dict):
        for mime, value in list(data.items()):
            if len(str(value)) > limit:
                data[mime] = str(value)[:limit] if mime.startswith("text/") else ""


class CappedExecute(Execute):
    """Execute with at most ``max_output_chars`` of output kept per cell and
    ``max_notebook_output_chars`` per notebook."""

    max_output_chars = Integer(
        2_000_000, help="Characters of output kept per cell; the rest is replaced by a notice."
    ).tag(config=True)
    max_notebook_output_chars = Integer(
        5_000_000,
        help="Characters of output kept per notebook; the rest is replaced by a notice.",
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._cell_used: dict[int, int] = {}
        self._notebook_used = 0
        self._noticed: set[int] = set()
        return super().preprocess(nb, resources, km)

    def process_message(self, msg, cell, cell_index):
        kind = msg.get("msg_type")
        if kind in ("error", "execute_result"):
            shrink(msg["content"])  # kept whatever the budget: it decides the score
            self._charge(cell_index, message_size(msg) * self._writes(msg))
        elif kind in CAPPED:
            size = message_size(msg) * self._writes(msg)
            room, notice = self._room(cell_index)
            if size > room:
                self._cut(cell, cell_index, msg, room, notice)
                return None
            self._charge(cell_index, size)
        return super().process_message(msg, cell, cell_index)

    def on_cell_executed(self, **kwargs):
        # nbgrader copies the reply's error into the cell when no output matches it
        reply = kwargs.get("execute_reply") or {}
        if isinstance(reply.get("content"), dict):
            shrink(reply["content"])
        return super().on_cell_executed(**kwargs)

    def _writes(self, msg) -> int:
        """How many outputs a message writes: itself (unless an update) and every earlier
        output carrying the same display id, which nbclient rewrites in place."""
        transient = msg.get("content", {}).get("transient") or {}
        display_id = transient.get("display_id")
        existing = 0
        if display_id and msg.get("msg_type") in DISPLAYS:
            existing = sum(len(v) for v in self._display_id_map.get(display_id, {}).values())
        return existing + (msg.get("msg_type") != "update_display_data")

    def _room(self, cell_index: int) -> tuple[int, str]:
        cell_room = self.max_output_chars - self._cell_used.get(cell_index, 0)
        notebook_room = self.max_notebook_output_chars - self._notebook_used
        if notebook_room < cell_room:
            return max(0, notebook_room), NOTEBOOK_TRUNCATED_NOTICE
        return max(0, cell_room), TRUNCATED_NOTICE

    def _charge(self, cell_index: int, size: int) -> None:
        self._cell_used[cell_index] = self._cell_used.get(cell_index, 0) + size
        self._notebook_used += size

    def _cut(self, cell, cell_index: int, msg, room: int, notice: str) -> None:
        """Keep the head of a stream that fits; then one notice per cell."""
        content = msg["content"]
        if msg["msg_type"] == "stream" and room > 0 and not self._parent_hooked(msg):
            head = str(content.get("text", ""))[:room]
            cell.outputs.append(new_output("stream", name=content.get("name"), text=head))
        self._charge(cell_index, room)  # the budget is spent: later output is cut at once
        if cell_index not in self._noticed:
            self._noticed.add(cell_index)
            cell.outputs.append(new_output("stream", name="stderr", text=f"\n{notice}\n"))

    def _parent_hooked(self, msg) -> bool:
        """Output captured by an Output widget goes to the widget, not the cell."""
        parent = msg.get("parent_header", {}).get("msg_id")
        return bool(self.output_hook_stack.get(parent))
