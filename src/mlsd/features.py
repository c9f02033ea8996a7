"""Online vs offline features as a latency budget (guide section 6.4).

A request's end-to-end time is shared by stages: the network, fetching precomputed
(offline) features from a store, computing fresh (online) features from the request, running
the model, and optionally something extra (business rules, re-ranking, logging). The two
feature stages can run one after the other (their times add) or side by side (the slower
one decides). Whatever the other stages leave of the service-level objective (SLO) is the
time the model may take; a negative remainder means the design does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from mlsd.validation import require_number

STAGES = ("network", "offline", "online", "model", "extra")
STAGE_LABELS = {
    "network": "network",
    "offline": "offline store lookup",
    "online": "online feature computation",
    "model": "model inference",
    "extra": "extra (rules, logging)",
}
TOTAL_LABEL = "end to end"
BREAKDOWN_COLUMNS = ("stage", "label", "ms", "counted_ms", "measure", "note")


def _stage(name: str, value) -> float:
    return require_number(name, value, 0, None, unit="ms")


def _slo(value) -> float:
    return require_number("slo_ms", value, 0, None, low_inclusive=False, unit="ms")


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"parallel_features must be True or False; got {value!r}.")
    return value


def feature_latency_ms(offline_ms, online_ms, parallel_features=False) -> float:
    """Time spent on features: the sum of both stages, or the slower one if in parallel."""
    offline, online = _stage("offline_ms", offline_ms), _stage("online_ms", online_ms)
    return max(offline, online) if _flag(parallel_features) else offline + online


def end_to_end_ms(
    network_ms, offline_ms, online_ms, model_ms, extra_ms=0.0, parallel_features=False
) -> float:
    """Total time of one request through every stage."""
    features = feature_latency_ms(offline_ms, online_ms, parallel_features)
    return (
        _stage("network_ms", network_ms)
        + features
        + _stage("model_ms", model_ms)
        + _stage("extra_ms", extra_ms)
    )


def model_budget_ms(
    slo_ms, network_ms, offline_ms, online_ms, parallel_features=False, *, extra_ms=0.0
) -> float:
    """What the SLO leaves for model inference after network, features (and extra).

    Negative means the other stages alone already break the SLO; it is not clamped at 0,
    so the caller can see by how much.
    """
    slo = _slo(slo_ms)
    network = _stage("network_ms", network_ms)
    features = feature_latency_ms(offline_ms, online_ms, parallel_features)
    return slo - network - features - _stage("extra_ms", extra_ms)


def budget_breakdown(
    slo_ms, network_ms, offline_ms, online_ms, model_ms, extra_ms=0.0, parallel_features=False
) -> pd.DataFrame:
    """Rows for a waterfall chart: every stage, then the total, then the slack to the SLO.

    ``ms`` is the stage's own time; ``counted_ms`` is what it adds to the request. In
    parallel, the slower feature stage counts in full and the other is hidden behind it
    (counts 0); on a tie the offline lookup counts. ``measure`` is plotly's waterfall
    measure ("relative" for stages, "total" for the sum).
    """
    slo = _slo(slo_ms)
    values = {
        "network": _stage("network_ms", network_ms),
        "offline": _stage("offline_ms", offline_ms),
        "online": _stage("online_ms", online_ms),
        "model": _stage("model_ms", model_ms),
        "extra": _stage("extra_ms", extra_ms),
    }
    parallel = _flag(parallel_features)
    counted = dict(values)
    notes = dict.fromkeys(STAGES, "")
    if parallel:
        hidden, visible = (
            ("online", "offline")
            if values["offline"] >= values["online"]
            else ("offline", "online")
        )
        counted[hidden] = 0.0
        notes[hidden] = f"runs alongside the {STAGE_LABELS[visible]}, hidden behind it"
        notes[visible] = f"runs alongside the {STAGE_LABELS[hidden]}; the slower one counts"
    rows = [
        (stage, STAGE_LABELS[stage], values[stage], counted[stage], "relative", notes[stage])
        for stage in STAGES
    ]
    total = sum(counted.values())
    spare = slo - total
    rows.append(
        ("total", TOTAL_LABEL, total, total, "total", f"SLO {slo:g} ms, {_spare_text(spare)}")
    )
    return pd.DataFrame(rows, columns=list(BREAKDOWN_COLUMNS))


def _spare_text(spare: float) -> str:
    return f"{spare:g} ms to spare" if spare >= 0 else f"{-spare:g} ms over"


@dataclass(frozen=True)
class Verdict:
    fits: bool
    spare_ms: float  # negative: over the SLO by that much
    model_budget_ms: float
    text: str


def budget_verdict(
    slo_ms, network_ms, offline_ms, online_ms, model_ms, extra_ms=0.0, parallel_features=False
) -> Verdict:
    """Does the request fit its SLO, by how much, and what to try if it does not."""
    rows = budget_breakdown(
        slo_ms, network_ms, offline_ms, online_ms, model_ms, extra_ms, parallel_features
    )
    slo = float(slo_ms)
    total = float(rows["counted_ms"].iloc[-1])
    spare = slo - total
    room = model_budget_ms(
        slo_ms, network_ms, offline_ms, online_ms, parallel_features, extra_ms=extra_ms
    )
    room_text = (
        f"the model may take up to {room:g} ms"
        if room >= 0
        else (f"even a model taking 0 ms would not fit ({-room:g} ms short)")
    )
    if spare >= 0:
        text = f"fits with {spare:g} ms to spare: {room_text} (it takes {float(model_ms):g} ms)."
        return Verdict(True, spare, room, text)
    stages = rows.iloc[:-1]
    biggest = stages.loc[stages["counted_ms"].idxmax()]
    advice = [f"the biggest stage is {biggest['label']} ({biggest['counted_ms']:g} ms)"]
    saving = min(float(offline_ms), float(online_ms))
    if not parallel_features and saving > 0:
        advice.append(
            f"running the offline lookup and the online features in parallel saves {saving:g} ms"
        )
    text = f"over the SLO by {-spare:g} ms: " + "; ".join(advice) + f"; {room_text}."
    return Verdict(False, spare, room, text)


@dataclass(frozen=True)
class Preset:
    name: str
    slo_ms: float
    network_ms: float
    offline_ms: float
    online_ms: float
    model_ms: float
    extra_ms: float
    parallel_features: bool
    story: str

    def stages(self) -> dict:
        """Keyword arguments for ``budget_breakdown`` and ``budget_verdict``."""
        return {
            "slo_ms": self.slo_ms,
            "network_ms": self.network_ms,
            "offline_ms": self.offline_ms,
            "online_ms": self.online_ms,
            "model_ms": self.model_ms,
            "extra_ms": self.extra_ms,
            "parallel_features": self.parallel_features,
        }


# The guide gives only the feature stages (lookup under 5 ms, online under 10 ms, features
# under 15 ms); the SLO, network and model times are our assumptions for a web page.
GUIDE_HYBRID = Preset(
    "Guide's hybrid example",
    100,
    20,
    5,
    10,
    30,
    0,
    False,
    "offline lookup 5 ms + online features 10 ms = 15 ms of features, one after the other, "
    "inside a 100 ms page budget (SLO, network and model are our assumptions)",
)
PRESETS = (
    GUIDE_HYBRID,
    Preset(
        "Ad serving (~10 ms)",
        10,
        2,
        2,
        3,
        4,
        0,
        True,
        "an ad auction waits about 10 ms; only parallel feature stages make it fit",
    ),
    Preset(
        "Relaxed (500 ms)",
        500,
        60,
        25,
        40,
        150,
        30,
        False,
        "a background suggestion that may take half a second: plenty of room",
    ),
)


@dataclass(frozen=True)
class FeatureRecord:
    """One feature of a food-delivery ranking request, and when its value was computed."""

    name: str
    kind: str  # "offline" or "online"
    value: object
    computed_at: datetime
    how: str


# Example: ranking restaurants when a user opens a food-delivery app at 19:42.
REQUEST_TIME = datetime(2025, 3, 14, 19, 42, 5)
_NIGHTLY = datetime(2025, 3, 14, 3, 0)
_WEEKLY = datetime(2025, 3, 10, 4, 30)
EXAMPLE_RECORDS = (
    FeatureRecord("orders_last_90d", "offline", 23, _NIGHTLY, "count over 90 days of orders"),
    FeatureRecord("avg_basket_eur_90d", "offline", 31.40, _NIGHTLY, "mean basket over 90 days"),
    FeatureRecord("top_cuisine", "offline", "thai", _WEEKLY, "most ordered cuisine, weekly job"),
    FeatureRecord("restaurant_rating_30d", "offline", 4.6, _NIGHTLY, "30-day rating per venue"),
    FeatureRecord("items_in_basket", "online", 3, REQUEST_TIME, "read from the open session"),
    FeatureRecord("minutes_since_open", "online", 4, REQUEST_TIME, "session start to now"),
    FeatureRecord("local_hour", "online", 19, REQUEST_TIME, "from the request's time zone"),
    FeatureRecord("raining_now", "online", True, REQUEST_TIME, "weather at the user's location"),
    FeatureRecord("platform", "online", "ios", REQUEST_TIME, "from the request header"),
)


def staleness(computed_at: datetime, request_time: datetime) -> timedelta:
    """How old a feature value is when a request uses it."""
    for name, value in (("computed_at", computed_at), ("request_time", request_time)):
        if not isinstance(value, datetime):
            raise ValueError(f"{name} must be a datetime; got {value!r}.")
    if request_time < computed_at:
        raise ValueError(
            f"request_time must not be before computed_at ({computed_at:%Y-%m-%d %H:%M}); "
            f"got {request_time:%Y-%m-%d %H:%M}."
        )
    return request_time - computed_at


def feature_records(request_time: datetime = REQUEST_TIME) -> pd.DataFrame:
    """The example features with their age at ``request_time`` (hours, one decimal)."""
    rows = [
        (
            r.name,
            r.kind,
            r.value,
            r.computed_at,
            round(staleness(r.computed_at, request_time).total_seconds() / 3600, 1),
            r.how,
        )
        for r in EXAMPLE_RECORDS
    ]
    return pd.DataFrame(
        rows, columns=["feature", "kind", "value", "computed_at", "age_hours", "how"]
    )
