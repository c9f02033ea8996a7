"""Drawing the architecture (guide section 7, tip 2): a small spec rendered as Mermaid.

A spec is a dict with ``groups`` (a title -> list of component names), optional loose
``components`` outside any group, and ``edges`` (pairs, or triples with a label). Mermaid
text renders as a real diagram in JupyterLab 4 Markdown (cells and outputs).

``review`` lists what a senior reviewer would flag as missing, each with the reason: the
guide's six parts (entry point, serving, training, evaluation, data, the feedback loop) and
the three its own tips 4 to 6 ask for but its diagram leaves out (a feature store or shared
feature pipeline, monitoring with a model signal, a fallback). ``GUIDE_SPEC`` is the guide's
picture; ``REVIEWED_SPEC`` adds those three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The guide's serving/training architecture.
GUIDE_SPEC = {
    "components": ["Client", "API / load balancer", "Data store"],
    "groups": {
        "Serving layer": ["Model server", "Cache", "A/B test"],
        "Offline training": ["Data", "Train", "Eval"],
    },
    "edges": [
        ("Client", "API / load balancer", "request"),
        ("API / load balancer", "A/B test", "route"),
        ("A/B test", "Cache", "lookup"),
        ("Cache", "Model server", "miss"),
        ("Data store", "Data", "logs + labels"),
        ("Data", "Train"),
        ("Train", "Eval"),
        ("Eval", "Model server", "deploy if better"),
        ("Model server", "Data store", "log predictions"),
    ],
}

# The guide's picture with what its own tips 4 to 6 ask for: shared features, monitoring
# with a model signal, a fallback.
REVIEWED_SPEC = {
    "components": ["Client", "API / load balancer", "Data store"],
    "groups": {
        "Serving layer": ["Model server", "Cache", "A/B test", "Fallback: popular items"],
        "Features": ["Feature pipeline + store"],
        "Offline training": ["Data", "Train", "Eval"],
        "Monitoring": ["Drift + quality monitor"],
    },
    "edges": [
        ("Client", "API / load balancer", "request"),
        ("API / load balancer", "A/B test", "route"),
        ("A/B test", "Cache", "lookup"),
        ("Cache", "Model server", "miss"),
        ("Model server", "Fallback: popular items", "timeout / error"),
        ("Feature pipeline + store", "Model server", "online features"),
        ("Feature pipeline + store", "Train", "point-in-time features"),
        ("Data store", "Feature pipeline + store", "events"),
        ("Data store", "Data", "logs + labels"),
        ("Data", "Train"),
        ("Train", "Eval"),
        ("Eval", "Model server", "deploy if better"),
        ("Model server", "Data store", "log predictions"),
        ("Model server", "Drift + quality monitor", "predictions + features"),
        ("Data store", "Drift + quality monitor", "outcomes"),
    ],
}


@dataclass(frozen=True)
class Role:
    """A part a reviewer expects in a serving + training diagram, how it is recognised in a
    component's name, and why its absence matters (shown with the finding)."""

    name: str
    keywords: tuple[str, ...]
    why: str


ROLES = (
    Role("entry point", ("client", "api", "gateway", "load balancer"),
         "nothing receives the request: draw the client and the API / load balancer."),
    Role("model serving", ("model server", "serving", "inference", "predict", "scorer", "ranker"),
         "no component serves predictions online."),
    Role("training", ("train",), "no training step: how does a new model come to exist?"),
    Role("evaluation", ("eval", "validation", "a/b", "experiment", "backtest"),
         "nothing decides that a new model is better before it ships (offline evaluation, "
         "then an A/B test)."),
    Role("data", ("data", "store", "warehouse", "lake", "log"),
         "no data store: where do training examples and labels live?"),
    Role("feature store / pipeline", ("feature",),
         "no feature store or shared feature pipeline: when serving computes features with "
         "other code than the training set was built with, the model sees different inputs "
         "online (training-serving skew; Zinkevich, Rules of ML, rule 32; Breck et al., "
         "IEEE Big Data 2017). Draw where features come from, feeding serving and training."),
    Role("monitoring", ("monitor", "alert", "dashboard", "observab", "drift"),
         "no monitoring: nobody learns that the inputs drifted or quality fell until users "
         "complain (Sculley et al., NeurIPS 2015). Draw a monitor fed from serving that "
         "tracks a drift score and an online quality metric and alerts (tip 5)."),
    Role("fallback", ("fallback", "rule", "default", "popular", "heuristic", "backup"),
         "no fallback: when the model server is down or slow, what does the user get? Draw "
         "a rules or popular-items tier behind a timeout (tip 4)."),
)  # fmt: skip
ROLE_NAMES = tuple(r.name for r in ROLES) + ("feedback loop",)
# What an edge into the monitor must carry for it to watch the model, not only the machines.
MODEL_SIGNALS = ("drift", "psi", "quality", "distribution", "skew", "prediction", "score",
                 "label", "outcome", "metric", "accuracy", "precision", "recall", "auc", "ctr",
                 "feature")  # fmt: skip
TRAINING_SIDE = ("train", "label", "join", "dataset", "offline", "backfill")
# Kept for callers of the first version: role name -> keywords.
EXPECTED_ROLES = {r.name: r.keywords for r in ROLES} | {"feedback loop": ()}


@dataclass(frozen=True)
class Finding:
    role: str
    why: str


def _plays(name: str, role: str) -> bool:
    keywords = next(r.keywords for r in ROLES if r.name == role)
    return any(w in name.lower() for w in keywords)


