"""Copy detection: renamed copies are caught, different or small answers are not."""

from __future__ import annotations

import inspect
import textwrap

from mlsd import fraud
from mlsd.grading import similarity

REFERENCE = '''
def find_threshold(y_true, scores, recall_above=0.9, fpr_below=0.02):
    """Highest score t meeting recall > recall_above and FPR < fpr_below, else None."""
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    positives, negatives = (y == 1).sum(), (y == 0).sum()
    for t in np.unique(s)[::-1]:
        flagged = s >= t
        recall = (flagged & (y == 1)).sum() / positives
        fpr = (flagged & (y == 0)).sum() / negatives
        if recall > recall_above and fpr < fpr_below:
            return float(t)
    return None
'''

RENAMED = """
def find_threshold(labels, probs, recall_above=0.9, fpr_below=0.02):
    # my own work, honest
    lab = np.asarray(labels)
    p = np.asarray(probs, dtype=float)

    pos, neg = (lab == 1).sum(), (lab == 0).sum()
    for cut in np.unique(p)[::-1]:
        hit = p >= cut
        r = (hit & (lab == 1)).sum() / pos
        f = (hit & (lab == 0)).sum() / neg
        if r > recall_above and f < fpr_below:
            return float(cut)
    return None
"""

OWN = """
def find_threshold(y_true, scores, recall_above=0.9, fpr_below=0.02):
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    y = np.asarray(y_true)[order]
    s = np.asarray(scores, dtype=float)[order]
    tp, fp = np.cumsum(y == 1), np.cumsum(y == 0)
    recall, fpr = tp / max(tp[-1], 1), fp / max(fp[-1], 1)
    last = np.r_[s[1:] != s[:-1], True]
    ok = np.flatnonzero(last & (recall > recall_above) & (fpr < fpr_below))
    return float(s[ok[0]]) if ok.size else None
"""


def test_a_renamed_copy_has_the_reference_fingerprint():
    assert similarity.fingerprint(RENAMED)[0] == similarity.fingerprint(REFERENCE)[0]
    assert similarity.fingerprint(OWN)[0] != similarity.fingerprint(REFERENCE)[0]


def test_constants_and_structure_count():
    changed = REFERENCE.replace("[::-1]", "")
    assert similarity.fingerprint(changed)[0] != similarity.fingerprint(REFERENCE)[0]


def test_copies_are_flagged_for_review_and_small_answers_are_not():
    short = "def should_bid(spent, budget, fraction):\n    return spent < budget * fraction\n"
    notes = similarity.copies(
        {
            "ann": {"fraud-threshold": RENAMED, "pacing": short},
            "bob": {"fraud-threshold": OWN, "pacing": short},
            "cat": {"fraud-threshold": OWN},
        },
        {"fraud-threshold": REFERENCE, "pacing": short},
    )
    assert notes["ann"] == [
        "review fraud-threshold: the reference solution's code (names may differ)"
    ]
    assert notes["bob"] == ["review fraud-threshold: the same code as cat"]
    assert notes["cat"] == ["review fraud-threshold: the same code as bob"]


def test_a_copy_of_a_course_package_function_is_named():
    source = textwrap.dedent(inspect.getsource(fraud.find_threshold))
    notes = similarity.copies({"dan": {"fraud-threshold": source}}, {})
    assert notes["dan"] == ["review fraud-threshold: the code of mlsd.fraud.find_threshold"]


def test_answers_that_are_data_are_not_compared():
    """A lookup exercise's right answer is the same dict for everyone: not a copy."""
    mapping = (
        "def classify():\n    return {"
        + ", ".join(f"'E{i}': 'label{i}'" for i in range(40))
        + "}\n"
    )
    assert similarity.fingerprint(mapping)[1] < similarity.MIN_NODES
    assert similarity.copies({"a": {"q": mapping}, "b": {"q": mapping}}, {"q": mapping}) == {}


def test_unparsable_answers_are_ignored():
    assert similarity.fingerprint("def broken(:\n") is None
    assert similarity.copies({"eve": {"x": "def broken(:\n"}}, {"x": REFERENCE}) == {}


def test_prefetched_package_fingerprints_are_the_ones_copies_use():
    similarity._package_functions.cache_clear()
    thread = similarity.prefetch_package_functions()
    during = similarity.package_functions()  # waits for the background thread, never recomputes
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert during is similarity.package_functions()
    assert similarity._package_functions.cache_info().misses == 1
    assert len(during) > 100  # every big enough function of the package (537 today)
