"""mlsd.designs: the schema, the eleven reference designs and their internal consistency.

Each reference design is recomputed here with the workbook's own calculators (mlsd.estimates,
mlsd.base_rates), independently of ``designs.inconsistencies``; that function is then tested on
seeded flaws, one per kind of contradiction.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from mlsd import base_rates, designs, estimates, practice
from mlsd.designs import Design

REFERENCES = designs.references()
IDS = [f"p{d.problem:02d}" for d in REFERENCES]


def close(stated, computed, rel=0.1):
    return math.isclose(stated, computed, rel_tol=rel)


# --- every reference design, recomputed ----------------------------------------------------


def test_eleven_designs_one_per_problem_with_the_guides_title_and_slo():
    assert [d.problem for d in REFERENCES] == list(range(1, 12))
    for d in REFERENCES:
        p = practice.problem(d.problem)
        assert d.title == p.title
        assert d.requirements.latency_slo_ms == p.latency_ms, d.title


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_load_follows_from_users_and_peak_factor(design):
    load = design.estimates.load
    if load.daily_active_users is not None:
        assert close(load.events_per_day, load.daily_active_users * load.events_per_user_per_day)
    peak = estimates.qps(load.events_per_day, 1, load.peak_factor)
    assert close(load.average_qps, peak.details["average_qps"])
    assert close(load.peak_qps, peak.value)


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_servers_cover_the_peak_with_headroom(design):
    est = design.estimates
    if est.serving_site == "on device":
        assert est.servers is None  # each phone serves itself
        return
    s = est.servers
    needed = estimates.servers(est.load.peak_qps, s.per_server_qps, s.headroom).value
    assert s.count >= needed, f"{design.title}: {s.count} servers, {needed:g} needed"
    assert s.count <= 2 * needed, f"{design.title}: far more servers than the load needs"


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_storage_is_count_times_bytes_times_replication(design):
    assert design.estimates.storage
    for item in design.estimates.storage:
        total = estimates.storage(item.count, item.bytes_each, 1, item.replication).value
        assert close(item.total_bytes, total), item.name


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_caches_are_big_enough_for_their_hit_rate(design):
    for c in design.estimates.caches:
        needed = estimates.cache_items_for_hit_rate(c.catalogue_items, c.hit_rate, c.zipf_exponent)
        assert needed <= c.cached_items <= c.catalogue_items, c.name


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_online_stages_fit_the_slo(design):
    online = [s for s in design.architecture.stages if s.path == "online"]
    assert online and all(s.latency_ms is not None for s in online)
    groups: dict[str, float] = {}
    total = 0.0
    for s in online:
        if s.parallel_group:
            groups[s.parallel_group] = max(groups.get(s.parallel_group, 0), s.latency_ms)
        else:
            total += s.latency_ms
    total += sum(groups.values())
    assert total <= design.requirements.latency_slo_ms
    assert designs.critical_path_ms(design.architecture.stages) == pytest.approx(total)


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_nearline_stages_meet_the_freshness_requirement(design):
    if design.requirements.freshness_s is None:
        return
    nearline = [s.latency_ms for s in design.architecture.stages if s.path == "nearline"]
    assert nearline and sum(nearline) <= 1000 * design.requirements.freshness_s


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_detector_tiers_meet_their_own_floors_at_the_base_rate(design):
    for t in design.detector_targets:
        point = base_rates.operating_point(t.recall, t.fpr, t.prevalence, t.events_per_day)
        if t.min_precision is not None:
            assert point.precision >= t.min_precision, t.name
        if t.max_flags_per_day is not None:
            assert point.flagged_per_day <= t.max_flags_per_day, t.name
        if t.max_false_alarms_per_day is not None:
            assert point.false_alarms_per_day <= t.max_false_alarms_per_day, t.name


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_design_is_complete_and_answers_its_problems_challenges(design):
    assert designs.omissions(design) == []
    assert designs.inconsistencies(design) == []
    answered = {c.key for c in design.challenges if c.answer.strip()}
    assert set(designs.PROBLEM_CHALLENGES[design.problem]) <= answered
    kinds = {m.kind for m in design.metrics}
    assert {"offline", "online"} <= kinds


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_models_name_stages_of_the_architecture(design):
    names = {s.name for s in design.architecture.stages}
    assert all(m.stage in names for m in design.models)


def test_fraud_design_faces_the_base_rate():
    """The guide's target at 0.1 % fraud: ~4 % precision, ~3 M good transactions declined."""
    fraud = designs.reference(10)
    guide = base_rates.operating_point(0.9, 0.02, 0.001, 150e6)
    assert guide.precision == pytest.approx(0.043, abs=0.001)
    assert guide.false_alarms_per_day == pytest.approx(3.0e6, rel=0.01)
    text = next(c.answer for c in fraud.challenges if c.key == "base_rate")
    assert "4 %" in text and "3 M" in text and "150 M" in text
    tiers = {t.action: t for t in fraud.detector_targets}
    block, step_up = tiers["block"], tiers["step_up"]
    assert base_rates.precision(block.recall, block.fpr, block.prevalence) > 0.5
    # Together the two actions meet the guide's wording: > 90 % caught, < 2 % of good ones touched.
    assert block.recall + step_up.recall > 0.9
    assert block.fpr + step_up.fpr < 0.02
    assert {t.prevalence for t in fraud.detector_targets} == {0.001}


