"""The user's top-level layout is one installed package, loaded once under one name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", ["model", "policies", "checks", "reports"])
def test_a_top_level_folder_refuses_to_load_under_a_second_name(package: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {package}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"ImportError: import flowaudit.{package}, not {package}: install the package" in (
        result.stderr
    )


def test_the_installed_package_loads_each_module_once() -> None:
    import flowaudit.model.schema

    assert "model.schema" not in sys.modules
    assert flowaudit.model.schema.__name__ == "flowaudit.model.schema"
