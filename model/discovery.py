"""Which files make up a map, and opening them without being tricked.

Every file in a map folder is read or refused, so that no rename or move can make a file,
and with it its findings, disappear: ``.yaml``, ``.yml`` and ``.json`` in any letter case
and in any subfolder are read, sorted by their path relative to the folder (POSIX form,
code-point order); anything else is an input error unless ``.flowauditignore`` (gitignore
syntax, in the folder itself) names it. Hidden files that are not map files (``.gitignore``,
``.DS_Store``) and version-control folders (``.git``, ``.hg``, ``.svn``) are skipped.

Only regular files are read. The walk decides from ``stat`` without opening anything; the
open is non-blocking and checked again with ``fstat``, so a FIFO, a device or a socket can
neither hang nor feed a run. A symlink is followed only while it stays inside the folder.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field

from flowaudit.model.ignorefile import IgnoreRules, parse
from flowaudit.model.problems import InputError, Problem

MAP_SUFFIXES = (".yaml", ".yml", ".json")
IGNORE_FILE = ".flowauditignore"
VCS_FOLDERS = frozenset({".git", ".hg", ".svn"})
#: The version-control folders a git commit can carry (git refuses a path through ``.git``):
#: skipped like ``.git``, a map file a pull request moved into one was never read, and the
#: gate passed as its critical finding went "removed" (output review s16, problem 5).
COMMITTABLE_VCS_FOLDERS = frozenset({".hg", ".svn"})
#: Entries looked at inside ignored folders for map files to warn of.
MAX_IGNORED_LOOK = 10_000

#: An ignore file is a short list of patterns; anything bigger is not one.
MAX_IGNORE_BYTES = 1 << 20


def is_map_name(name: str) -> bool:
    """Whether a file name is a map file's: ``.yaml``, ``.yml`` or ``.json``, any case."""
    return name.lower().endswith(MAP_SUFFIXES)


#: The largest ignored ``*.schema.json`` read to tell a JSON Schema from a map.
MAX_SCHEMA_LOOK = 4 * 1024 * 1024


def _warned_if_ignored(name: str, path: str) -> bool:
    """Whether an ignored file is a map file to warn of: a map file's name, unless it is a
    JSON Schema (``*.schema.json``, as `init` writes into ``.schema/`` for editors) that holds
    none of a map's top-level keys: a map saved under that name was dropped without a word
    (attack review 2026-12-03p, problem 8)."""
    if not is_map_name(name):
        return False
    if not name.lower().endswith(".schema.json"):
        return True
    return not _is_plain_schema(path)


def _is_plain_schema(path: str) -> bool:
    """Whether a file is a JSON object with none of a map's top-level keys (nothing a map
    would be read for); anything else, unreadable or too big to look at, is not."""
    from flowaudit.model.loader import TOP_LEVEL_KEYS  # (the loader imports this module)

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SCHEMA_LOOK + 1)
        if len(raw) > MAX_SCHEMA_LOOK:
            return False
        document = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return False
    map_keys = set(TOP_LEVEL_KEYS) - {"$schema"}
    return isinstance(document, dict) and map_keys.isdisjoint(document)


def display_path(path: str | os.PathLike[str], given: str | os.PathLike[str] | None = None) -> str:
    """A path as people and CI annotations want it, never an install path: a file that
    ships inside flowaudit reads ``<flowaudit>/model/concero/flows.yaml``; any other file
    is relative to the working folder when inside it; outside it, relative to the folder
    ``given`` (the file or folder named on the command line that it was found under) was
    named in: ``/srv/maps/acme`` given, ``/srv/maps/acme/flows.yaml`` reads
    ``acme/flows.yaml``; ``/tmp/x/map.json`` given reads ``map.json``. Without ``given``,
    absolute."""
    absolute = os.path.abspath(path)
    package = os.path.dirname(os.path.abspath(_package_file()))
    if absolute.startswith(package + os.sep):
        return "<flowaudit>/" + os.path.relpath(absolute, package).replace(os.sep, "/")
    # A strict editable install links flowaudit/model/* to the sources of model/: the shipped
    # map read there is still flowaudit's own, named the same as when installed.
    sources = os.path.dirname(os.path.realpath(__file__))
    if absolute.startswith(sources + os.sep):
        return "<flowaudit>/model/" + os.path.relpath(absolute, sources).replace(os.sep, "/")
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # pragma: no cover - other drive on Windows
        return absolute
    if not relative.startswith(".."):
        return relative
    if given is None:
        return absolute
    parent = os.path.dirname(os.path.abspath(given))
    return os.path.relpath(absolute, parent).replace(os.sep, "/")