def test_vision_design_is_pipelined_for_30_fps():
    car = designs.reference(7)
    online = designs.online_stages(car)
    assert car.architecture.pipelined and car.requirements.frames_per_second == 30
    assert max(s.latency_ms for s in online) < 1000 / 30
    assert practice.pipeline_timing([s.latency_ms for s in online])[0] >= 30


def test_designs_agree_with_the_worksheet():
    """The worksheet's calculators, pre-filled for a problem, give the design's load and
    servers; where the exercise estimates the same quantity, it agrees too."""
    for d in REFERENCES:
        sheet = estimates.estimate_all(**practice.worksheet_inputs(d.problem))
        assert d.estimates.load.peak_qps == pytest.approx(sheet["qps"].value, rel=0.01), d.title
        if d.estimates.servers is not None:
            needed = sheet["servers"].value
            assert needed <= d.estimates.servers.count <= max(needed, 2), d.title
    for number in (1, 2, 8, 10):
        peak = practice.reference_estimate(number).value
        assert designs.reference(number).estimates.load.peak_qps == pytest.approx(peak, rel=0.01)
    assert designs.reference(9).estimates.servers.count == practice.reference_estimate(9).value
    moderation = designs.reference(11).estimates.load
    assert moderation.average_qps == pytest.approx(practice.reference_estimate(11).value, rel=0.01)
    songs = designs.reference(3).estimates.storage[0]
    assert songs.count * songs.bytes_each == practice.reference_estimate(3).value


# --- inconsistencies() catches each kind of contradiction ----------------------------------


def _changed(design: Design, path: str, value) -> Design:
    """A copy of ``design`` with the field at ``path`` (dots and [i]) set to ``value``."""
    data = design.to_dict()
    node, keys = data, path.replace("[", ".").replace("]", "").split(".")
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node[key]
    node[keys[-1]] = value
    return Design.from_dict(data)