def _node_ids(spec: dict) -> dict[str, str]:
    """A unique Mermaid id per component (a readable slug plus its position)."""
    names = spec["components"] + [n for members in spec["groups"].values() for n in members]
    return {
        name: f"n{i}_" + re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
        for i, name in enumerate(names)
    }


def _label(name: str) -> str:
    return name.replace('"', "'")


def validate_spec(spec) -> dict:
    """Return a normalised spec or raise ValueError naming what is wrong."""
    if not isinstance(spec, dict):
        raise ValueError(
            f"spec must be a dict with 'groups' and 'edges'; got {type(spec).__name__}."
        )
    unknown = sorted(set(spec) - {"components", "groups", "edges", "direction"})
    if unknown:
        raise ValueError(
            f"spec keys must be among 'components', 'groups', 'edges', 'direction'; got {unknown}."
        )
    groups = spec.get("groups", {}) or {}
    if not isinstance(groups, dict):
        raise ValueError("spec['groups'] must map a group title to a list of component names.")
    loose = list(spec.get("components", []) or [])
    names = loose + [n for members in groups.values() for n in members]
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise ValueError("every component name must be non-empty text.")
    seen = set()
    for name in names:
        if name in seen:
            raise ValueError(f"component {name!r} appears twice; give each one place.")
        seen.add(name)
    edges = []
    for edge in spec.get("edges", []) or []:
        if not isinstance(edge, (tuple, list)) or len(edge) not in (2, 3):
            raise ValueError(
                f"each edge must be (source, target) or (source, target, label); got {edge!r}."
            )
        for end in edge[:2]:
            if end not in seen:
                raise ValueError(
                    f"edge {tuple(edge)!r} names {end!r}, which is not a component; "
                    f"components are {sorted(seen)}."
                )
        edges.append(tuple(edge))
    direction = spec.get("direction", "TD")
    if direction not in ("TD", "LR"):
        raise ValueError(f"direction must be 'TD' or 'LR'; got {direction!r}.")
    return {"components": loose, "groups": dict(groups), "edges": edges, "direction": direction}


def to_mermaid(spec) -> str:
    """Mermaid flowchart text for the spec."""
    spec = validate_spec(spec)
    ids = _node_ids(spec)
    lines = [f"flowchart {spec['direction']}"]
    for name in spec["components"]:
        lines.append(f'    {ids[name]}["{_label(name)}"]')
    for i, (title, members) in enumerate(spec["groups"].items()):
        lines.append(f'    subgraph g{i}["{_label(title)}"]')
        lines += [f'        {ids[n]}["{_label(n)}"]' for n in members]
        lines.append("    end")
    for edge in spec["edges"]:
        arrow = f' -->|"{_label(edge[2])}"| ' if len(edge) == 3 else " --> "
        lines.append(f"    {ids[edge[0]]}{arrow}{ids[edge[1]]}")
    return "\n".join(lines)


def review(spec) -> list[Finding]:
    """What a senior reviewer would flag as missing from the diagram, each with the reason.

    Besides each role being drawn somewhere, three connections are checked: a feedback loop
    (an edge from serving back to data), a feature store or pipeline feeding both serving
    and the training side, and a monitor receiving a model signal (drift, predictions,
    outcomes, quality metrics) rather than only system metrics.
    """
    spec = validate_spec(spec)
    names = spec["components"] + [n for members in spec["groups"].values() for n in members]
    edges = [(s, t, (rest[0] if rest else "")) for s, t, *rest in spec["edges"]]
    findings = [Finding(r.name, r.why) for r in ROLES if not any(_plays(n, r.name) for n in names)]
    missing = {f.role for f in findings}
    if not any(_plays(s, "model serving") and _plays(t, "data") for s, t, _ in edges):
        findings.append(Finding(
            "feedback loop",
            "no edge from serving back to data: log predictions (and the features used) so "
            "outcomes can be joined to them as the next training set.",
        ))  # fmt: skip
    if "feature store / pipeline" not in missing:
        features = [n for n in names if _plays(n, "feature store / pipeline")]
        to_serving = any(s in features and _plays(t, "model serving") for s, t, _ in edges)
        to_training = any(
            (s in features and any(w in t.lower() for w in TRAINING_SIDE))
            or (t in features and any(w in s.lower() for w in TRAINING_SIDE))
            for s, t, _ in edges
        )
        if not (to_serving and to_training):
            side = "serving" if not to_serving else "training"
            findings.append(Finding(
                "feature store / pipeline",
                f"the feature store is not connected to {side}: the same feature definitions "
                "must feed the model online and build its training set, or the two drift "
                "apart (training-serving skew).",
            ))  # fmt: skip
    if "monitoring" not in missing:
        monitors = [n for n in names if _plays(n, "monitoring")]
        fed = [(s, label) for s, t, label in edges if t in monitors]
        watched = (
            " ".join(f"{s} {label}" for s, label in fed).lower() + " " + " ".join(monitors).lower()
        )
        if not fed:
            findings.append(Finding(
                "monitoring",
                "the monitor has no incoming edge: draw what it watches (predictions and "
                "features from serving, outcomes from the data).",
            ))  # fmt: skip
        elif not any(w in watched for w in MODEL_SIGNALS):
            findings.append(Finding(
                "monitoring",
                "the monitor watches the system only: latency and errors miss a model that "
                "answers fast and wrong. Feed it a drift or quality signal (PSI of features "
                "or predictions, an online metric against labels).",
            ))  # fmt: skip
    return findings


def missing_roles(spec) -> list[str]:
    """The roles of ``review`` that are missing or unconnected (names only, in order)."""
    return list(dict.fromkeys(f.role for f in review(spec)))
