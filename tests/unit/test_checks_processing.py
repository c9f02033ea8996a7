"""mlsd.checks.processing: per-scenario feedback; wrong answers fail and say why."""

from __future__ import annotations

import pytest

from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.checks.processing import check_classify_scenarios, expect_modes, scenario_feedback
from mlsd.processing import MODES, SCENARIOS

# The answers written in the notebook's hidden test, restated here.
ANSWERS = {
    "card-fraud": "real-time",
    "weekly-churn-report": "batch",
    "home-feed": "hybrid",
    "ad-auction": "real-time",
    "newsletter": "batch",
    "login-risk": "real-time",
    "playlist-continuation": "hybrid",
}
N = len(SCENARIOS)


def learner(answers):
    def classify_scenarios():
        return answers

    return classify_scenarios


def classify_scenarios():
    """The reference solution, as a learner writes it."""
    return dict(ANSWERS)


def with_(**changes):
    answers = dict(ANSWERS)
    for key, value in changes.items():
        answers[key.replace("_", "-")] = value
    return answers


def without(*keys):
    return {k: v for k, v in ANSWERS.items() if k not in keys}


def lines_of(out):
    return [line for line in out.splitlines() if line.startswith("  ")]


# --- the reference ----------------------------------------------------------------------


def test_answers_here_match_the_scenarios():
    assert {s.id: s.mode for s in SCENARIOS} == ANSWERS


def test_reference_passes_with_one_tick_per_scenario(capsys):
    assert check_classify_scenarios(classify_scenarios) is None
    out = capsys.readouterr().out
    lines = lines_of(out)
    assert len(lines) == N
    for line, scenario in zip(lines, SCENARIOS, strict=True):
        assert line.startswith(f"  ✓ {scenario.id}: {scenario.mode} — ")
        assert scenario.explanation in line
    assert f"all {N} visible checks passed" in out


def test_reference_passes_the_hidden_helper_quietly(capsys):
    assert expect_modes(classify_scenarios, ANSWERS) is None
    assert capsys.readouterr().out == ""


# --- wrong learners ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_all_the_same_mode_fails_with_that_cause(mode, capsys):
    answers = {s.id: mode for s in SCENARIOS}
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner(answers))
    right = sum(s.mode == mode for s in SCENARIOS)
    assert err.value.message == f"{N - right} of {N} scenarios are not right yet."
    assert err.value.likely_cause == (
        "every answer is the same mode: each scenario needs its own walk down the tree."
    )
    lines = lines_of(capsys.readouterr().out)
    assert sum(line.startswith("  ✓") for line in lines) == right
    assert sum(line.startswith("  ✗") for line in lines) == N - right


def test_one_wrong_is_named_without_giving_the_answer(capsys):
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner(with_(home_feed="batch")))
    assert err.value.message == f"1 of {N} scenarios are not right yet."
    assert err.value.likely_cause is None
    out = capsys.readouterr().out
    assert "  ✗ home-feed: you said batch; re-read it with the tree above." in out
    home = next(s for s in SCENARIOS if s.id == "home-feed")
    assert home.explanation not in out  # the explanation would give the answer away
    assert "visible checks passed" not in out


def test_missing_key_says_no_answer(capsys):
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner(without("newsletter")))
    assert err.value.message == f"1 of {N} scenarios are not right yet."
    assert "  ✗ newsletter: no answer. Add it to the dict." in capsys.readouterr().out


def test_unknown_key_is_named(capsys):
    answers = without("card-fraud") | {"card_fraud": "real-time"}
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner(answers))
    assert err.value.message == (
        "unknown scenario ids ['card_fraud']: copy the ids from the table."
    )
    out = capsys.readouterr().out
    assert "  ✗ card-fraud: no answer." in out  # the feedback is still printed


def test_extra_key_fails_even_when_every_scenario_is_right():
    with pytest.raises(Incorrect, match=r"unknown scenario ids \['spam'\]"):
        check_classify_scenarios(learner(ANSWERS | {"spam": "batch"}))