SEEDED = [
    (1, "architecture.stages.3.latency_ms", 200, "architecture.stages", "past the 200 ms SLO"),
    (1, "estimates.servers.count", 120, "estimates.servers.count", "too few"),
    (1, "estimates.load.peak_qps", 23_148, "estimates.load.peak_qps", "3x the average"),
    (1, "estimates.load.average_qps", 2e9 / 3600, "estimates.load.average_qps", "86,400"),
    (1, "estimates.load.events_per_day", 2e8, "estimates.load.events_per_day", "users x"),
    (1, "estimates.storage.0.total_bytes", 1.024e11, "estimates.storage[0]", "3 copies"),
    (3, "estimates.caches.0.cached_items", 1e6, "estimates.caches[0].hit_rate", "needs the top"),
    (3, "estimates.caches.0.cached_items", 9e7, "estimates.caches[0].cached_items", "more items"),
    (10, "detector_targets.0.fpr", 0.02, "detector_targets[0].fpr", "below the 30 % floor"),
    (11, "detector_targets.1.fpr", 0.02, "detector_targets[1].max_flags_per_day", "handled"),
    (10, "detector_targets.0.fpr", 0.001, "detector_targets[0].max_false_alarms_per_day",
     "allowed"),
    (7, "architecture.stages.2.latency_ms", 40, "architecture.stages", "falls behind"),
    (2, "architecture.stages.6.latency_ms", 3_600_000, "architecture.stages", "freshness"),
    (6, "metrics.0.test_size", 10_000, "metrics[0].test_size", "rule of three"),
    (1, "models.0.stage", "Retrieval", "models[0].stage", "not in the architecture"),
]  # fmt: skip


@pytest.mark.parametrize(("number", "path", "value", "where", "says"), SEEDED)
def test_each_seeded_flaw_is_caught_where_it_is(number, path, value, where, says):
    flawed = _changed(designs.reference(number), path, value)
    found = designs.inconsistencies(flawed)
    assert any(f.path.startswith(where) and says in f.message for f in found), found


def test_a_stream_that_is_not_pipelined_needs_the_sum_under_the_frame_interval():
    car = _changed(designs.reference(7), "architecture.pipelined", False)
    assert designs.inconsistencies(car) == []  # 32 ms in total still fits 33.3 ms
    slow = _changed(car, "architecture.stages.2.latency_ms", 20)
    slow = _changed(slow, "requirements.latency_slo_ms", 100)
    found = designs.inconsistencies(slow)
    assert [f.path for f in found] == ["architecture.pipelined"]
    assert "pipeline the stages" in found[0].message


def test_parallel_stages_count_their_slowest_only():
    stages = [
        designs.Stage("a", latency_ms=10),
        designs.Stage("b", latency_ms=30, parallel_group="g"),
        designs.Stage("c", latency_ms=50, parallel_group="g"),
        designs.Stage("d", latency_ms=5, path="offline"),
    ]
    assert designs.critical_path_ms(stages) == 60
    assert designs.critical_path_ms([designs.Stage("x", latency_ms=None)]) is None


def test_a_partial_answer_parses_and_its_omissions_are_listed():
    partial = Design.from_dict(
        {
            "problem": 1,
            "requirements": {"latency_slo_ms": 200},
            "architecture": {"stages": [{"name": "Rank", "latency_ms": 50}, {"name": "Cache"}]},
        }
    )
    missing = designs.omissions(partial)
    text = " | ".join(missing)
    for expected in (
        "clarifying questions",
        "servers",
        "storage",
        "latency budget for stage 'Cache'",
        "offline metric",
        "online metric",
        "fallback",
        "data-drift signal",
        "'cold_start'",
        "rollout",
    ):
        assert expected in text, expected
    assert designs.inconsistencies(partial) == []  # nothing to contradict yet


def test_on_device_designs_need_no_servers():
    face = designs.reference(6)
    assert face.estimates.serving_site == "on device" and designs.omissions(face) == []
    in_cloud = _changed(face, "estimates.serving_site", "data centre")
    assert any("servers" in m for m in designs.omissions(in_cloud))


# --- from_dict / to_dict -------------------------------------------------------------------


