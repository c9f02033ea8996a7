"""How our Jupyter servers talk to their kernels: Unix sockets where the paths fit, not TCP.

A server picks a TCP kernel's five ports by binding and releasing them; the kernel binds them
a second or more later. Anything on the machine that binds or connects in between can take
one (other kernels starting, the browser's and server's own connections), the kernel then
dies on "Address already in use", and jupyter_client's restarter reuses the same cached ports,
so it stays dead (measured on the class server: a student's kernel lost in 2 of 3 loaded
20-student runs). TCP ports on 127.0.0.1 are also open to every account: a kernel's IOPub
port gives whoever subscribes its code and outputs in plain text. ZeroMQ's ``ipc`` transport
has neither problem: a kernel's sockets are files in the server's private runtime folder.

A Unix socket's path holds at most 107 characters and a kernel's is
``<runtime>/kernel-<36-character id>-ipc-<n>``; where that does not fit, or off Linux, the
servers keep TCP (macOS's long ``$TMPDIR``; Windows has no ipc transport in ZeroMQ).
"""

from __future__ import annotations

import os
import sys

UNIX_SOCKET_PATH_MAX = 107  # characters: Linux's sun_path holds 108 bytes, the last a NUL
IPC_ARGS = ("--KernelManager.transport=ipc",)


def longest_kernel_socket(runtime_dir: str) -> str:
    """The longest socket path a kernel on ZeroMQ's ipc transport makes in ``runtime_dir``."""
    return f"{runtime_dir}/kernel-{'0' * 36}-ipc-5"


def ipc_fits(runtime_dir: str | os.PathLike, platform: str = sys.platform) -> bool:
    """Whether kernels whose connection files live in ``runtime_dir`` can use Unix sockets."""
    longest = longest_kernel_socket(os.fspath(runtime_dir))
    return platform.startswith("linux") and len(longest) <= UNIX_SOCKET_PATH_MAX


def transport_args(runtime_dir: str | os.PathLike, platform: str = sys.platform) -> list[str]:
    """Command-line options that put a Jupyter server's kernels on Unix sockets, if they fit."""
    return list(IPC_ARGS) if ipc_fits(runtime_dir, platform) else []
