"""mlsd.intervals (bootstrap, exact, sample size) and mlsd.textmetrics (BLEU, ROUGE,
perplexity), each checked against an independent implementation or a textbook value."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import bootstrap

from mlsd import intervals, textmetrics


def test_sample_size_matches_the_textbook_value():
    # Fleiss: p1 = 0.10, p2 = 0.15, alpha 0.05 two-sided, power 0.80 -> 686 per group.
    assert intervals.sample_size_two_proportions(0.10, 0.5) == 686


def test_sample_size_grows_as_the_lift_shrinks_and_the_rate_falls():
    n = intervals.sample_size_two_proportions
    assert n(0.004, 0.05) > n(0.004, 0.10) > n(0.004, 0.20)
    assert n(0.004, 0.10) > 100 * n(0.4, 0.10)
    with pytest.raises(ValueError, match="relative_lift must not be 0"):
        n(0.1, 0.0)
    with pytest.raises(ValueError, match="inside"):
        n(0.6, 1.0)


def test_bootstrap_interval_agrees_with_scipy():
    values = np.random.default_rng(3).normal(1.0, 2.0, 400)
    ours = intervals.bootstrap_mean(values, n_boot=4000, seed=1)
    theirs = bootstrap((values,), np.mean, n_resamples=4000, method="percentile", rng=2)
    ci = theirs.confidence_interval
    assert ours.low == pytest.approx(ci.low, abs=0.05)
    assert ours.high == pytest.approx(ci.high, abs=0.05)
    assert ours.low < values.mean() < ours.high and ours.n == 400


def test_paired_difference_is_tighter_than_separate_intervals():
    rng = np.random.default_rng(0)
    difficulty = rng.uniform(0, 1, 150)
    before, after = difficulty, difficulty + 0.01 + rng.normal(0, 0.005, 150)
    paired = intervals.paired_difference(before, after)
    separate = intervals.bootstrap_mean(before)
    assert paired.excludes_zero()
    assert paired.high - paired.low < 0.1 * (separate.high - separate.low)
    with pytest.raises(ValueError, match="same units"):
        intervals.paired_difference([1, 2, 3], [1, 2])


def test_exact_interval_stays_honest_with_no_events():
    boot = intervals.bootstrap_mean(np.zeros(80))
    exact = intervals.proportion_interval(0, 80)
    assert boot.high == 0.0  # a bootstrap can only resample what it saw
    assert exact.high == pytest.approx(1 - 0.025 ** (1 / 80))  # Clopper-Pearson upper end
    assert exact.high == pytest.approx(3 / 80, rel=0.25)  # the rule of three


def test_bleu_is_sacrebleus_and_rises_with_overlap():
    refs = ["the cat sat on the mat", "a quick brown fox jumps"]
    perfect = textmetrics.bleu(refs, refs)
    assert perfect["BLEU"] == pytest.approx(100.0)
    partial = textmetrics.bleu(["the cat sat on a mat", "a brown fox jumps"], refs)
    assert 0 < partial["BLEU"] < 100 and partial["brevity penalty"] < 1
    with pytest.raises(ValueError, match="one text per hypothesis"):
        textmetrics.bleu(["a"], ["a", "b"])


@pytest.mark.parametrize(
    ("hyp", "ref"),
    [
        ("the cat sat on the mat", "the cat is on the mat"),
        ("Police killed the gunman!", "The gunman was shot dead by police."),
        ("a a a b", "a b b"),
        ("nothing in common", "totally different words"),
        ("Restart your router, then check the cables.", "Restart the router and check cables"),
    ],
)
def test_rouge_matches_googles_rouge_score(hyp, ref):
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
    theirs = scorer.score(ref, hyp)
    for ours, key in [
        (textmetrics.rouge_n(hyp, ref, 1), "rouge1"),
        (textmetrics.rouge_n(hyp, ref, 2), "rouge2"),
        (textmetrics.rouge_l(hyp, ref), "rougeL"),
    ]:
        assert ours.precision == pytest.approx(theirs[key].precision)
        assert ours.recall == pytest.approx(theirs[key].recall)
        assert ours.f1 == pytest.approx(theirs[key].fmeasure)


TEXTS = ["the cat sat", "the dog sat", "the cat ran", "a dog ran", "the cat sat down"]


@pytest.mark.parametrize("order", [1, 2])
def test_language_model_probabilities_sum_to_one(order):
    lm = textmetrics.NgramLM(order=order, min_count=1).fit(TEXTS)
    outcomes = [*lm.vocabulary, textmetrics.UNKNOWN, textmetrics.END]
    for previous in (textmetrics.START, "the", "cat", "zebra"):
        assert sum(lm.p(w, previous) for w in outcomes) == pytest.approx(1.0)


def test_uniform_model_has_perplexity_equal_to_its_vocabulary():
    # With a huge k every token gets 1 / size: perplexity = size, the textbook identity.
    lm = textmetrics.NgramLM(order=1, k=1e12, min_count=1).fit(TEXTS)
    assert lm.perplexity(["the cat sat"]) == pytest.approx(lm.size, rel=1e-6)


def test_bigram_beats_unigram_on_text_with_structure():
    uni = textmetrics.NgramLM(order=1, min_count=1).fit(TEXTS * 5)
    bi = textmetrics.NgramLM(order=2, min_count=1).fit(TEXTS * 5)
    assert bi.perplexity(["the cat sat"]) < uni.perplexity(["the cat sat"])
    assert math.isfinite(bi.perplexity(["zebras sing loudly"]))  # unknown words: <unk>