@pytest.mark.parametrize("design", REFERENCES, ids=IDS)
def test_round_trip_through_json(design):
    data = json.loads(json.dumps(design.to_dict()))
    assert Design.from_dict(data) == design


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "x"}, "at least a 'problem' number"),
        ([], "at least a 'problem' number"),
        ({"problem": 12}, r"design.problem must be a whole number in \[1, 11\]; got 12"),
        ({"problem": 1, "colour": "red"}, "design has no field 'colour'"),
        (
            {"problem": 1, "estimates": {"servers": {"headroom": 1.2}}},
            r"design.estimates.servers.headroom must be in \[0, 1\)",
        ),
        (
            {"problem": 1, "estimates": {"load": {"peak_qps": "lots"}}},
            "design.estimates.load.peak_qps must be a number",
        ),
        (
            {"problem": 1, "estimates": {"load": {"peak_qps": True}}},
            "design.estimates.load.peak_qps must be a number",
        ),
        (
            {"problem": 1, "architecture": {"stages": [{"name": "a", "path": "sideways"}]}},
            r"design.architecture.stages\[0\].path must be one of 'online'",
        ),
        ({"problem": 1, "metrics": {"name": "x"}}, "design.metrics must be a list"),
        ({"problem": 1, "title": 5}, "design.title must be text"),
        ({"problem": 1, "architecture": {"pipelined": "yes"}}, "must be true or false"),
        ({"problem": 1, "challenges": [{"key": "weather"}]}, "challenges\\[0\\].key must be one"),
        ({"problem": 1, "estimates": {"servers": {"count": 2.5}}}, "count must be a whole"),
        ({"problem": 1, "requirements": None}, None),
    ],
)
def test_bad_fields_are_named_with_their_path(data, message):
    if message is None:
        assert Design.from_dict(data).requirements is None
        return
    with pytest.raises(ValueError, match=message):
        Design.from_dict(data)


def test_whole_floats_are_accepted_for_counts_and_none_fields_are_dropped():
    d = Design.from_dict({"problem": 3.0, "estimates": {"servers": {"count": 4.0}}})
    assert d.problem == 3 and d.estimates.servers.count == 4
    assert "per_server_qps" not in d.to_dict()["estimates"]["servers"]


def test_schema_fields_are_typed_not_free_text():
    """Every number the mock-interview checker recomputes is a typed numeric field."""
    numeric = {
        designs.Requirements: {"latency_slo_ms", "frames_per_second", "freshness_s"},
        designs.Load: {"events_per_day", "peak_factor", "average_qps", "peak_qps"},
        designs.Servers: {"per_server_qps", "headroom", "count"},
        designs.Storage: {"count", "bytes_each", "replication", "total_bytes"},
        designs.Cache: {"catalogue_items", "cached_items", "hit_rate", "zipf_exponent"},
        designs.Stage: {"latency_ms"},
        designs.Metric: {"target", "test_size"},
        designs.DetectorTarget: {"recall", "fpr", "prevalence", "events_per_day"},
        designs.Signal: {"threshold"},
    }
    for cls, names in numeric.items():
        hints = {f.name: str(f.type) for f in dataclasses.fields(cls)}
        for name in names:
            assert "float" in hints[name] or "int" in hints[name], f"{cls.__name__}.{name}"


# --- the renderer --------------------------------------------------------------------------


def test_markdown_shows_the_work_and_the_base_rate():
    text = designs.to_markdown(designs.reference(10))
    assert text.startswith("# Reference design · problem 10: Credit card fraud detection")
    assert "ceil(5,210 ÷ (2,000 × 0.7)) = 4 → **4**" in text
    assert "54.6 %" in text  # block precision at 0.1 % prevalence, from mlsd.base_rates
    assert "Critical path" in text and "20 ms" in text
    for heading in ("Clarifying questions", "Estimates", "Architecture", "Models",
                    "Metrics and targets", "Trade-offs", "Failure modes", "Monitoring",
                    "The problem's challenges", "Training and rollout"):  # fmt: skip
        assert f"## {heading}" in text, heading


def test_markdown_of_the_vision_design_separates_throughput_and_latency():
    text = designs.to_markdown(designs.reference(7))
    assert "the slowest stage (15 ms) sets the sustainable rate, 67 FPS" in text
    assert "the sum (32 ms) is the end-to-end latency" in text


def test_markdown_table_cells_escape_pipes():
    d = Design.from_dict(
        {"problem": 1, "clarifying_questions": [{"question": "a | b", "assumption": "c"}]}
    )
    assert "a \\| b" in designs.to_markdown(d)


def test_reference_rejects_bad_numbers():
    with pytest.raises(ValueError, match=r"number must be a whole number in \[1, 11\]"):
        designs.reference(0)
