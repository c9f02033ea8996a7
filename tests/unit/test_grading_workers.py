"""How many grading processes the pipeline starts by default."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from mlsd.grading import pipeline

GB = 2**30


@pytest.mark.parametrize(
    ("cores", "available_gb", "expected"),
    [
        (2, 16, 3),  # one more than the cores: the extra worker fills kernel start-up waits
        (1, 16, 2),
        (32, 4, 8),  # memory binds: 512 MB per worker and its kernel
        (2, 0.3, 1),  # always at least one
        (256, 1024, 64),  # the pipeline's own ceiling
    ],
)
def test_default_workers_follow_cores_and_memory(monkeypatch, cores, available_gb, expected):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
    memory = SimpleNamespace(available=int(available_gb * GB))
    monkeypatch.setattr(pipeline.psutil, "virtual_memory", lambda: memory)
    assert pipeline.default_workers() == expected
