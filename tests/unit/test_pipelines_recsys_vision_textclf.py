"""mlsd.pipelines, recsys, vision and textclf on the real data sets."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from mlsd import data, pipelines, recsys, textclf, vision


@pytest.mark.parametrize("key", list(pipelines.PATTERNS))
def test_default_designs_fit_their_targets(key):
    table = pipelines.budget_table(key)
    fits, text = pipelines.verdict(table)
    assert fits, text
    assert table.attrs["total_ms"] == table["counted_ms"].sum()


def test_offline_stages_cost_the_request_nothing():
    table = pipelines.budget_table("recommendations", {"candidate generation (batch)": 500})
    assert table.attrs["total_ms"] == 135


def test_over_budget_names_the_biggest_stage():
    fits, text = pipelines.verdict(pipelines.budget_table("bidding", {"value prediction": 40}))
    assert not fits and "over by 19 ms" in text and "value prediction" in text


def test_pipeline_inputs_are_validated():
    with pytest.raises(ValueError, match="pattern must be one of"):
        pipelines.budget_table("nope")
    with pytest.raises(ValueError, match="unknown stages"):
        pipelines.budget_table("vision", {"nope": 1})
    with pytest.raises(ValueError, match="must be >= 0 ms"):
        pipelines.budget_table("vision", {"preprocessing": -1})


@pytest.fixture(scope="module")
def rec():
    clicks = recsys.with_segments(data.load("obd_clicks"))
    train, test = recsys.time_split(clicks, 0.8)
    return recsys.fit(train, data.load("obd_items")), train, test


def test_recommender_stages_and_cold_start(rec):
    model, train, _test = rec
    seg = train["segment"].iloc[0]
    top = model.recommend(seg, k=5, max_per_group=1)
    assert len(top) == 5 == len(set(top))
    assert len({model.item_groups[i] for i in top}) == 5  # the group cap holds
    assert model.recommend("brand-new", k=3, max_per_group=3) == model.popular(3).tolist()


def test_recommender_metrics_are_in_range(rec):
    model, _train, test = rec
    m = recsys.evaluate(model, test, k=5)
    for key in ("replay CTR", "precision@5", "coverage", "diversity"):
        assert 0 <= m[key] <= 1
    assert m["cold-start segments"] > 0


def test_coverage_and_diversity():
    assert recsys.catalogue_coverage([[0, 1], [1, 2]], 4) == 0.75
    assert recsys.intra_list_diversity([0, 1, 2], np.array(["a", "a", "b"])) == pytest.approx(2 / 3)


def test_vision_metrics_match_sklearn():
    Xtr, Xte, ytr, yte = vision.split(data.load("digits"))
    model = vision.make_pipeline(20).fit(Xtr, ytr)
    pred = model.predict(Xte)
    overall, per_class = vision.report(yte, pred)
    assert overall["accuracy"] == pytest.approx(accuracy_score(yte, pred))
    assert overall["macro F1"] == pytest.approx(f1_score(yte, pred, average="macro"))
    assert overall["accuracy"] > 0.9
    assert vision.confusion(yte, pred).sum() == len(yte)
    assert vision.ms_per_image(model, Xte, repeats=3) > 0


def test_text_classifier_beats_the_majority_class():
    texts = textclf.labelled_texts(data.load("support_qa"))
    _model, metrics, test = textclf.train_and_score(texts)
    assert metrics["accuracy"] > metrics["majority-class accuracy"] + 0.2
    assert metrics["macro F1"] == pytest.approx(
        f1_score(test["label"], test["predicted"], average="macro")
    )
    assert textclf.tokenise("Don't PANIC, 42!") == ["don't", "panic", "42"]
    with pytest.raises(ValueError, match="text must be a string"):
        textclf.tokenise(3)


def test_item_item_cosine_and_history_scores():
    from mlsd import recsys

    clicks = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]])
    sim = recsys.cosine_between_columns(clicks)
    assert sim[0, 1] == pytest.approx(1.0) and sim[0, 2] == 0.0 and sim[1, 1] == 0.0
    assert recsys.similar_to_history([1, 0, 0], sim, 1).tolist() == [1]
    assert recsys.cosine_between_columns(np.zeros((2, 2))).tolist() == [[0, 0], [0, 0]]


def test_leave_one_out_hits_cover_every_click_and_never_see_the_hidden_one():
    from mlsd import data, recsys

    clicks = recsys.with_segments(data.load("obd_clicks"))
    items = data.load("obd_items")
    hits = recsys.leave_one_out_hits(clicks, items, n=80)
    assert len(hits) == clicks["click"].sum()
    assert hits[["popularity", "item-item CF", "content-based"]].all().all()  # n = all items
    hits = recsys.leave_one_out_hits(clicks, items, n=10)
    lonely = ~hits["segment has other clicks"]
    assert (hits.loc[lonely, "item-item CF"] == hits.loc[lonely, "popularity"]).all()


def test_replay_clicks_are_the_units_of_replay_ctr():
    from mlsd import data, recsys

    clicks = recsys.with_segments(data.load("obd_clicks"))
    train, test = recsys.time_split(clicks, 0.8)
    model = recsys.fit(train, data.load("obd_items"))
    matched = recsys.replay_clicks(model, test, k=5)
    summary = recsys.evaluate(model, test, k=5)
    assert len(matched) == summary["replay impressions"]
    assert matched.sum() == summary["replay clicks"]
    assert matched.mean() == pytest.approx(summary["replay CTR"])


def test_nearest_question_replies_never_copy_the_reference():
    from mlsd import data, textclf

    qa = data.load("support_qa")
    rows = np.arange(0, len(qa), 37)
    replies = textclf.nearest_question_replies(qa, rows)
    assert not any(r == qa["answer"].iloc[i] for r, i in zip(replies, rows, strict=True))
