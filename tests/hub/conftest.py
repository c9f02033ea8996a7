"""Fixtures of the course-server tests: a real hub on loopback with test accounts, and Chromium.

The hub needs root (it creates system users) and the shared environment that
``make hub-install`` builds (``make test`` and ``.ci/run`` build it first). Without either
the tests fail with the command to run; they are never skipped.
"""

from __future__ import annotations

import pytest

from tests.browser import harness as browser_harness
from tests.hub import harness


@pytest.fixture(scope="module")
def class_hub():
    problem = harness.setup_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    hub = harness.TestHub(learners=["mlsdt-lea"])
    try:
        hub.start()
        yield hub
    finally:
        hub.close()


@pytest.fixture(scope="module")
def chrome():
    missing = browser_harness.chromium_missing_message()
    if missing:
        pytest.fail(missing, pytrace=False)
    with browser_harness.browser() as browser:
        yield browser
