"""mlsd.checks.complexity: the reference passes; plausible wrong answers fail with the
message that names their mistake."""

from __future__ import annotations

import pandas as pd
import pytest

from mlsd.checks.complexity import (
    LADDER,
    TIES,
    VISIBLE_CASES,
    check_pick_model,
    expect_picks,
)
from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.complexity import pick_model


def reference(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] <= latency_budget_ms]
    if fits.empty:
        return None
    best = fits.sort_values(["accuracy_pct", latency_col], ascending=[False, True])
    return best.iloc[0]["model"]


def stub(table, latency_budget_ms, latency_col="p99_ms"):
    raise NotImplementedError("replace this line with your code")


# --- wrong answers, each a mistake a learner makes ----------------------------------------


def returns_none(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] <= latency_budget_ms]
    print(fits.sort_values("accuracy_pct").iloc[-1]["model"])


def strict_less_than(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] < latency_budget_ms]
    if fits.empty:
        return None
    return fits.sort_values(["accuracy_pct", latency_col], ascending=[False, True]).iloc[0]["model"]


def always_p99(table, latency_budget_ms, latency_col="p99_ms"):
    return reference(table, latency_budget_ms, "p99_ms")


def always_p50(table, latency_budget_ms, latency_col="p99_ms"):
    return reference(table, latency_budget_ms, "p50_ms")


def fastest_that_fits(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] <= latency_budget_ms]
    return None if fits.empty else fits.sort_values(latency_col).iloc[0]["model"]


def ignores_budget(table, latency_budget_ms, latency_col="p99_ms"):
    return table.sort_values("accuracy_pct").iloc[-1]["model"]


def idxmax_tie(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] <= latency_budget_ms]
    return None if fits.empty else fits.loc[fits["accuracy_pct"].idxmax(), "model"]


def fastest_when_nothing_fits(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] <= latency_budget_ms]
    if fits.empty:
        return table.sort_values(latency_col).iloc[0]["model"]
    return reference(table, latency_budget_ms, latency_col)


def crashes_when_nothing_fits(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] <= latency_budget_ms]
    return fits.sort_values(["accuracy_pct", latency_col], ascending=[False, True]).iloc[0]["model"]


def returns_the_row(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] <= latency_budget_ms]
    if fits.empty:
        return None
    return fits.sort_values(["accuracy_pct", latency_col], ascending=[False, True]).iloc[0]


def returns_the_index(table, latency_budget_ms, latency_col="p99_ms"):
    fits = table[table[latency_col] <= latency_budget_ms]
    return None if fits.empty else fits["accuracy_pct"].idxmax()


# --- tests --------------------------------------------------------------------------------


def test_reference_and_core_pass(capsys):
    assert check_pick_model(reference) is None
    check_pick_model(pick_model)
    out = capsys.readouterr().out
    assert "all 6 visible checks passed" in out and "Hidden tests" in out


def test_visible_cases_agree_with_the_core():
    for case in VISIBLE_CASES:
        assert pick_model(*case.args, **case.kwargs) == case.expected, case.why


def test_stub_is_not_attempted():
    with pytest.raises(NotAttempted, match="placeholder"):
        check_pick_model(stub)


@pytest.mark.parametrize(
    ("wrong", "message", "cause"),
    [
        (returns_none, "returned None; expected 'mlp'", "no `return` statement"),
        (strict_less_than, "LADDER, 12", "you compared with < instead of <="),
        (always_p99, "latency_col='p50_ms'", "you used p99 when p50 was asked"),
        (always_p50, "returned 'boosting'", "you used p50 when p99 was asked"),
        (fastest_that_fits, "returned 'logreg'", "you picked the fastest model that fits"),
        (ignores_budget, "returned 'ensemble'", "without checking the latency budget"),
        (idxmax_tie, "TIES, 10", "on a tie in accuracy, take the faster model"),
        (fastest_when_nothing_fits, "LADDER, 0.1", "return None rather than the fastest"),
        (crashes_when_nothing_fits, "raised IndexError", "the filtered table is empty"),
        (returns_the_row, "returned model", "you returned a Series"),
        (returns_the_index, "returned 3; expected 'mlp'", "you returned a int"),
    ],
)
def test_wrong_answers_fail_with_the_intended_message(wrong, message, cause):
    with pytest.raises(Incorrect) as info:
        check_pick_model(wrong)
    text = str(info.value)
    assert message in text, text
    assert cause in (info.value.likely_cause or ""), text


