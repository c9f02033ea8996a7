"""Drawing the architecture (guide section 7, tip 2): a small spec rendered as Mermaid.

A spec is a dict with ``groups`` (a title -> list of component names), optional loose
``components`` outside any group, and ``edges`` (pairs, or triples with a label). Mermaid
text renders as a real diagram in JupyterLab 4 Markdown (cells and outputs).
"""

from __future__ import annotations

import re

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

# What an interviewer expects to see somewhere in a serving + training diagram.
EXPECTED_ROLES = {
    "entry point": ("client", "api", "gateway", "load balancer"),
    "model serving": ("model server", "serving", "inference", "predict"),
    "training": ("train",),
    "evaluation": ("eval", "validation", "a/b", "experiment"),
    "data": ("data", "store", "warehouse", "lake", "log"),
    "feedback loop": (),  # an edge from serving back to data: checked separately
}


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


def missing_roles(spec) -> list[str]:
    """Roles the guide expects that no component (or no edge, for the loop) plays."""
    spec = validate_spec(spec)
    names = [n.lower() for n in spec["components"]] + [
        n.lower() for members in spec["groups"].values() for n in members
    ]
    missing = [
        role
        for role, words in EXPECTED_ROLES.items()
        if words and not any(w in n for n in names for w in words)
    ]
    serving = {n for n in names if any(w in n for w in EXPECTED_ROLES["model serving"])}
    data = {n for n in names if any(w in n for w in EXPECTED_ROLES["data"])}
    loop = any(s.lower() in serving and t.lower() in data for s, t, *_ in spec["edges"])
    if not loop:
        missing.append("feedback loop")
    return missing
