"""The fuzz harness itself runs: its seeds and its old finds replay without a failure, so a
change to the loader's interface cannot leave `nox -s fuzz` broken unnoticed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted(
    [
        *(ROOT / "tests" / "fixtures" / "fuzz").glob("*.yaml"),
        *(ROOT / "model" / "concero").glob("*.yaml"),
    ]
)


def _harness():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("fuzz_loader", ROOT / "fuzz" / "fuzz_loader.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_the_fuzz_harness_replays_its_seeds(seed: Path) -> None:
    _harness().check_input(seed.read_bytes())
