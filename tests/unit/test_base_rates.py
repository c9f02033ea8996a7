import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.base_rates import max_fpr_for_precision, operating_point, precision

rates = st.floats(0, 1)
prevalences = st.floats(1e-6, 1 - 1e-6)


def test_guide_fraud_target_at_one_in_a_thousand():
    point = operating_point(0.90, 0.02, 0.001, 150e6)
    assert point.precision == pytest.approx(0.0431, abs=1e-4)  # about 4 %
    assert point.false_alarms_per_day == pytest.approx(2_997_000)  # about 3 M declined a day
    assert point.caught_per_day == pytest.approx(135_000)
    assert point.missed_per_day == pytest.approx(15_000)


def test_balanced_classes_give_the_textbook_precision():
    assert precision(0.8, 0.2, 0.5) == pytest.approx(0.8)


def test_nothing_flagged_has_zero_precision():
    assert precision(0.0, 0.0, 0.01) == 0.0


@given(rates, rates, prevalences)
def test_counts_add_up(recall, fpr, prevalence):
    point = operating_point(recall, fpr, prevalence, 1e6)
    assert point.caught_per_day + point.missed_per_day == pytest.approx(1e6 * prevalence)
    assert point.flagged_per_day == pytest.approx(point.caught_per_day + point.false_alarms_per_day)
    assert 0 <= point.precision <= 1


@given(st.floats(0.01, 1), prevalences, st.floats(0.01, 0.99))
def test_max_fpr_inverts_precision(recall, prevalence, target):
    fpr = max_fpr_for_precision(recall, prevalence, target)
    if fpr < 1:
        assert math.isclose(precision(recall, fpr, prevalence), target, rel_tol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"recall": 1.5, "fpr": 0.1, "prevalence": 0.1}, "recall"),
        ({"recall": 0.5, "fpr": -0.1, "prevalence": 0.1}, "fpr"),
        ({"recall": 0.5, "fpr": 0.1, "prevalence": 0.0}, "prevalence"),
        ({"recall": 0.5, "fpr": 0.1, "prevalence": 1.0}, "prevalence"),
    ],
)
def test_bad_rates_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        precision(**kwargs)


def test_bad_volume_names_the_argument():
    with pytest.raises(ValueError, match="events_per_day"):
        operating_point(0.9, 0.02, 0.001, 0)
