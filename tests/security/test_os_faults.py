"""OS faults are user errors (issue 11, point 7).

Attack classes, each of which failed on 615741d: ``--output`` into a folder or /proc and a
full disk gave exit code 3 "internal error"; ``--output sarif=<device node>`` replaced the
device with a regular file; SIGTERM during a write left the temp file behind.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flowaudit.cli import main
from tests.helpers import run

AS_OF = "2026-11-25"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".flowaudit-"))


def check_to(target: str) -> tuple[int, str]:
    result = run(["check", "--as-of", AS_OF, "--output", f"sarif={target}"])
    return result.exit_code, result.output.splitlines()[-1]


def test_output_into_a_folder_is_exit_2(tmp_path: Path) -> None:
    assert check_to(str(tmp_path)) == (
        2,
        f"flowaudit: cannot write {tmp_path}: it is a folder; name a file inside it",
    )
    assert leftovers(tmp_path) == []


def test_output_onto_a_device_or_fifo_leaves_it_alone(tmp_path: Path) -> None:
    # A device node of our own (a copy of /dev/null's numbers): never the system's, so a
    # run of this test against a writer that replaces devices breaks nothing outside.
    device: Path | None = tmp_path / "null"
    try:
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        device = None  # not root: no device of our own; the FIFO below still counts
    if device is not None:
        assert check_to(str(device)) == (
            2,
            f"flowaudit: cannot write {device}: it exists and is not a regular file; it is "
            "left alone",
        )
        assert stat.S_ISCHR(os.stat(device).st_mode)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert check_to(str(fifo))[0] == 2
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("target", ["/proc/flowaudit.sarif", "/proc/self/status"])
def test_output_into_proc_is_exit_2(target: str) -> None:
    code, message = check_to(target)
    assert code == 2
    assert message.startswith(f"flowaudit: cannot write {target}: ")


def test_output_under_a_file_or_without_permission_is_exit_2(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_text("x", encoding="utf-8")
    assert check_to(str(plain / "out.sarif")) == (
        2,
        f"flowaudit: cannot write {plain}/out.sarif: a part of the path is a file, not a folder",
    )
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, message = check_to(str(locked / "out.sarif"))
    finally:
        locked.chmod(0o700)
    if os.geteuid() == 0:  # root writes anywhere; the unwritable case is /proc above
        assert code in {0, 1}
    else:
        assert (code, message) == (
            2,
            f"flowaudit: cannot write {locked}/out.sarif: permission denied",
        )


def test_report_out_onto_a_file_is_exit_2(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_text("x", encoding="utf-8")
    result = run(["report", "--as-of", AS_OF, "--out", str(plain)])
    assert result.exit_code == 2


def test_a_full_disk_is_exit_2_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowaudit.reports import output

    def full(stream: object, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output, "_write", full)
    target = tmp_path / "out.sarif"
    assert check_to(str(target)) == (
        2,
        f"flowaudit: cannot write {target}: no space left on the device",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_console_entry_point_gives_exit_2_too(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", "--as-of", AS_OF, "--output", f"json={tmp_path}"])
    assert caught.value.code == 2


WRITER = textwrap.dedent(
    """
    import signal, sys, time
    from flowaudit.reports import output

    # Ctrl-C as in a terminal, even when whatever started the tests ignores SIGINT (a job
    # started in the background by a non-interactive shell inherits it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def slow(stream, data):
        stream.write(data[:10])
        stream.flush()
        print("writing", flush=True)
        time.sleep(60)

    output._write = slow
    output.write_atomic(sys.argv[1], "x" * 100_000)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_a_write_leaves_no_temp_file(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "report.sarif"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n"
        assert len(leftovers(tmp_path)) == 1  # the temp file exists while writing
        child.send_signal(signum)
        code = child.wait(timeout=30)
    finally:
        child.kill()
        child.wait()
    assert code != 0
    if signum == signal.SIGTERM:
        assert code == -signal.SIGTERM  # still ends as terminated, after cleaning up
    assert leftovers(tmp_path) == []
    assert not target.exists()
