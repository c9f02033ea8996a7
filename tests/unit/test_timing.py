import time

import pytest

from mlsd.timing import median_ms


def test_median_ms_passes_each_value_and_measures_milliseconds():
    seen = []
    ms = median_ms(lambda v: (seen.append(v), time.sleep(0.002)), [3, 1, 2])
    assert seen == [3, 1, 2]
    assert 1.5 < ms < 50


def test_an_int_means_that_many_calls_from_zero():
    seen = []
    median_ms(seen.append, 4)
    assert seen == [0, 1, 2, 3]


def test_no_values_is_an_error():
    with pytest.raises(ValueError, match="values must hold at least one value"):
        median_ms(print, [])
