"""Median callback times of the mock interview, against the core parse in the same run.

    .venv/bin/python bench/bench_mock_interview.py [--moves 50]

Each interaction runs the widget's real callback with its save to the learner's folder (a
temporary folder here): a keystroke in the clarifying questions, a keystroke in the stages
(re-parses the design and redraws the budget chart), a tick of the clock (timeline, nudges)
and a change of phase. The baseline is ``interview.design_from_answers`` on the same answer,
the core work every keystroke does. Prints medians and ratios; exits 1 if a median exceeds
the 20 ms a callback has to feel instant. Also prints the process CPU time of the whole run,
so a figure taken on a busy machine can be read against it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time

from mlsd.timing import median_ms

BUDGET_MS = 20.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=50, help="moves per interaction")
    n = parser.parse_args(argv).moves

    from mlsd import designs, interview
    from mlsd.interview import ManualClock
    from mlsd.widgets.interview import mock_interview

    cpu0 = time.process_time()
    with tempfile.TemporaryDirectory() as folder:
        clock = ManualClock()
        w = mock_interview(folder, clock=clock, autotick=False, classroom=False)
        w.problem.value, w.length.value = 1, 60
        w.begin()
        answers = interview.answers_from_design(designs.reference(1))
        for key, value in answers.items():  # a full answer typed in, as at the end of a mock
            if key in w.fields:
                w.fields[key].value = value
        questions = [answers["questions"] + f"\nAnd {i}? yes" for i in range(n)]
        stages = [answers["stages"].replace("| 10 |", f"| {10 + i % 5} |", 1) for i in range(n)]

        def type_question(text):
            w.fields["questions"].value = text

        def type_stage(text):
            w.fields["stages"].value = text

        def beat(_i):
            clock.advance(1)
            w.tick()

        def change_phase(i):
            w.tabs.selected_index = i % 6

        baseline = median_ms(lambda t: interview.design_from_answers(1, w.session.data["answers"]),
                             range(n))  # fmt: skip
        rows = [
            ("keystroke: clarifying questions", median_ms(type_question, questions)),
            ("keystroke: stages (chart redraw)", median_ms(type_stage, stages)),
            ("clock tick", median_ms(beat, range(n))),
            ("phase change", median_ms(change_phase, range(n))),
        ]
    cpu = time.process_time() - cpu0
    print(f"median over {n} moves each; budget {BUDGET_MS:g} ms per callback")
    print(f"{'baseline: design_from_answers()':36s} {baseline:9.3f} ms")
    for name, median in rows:
        flag = "" if median <= BUDGET_MS else "  OVER BUDGET"
        print(f"{name:36s} {median:9.3f} ms   {median / baseline:6.1f}x core{flag}")
    print(f"process CPU time for the whole run: {cpu:.2f} s")
    return 1 if any(median > BUDGET_MS for _, median in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
