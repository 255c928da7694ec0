"""The README shows real output: its excerpts must match what the commands print today."""

from __future__ import annotations

from pathlib import Path

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import run

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _block(command: str) -> list[str]:
    start = README.index(f"$ {command}\n") + len(command) + 3
    return README[start : README.index("```", start)].rstrip("\n").splitlines()


def test_check_excerpt_matches_the_real_output() -> None:
    output = run(["check", str(shipped_map_dir()), "--as-of", "2026-11-25"]).output
    actual = [line.split("concero/", 1)[-1] for line in output.splitlines()]
    shown = [
        line.split("concero/", 1)[-1]
        for line in _block("flowaudit check model/concero --as-of 2026-11-25")
        if line != "..."
    ]
    for line in shown:
        assert line in actual, line
    positions = [actual.index(line) for line in shown]
    assert positions == sorted(positions), "the excerpt shows the lines out of order"


def test_trace_excerpt_matches_the_real_output() -> None:
    output = run(["trace", "pupils"]).output.rstrip("\n").splitlines()
    assert _block("flowaudit trace pupils") == output