def _package_file() -> str:
    """flowaudit's own __init__.py: the root of what an install ships."""
    import flowaudit

    return flowaudit.__file__ or ""


@dataclass
class Discovery:
    """What a set of paths holds: the map files in reading order, the ignore files that
    shaped the walk (part of the map: their changes are changes to review), what they hid."""

    files: list[str] = field(default_factory=list)
    ignore_files: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    #: Of those, the map files (a ``.yaml`` named, or one inside a folder named): each is
    #: warned of, since a plain check cannot tell a note from a map file kept out of the audit
    ignored_maps: list[str] = field(default_factory=list)
    #: The same files by their path on disk: the gate compares each with the base (attack
    #: review 2026-12-03u, problem 2)
    ignored_map_paths: list[str] = field(default_factory=list)
    #: Ignored folders holding more entries than were looked at for map files: said too, so
    #: ten thousand fillers cannot hide one (attack review 2026-12-03q, problem 5)
    ignored_unread: list[str] = field(default_factory=list)
    #: The same folders by their path on disk
    ignored_unread_paths: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    display: dict[str, str] = field(default_factory=dict)
    """How each file (and ignore file) is shown (:func:`display_path`, from the argument it
    was found under); two that would read the same are shown absolute."""


def _kind(mode: int) -> str:
    """A file type in words, for 'is not a regular file (a FIFO)'."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def path_inside(path: str, root: str) -> bool:
    """Whether a (real) path is ``root`` or lies under it: where a link may lead."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _in_vcs_folder(path: str, root: str) -> bool:
    """Whether a real path inside ``root`` lies in one of its version-control folders: a map
    folder that is the repository's root holds ``.git``, and a link into it read
    ``.git/config``, which holds the checkout's credentials header (gate review s21)."""
    return not VCS_FOLDERS.isdisjoint(os.path.relpath(path, root).split(os.sep))