def test_failure_shows_the_table_and_the_reason():
    with pytest.raises(Incorrect) as info:
        check_pick_model(strict_less_than)
    assert "boosting" in info.value.message and "12.0" in info.value.message
    assert "a latency equal to the budget fits" in info.value.message


def test_learner_cannot_change_the_probe_tables():
    def mutates(table, latency_budget_ms, latency_col="p99_ms"):
        table["p99_ms"] = 0.0
        return None

    before = LADDER.copy()
    with pytest.raises(Incorrect):
        check_pick_model(mutates)
    pd.testing.assert_frame_equal(LADDER, before)


def test_not_a_function():
    with pytest.raises(Incorrect, match="expected a function"):
        check_pick_model("mlp")


# --- the hidden-test helper ---------------------------------------------------------------


def hidden_cases():
    table = pd.DataFrame(
        {
            "model": ["x", "y", "z"],
            "accuracy_pct": [91.0, 96.0, 96.0],
            "p50_ms": [0.1, 0.9, 0.7],
            "p99_ms": [0.3, 3.0, 3.5],
        }
    )
    return [
        (table, 3.0, None, "y", "y fits exactly at 3 ms"),
        (table, 3.5, "p99_ms", "y", "tie at 96 %: y is faster by p99"),
        (table, 1.0, "p50_ms", "z", "tie at 96 %: z is faster by p50"),
        (table, 0.2, None, None, "nothing fits"),
        (TIES, 60, None, "transformer", "everything fits"),
    ]


def test_expect_picks_passes_the_reference_quietly(capsys):
    assert expect_picks(reference, hidden_cases()) is None
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("wrong", [strict_less_than, always_p99, idxmax_tie, ignores_budget])
def test_expect_picks_rejects_wrong_answers(wrong):
    with pytest.raises(Incorrect, match="table"):
        expect_picks(wrong, hidden_cases())


def test_tables_without_a_p50_column_still_get_a_reason():
    only_p99 = pd.DataFrame(
        {"model": ["a", "b"], "accuracy_pct": [90.0, 95.0], "p99_ms": [1.0, 2.0]}
    )
    with pytest.raises(Incorrect) as info:
        expect_picks(strict_less_than, [(only_p99, 2.0, None, "b", "b fits exactly")])
    assert "< instead of <=" in info.value.likely_cause
    with pytest.raises(Incorrect) as info:
        expect_picks(reference, [(only_p99.iloc[0:0], 2.0, None, "b", "deliberately wrong")])
    assert "returned None" in info.value.message


# --- tier_counterexamples -----------------------------------------------------------------

from mlsd.checks.complexity import (  # noqa: E402
    COUNTER_CASES,
    FAMILIES,
    check_tier_counterexamples,
    expect_counterexamples,
)
from mlsd.complexity import tier_counterexamples  # noqa: E402


def counter_reference(table, latency_budget_ms, latency_col="p99_ms"):
    if latency_budget_ms < 50:
        allowed = ["simple"]
    elif latency_budget_ms < 200:
        allowed = ["simple", "medium"]
    else:
        allowed = ["simple", "medium", "complex"]
    fits = table[(table[latency_col] <= latency_budget_ms) & ~table["family"].isin(allowed)]
    ranked = fits.sort_values(["accuracy_pct", latency_col], ascending=[False, True])
    return list(ranked["model"])


def with_rule(allowed_of, *, strict=False, col=None, order=("accuracy_pct", "lat")):
    def tier_counterexamples(table, latency_budget_ms, latency_col="p99_ms"):
        c = col or latency_col
        allowed = allowed_of(latency_budget_ms)
        fits = table[
            (table[c] < latency_budget_ms if strict else table[c] <= latency_budget_ms)
            & ~table["family"].isin(allowed)
        ]
        if order == "latency":
            fits = fits.sort_values(c)
        elif order == "table":
            fits = fits.sort_values("accuracy_pct", ascending=False, kind="stable")
        elif order is not None:
            fits = fits.sort_values(["accuracy_pct", c], ascending=[False, True])
        return list(fits["model"])

    return tier_counterexamples


def guide(budget):
    return ["simple"] if budget < 50 else ["simple", "medium"] if budget < 200 else ["all"]


def guide_inclusive(budget):
    return ["simple"] if budget <= 50 else ["simple", "medium"] if budget <= 200 else ["all"]


def counter_returns_none(table, latency_budget_ms, latency_col="p99_ms"):
    names = counter_reference(table, latency_budget_ms, latency_col)
    return names or None


