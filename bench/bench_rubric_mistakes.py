"""Sections 8 and 9 timings: each widget callback against the core function it calls.

Every figure is a median over repeated updates, printed with a ratio against the core
function alone, measured in the same run. Bar: every callback < 20 ms.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from mlsd import mistakes, rubric, timeline, timing
from mlsd.widgets.mistakes import mistake_quiz, numbers_detector, phase_picker
from mlsd.widgets.rubric import rubric_scorer, self_assessment
from mlsd.widgets.timeline import timeline_planner

BAR_MS = 20.0


def median_ms(action, repeat=51) -> float:
    return timing.median_ms(action, repeat)


def main() -> int:
    scorer = rubric_scorer()
    signs = [(), (0,), (0, 1), (1, 2, 3), (0, 2, 4)]
    sliders = rubric_scorer()
    sliders.method.value = "sliders"
    with tempfile.TemporaryDirectory() as tmp:
        log = self_assessment(Path(tmp) / "bench.csv")
        quiz, picker, detector, planner = (
            mistake_quiz(),
            phase_picker(),
            numbers_detector(),
            timeline_planner(),
        )
        choices = ["none", "no_numbers", "over_engineering"]

        def core_rubric(i):
            scores = {
                k: rubric.rate_dimension(
                    k, rubric.ratings_from_evidence(k, signs[i % 5] if k == "ml_knowledge" else ())
                )
                for k in rubric.KEYS
            }
            rubric.hire_band(rubric.weighted_total(scores))

        def core_self(i):
            total = rubric.weighted_total({k: float(i % 100) for k in rubric.KEYS})
            rubric.hire_band(total)

        rows = [
            (
                "rubric scorer: tick a sign",
                median_ms(
                    lambda i: setattr(scorer.excellent["ml_knowledge"], "value", signs[i % 5])
                ),
                median_ms(core_rubric),
            ),
            (
                "rubric scorer: move a slider",
                median_ms(lambda i: setattr(sliders.sliders["tradeoffs"], "value", float(i % 100))),
                median_ms(core_self),
            ),
            (
                "self-assessment: move a slider",
                median_ms(lambda i: setattr(log.sliders["tradeoffs"], "value", i % 100)),
                median_ms(core_self),
            ),
            (
                "self-assessment: save (CSV append + reload)",
                median_ms(lambda i: (setattr(log.problem, "value", f"p{i}"), log.save_now()), 21),
                median_ms(
                    lambda i: rubric.append_assessment(
                        Path(tmp) / "core.csv", rubric.assessment_row(f"p{i}", log.scores())
                    ),
                    21,
                ),
            ),
            (
                "quiz: choose an answer",
                median_ms(lambda i: setattr(quiz.choices["E3"], "value", choices[i % 3])),
                median_ms(lambda i: mistakes.classify("E3", choices[i % 3])),
            ),
            (
                "phase picker: type users",
                median_ms(lambda i: setattr(picker.users, "value", 10 ** (i % 8))),
                median_ms(lambda i: mistakes.choose_phase(10 ** (i % 8))),
            ),
            (
                "numbers detector: type a statement",
                median_ms(lambda i: setattr(detector.statements["scale"], "value", f"{i} K QPS")),
                median_ms(
                    lambda i: mistakes.missing_numbers(
                        {"latency": "", "scale": f"{i} K QPS", "accuracy": ""}
                    )
                ),
            ),
            (
                "timeline planner: drag a phase",
                median_ms(lambda i: setattr(planner.minutes["tradeoffs"], "value", 5 + i % 15)),
                median_ms(
                    lambda i: timeline.plan_issues(
                        timeline.plan_from_minutes(
                            {
                                "clarification": 10,
                                "architecture": 15,
                                "deep_dives": 15,
                                "tradeoffs": 5 + i % 15,
                                "wrap_up": 5,
                            }
                        )
                    )
                ),
            ),
        ]
    ok = True
    for name, widget, core in rows:
        verdict = "ok" if widget < BAR_MS else "OVER"
        ok &= widget < BAR_MS
        print(
            f"{name:44s} median {widget:7.3f} ms (bar {BAR_MS:g} ms: {verdict}); "
            f"core alone {core:7.3f} ms; widget/core {widget / core:6.1f}x"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
