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


def test_no_module_of_the_package_is_loaded_twice_under_two_names() -> None:
    """Every module of flowaudit, imported, is in sys.modules under one name only: a second
    name for the same file (``model.schema`` beside ``flowaudit.model.schema``) would give
    two copies of each class, and isinstance checks across them would silently fail."""
    import importlib
    import pkgutil

    import flowaudit

    for module in pkgutil.walk_packages(flowaudit.__path__, "flowaudit."):
        if module.name != "flowaudit.__main__":  # that one runs the command line
            importlib.import_module(module.name)
    by_file: dict[str, list[str]] = {}
    for name, loaded in list(sys.modules.items()):
        file = getattr(loaded, "__file__", None)
        if file and (name == "flowaudit" or name.startswith("flowaudit.")):
            by_file.setdefault(str(Path(file).resolve()), []).append(name)
    assert len(by_file) > 50  # the walk imported the package, not nothing
    twice = {file: names for file, names in by_file.items() if len(names) > 1}
    assert twice == {}
    # ...and under no name outside the package either
    files = set(by_file)
    others = [
        name
        for name, loaded in list(sys.modules.items())
        if not (name == "flowaudit" or name.startswith("flowaudit."))
        and getattr(loaded, "__file__", None)
        and str(Path(loaded.__file__).resolve()) in files
    ]
    assert others == []


def test_a_strict_editable_install_reads_the_shipped_map_from_the_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``nox -s dev`` installs flowaudit/model/* as links to model/*: the shipped map is read
    where its files are (discovery refuses links that leave a map folder) and still named
    as flowaudit's own, as in a real install."""
    from flowaudit.model import discovery, loader

    sources = tmp_path / "repo" / "model"
    (sources / "concero").mkdir(parents=True)
    (sources / "loader.py").write_text("", encoding="utf-8")
    (sources / "discovery.py").write_text("", encoding="utf-8")
    linked = tmp_path / "build" / "flowaudit" / "model"
    linked.mkdir(parents=True)
    for name in ("loader.py", "discovery.py"):
        (linked / name).symlink_to(sources / name)
    monkeypatch.setattr(loader, "__file__", str(linked / "loader.py"))
    monkeypatch.setattr(discovery, "__file__", str(linked / "discovery.py"))
    assert loader.shipped_map_dir() == sources / "concero"
    shown = discovery.display_path(sources / "concero" / "flows.yaml")
    assert shown == "<flowaudit>/model/concero/flows.yaml"