class _Walker:
    """Walks one map folder; collects files and problems rather than stopping at the first."""

    def __init__(
        self, root: str, found: Discovery, report_others: bool, given: str | None = None
    ) -> None:
        self.root = root
        self.given = given  # what paths are shown from (display_path), None: absolute
        self.real_root = os.path.realpath(root)
        self.found = found
        self.report_others = report_others
        self.files: list[tuple[str, str]] = []  # (relative POSIX path, path)
        self.visited: set[str] = set()
        self.spec = self._ignore_spec()

    def _show(self, path: str) -> str:
        return display_path(path, self.given)

    def _problem(self, path: str, message: str) -> None:
        self.found.problems.append(Problem(self._show(path), 1, 1, message))

    def _ignore_spec(self) -> IgnoreRules | None:
        path = os.path.join(self.root, IGNORE_FILE)
        if not os.path.lexists(path):
            return None
        real_path = os.path.realpath(path)
        if not path_inside(real_path, self.real_root) or _in_vcs_folder(real_path, self.real_root):
            # a link out of the folder read a file of the runner's, and a line it could not
            # read as a pattern was printed: `.flowauditignore -> /proc/self/environ` showed
            # the run's environment in the log (gate review s21); held like a map file's link
            self._problem(path, "symlink leads outside the map folder: not read")
            return None
        try:
            raw = read_regular(path, self._show(path), MAX_IGNORE_BYTES)
            text = raw.decode("utf-8")
        except InputError as error:
            self.found.problems.extend(error.problems)
            return None
        except UnicodeDecodeError:
            self._problem(path, "ignore file is not valid UTF-8 text")
            return None
        self.found.ignore_files.append(path)
        self.found.display[path] = self._show(path)
        rules, refused = parse(text)
        if rules is None:
            shown = self._show(path)
            self.found.problems.extend(Problem(shown, n, column, why) for n, column, why in refused)
            return None
        return rules

    def walk(self) -> None:
        self.visited.add(self.real_root)
        self._folder(self.root, "")
        self.files.sort()
        self.found.files.extend(path for _, path in self.files)
        self.found.display.update((path, self._show(path)) for _, path in self.files)

    def _folder(self, folder: str, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            self._problem(folder, f"cannot read folder: {error.strerror}")
            return
        for entry in entries:
            self._entry(entry.path, entry.name, prefix + entry.name)

    def _entry(self, path: str, name: str, relative: str) -> None:
        if name in COMMITTABLE_VCS_FOLDERS and os.path.isdir(path) and not os.path.islink(path):
            self._refuse_maps_in_vcs(path)
        if name in VCS_FOLDERS or (relative == IGNORE_FILE):
            return
        try:
            info = os.lstat(path)
        except OSError as error:
            self._problem(path, f"cannot read: {error.strerror}")
            return
        mode = info.st_mode
        if self._ignores(relative):
            self.found.ignored.append(self._show(path))
            if stat.S_ISREG(mode) and _warned_if_ignored(name, path):
                self.found.ignored_maps.append(self._show(path))
                self.found.ignored_map_paths.append(path)
            elif stat.S_ISDIR(mode):
                self._note_ignored_maps(path)
            return
        if stat.S_ISLNK(mode):
            target = self._follow(path)
            if target is None:
                return
            mode = target
        if stat.S_ISDIR(mode) and self._ignores(relative + "/"):
            self.found.ignored.append(self._show(path))
            if not stat.S_ISLNK(info.st_mode):
                self._note_ignored_maps(path)
            return
        if stat.S_ISDIR(mode):
            if is_map_name(name):
                self._problem(path, "is a folder, but its name is a map file's")
                return
            real = os.path.realpath(path)
            if real in self.visited:
                self._problem(path, "symlink loop: this folder is already being read")
                return
            self.visited.add(real)
            self._folder(path, relative + "/")
        elif stat.S_ISREG(mode):
            if is_map_name(name):
                self.files.append((relative, path))
            elif self.report_others and not name.startswith("."):
                self._problem(
                    path,
                    "not a map file (.yaml, .yml or .json): move it out of the map folder "
                    f"or name it in {IGNORE_FILE}",
                )
        elif is_map_name(name) or self.report_others:
            self._problem(path, f"is {_kind(mode)}, not a regular file: only files are read")

    def _refuse_maps_in_vcs(self, folder: str) -> None:
        """A problem at each map file in a ``.hg`` or ``.svn`` folder (links not followed,
        at most ``MAX_IGNORED_LOOK`` entries looked at): such a folder is skipped, and no
        version-control system keeps a map file there, so one in it was put there to be
        left out of the audit (output review s16, problem 5)."""
        entries, _ = _entries_below(folder)
        for entry in entries:
            if is_map_name(entry.name):
                self._problem(
                    entry.path,
                    f"a map file inside the version-control folder "
                    f"{os.path.basename(folder)}/, which is never read: move it "
                    "out of that folder (or delete it)",
                )

    def _note_ignored_maps(self, folder: str) -> None:
        """The map files an ignored folder holds (its own files and subfolders', links not
        followed, at most ``MAX_IGNORED_LOOK`` entries looked at): attack review 2026-12-03o,
        problem 7, a plain check dropped an ignored map file without a word."""
        entries, cut = _entries_below(folder)
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and _warned_if_ignored(entry.name, entry.path):
                self.found.ignored_maps.append(self._show(entry.path))
                self.found.ignored_map_paths.append(entry.path)
        if cut:
            self.found.ignored_unread.append(self._show(folder))
            self.found.ignored_unread_paths.append(folder)

    def _ignores(self, relative: str) -> bool:
        return self.spec is not None and self.spec.ignores(relative)

    def _follow(self, path: str) -> int | None:
        """The mode of a symlink's target inside the map folder, or None with a problem."""
        real_path = os.path.realpath(path)
        if not path_inside(real_path, self.real_root):
            self._problem(path, "symlink leads outside the map folder: not read")
            return None
        if _in_vcs_folder(real_path, self.real_root):
            self._problem(path, "symlink leads into a version-control folder: not read")
            return None
        try:
            real = os.path.realpath(path, strict=True)
            return os.stat(real).st_mode
        except OSError as error:
            self._problem(path, _os_reason(error))
            return None


def discover_all(
    paths: Iterable[str | os.PathLike[str]],
    report_others: bool = True,
    from_arguments: bool = True,
) -> Discovery:
    """Every map file named by ``paths``: files as given, folders walked (see module doc).

    With ``report_others`` false (manifests of another tool), files that are not map files
    are skipped instead of refused. Problems are collected, not raised. With
    ``from_arguments``, a file outside the working folder is shown from the folder its
    argument was named in (:func:`display_path`); without, absolute."""
    found = Discovery()
    for path in paths:
        text = os.fspath(path)
        given = text if from_arguments else None
        if os.path.isdir(text):
            before = len(found.files) + len(found.problems)
            _Walker(text, found, report_others, given).walk()
            if len(found.files) + len(found.problems) == before:
                found.problems.append(
                    Problem(display_path(text), 1, 1, "folder has no .yaml, .yml or .json file")
                )
        elif os.path.lexists(text):
            try:
                mode = os.stat(text).st_mode
            except OSError as error:
                found.problems.append(Problem(display_path(text), 1, 1, _os_reason(error)))
                continue
            if stat.S_ISREG(mode):
                found.files.append(text)
                found.display[text] = display_path(text, given)
            else:
                found.problems.append(
                    Problem(display_path(text), 1, 1, f"is {_kind(mode)}, not a regular file")
                )
        else:
            found.problems.append(Problem(display_path(text), 1, 1, "no such file or folder"))
    _unambiguous(found.display)
    return found


def _unambiguous(display: dict[str, str]) -> None:
    """Show absolute any two files that would read the same (``map.json`` from two folders)."""
    seen: dict[str, list[str]] = {}
    for path, shown in display.items():
        seen.setdefault(shown, []).append(path)
    for paths in seen.values():
        real = {os.path.realpath(path) for path in paths}
        if len(real) > 1:
            for path in paths:
                display[path] = os.path.abspath(path)


def discover(paths: Iterable[str | os.PathLike[str]], report_others: bool = True) -> list[str]:
    """The map files named by ``paths`` in reading order; InputError if any is refused."""
    found = discover_all(paths, report_others)
    if found.problems:
        raise InputError(found.problems)
    return found.files


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop: the link never reaches a file"
    if error.errno == errno.ENOENT:
        return "broken symlink: its target does not exist"
    return f"cannot read: {error.strerror}"


def read_regular(path: str, display: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most ``max_bytes``; InputError for anything else.

    Opened non-blocking (a FIFO cannot hang the open) and checked with fstat on the open
    descriptor, so swapping the file for something else after discovery does not help."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise InputError([Problem(display, 1, 1, _os_reason(error))]) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                [Problem(display, 1, 1, f"is {_kind(info.st_mode)}, not a regular file")]
            )
        if info.st_size > max_bytes:
            raise InputError(
                [
                    Problem(
                        display,
                        1,
                        1,
                        f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,} "
                        "(raise it with --max-file-size)",
                    )
                ]
            )
        chunks: list[bytes] = []
        size = 0
        # the whole file in one read (then one more to see its end): read a megabyte at a
        # time, a 30 MB map was 30 pieces joined into a copy, 0.03 s of a check
        want = max(1 << 20, info.st_size + 1)
        while size <= max_bytes:
            try:
                chunk = os.read(descriptor, min(want, max_bytes + 1 - size))
            except OSError as error:
                raise InputError(
                    [Problem(display, 1, 1, f"cannot read: {error.strerror}")]
                ) from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:  # grew while we read it
            raise InputError(
                [Problem(display, 1, 1, f"file is over the limit of {max_bytes:,} bytes")]
            )
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _entries_below(folder: str) -> tuple[list[os.DirEntry[str]], bool]:
    """Every entry below ``folder`` that is not a directory (links not followed, each
    folder's entries by name, depth first), and whether the walk stopped at
    ``MAX_IGNORED_LOOK`` entries looked at: a folder that is skipped is looked into only
    to say what it holds, never without bound. An unreadable folder holds nothing to say."""
    found: list[os.DirEntry[str]] = []
    looked = 0
    pending = [folder]
    while pending and looked < MAX_IGNORED_LOOK:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    looked += 1
                    if looked > MAX_IGNORED_LOOK:
                        return found, True
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    else:
                        found.append(entry)
        except OSError:
            continue
    return found, False
