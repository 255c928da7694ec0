"""Writing reports safely: to a temporary file in the same folder, then renamed, so an
interrupted run never leaves a half-written report behind, nor its temp file; and OS
faults are the user's to fix (exit code 2), never a crash."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import BinaryIO


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


def refuse_linked_folder(folder: str, within: str | None = None, what: str = "report") -> None:
    """Refuse an output folder that is a symlink, or that passes through one inside the
    working folder (``within``, the current one by default): ``report --out
    flowaudit-report`` on a pull request's checkout followed a symlink the pull request
    committed and deleted and rewrote the report's files wherever it pointed, silently
    (attack review 2026-12-03w, problem 4). Every file any command writes is held to it
    (``write_atomic``): ``check --output sarif=out/x.sarif`` under a committed ``out`` link
    wrote wherever it pointed. A link above the working folder (``/tmp`` on some systems) is
    the machine's, not the checkout's, and is left alone."""
    root = os.path.abspath(within if within is not None else os.getcwd())
    path = os.path.abspath(folder)
    steps = [path]
    parent = os.path.dirname(path)
    while parent != steps[-1] and os.path.commonpath((root, parent)) == root and parent != root:
        steps.append(parent)
        parent = os.path.dirname(parent)
    for step in steps:
        if os.path.islink(step):
            itself = step == path
            which = "it" if itself else f"its folder {os.path.relpath(step, root)}"
            real = "file" if itself and what == "output" else "folder"
            raise OutputError(
                folder,
                f"{which} is a symlink (to {os.readlink(step)}), which could lead the {what} "
                f"anywhere; name a real {real}",
            )


def _describe(error: OSError) -> str:
    """An OS error in the words a CI log reader needs: what went wrong, not a traceback."""
    reasons = {
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.EROFS: "read-only file system",
        errno.ENOENT: "no file can be created there",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EISDIR: "it is a folder",
        errno.EEXIST: "a part of the path is a file, not a folder",
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))


class OutputError(Exception):
    """A report could not be written: a user's problem (exit code 2), not a bug."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")


class _Terminated(BaseException):
    """SIGTERM turned into an exception while a report is written, so the temp file goes."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated(signum)


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While writing, SIGTERM unwinds like Ctrl-C (KeyboardInterrupt) so ``finally`` runs;
    afterwards it is re-delivered with the handler that was in place."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:
        yield  # someone (the CLI) already turns SIGTERM into an exception
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous)
        os.kill(os.getpid(), signal.SIGTERM)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def _check_target(target: str) -> str:
    """The folder to write into; refuses a target that is a folder or not a regular file,
    which a rename would replace (a device node must never become a report)."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise OutputError(target, _describe(error)) from None
    else:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(target, "it is a folder; name a file inside it")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(target, "it exists and is not a regular file; it is left alone")
    folder = os.path.dirname(os.path.abspath(target))
    refuse_linked_folder(target, what="output")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        raise OutputError(target, _describe(error)) from None
    return folder


def write_atomic(
    path: str | os.PathLike[str], content: str | bytes | Iterable[str | bytes]
) -> None:
    """Write ``content`` to ``path`` atomically (same-folder temp file, fsync, rename).
    ``content`` may be pieces (a renderer's generator): each is written as it comes, so a
    report of hundreds of MB is never whole in memory; the file appears only complete.

    OS faults (a folder or device in the way, no permission, a full disk) raise
    OutputError; no fault, no error while the pieces are made and no SIGINT or SIGTERM
    leaves the temp file behind."""
    target = os.fspath(path)
    folder = _check_target(target)
    pieces = [content] if isinstance(content, str | bytes) else content
    temporary: str | None = None
    with sigterm_unwinds():
        try:
            handle, temporary = tempfile.mkstemp(prefix=".flowaudit-", suffix=".tmp", dir=folder)
            with os.fdopen(handle, "wb") as stream:
                for piece in pieces:
                    _write(stream, piece.encode("utf-8") if isinstance(piece, str) else piece)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
            _check_target(target)  # nothing swapped in while we wrote
            os.replace(temporary, target)
            temporary = None
        except OSError as error:
            raise OutputError(target, _describe(error)) from None
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def _write(stream: BinaryIO, data: bytes) -> None:
    """One write call, a seam for tests that simulate a full disk."""
    stream.write(data)


