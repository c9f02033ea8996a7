"""Our Jupyter servers' kernels (presenter, learner's lab): Unix sockets where the paths fit,
TCP elsewhere (see mlsd.kernels)."""

from __future__ import annotations

from pathlib import Path

from mlsd import kernels, present, workspace

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
    assert kernels.transport_args("/home/ada/.local/share/jupyter/runtime", "darwin") == []


def test_the_learners_lab_uses_unix_sockets_in_its_runtime_folder_where_they_fit():
    short = "/home/ada/.local/share/jupyter/runtime"
    command = workspace.lab_command(Path("work"), None, "--no-browser", runtime_dir=short)
    assert IPC[0] in command and command[-1] == "--no-browser"
    longest = "/" + "r" * (107 - len(kernels.longest_kernel_socket("")) - 1)
    assert len(kernels.longest_kernel_socket(longest)) == 107
    assert IPC[0] in workspace.lab_command(Path("work"), runtime_dir=longest)
    assert IPC[0] not in workspace.lab_command(Path("work"), runtime_dir=longest + "r")


def test_notebooks_run_by_the_test_suite_use_unix_sockets(tmp_path):
    import nbformat

    from mlsd.grading.execute import run_notebook

    nb = nbformat.v4.new_notebook()
    probe = "import json\nfrom ipykernel.connect import get_connection_file\n"
    probe += "print(json.load(open(get_connection_file()))['transport'])"
    nb.cells = [nbformat.v4.new_code_cell(probe)]
    nbformat.write(nb, tmp_path / "probe.ipynb")
    run = run_notebook(tmp_path / "probe.ipynb")
    assert run.errors == () and run.notebook.cells[0].outputs[0]["text"] == "ipc\n"
