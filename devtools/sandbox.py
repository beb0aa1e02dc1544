"""Write-protect a process with Linux Landlock: it may read everything but write only where it is allowed.

``make serve`` starts every Voila kernel through this module (its kernel spec's ``argv``, see
:mod:`devtools.serve`)::

    python -m devtools.sandbox --write DIR [--write DIR ...] -- -f {connection_file}

applies the rule to itself and then runs ``ipykernel_launcher`` with the arguments after ``--``. The rule
holds for the kernel and every process it starts, and cannot be lifted from inside, even by root: creating,
writing, truncating, renaming or removing a file anywhere but beneath the ``--write`` folders fails with
``PermissionError``. Reading, executing and the network are not restricted.

Landlock is in Linux since 5.13 (ABI 1); :func:`abi` says whether this machine has it.
"""
from __future__ import annotations

import ctypes
import os
import runpy
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446  # same numbers on x86-64 and arm64
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# LANDLOCK_ACCESS_FS_* bits that change the file system (reads and execution are left alone).
_WRITE_FILE, _REMOVE_DIR, _REMOVE_FILE = 1 << 1, 1 << 4, 1 << 5
_MAKE = sum(1 << b for b in range(6, 13))  # MAKE_CHAR, MAKE_DIR, MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM
_REFER, _TRUNCATE = 1 << 13, 1 << 14  # ABI 2, ABI 3


class SandboxError(RuntimeError):
    """Landlock is not available or refused the rule (nothing was restricted)."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def abi() -> int:
    """The Landlock ABI version of the running kernel (0 when Landlock is missing or disabled)."""
    if not sys.platform.startswith("linux"):
        return 0
    r = _libc().syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(r), 0)


def write_rights(version: int) -> int:
    """The write access rights Landlock ABI ``version`` knows (the ones the rule handles)."""
    rights = _WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKE
    if version >= 2:
        rights |= _REFER
    if version >= 3:
        rights |= _TRUNCATE
    return rights


def restrict_writes(writable: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Forbid this process (and its future children) to write anywhere but beneath ``writable``.

    Parameters
    ----------
    writable : folders where creating, writing and removing files stays allowed (each must exist).

    Returns
    -------
    The writable folders, resolved.

    Raises
    ------
    SandboxError
        Landlock is missing, or a folder does not exist (then nothing was restricted).
    """
    version = abi()
    if version < 1:
        raise SandboxError("Linux Landlock is not available (kernel 5.13 or later with Landlock enabled)")
    folders = [Path(p).resolve() for p in writable]
    missing = [str(p) for p in folders if not p.is_dir()]
    if missing:
        raise SandboxError(f"writable folders must exist: {', '.join(missing)}")
    libc, rights = _libc(), write_rights(version)
    attr = _RulesetAttr(rights)
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)),
                           ctypes.c_uint32(0))
    if ruleset < 0:
        raise SandboxError(f"landlock_create_ruleset: {os.strerror(ctypes.get_errno())}")
    try:
        for folder in folders:
            fd = os.open(folder, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = _PathBeneathAttr(rights, fd)
                if libc.syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH),
                                ctypes.byref(rule), ctypes.c_uint32(0)) < 0:
                    raise SandboxError(f"landlock_add_rule {folder}: {os.strerror(ctypes.get_errno())}")
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise SandboxError(f"prctl(NO_NEW_PRIVS): {os.strerror(ctypes.get_errno())}")
        if libc.syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            raise SandboxError(f"landlock_restrict_self: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(ruleset)
    return folders


def main(argv: Sequence[str] | None = None) -> None:
    """``--write DIR ... -- <ipykernel_launcher arguments>``: restrict writes, then become the kernel."""
    args = list(sys.argv[1:] if argv is None else argv)
    rest = args[args.index("--") + 1:] if "--" in args else []
    head = args[:args.index("--")] if "--" in args else args
    writable = [head[i + 1] for i, a in enumerate(head) if a == "--write" and i + 1 < len(head)]
    restrict_writes(writable)
    sys.argv = ["ipykernel_launcher", *rest]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
