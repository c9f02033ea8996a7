"""The feature latency budget widget, driven from Python: sliders in, waterfall and verdict out."""

from __future__ import annotations

import pytest

from mlsd.features import GUIDE_HYBRID, PRESETS, budget_breakdown, budget_verdict
from mlsd.timing import median_ms
from mlsd.widgets.features import CONTROLS, FeatureBudget, feature_budget

STAGE_NAMES = [name for name, *_ in CONTROLS]


@pytest.fixture
def w() -> FeatureBudget:
    return feature_budget()


def inputs(w) -> dict:
    values = {f"{name}_ms": getattr(w, name).value for name in STAGE_NAMES}
    return {**values, "parallel_features": w.parallel.value}


def assert_matches_core(w):
    rows = budget_breakdown(**inputs(w))
    waterfall, slo_line = w.fig.data
    assert list(waterfall.x) == list(rows["label"])
    assert list(waterfall.y) == pytest.approx(list(rows["counted_ms"]))
    assert list(waterfall.measure) == list(rows["measure"])
    assert set(slo_line.y) == {w.slo.value}
    verdict = budget_verdict(**inputs(w))
    assert verdict.text[1:] in w.verdict.value
    assert ("✓" in w.verdict.value) == verdict.fits


def test_named_parts_and_css_classes(w):
    for name in [*STAGE_NAMES, "parallel", "preset", "verdict", "fig", "message", "container"]:
        assert getattr(w, name) is not None
    for name in STAGE_NAMES:
        assert f"mlsd-features-{name}" in getattr(w, name)._dom_classes
    assert "mlsd-features-parallel" in w.parallel._dom_classes
    assert "mlsd-features-verdict" in w.verdict._dom_classes
    assert "mlsd-features-fig" in w.fig._dom_classes
    assert "mlsd-message" in w.message.widget._dom_classes


def test_starts_on_the_guides_hybrid_example_with_data_in_the_constructor(w):
    assert w.offline.value == GUIDE_HYBRID.offline_ms and w.online.value == GUIDE_HYBRID.online_ms
    assert list(w.fig.data[0].y) == [20, 5, 10, 30, 0, 65]
    assert w.fig.data[0].type == "waterfall"
    assert "Fits with 35 ms to spare" in w.verdict.value
    layout = w.fig.layout
    assert layout.title.text and "ms" in layout.yaxis.title.text and layout.xaxis.title.text
    assert_matches_core(w)


def test_each_slider_changes_the_waterfall_as_the_core_says(w):
    for name, value in [
        ("network", 40),
        ("offline", 12),
        ("online", 25),
        ("model", 50),
        ("extra", 7),
        ("slo", 150),
    ]:
        getattr(w, name).value = value
        assert_matches_core(w)


def test_going_over_the_slo(w):
    w.model.value = 72  # 20 + 15 + 72 = 107 > 100
    assert "Over the SLO by 7 ms" in w.verdict.value and "✗" in w.verdict.value
    assert "in parallel saves 5 ms" in w.verdict.value
    w.parallel.value = True  # features now cost 10, not 15: 102, still over by 2
    assert "Over the SLO by 2 ms" in w.verdict.value
    w.model.value = 65
    assert "Fits with 5 ms to spare" in w.verdict.value
    assert_matches_core(w)


def test_parallel_hides_the_shorter_feature_stage(w):
    w.parallel.value = True
    waterfall = w.fig.data[0]
    assert list(waterfall.y)[1:3] == [0, 10]
    assert "hidden" in waterfall.text[1]
    assert "Fits with 40 ms to spare" in w.verdict.value


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_presets_set_every_control(preset):
    w = feature_budget(preset=PRESETS[-1] if preset is not PRESETS[-1] else PRESETS[0])
    w.preset.value = preset
    for name in STAGE_NAMES:
        assert getattr(w, name).value == getattr(preset, f"{name}_ms")
    assert w.parallel.value == preset.parallel_features
    assert preset.name in w.message.value
    assert_matches_core(w)


def test_ad_serving_preset_needs_parallel_features(w):
    w.preset.value = next(p for p in PRESETS if p.name.startswith("Ad serving"))
    assert "Fits with 1 ms to spare" in w.verdict.value
    w.parallel.value = False
    assert "Over the SLO by 1 ms" in w.verdict.value


def test_zero_slo_shows_in_the_message_line(w):
    w.slo.value = 0
    assert "slo_ms" in w.message.value and "alert" in w.message.value
    assert "Verdict: —" in w.verdict.value
    w.slo.value = 80
    assert w.message.value == "" and "Fits with 15 ms to spare" in w.verdict.value


def test_callback_median_under_20_ms(w):
    median = median_ms(lambda i: setattr(w.online, "value", [2, 10, 30, 60][i % 4]), 40)
    assert median < 20, f"median callback {median:.1f} ms"


def test_preset_applies_in_one_redraw(w, monkeypatch):
    calls = []
    original = budget_breakdown
    monkeypatch.setattr(
        "mlsd.widgets.features.budget_breakdown",
        lambda *a, **k: calls.append(1) or original(*a, **k),
    )
    w.preset.value = PRESETS[2]
    assert len(calls) == 1


def test_preset_is_buttons_not_a_drop_down():
    import ipywidgets as W

    from mlsd.widgets.features import feature_budget as _fb

    w = _fb()
    assert isinstance(w.preset, W.ToggleButtons) and w.preset.value is not None


def test_parallel_label_leads_with_the_word_the_notebook_uses_and_is_not_cut(w):
    # The notebook says "untick *parallel*"; a 300 px checkbox cut the label to "... run in…".
    assert w.parallel.description.startswith("Parallel")
    assert w.parallel.layout.width == "auto"


def test_preset_buttons_fit_their_names(w):
    assert w.preset.style.button_width == "auto"
