"""The student's side of a judged test cell: runs inside the student's kernel.

The judge sends this kernel one cell, ``serve(ADDRESS, globals())``. It connects to the judge's
socket and answers calls of the learner's functions until the judge says it is done. Nothing
here is trusted, and nothing needs to be: whatever this side sends back is that student's
answer, decoded by the judge into plain data (:mod:`mlsd.grading.codec`). It only has to be
honest for honest students.
"""

from __future__ import annotations

import socket

from mlsd.grading import codec


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("the judge closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _error(exc: BaseException) -> dict:
    return {"error": type(exc).__name__, "message": str(exc)[:2000]}


def answer(namespace: dict, request: dict) -> bytes:
    """The encoded reply to one call request (never raises for the learner's errors)."""
    name = request.get("name")
    if name not in namespace:
        reply = {"error": "NameError", "message": f"name {name!r} is not defined"}
        return codec.dumps(reply)[0]
    function = namespace[name]
    if not callable(function):
        message = f"{name} is a {type(function).__name__}, not a function"
        return codec.dumps({"error": "TypeError", "message": message})[0]
    args, generators = request["args"], request["generators"]
    try:
        value = function(*args, **request["kwargs"])
    except Exception as exc:  # the learner's bug: reported, the loop goes on
        return codec.dumps(_error(exc))[0]
    states = [g.bit_generator.state for g in generators]
    try:
        return codec.dumps({"value": value, "states": states})[0]
    except codec.CodecError as exc:
        return codec.dumps({"error": "TypeError", "message": f"{name} returned {exc}"})[0]


def serve(address: str, namespace: dict) -> None:
    """Answer the judge's calls against ``namespace`` (the notebook's globals) until done."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(address)
        while True:
            message, generators = codec.loads(codec.read_frame(lambda n: _recv_exactly(sock, n)))
            if message.get("op") == "done":
                return
            message["generators"] = generators
            sock.sendall(codec.frame(answer(namespace, message)))
