"""The judge's codec: plain values round-trip exactly; nothing of the student's making crosses."""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.grading import codec


def roundtrip(value):
    data, _ = codec.dumps(value)
    out, _ = codec.loads(data)
    return out


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(plain)
def test_plain_values_roundtrip_with_their_exact_types(value):
    out = roundtrip(value)
    assert out == value
    assert _types(out) == _types(value)


def _types(value):
    if isinstance(value, list | tuple):
        return (type(value), [_types(v) for v in value])
    if isinstance(value, dict):
        return (dict, sorted((repr(k), _types(v)) for k, v in value.items()))
    return type(value)


def test_special_floats_sets_and_bytes():
    out = roundtrip([math.inf, -math.inf, math.nan, {1, 2}, frozenset({"a"}), b"\x00\xff"])
    assert out[0] == math.inf and out[1] == -math.inf and math.isnan(out[2])
    assert out[3] == {1, 2} and type(out[4]) is frozenset and out[5] == b"\x00\xff"


def test_bool_and_int_keep_apart():
    assert [type(x) for x in roundtrip([True, 1, 1.0])] == [bool, int, float]


@pytest.mark.parametrize(
    "array",
    [
        np.arange(12, dtype=np.int64).reshape(3, 4),
        np.linspace(0, 1, 5, dtype=np.float32),
        np.array([True, False]),
        np.array(["a", "bcd"]),
        np.zeros((0, 3)),
        np.array(["2024-01-01"], dtype="datetime64[D]"),
    ],
)
def test_arrays_keep_dtype_shape_and_values(array):
    out = roundtrip(array)
    assert type(out) is np.ndarray and out.dtype == array.dtype and out.shape == array.shape
    np.testing.assert_array_equal(out, array)


def test_numpy_scalars_keep_their_dtype():
    out = roundtrip([np.int64(3), np.float64(0.5), np.bool_(True)])
    assert [type(x) for x in out] == [np.int64, np.float64, np.bool_]


def test_object_arrays_cross_element_by_element():
    array = np.empty(2, dtype=object)
    array[:] = [1, "x"]
    out = roundtrip(array)
    assert out.dtype == object and list(out) == [1, "x"]


def test_tables_roundtrip():
    frame = pd.DataFrame(
        {"model": ["lr", "gb"], "p99_ms": [0.3, 2.5], "n": [1, 2], "ok": [True, False]},
        index=pd.Index([10, 20], name="row"),
    )
    out = roundtrip(frame)
    pd.testing.assert_frame_equal(out, frame)
    series = pd.Series([1.0, np.nan], index=["a", "b"], name="s")
    pd.testing.assert_series_equal(roundtrip(series), series)
    pd.testing.assert_frame_equal(roundtrip(frame.iloc[[1]]), frame.iloc[[1]])


def test_object_columns_keep_missing_values():
    frame = pd.DataFrame({"topics": pd.Series(["a;b", None], dtype=object)})
    out = roundtrip(frame)
    assert out["topics"].dtype == object and out["topics"].iloc[1] is None


def test_a_generator_crosses_as_its_state_and_reports_itself():
    rng = np.random.default_rng(7)
    data, sent = codec.dumps((rng, rng))
    (a, b), received = codec.loads(data)
    assert sent == [rng] and received == [a] and a is b
    assert a.random() == np.random.default_rng(7).random()


class AlwaysEqual:
    def __eq__(self, other):
        return True


class SneakyFloat(float):
    def __eq__(self, other):
        return True


def test_objects_of_the_students_making_cannot_cross():
    with pytest.raises(codec.CodecError, match="type AlwaysEqual, which cannot be graded"):
        codec.dumps(AlwaysEqual())
    with pytest.raises(codec.CodecError, match="cannot be graded"):
        codec.dumps([lambda: 1])


def test_subclasses_of_plain_types_cross_as_their_plain_value():
    out = roundtrip(SneakyFloat(2.0))
    assert type(out) is float and out == 2.0 and out != 3.0


def _message(tree) -> bytes:
    return json.dumps(tree).encode()


@pytest.mark.parametrize(
    "tree",
    [
        {"x": 1},  # untagged object
        {"$": "eval", "v": "1+1"},
        {"$": "ndarray", "dtype": "O", "shape": [1], "data": ""},
        {"$": "ndarray", "dtype": "<f8", "shape": [2], "data": base64.b64encode(b"x").decode()},
        {"$": "ndarray", "dtype": "<f8", "shape": [-1], "data": ""},
        {"$": "rng", "state": {"$": "dict", "items": [["bit_generator", "os.system"]]}},
        {"$": "dict", "items": [[[1], 2]]},  # unhashable key
        {"$": "rngref", "ref": 0},
        {"$": "float", "v": "1e999"},
    ],
)
def test_malformed_messages_are_refused(tree):
    with pytest.raises(codec.CodecError):
        codec.loads(_message(tree))


def test_limits_hold():
    deep = []
    for _ in range(codec.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(codec.CodecError, match="nested"):
        codec.loads(_message(deep))
    with pytest.raises(codec.CodecError):
        codec.loads(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(codec.CodecError, match="bare NaN"):
        codec.loads(b"NaN")
    huge = (codec.MAX_MESSAGE_BYTES + 1).to_bytes(codec.HEADER_BYTES, "big")
    with pytest.raises(codec.CodecError, match="over the limit"):
        codec.read_frame(lambda n: huge)
