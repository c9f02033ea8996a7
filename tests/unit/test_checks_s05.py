"""Section 5 checks in both directions: references pass, known wrong answers fail."""

from __future__ import annotations

import numpy as np
import pytest

from mlsd import bidding, fraud, ranking
from mlsd.checks import Incorrect, NotAttempted, manifest
from mlsd.checks import bidding as cb
from mlsd.checks import fraud as cf
from mlsd.checks import ranking as cr


def stub(*_a, **_k):
    raise NotImplementedError


def test_references_pass(capsys):
    cr.check_ndcg(ranking.ndcg_at_k)
    cr.expect_ndcg_like_sklearn(ranking.ndcg_at_k, range(30))
    cr.check_mrr(ranking.mean_reciprocal_rank)
    cr.expect_mrr_like_sklearn(ranking.mean_reciprocal_rank, range(30))
    cf.check_find_threshold(fraud.find_threshold)
    cf.expect_like_reference(fraud.find_threshold, range(30))
    cb.check_should_bid(bidding.should_bid)
    assert capsys.readouterr().out.count("visible checks passed") == 4


@pytest.mark.parametrize(
    "check", [cr.check_ndcg, cr.check_mrr, cf.check_find_threshold, cb.check_should_bid]
)
def test_stub_is_not_attempted(check):
    with pytest.raises(NotAttempted):
        check(stub)


def _ndcg_no_ties(y_true, y_score, k):
    t, s = np.atleast_2d(y_true).astype(float), np.atleast_2d(y_score).astype(float)
    d = 1 / np.log2(np.arange(t.shape[1]) + 2)
    d[k:] = 0
    out = []
    for g, sc in zip(t, s, strict=True):
        ideal = np.sum(np.sort(g)[::-1] * d)
        out.append(np.sum(g[np.argsort(-sc, kind="stable")] * d) / ideal if ideal else 0.0)
    return float(np.mean(out))


def test_ndcg_without_tie_averaging_is_caught_with_the_reason():
    with pytest.raises(Incorrect, match="share their positions"):
        cr.check_ndcg(_ndcg_no_ties)


def test_ndcg_exponential_gain_is_caught():
    def exp_gain(y_true, y_score, k):
        return ranking.ndcg_at_k(2 ** np.asarray(y_true, float) - 1, y_score, k)

    with pytest.raises(Incorrect, match="exponential gain"):
        cr.check_ndcg(exp_gain)


def test_mrr_wrong_answers():
    with pytest.raises(Incorrect, match="reciprocal"):
        cr.check_mrr(lambda t, s: 2.0)
    with pytest.raises(Incorrect, match="lowest score"):
        cr.check_mrr(lambda t, s: ranking.mean_reciprocal_rank(t, -np.asarray(s, float)))


def test_find_threshold_wrong_answers():
    def non_strict(y, s, recall_above=0.9, fpr_below=0.02):
        return fraud.find_threshold(y, s, recall_above - 1e-9, fpr_below + 1e-9)

    with pytest.raises(Incorrect):
        cf.check_find_threshold(non_strict)
    with pytest.raises(Incorrect, match="return None"):
        cf.check_find_threshold(lambda y, s, **kw: fraud.find_threshold(y, s, **kw) or 0.9)


def test_pacing_wrong_answers():
    with pytest.raises(Incorrect, match="use <="):
        cb.check_should_bid(lambda s, b, e: s < b and s < b * e)
    with pytest.raises(Incorrect, match="spent < budget"):
        cb.check_should_bid(lambda s, b, e: s <= b * e)


def test_simulation_check_loads_its_own_data_and_catches_a_rule_without_pacing():
    from mlsd import data

    requests = data.load("auction_requests").iloc[::8].reset_index(drop=True)
    out = bidding.simulate(requests, 0.2, 4.0, True, bidding.should_bid)
    cb.expect_simulation(bidding.should_bid, 4.0, out.spend, out.wins)
    with pytest.raises(Incorrect, match="even-pacing rule"):
        cb.expect_simulation(lambda s, b, e: True, 4.0, out.spend, out.wins)


def test_hidden_random_pacing_cases_catch_a_lookup_of_the_visible_ones():
    visible = {case.args: case.expected for case in cb.CASES}

    def lookup(spent, budget, elapsed_fraction):
        return visible.get((spent, budget, elapsed_fraction), True)

    cb.check_should_bid(lookup)  # the gaming route passes what it has seen...
    with pytest.raises(Incorrect):
        cb.expect_pacing_like_reference(lookup, range(500, 560))  # ...and not what it has not


def test_hidden_graded_mrr_cases_catch_relevance_above_zero():
    def above_zero(y_true, y_score, min_grade=1):
        return ranking.mean_reciprocal_rank(y_true, y_score, 1)

    with pytest.raises(Incorrect, match="at least min_grade"):
        cr.check_mrr(above_zero)
    with pytest.raises(Incorrect):
        cr.expect_mrr_graded(above_zero, range(240, 300))


def test_fraud_section_models_check_uses_no_notebook_globals():
    cf.expect_on_section_models(fraud.find_threshold, [(0.9, 0.02), (0.8, 0.02)])

    def lowest(y, s, recall_above=0.9, fpr_below=0.02):
        passing = [
            t
            for t in sorted(set(s))
            if fraud.find_threshold(y, s, recall_above, fpr_below) is not None
            and t <= fraud.find_threshold(y, s, recall_above, fpr_below)
        ]
        return passing[0] if passing else None

    with pytest.raises(Incorrect):
        cf.expect_on_section_models(lowest, [(0.8, 0.02)])


def test_fraud_visible_check_enforces_the_strict_fpr():
    def non_strict_fpr(y, s, recall_above=0.9, fpr_below=0.02):
        return fraud.find_threshold(y, s, recall_above, fpr_below + 1e-9)

    with pytest.raises(Incorrect, match="strict"):
        cf.check_find_threshold(non_strict_fpr)


def test_manifest_lists_section_5():
    ids = {k for k, e in manifest().items() if e.section == "05-common-ml-systems"}
    assert ids == {"ndcg", "mrr", "fraud_threshold", "pacing"}
    assert all(len(manifest()[i].hints) >= 2 for i in ids)
