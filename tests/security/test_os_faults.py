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


#: Every command that prints to standard output, with arguments that make it print (attack
#: review 2026-12-02i, B: all but check and report exited 3 on a full standard output).
PRINTING = [
    ["check", "--as-of", AS_OF],
    ["validate"],
    ["schema"],
    ["ropa", "--as-of", AS_OF],
    ["diagram"],
    ["trace", "contact"],
    ["law", "--as-of", AS_OF],
    ["rules"],
    ["explain", "GDPR-TRANSFER"],
    ["diff", "MAP", "MAP", "--as-of", AS_OF],
    ["init", "FOLDER"],
    ["report", "--as-of", AS_OF, "--out", "FOLDER", "--diagram", "none"],
    ["--version"],
    ["--help"],  # click's own echo wrote nothing to a closed stream and exited 0
    ["check", "--help"],
]


def _printing(args: list[str], folder: Path) -> list[str]:
    from flowaudit.model.loader import shipped_map_dir

    shipped = str(shipped_map_dir())
    return [{"MAP": shipped, "FOLDER": str(folder / "out")}.get(arg, arg) for arg in args]


@pytest.mark.parametrize("args", PRINTING, ids=lambda args: args[0])
@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_a_full_or_closed_standard_output_is_an_output_error_for_every_command(
    tmp_path: Path, args: list[str], stdout: str
) -> None:
    """``ropa``, ``diagram``, ``schema``, ``law``, ``rules``, ``explain``, ``diff`` and
    ``validate`` printed to /dev/full exited 3 (internal error), and ``check >&-`` too
    (``sys.stdout`` is None); the others printed nothing and exited 0. Each goes through one
    helper: exit 2, and a line that says what failed."""
    command = [sys.executable, "-m", "flowaudit", *_printing(args, tmp_path)]
    if stdout == "full":
        with open("/dev/full", "w", encoding="utf-8") as full:
            result = subprocess.run(
                command, check=False, stdout=full, stderr=subprocess.PIPE, text=True
            )
        said = "No space left on device"
    else:
        result = subprocess.run(
            command,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=lambda: os.close(1),  # in the child alone, before it runs flowaudit
        )
        said = "it is closed"
    assert (result.returncode, result.stderr.strip().splitlines()[-1]) == (
        2,
        f"flowaudit: cannot write standard output: {said}",
    ), result.stderr


@pytest.mark.parametrize("command", ["check", "report", "law"])
def test_an_audit_date_the_checks_cannot_compute_with_is_refused_at_the_option(
    tmp_path: Path, command: str
) -> None:
    """``--as-of 9999-12-31`` was an internal error (OverflowError: a rule's look-ahead
    window ran past the last date): refused as an invalid --as-of, as a day that does not
    exist is; the last day that can be computed with is audited."""
    extra = ["--out", str(tmp_path / "out"), "--diagram", "none"] if command == "report" else []
    result = run([command, "--as-of", "9999-12-31", *extra])
    assert result.exit_code == 2, result.output
    assert (
        "Invalid value for '--as-of': '9999-12-31': audit dates after 9989-12-23 cannot be "
        "computed with (a rule looks up to 3660 days ahead, and no date comes after "
        "9999-12-31)"
    ) in result.output
    assert run([command, "--as-of", "9989-12-23", *extra]).exit_code in (0, 1)
