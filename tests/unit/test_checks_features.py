"""mlsd.checks.features: the reference passes; plausible wrong answers fail with the
message that names their mistake."""

from __future__ import annotations

import pytest

from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.checks.features import VISIBLE_CASES, check_model_budget, expect_budgets
from mlsd.features import model_budget_ms


def reference(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    features = max(offline_ms, online_ms) if parallel_features else offline_ms + online_ms
    return slo_ms - network_ms - features


def stub(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    raise NotImplementedError("replace this line with your code")


# --- wrong answers, each a mistake a learner makes ----------------------------------------


def returns_none(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    print(slo_ms - network_ms - offline_ms - online_ms)


def forgot_network(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    features = max(offline_ms, online_ms) if parallel_features else offline_ms + online_ms
    return slo_ms - features


def always_summed(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    return slo_ms - network_ms - offline_ms - online_ms


def clamped_at_zero(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    return max(0, reference(slo_ms, network_ms, offline_ms, online_ms, parallel_features))


def min_in_parallel(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    features = min(offline_ms, online_ms) if parallel_features else offline_ms + online_ms
    return slo_ms - network_ms - features


def tie_summed_in_parallel(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    # Off at the boundary: strict comparisons leave the tie to the "else" (sum) branch.
    if parallel_features and offline_ms > online_ms:
        features = offline_ms
    elif parallel_features and online_ms > offline_ms:
        features = online_ms
    else:
        features = offline_ms + online_ms
    return slo_ms - network_ms - features


def none_when_nothing_left(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    left = reference(slo_ms, network_ms, offline_ms, online_ms, parallel_features)
    if left > 0:
        return left
    if left < 0:
        return left


def time_used(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    features = max(offline_ms, online_ms) if parallel_features else offline_ms + online_ms
    return network_ms + features


def always_online_in_parallel(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    features = online_ms if parallel_features else offline_ms + online_ms
    return slo_ms - network_ms - features


def max_when_sequential(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    return slo_ms - network_ms - max(offline_ms, online_ms)


def returns_text(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    return f"{reference(slo_ms, network_ms, offline_ms, online_ms, parallel_features)} ms"


# --- tests --------------------------------------------------------------------------------


def test_reference_and_core_pass(capsys):
    assert check_model_budget(reference) is None
    check_model_budget(model_budget_ms)
    assert "visible checks passed" in capsys.readouterr().out


def test_visible_cases_agree_with_the_core():
    for case in VISIBLE_CASES:
        assert model_budget_ms(*case.args, **case.kwargs) == pytest.approx(case.expected)


def test_float_answers_pass():
    def floats(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
        return float(reference(slo_ms, network_ms, offline_ms, online_ms, parallel_features))

    check_model_budget(floats)


def test_stub_is_not_attempted():
    with pytest.raises(NotAttempted):
        check_model_budget(stub)


@pytest.mark.parametrize(
    ("wrong", "message", "cause"),
    [
        (returns_none, "returned None", "no `return` statement"),
        (forgot_network, "returned 85", "forgot the network"),
        (always_summed, "parallel_features=True) returned 65", "summed the feature stages"),
        (clamped_at_zero, "returned 0; expected -10", "clamp at 0 instead of a negative"),
        (min_in_parallel, "returned 75", "max, not min): here the online computation at 10"),
        (tie_summed_in_parallel, "(60, 10, 15, 15", "count that time once"),
        (none_when_nothing_left, "(30, 5, 25, 8, parallel_features=True) returned None", "return"),
        (time_used, "returned 35", "not what remains"),
        (
            always_online_in_parallel,
            "returned 17",
            "the slower stage decides (max, not min): here the offline lookup at 25 ms",
        ),
        (max_when_sequential, "returned 70", "one after the other"),
        (returns_text, "returned '65 ms'", "return a number"),
    ],
)
def test_wrong_answers_fail_with_the_intended_message(wrong, message, cause):
    with pytest.raises(Incorrect) as info:
        check_model_budget(wrong)
    text = str(info.value)
    assert message in text, text
    assert cause in text, text


def test_sign_flip_is_named():
    def flipped(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
        return -reference(slo_ms, network_ms, offline_ms, online_ms, parallel_features)

    with pytest.raises(Incorrect, match="sign is flipped"):
        check_model_budget(flipped)


HIDDEN = [
    (120, 30, 5, 10, False, 75, "120 - 30 - 15"),
    (120, 30, 5, 10, True, 80, "120 - 30 - 10"),
    (25, 5, 10, 10, True, 10, "tie in parallel"),
    (20, 5, 10, 10, False, -5, "over by 5"),
    (12.5, 2.5, 4, 6, False, 0, "exact fit"),
]


def test_expect_budgets_passes_the_reference_quietly(capsys):
    assert expect_budgets(reference, HIDDEN) is None
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "wrong", [forgot_network, always_summed, clamped_at_zero, tie_summed_in_parallel]
)
def test_expect_budgets_rejects_wrong_answers(wrong):
    with pytest.raises(Incorrect):
        expect_budgets(wrong, HIDDEN)
