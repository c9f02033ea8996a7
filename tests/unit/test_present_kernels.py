"""The presenter's kernels: Unix sockets where the paths fit, TCP elsewhere."""

from __future__ import annotations

from pathlib import Path

from mlsd import present

IPC = ["--KernelManager.transport=ipc"]


def test_linux_with_a_short_temp_folder_uses_unix_sockets():
    assert present.kernel_transport_args("/tmp", "linux") == IPC
    # wired into the command Voila runs (here: this machine's own temp folder)
    command = present.voila_command(Path("section.ipynb"), 8866)
    assert (IPC[0] in command) == (present.kernel_transport_args() == IPC)


def test_a_temp_folder_too_long_for_socket_paths_keeps_tcp():
    fits = "/" + "t" * 41  # <folder>/voila_xxxxxxxx/kernel-<36 characters>-ipc-5: 107, the most
    assert len(f"{fits}/voila_{'x' * 8}/kernel-{'0' * 36}-ipc-5") == 107
    assert present.kernel_transport_args(fits, "linux") == IPC
    assert present.kernel_transport_args(fits + "t", "linux") == []


def test_macos_and_windows_keep_tcp():
    # macOS's $TMPDIR is /var/folders/<2>/<30>/T; Windows has no ipc transport in ZeroMQ
    assert present.kernel_transport_args("/var/folders/ab/" + "c" * 30 + "/T", "darwin") == []
    assert present.kernel_transport_args("C:\\Temp", "win32") == []
