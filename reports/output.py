"""Writing reports safely: to a temporary file in the same folder, then renamed, so an
interrupted run never leaves a half-written report behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def path_inside(folder: str | os.PathLike[str], name: str) -> Path:
    """``folder/name``, refusing any name that would land outside ``folder``: an absolute
    path, ``..``, a separator or a symlink that leads out. Every file a report writes into
    an ``--out`` folder goes through here."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"not a plain file name: {name!r}")
    base = Path(folder).resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise ValueError(f"{name!r} would be written outside {base}")
    return target


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write ``content`` to ``path`` atomically (same-folder temp file, fsync, rename)."""
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(prefix=".flowaudit-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