def _staged(target: str, folder: str, pieces: Iterable[str | bytes]) -> str:
    """``pieces`` written to a temp file beside ``target`` (fsynced): its path."""
    handle, temporary = tempfile.mkstemp(prefix=".flowaudit-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            for piece in pieces:
                _write(stream, piece.encode("utf-8") if isinstance(piece, str) else piece)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary


class OutputSet:
    """Files written together or not at all: each is staged (a temp file beside it) as it
    is added, and :meth:`commit` renames them all into place. One that cannot be staged,
    a fault in a renderer, SIGINT or SIGTERM removes every temp file and replaces nothing:
    ``check --output sarif=ok.sarif --output json=/unwritable/x.json`` wrote the SARIF and
    then failed, leaving a SARIF of a run that said it failed (output review s16, problem
    3). A rename that fails half-way puts the files it replaced back from their hard-link
    backups. Used as a context manager: SIGTERM unwinds for its whole life (between two
    files too), and whatever is staged and not committed when it ends is removed."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._staged: list[tuple[str, str]] = []  # (temporary, target)
        self._targets: set[str] = set()
        self._guard = contextlib.ExitStack()

    def __enter__(self) -> OutputSet:
        self._guard.enter_context(sigterm_unwinds())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.discard()  # staged and never committed: an error, or SIGINT/SIGTERM
        finally:
            self._guard.__exit__(*exc)  # type: ignore[arg-type]

    def _none_written(self, error: OutputError) -> OutputError:
        if self.count < 2:
            return error
        return OutputError(
            error.path, f"{error.reason}; none of the {self.count} files of this run was written"
        )

    def add(
        self, path: str | os.PathLike[str], content: str | bytes | Iterable[str | bytes]
    ) -> None:
        """Stage ``content`` for ``path``; OutputError (every staged file dropped) if not."""
        target = os.fspath(path)
        try:
            real = os.path.realpath(target)
            if real in self._targets:
                raise OutputError(target, "another output of this run names the same file")
            self._targets.add(real)
            folder = _check_target(target)
            pieces = [content] if isinstance(content, str | bytes) else content
            try:
                self._staged.append((_staged(target, folder, pieces), target))
            except OSError as error:
                raise OutputError(target, _describe(error)) from None
        except OutputError as error:
            self.discard()
            raise self._none_written(error) from None
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Remove every staged temp file; nothing was replaced."""
        for temporary, _target in self._staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        self._staged = []

    def commit(self) -> tuple[str, ...]:
        """Rename every staged file into place, or none: the targets it names."""
        backups: list[tuple[str, str | None]] = []  # (target, backup of what it held)
        try:
            for temporary, target in self._staged:
                _check_target(target)  # nothing swapped in while we wrote
                backup = None
                if os.path.exists(target):
                    backup = f"{temporary}.old"
                    with contextlib.suppress(OSError):
                        os.link(target, backup)
                    if not os.path.exists(backup):
                        backup = None
                backups.append((target, backup))
            for temporary, target in self._staged:
                os.replace(temporary, target)
        except BaseException as error:
            self._roll_back(backups)
            self.discard()
            if isinstance(error, OutputError):
                raise self._none_written(error) from None
            if isinstance(error, OSError):
                raise self._none_written(
                    OutputError(error.filename or "output", _describe(error))
                ) from None
            raise
        for _target, backup in backups:
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(backup)
        written = tuple(target for _temporary, target in self._staged)
        self._staged = []
        return written

    def _roll_back(self, backups: list[tuple[str, str | None]]) -> None:
        """Put back what each replaced target held (or remove what a rename created)."""
        replaced = {target for temporary, target in self._staged if not os.path.exists(temporary)}
        for target, backup in backups:
            if target not in replaced:
                if backup is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(backup)
                continue
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    os.unlink(target)