def test_mode_outside_the_three_is_named(capsys):
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner(with_(login_risk="realtime")))
    assert err.value.message == f"1 of {N} scenarios are not right yet."
    out = capsys.readouterr().out
    assert "  ✗ login-risk: 'realtime' is not one of batch, real-time, hybrid." in out


@pytest.mark.parametrize(
    ("value", "name"),
    [(list(ANSWERS.values()), "list"), (tuple(ANSWERS.items()), "tuple"), ("real-time", "str")],
)
def test_not_a_dict_fails_with_the_type(value, name, capsys):
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner(value))
    assert err.value.message.startswith(
        f"classify_scenarios() returned {name}; expected a dict mapping each scenario id"
    )
    assert err.value.likely_cause is None
    assert capsys.readouterr().out == ""


def test_none_points_at_the_missing_return():
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner(None))
    assert "returned NoneType" in err.value.message
    assert err.value.likely_cause == "the function has no `return` statement."


def test_stub_is_not_attempted():
    def classify_scenarios():
        raise NotImplementedError

    with pytest.raises(NotAttempted) as err:
        check_classify_scenarios(classify_scenarios)
    assert err.value.exercise_id == "classify_scenarios"
    with pytest.raises(NotAttempted):
        expect_modes(classify_scenarios, ANSWERS)


def test_crash_is_incorrect():
    def classify_scenarios():
        return {s.id: s.mood for s in SCENARIOS}

    with pytest.raises(Incorrect, match="raised AttributeError"):
        check_classify_scenarios(classify_scenarios)


def test_unhashable_answers_give_feedback_not_a_crash(capsys):
    answers = {k: [v] for k, v in ANSWERS.items()}
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner(answers))
    assert err.value.message == f"{N} of {N} scenarios are not right yet."
    assert "is not one of batch, real-time, hybrid" in capsys.readouterr().out


def test_keys_of_mixed_types_give_feedback_not_a_crash():
    with pytest.raises(Incorrect, match=r"unknown scenario ids \['x', 0\]"):
        check_classify_scenarios(learner(ANSWERS | {0: "batch", "x": "batch"}))


def test_a_single_answer_is_not_called_all_the_same_mode():
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner({"card-fraud": "real-time"}))
    assert err.value.likely_cause is None


def test_empty_dict_fails_with_every_scenario_unanswered(capsys):
    with pytest.raises(Incorrect) as err:
        check_classify_scenarios(learner({}))
    assert err.value.message == f"{N} of {N} scenarios are not right yet."
    assert capsys.readouterr().out.count("no answer") == N


# --- scenario_feedback on its own -------------------------------------------------------


def test_feedback_counts_right_answers():
    lines, right = scenario_feedback(with_(card_fraud="batch", newsletter="hybrid"))
    assert right == N - 2
    assert len(lines) == N
    assert [line[2] for line in lines].count("✗") == 2


# --- the hidden helper ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "wrong"),
    [
        (with_(home_feed="batch"), ["home-feed"]),
        (without("ad-auction"), ["ad-auction"]),
        (
            {s.id: "real-time" for s in SCENARIOS},
            sorted(k for k, v in ANSWERS.items() if v != "real-time"),
        ),
        (with_(newsletter="Batch", login_risk="realtime"), ["login-risk", "newsletter"]),
    ],
    ids=["one-wrong", "missing", "all-same", "misspelled"],
)
def test_expect_modes_fails_on_wrong_answers_naming_them(answers, wrong):
    with pytest.raises(Incorrect) as err:
        expect_modes(learner(answers), ANSWERS)
    assert err.value.message == f"{len(wrong)} scenario(s) classified wrongly: {wrong}."


@pytest.mark.parametrize("value", [None, list(ANSWERS), "batch"], ids=repr)
def test_expect_modes_rejects_non_dicts(value):
    with pytest.raises(Incorrect, match=r"\): expected a dict, got "):
        expect_modes(learner(value), ANSWERS)


def test_expect_modes_uses_the_answers_it_is_given_not_the_module():
    # A learner who edits mlsd.processing cannot move the goalposts of the hidden test.
    flipped = with_(home_feed="batch")
    with pytest.raises(Incorrect, match="home-feed"):
        expect_modes(learner(flipped), ANSWERS)
    expect_modes(learner(flipped), flipped)
