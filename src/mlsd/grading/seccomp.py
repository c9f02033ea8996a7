"""A seccomp filter for sandboxed kernels: no new namespaces, no kernel-facing admin calls.

bubblewrap loads it (``--seccomp FD``) just before it starts the kernel, after its own set-up.
Inside, the student's code cannot create user (or any other) namespaces, which would give it
a root of its own to mount file systems with, nor reach the kernel's rarely needed and often
vulnerable interfaces (keyrings, eBPF, perf events, userfaultfd, module loading, ptrace).
``clone3`` is answered with ENOSYS: its flags live in memory a filter cannot read, and the C
library then falls back to ``clone``, whose flags it can (Docker's default profile does the
same). Everything else is allowed; the filter is a deny list on top of the other limits.

The program is classic BPF, assembled here (a few dozen instructions) rather than pulled in
through libseccomp's bindings, which are not on PyPI for this Python.
"""

from __future__ import annotations

import errno
import os
import platform
import struct

# BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h)
LD_W_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
ALLOW, ERRNO, KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
NR, ARCH, ARG0 = 0, 4, 16  # offsets in struct seccomp_data (args[0]: its low 32 bits)

NEW_NAMESPACES = 0x7E020000  # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
CLONE_NEWTIME = 0x00000080  # unshare only: in clone() the low byte is the exit signal

DENIED = (
    "ptrace", "mount", "umount2", "pivot_root", "swapon", "swapoff", "reboot", "sethostname",
    "setdomainname", "init_module", "finit_module", "delete_module", "kexec_load",
    "kexec_file_load", "add_key", "request_key", "keyctl", "setns", "bpf", "userfaultfd",
    "perf_event_open", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
    "mount_setattr",
)  # fmt: skip

ARCHITECTURES = {
    "x86_64": (
        0xC000003E,
        {
            "clone": 56, "clone3": 435, "unshare": 272, "ptrace": 101, "mount": 165,
            "umount2": 166, "pivot_root": 155, "swapon": 167, "swapoff": 168, "reboot": 169,
            "sethostname": 170, "setdomainname": 171, "init_module": 175, "finit_module": 313,
            "delete_module": 176, "kexec_load": 246, "kexec_file_load": 320, "add_key": 248,
            "request_key": 249, "keyctl": 250, "setns": 308, "bpf": 321, "userfaultfd": 323,
            "perf_event_open": 298, "open_tree": 428, "move_mount": 429, "fsopen": 430,
            "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "clone": 220, "clone3": 435, "unshare": 97, "ptrace": 117, "mount": 40,
            "umount2": 39, "pivot_root": 41, "swapon": 224, "swapoff": 225, "reboot": 142,
            "sethostname": 161, "setdomainname": 162, "init_module": 105, "finit_module": 273,
            "delete_module": 106, "kexec_load": 104, "kexec_file_load": 294, "add_key": 217,
            "request_key": 218, "keyctl": 219, "setns": 268, "bpf": 280, "userfaultfd": 282,
            "perf_event_open": 241, "open_tree": 428, "move_mount": 429, "fsopen": 430,
            "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
        },
    ),
}  # fmt: skip
X32_BIT = 0x40000000  # x86_64's x32 ABI: a second numbering of the same calls


class _Program:
    """Instructions with forward jumps to named labels, resolved when assembled."""

    def __init__(self) -> None:
        self.code: list[tuple[int, object, object, int]] = []
        self.labels: dict[str, int] = {}

    def op(self, code: int, k: int, jt: object = 0, jf: object = 0) -> None:
        self.code.append((code, jt, jf, k))

    def label(self, name: str) -> None:
        self.labels[name] = len(self.code)

    def assemble(self) -> bytes:
        out = []
        for index, (code, jt, jf, k) in enumerate(self.code):
            jumps = [self.labels[j] - index - 1 if isinstance(j, str) else j for j in (jt, jf)]
            if any(not 0 <= j <= 255 for j in jumps):
                raise ValueError("seccomp program: jump out of range")
            out.append(struct.pack("=HBBI", code, jumps[0], jumps[1], k))
        return b"".join(out)


def program(machine: str | None = None) -> bytes:
    """The filter for this machine's architecture, as ``bwrap --seccomp`` reads it."""
    machine = machine or platform.machine()
    if machine not in ARCHITECTURES:
        raise ValueError(
            f"machine={machine!r}: no seccomp filter for it; known {list(ARCHITECTURES)}"
        )
    audit_arch, numbers = ARCHITECTURES[machine]
    deny_errno = ERRNO | errno.EPERM
    p = _Program()
    p.op(LD_W_ABS, ARCH)
    p.op(JEQ, audit_arch, 1, 0)
    p.op(RET, KILL_PROCESS)  # a call through another ABI (e.g. 32-bit int 0x80)
    p.op(LD_W_ABS, NR)
    if machine == "x86_64":
        p.op(JGE, X32_BIT, "deny", 0)
    for name in DENIED:
        p.op(JEQ, numbers[name], "deny", 0)
    p.op(JEQ, numbers["clone3"], "nosys", 0)
    p.op(JEQ, numbers["unshare"], "unshare", 0)
    p.op(JEQ, numbers["clone"], "clone", 0)
    p.op(RET, ALLOW)
    p.label("unshare")
    p.op(LD_W_ABS, ARG0)
    p.op(JSET, NEW_NAMESPACES | CLONE_NEWTIME, "deny", 0)
    p.op(RET, ALLOW)
    p.label("clone")
    p.op(LD_W_ABS, ARG0)
    p.op(JSET, NEW_NAMESPACES, "deny", 0)
    p.op(RET, ALLOW)
    p.label("deny")
    p.op(RET, deny_errno)
    p.label("nosys")
    p.op(RET, ERRNO | errno.ENOSYS)
    return p.assemble()


def filter_fd(machine: str | None = None) -> int:
    """A readable file descriptor holding the filter (inheritable, for bwrap)."""
    read, write = os.pipe()
    os.write(write, program(machine))  # ~0.4 KB: fits the pipe buffer
    os.close(write)
    os.set_inheritable(read, True)
    return read
