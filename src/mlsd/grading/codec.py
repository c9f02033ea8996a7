"""Plain data across the boundary between the grading judge and a student's kernel.

The judge (trusted) calls a learner's function that lives in the student's kernel (hostile).
Only data crosses, as JSON with a few tagged types, and the judge rebuilds it from scratch:
what it gets back is always a builtin, numpy or pandas object of an allowed type, never an
object of the student's making. An answer whose ``__eq__`` always says True, a float subclass,
a list that lies about its length: none of them can cross; at most their plain value does.

Allowed: None, bool, int, float (nan and inf included), str, bytes, list, tuple, dict, set,
frozenset, numpy arrays of bool/integer/float/complex/str/datetime dtypes and numpy scalars of
those, numpy random Generators (their bit generator's state; the caller's generator is moved
on by the draws the learner made), pandas DataFrame and Series with a flat index.

Decoding (:func:`loads`) is the security boundary and has hard limits: message size, nesting
depth, number of values. Encoding in the student's kernel only has to be honest about plain
values: whatever it sends is that student's answer.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import numpy as np

MAX_MESSAGE_BYTES = 64 << 20  # a 20,000 x 7 float array is 1.1 MB; tables are far smaller
MAX_DEPTH = 64
MAX_NODES = 2_000_000
NUMERIC_KINDS = frozenset("biufcMm")  # bool, int, uint, float, complex, datetime, timedelta
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class CodecError(ValueError):
    """A value that cannot cross, or a message that breaks the rules."""


# ----------------------------------------------------------------------------- encoding


class _Encoder:
    def __init__(self) -> None:
        self.generators: list[np.random.Generator] = []  # in order of first appearance

    def encode(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise CodecError(f"the value is nested deeper than {MAX_DEPTH} levels")
        kind = type(value)
        if value is None or kind in (bool, str):
            return value
        if kind is int:
            return value
        if kind is float:
            return {"$": "float", "v": repr(value)} if value != value or value in _INF else value
        handler = _ENCODERS.get(kind)
        if handler is not None:
            return handler(self, value, depth)
        return self._encode_other(value, depth)

    def _encode_other(self, value: Any, depth: int) -> Any:
        if isinstance(value, np.generic):
            return self._scalar(value)
        if isinstance(value, np.ndarray):
            return self._array(value, depth)
        if isinstance(value, np.random.Generator):
            return self._generator(value)
        pandas = _pandas_or_none()
        if pandas is not None and isinstance(value, pandas.DataFrame):
            return self._frame(value, depth)
        if pandas is not None and isinstance(value, pandas.Series):
            return self._series(value, depth)
        # subclasses of plain types cross as their plain value (their methods stay behind)
        for base in (bool, int, float, str, bytes, tuple, list, dict, frozenset, set):
            if isinstance(value, base):
                return self.encode(_plain(base, value), depth)
        raise CodecError(
            f"an object of type {type(value).__name__}, which cannot be graded: return plain data "
            "(numbers, strings, lists, tuples, dicts, numpy arrays or pandas tables)"
        )

    def _items(self, values, depth: int) -> list:
        return [self.encode(v, depth + 1) for v in values]

    def _scalar(self, value: np.generic) -> dict:
        dtype = value.dtype
        if dtype.kind not in NUMERIC_KINDS | {"U"}:
            raise CodecError(f"a numpy scalar of dtype {dtype} cannot be graded")
        return {"$": "npscalar", "dtype": dtype.str, "data": _b64(np.asarray(value).tobytes())}

    def _array(self, value: np.ndarray, depth: int) -> dict:
        dtype = value.dtype
        if dtype.kind in NUMERIC_KINDS | {"U", "S"} and not dtype.hasobject:
            data = np.ascontiguousarray(value)
            return {
                "$": "ndarray",
                "dtype": dtype.str,
                "shape": list(value.shape),
                "data": _b64(data.tobytes()),
            }
        if dtype.kind == "O":
            flat = [self.encode(x, depth + 1) for x in value.ravel().tolist()]
            return {"$": "objarray", "shape": list(value.shape), "items": flat}
        raise CodecError(f"a numpy array of dtype {dtype} cannot be graded")

    def _generator(self, value: np.random.Generator) -> dict:
        for index, known in enumerate(self.generators):
            if known is value:
                return {"$": "rngref", "ref": index}
        self.generators.append(value)
        state = value.bit_generator.state
        return {"$": "rng", "state": self.encode(state)}

    def _index(self, index, depth: int) -> dict:
        pandas = _pandas_or_none()
        if isinstance(index, pandas.MultiIndex):
            raise CodecError("a table with a MultiIndex cannot be graded: reset_index() first")
        if isinstance(index, pandas.RangeIndex):
            bounds = {"start": index.start, "stop": index.stop, "step": index.step}
            return {"$": "range", **bounds, "name": self.encode(index.name, depth + 1)}
        return {
            "$": "index",
            "values": self._column(index, depth),
            "name": self.encode(index.name, depth + 1),
        }

    def _column(self, values, depth: int) -> dict:
        """One column (or index) keeping its dtype: numeric as bytes, the rest as items."""
        dtype = values.dtype
        numpy_dtype = getattr(dtype, "kind", None) in NUMERIC_KINDS and isinstance(dtype, np.dtype)
        if numpy_dtype:
            return {"dtype": dtype.str, "array": self._array(np.asarray(values), depth)}
        items = [None if _is_missing(x) else x for x in values.tolist()]
        return {"dtype": str(dtype), "items": self._items(items, depth)}

    def _frame(self, frame, depth: int) -> dict:
        if not frame.columns.is_unique:
            raise CodecError("a table with repeated column names cannot be graded")
        return {
            "$": "dataframe",
            "columns": self._items(list(frame.columns), depth),
            "data": [self._column(frame[c], depth + 1) for c in frame.columns],
            "index": self._index(frame.index, depth),
        }

    def _series(self, series, depth: int) -> dict:
        return {
            "$": "series",
            "data": self._column(series, depth),
            "index": self._index(series.index, depth),
            "name": self.encode(series.name, depth + 1),
        }


_INF = (float("inf"), float("-inf"))


def _plain(base: type, value):
    """The plain value of a subclass instance (e.g. a float whose ``__eq__`` always says True)."""
    return base(value)


def _encode_dict(encoder: _Encoder, value: dict, depth: int) -> dict:
    pairs = [[encoder.encode(k, depth + 1), encoder.encode(v, depth + 1)] for k, v in value.items()]
    return {"$": "dict", "items": pairs}


_ENCODERS: dict[type, Callable[[_Encoder, Any, int], Any]] = {
    list: lambda e, v, d: e._items(v, d),
    tuple: lambda e, v, d: {"$": "tuple", "items": e._items(v, d)},
    set: lambda e, v, d: {"$": "set", "items": e._items(v, d)},
    frozenset: lambda e, v, d: {"$": "frozenset", "items": e._items(v, d)},
    bytes: lambda e, v, d: {"$": "bytes", "data": _b64(v)},
    dict: _encode_dict,
}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _is_missing(value) -> bool:
    try:
        return value is not None and value != value  # NaN, pd.NA raise or compare unequal
    except TypeError:
        return True


def _pandas_or_none():
    import sys

    return sys.modules.get("pandas")  # a value can only be a table if pandas is loaded


def dumps(value: Any) -> tuple[bytes, list[np.random.Generator]]:
    """``value`` as a message, and the random generators it carried (in order)."""
    encoder = _Encoder()
    text = json.dumps(encoder.encode(value), allow_nan=False, separators=(",", ":"))
    data = text.encode("utf-8")
    if len(data) > MAX_MESSAGE_BYTES:
        raise CodecError(
            f"the value is {len(data):,} bytes encoded; the limit is {MAX_MESSAGE_BYTES:,}"
        )
    return data, encoder.generators


# ----------------------------------------------------------------------------- decoding


class _Decoder:
    def __init__(self) -> None:
        self.nodes = 0
        self.generators: list[np.random.Generator] = []

    def decode(self, node: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise CodecError(f"the message holds more than {MAX_NODES:,} values")
        if depth > MAX_DEPTH:
            raise CodecError(f"the message is nested deeper than {MAX_DEPTH} levels")
        kind = type(node)
        if node is None or kind in (bool, int, float, str):
            return node
        if kind is list:
            return [self.decode(x, depth + 1) for x in node]
        if kind is not dict or type(node.get("$")) is not str:
            raise CodecError("malformed message: an untagged object")
        tag = node["$"]
        handler = _DECODERS.get(tag)
        if handler is None:
            raise CodecError(f"malformed message: unknown tag {tag[:40]!r}")
        return handler(self, node, depth)

    def items(self, node: dict, depth: int) -> list:
        items = node.get("items")
        if type(items) is not list:
            raise CodecError("malformed message: items must be a list")
        return [self.decode(x, depth + 1) for x in items]

    def array(self, node: dict, depth: int) -> np.ndarray:
        dtype = _dtype(node.get("dtype"))
        shape = _shape(node.get("shape"))
        data = _unb64(node.get("data"))
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if count * dtype.itemsize != len(data):
            raise CodecError("malformed message: array data does not match its shape and dtype")
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()

    def objarray(self, node: dict, depth: int) -> np.ndarray:
        shape = _shape(node.get("shape"))
        items = self.items(node, depth)
        if len(items) != (int(np.prod(shape, dtype=np.int64)) if shape else 1):
            raise CodecError("malformed message: object array items do not match its shape")
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out.reshape(shape)

    def scalar(self, node: dict, depth: int) -> np.generic:
        dtype = _dtype(node.get("dtype"))
        data = _unb64(node.get("data"))
        if len(data) != dtype.itemsize:
            raise CodecError("malformed message: scalar data does not match its dtype")
        return np.frombuffer(data, dtype=dtype)[0]

    def generator(self, node: dict, depth: int) -> np.random.Generator:
        state = self.decode(node.get("state"), depth + 1)
        name = state.get("bit_generator") if type(state) is dict else None
        if name not in BIT_GENERATORS:
            raise CodecError(f"malformed message: bit generator {str(name)[:40]!r} is not allowed")
        bit_generator = getattr(np.random, name)()
        try:
            bit_generator.state = state
        except (TypeError, ValueError, KeyError) as exc:
            raise CodecError(f"malformed message: bad {name} state ({exc})") from None
        generator = np.random.Generator(bit_generator)
        self.generators.append(generator)
        return generator

    def generator_ref(self, node: dict, depth: int) -> np.random.Generator:
        ref = node.get("ref")
        if type(ref) is not int or not 0 <= ref < len(self.generators):
            raise CodecError("malformed message: bad generator reference")
        return self.generators[ref]

    def column(self, node: Any, depth: int):
        import pandas as pd

        if type(node) is not dict or type(node.get("dtype")) is not str:
            raise CodecError("malformed message: a column needs a dtype")
        if "array" in node:
            return self.array(node["array"], depth + 1)
        values = self.items(node, depth)
        dtype = _pandas_dtype(node["dtype"])
        try:
            if dtype == "object":
                out = np.empty(len(values), dtype=object)
                out[:] = values
                return out
            if dtype == "category":
                return pd.Categorical(values)
            return pd.array(values, dtype=dtype)
        except (TypeError, ValueError) as exc:
            raise CodecError(f"malformed message: bad column ({exc})") from None

    def index(self, node: Any, depth: int):
        import pandas as pd

        if type(node) is not dict:
            raise CodecError("malformed message: bad index")
        name = self.decode(node.get("name"), depth + 1)
        if node.get("$") == "range":
            bounds = [node.get(k) for k in ("start", "stop", "step")]
            if any(type(b) is not int for b in bounds) or bounds[2] == 0:
                raise CodecError("malformed message: bad range index")
            if len(range(*bounds)) > MAX_NODES:
                raise CodecError("malformed message: index too long")
            return pd.RangeIndex(*bounds, name=_hashable(name))
        return pd.Index(self.column(node.get("values"), depth + 1), name=_hashable(name))

    def frame(self, node: dict, depth: int):
        import pandas as pd

        columns = [_hashable(c) for c in self.decode(node.get("columns"), depth + 1)]
        data = node.get("data")
        if type(data) is not list or len(data) != len(columns):
            raise CodecError("malformed message: table columns and data differ in length")
        index = self.index(node.get("index"), depth + 1)
        values = [self.column(c, depth + 1) for c in data]
        if any(len(v) != len(index) for v in values):
            raise CodecError("malformed message: a column's length differs from the index")
        # built column by column: pandas would otherwise re-infer object columns as strings
        frame = pd.DataFrame(index=index)
        for name, value in zip(columns, values, strict=True):
            frame[name] = pd.Series(value, index=index, dtype=getattr(value, "dtype", None))
        return frame

    def series(self, node: dict, depth: int):
        import pandas as pd

        index = self.index(node.get("index"), depth + 1)
        values = self.column(node.get("data"), depth + 1)
        if len(values) != len(index):
            raise CodecError("malformed message: series length differs from its index")
        name = _hashable(self.decode(node.get("name"), depth + 1))
        return pd.Series(values, index=index, name=name, dtype=getattr(values, "dtype", None))


def _float(decoder: _Decoder, node: dict, depth: int) -> float:
    if node.get("v") not in ("nan", "inf", "-inf"):
        raise CodecError("malformed message: bad special float")
    return float(node["v"])


def _dict(decoder: _Decoder, node: dict, depth: int) -> dict:
    pairs = decoder.items(node, depth)
    out = {}
    for pair in pairs:
        if type(pair) is not list or len(pair) != 2:
            raise CodecError("malformed message: dict items must be pairs")
        out[_hashable(pair[0])] = pair[1]
    return out


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        raise CodecError("malformed message: a dict key or name must be hashable") from None
    return value


_DECODERS: dict[str, Callable[[_Decoder, dict, int], Any]] = {
    "float": _float,
    "tuple": lambda d, n, depth: tuple(d.items(n, depth)),
    "set": lambda d, n, depth: {_hashable(x) for x in d.items(n, depth)},
    "frozenset": lambda d, n, depth: frozenset(_hashable(x) for x in d.items(n, depth)),
    "bytes": lambda d, n, depth: _unb64(n.get("data")),
    "dict": _dict,
    "ndarray": _Decoder.array,
    "objarray": _Decoder.objarray,
    "npscalar": _Decoder.scalar,
    "rng": _Decoder.generator,
    "rngref": _Decoder.generator_ref,
    "dataframe": _Decoder.frame,
    "series": _Decoder.series,
}


def _dtype(text: Any) -> np.dtype:
    if type(text) is not str or len(text) > 16:
        raise CodecError("malformed message: bad dtype")
    try:
        dtype = np.dtype(text)
    except TypeError:
        raise CodecError(f"malformed message: bad dtype {text!r}") from None
    if dtype.kind not in NUMERIC_KINDS | {"U", "S"} or dtype.hasobject:
        raise CodecError(f"malformed message: dtype {text!r} is not allowed")
    return dtype


def _pandas_dtype(text: str):
    allowed = ("object", "str", "string", "category", "boolean", "Int64", "Float64")
    if text in allowed:
        return text
    raise CodecError(f"malformed message: column dtype {text[:40]!r} is not allowed")


def _shape(shape: Any) -> tuple[int, ...]:
    if (
        type(shape) is not list
        or len(shape) > 32
        or any(type(n) is not int or n < 0 for n in shape)
    ):
        raise CodecError("malformed message: bad array shape")
    return tuple(shape)


def _unb64(text: Any) -> bytes:
    if type(text) is not str:
        raise CodecError("malformed message: binary data must be base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise CodecError("malformed message: bad base64 data") from None


def loads(data: bytes) -> tuple[Any, list[np.random.Generator]]:
    """The value a message holds, built from allowed types only, and the generators in it."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise CodecError(f"the message is {len(data):,} bytes; the limit is {MAX_MESSAGE_BYTES:,}")
    try:
        tree = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CodecError(f"malformed message: not JSON ({type(exc).__name__})") from None
    decoder = _Decoder()
    return decoder.decode(tree), decoder.generators


def _no_constant(name: str):
    raise CodecError(f"malformed message: bare {name}")


# ----------------------------------------------------------------------------- framing


HEADER_BYTES = 8


def frame(payload: bytes) -> bytes:
    """A length-prefixed frame for a stream socket."""
    return len(payload).to_bytes(HEADER_BYTES, "big") + payload


def read_frame(recv_exactly: Callable[[int], bytes]) -> bytes:
    """Read one frame with ``recv_exactly(n)``; refuses frames over the message limit."""
    size = int.from_bytes(recv_exactly(HEADER_BYTES), "big")
    if size > MAX_MESSAGE_BYTES:
        raise CodecError(f"a frame of {size:,} bytes is over the limit of {MAX_MESSAGE_BYTES:,}")
    return recv_exactly(size)