def counter_tuple(table, latency_budget_ms, latency_col="p99_ms"):
    return tuple(counter_reference(table, latency_budget_ms, latency_col))


def test_counter_accepts_a_tuple_the_brackets_are_not_the_skill(capsys):
    check_tier_counterexamples(counter_tuple)
    assert "visible checks passed" in capsys.readouterr().out


def counter_lookup(table, latency_budget_ms, latency_col="p99_ms"):
    """Gaming: the visible answers keyed by budget."""
    return {c.args[1]: c.expected for c in COUNTER_CASES}.get(latency_budget_ms, [])


def test_counter_reference_and_core_pass(capsys):
    assert check_tier_counterexamples(counter_reference) is None
    check_tier_counterexamples(tier_counterexamples)
    assert "all 8 visible checks passed" in capsys.readouterr().out


def test_counter_visible_cases_agree_with_the_core():
    for case in COUNTER_CASES:
        assert tier_counterexamples(*case.args, **case.kwargs) == case.expected


@pytest.mark.parametrize(
    ("wrong", "cause"),
    [
        (with_rule(guide, strict=True), "you compared with < instead of <="),
        (with_rule(guide_inclusive), "'under 50 ms' and 'under 200 ms' exclude the limits"),
        (with_rule(guide, col="p50_ms"), "you used p50 when p99 was asked"),
        (with_rule(lambda b: ["simple"]), "the tiers depend on the budget"),
        (
            with_rule(lambda b: ["simple"] if b < 50 else ["simple", "medium"]),
            "from 200 ms the rule allows every family",
        ),
        (with_rule(lambda b: []), "leave out the families it allows"),
        (with_rule(guide, order="table"), "on a tie in accuracy, list the faster model first"),
        (with_rule(guide, order="latency"), "not by latency"),
        (counter_returns_none, "no `return` statement on this path"),
    ],
    ids=[
        "strict-budget",
        "inclusive-tiers",
        "always-p50",
        "simple-only-tier",
        "no-top-tier",
        "keeps-allowed",
        "tie-order",
        "latency-order",
        "none-for-empty",
    ],
)
def test_counter_wrong_answers_fail_with_their_cause(wrong, cause):
    with pytest.raises(Incorrect) as err:
        check_tier_counterexamples(wrong)
    assert cause in (err.value.likely_cause or ""), err.value.text()


def test_counter_failure_shows_the_table():
    with pytest.raises(Incorrect) as err:
        check_tier_counterexamples(with_rule(lambda b: []))
    assert "FAMILIES:" in err.value.message and "big-mlp" in err.value.message


HELD_OUT = pd.DataFrame(
    {
        "model": ["a", "b", "c", "d"],
        "family": ["simple", "complex", "medium", "complex"],
        "accuracy_pct": [90.0, 93.0, 91.0, 93.0],
        "p50_ms": [0.1, 1.0, 0.5, 4.0],
        "p99_ms": [0.3, 6.0, 2.0, 9.0],
    }
)
HELD_OUT_CASES = [
    (HELD_OUT, 9.0, None, ["b", "d", "c"], "b and d tie; b is faster."),
    (HELD_OUT, 60.0, None, ["b", "d"], "medium allowed from 50 ms."),
    (HELD_OUT, 0.2, None, [], "nothing fits but the simple model, and not even that."),
]


def test_counter_hidden_helper_passes_the_reference_quietly(capsys):
    assert expect_counterexamples(counter_reference, HELD_OUT_CASES) is None
    assert capsys.readouterr().out == ""


def test_counter_lookup_of_visible_answers_fails_hidden_tests():
    check_tier_counterexamples(counter_lookup)  # the visible answers are all it knows
    with pytest.raises(Incorrect):
        expect_counterexamples(counter_lookup, HELD_OUT_CASES)


def test_counter_stub_is_not_attempted():
    def tier_counterexamples(table, latency_budget_ms, latency_col="p99_ms"):
        raise NotImplementedError

    with pytest.raises(NotAttempted):
        check_tier_counterexamples(tier_counterexamples)


def test_counter_learner_cannot_change_the_probe_table():
    def vandal(table, latency_budget_ms, latency_col="p99_ms"):
        table.loc[:, "family"] = "simple"
        return counter_reference(table, latency_budget_ms, latency_col)

    with pytest.raises(Incorrect):
        check_tier_counterexamples(vandal)
    assert set(FAMILIES["family"]) == {"simple", "medium", "complex"}
