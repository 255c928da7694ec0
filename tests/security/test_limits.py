"""Bounded resources (issue 11, point 6).

Attack classes, each of which failed on 615741d:
- a CEL expression of 15,000 terms segfaulted the process (exit 139);
- a 300-byte expression of six nested comprehensions ran 20+ s (nine deep: hours);
- an expression within the scan's bounds but costly over the map ran unbounded;
- an override could swap in any expression, unchecked;
- a huge name or text was printed with every finding about its element (a 1 MB map gave
  300 MB of output).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import run

AS_OF = "2026-11-25"
RULE = """\
policy: {{id: hostile, title: Hostile}}
rules:
  - id: HOSTILE-CEL
    kind: condition
    title: hostile
    severity: low
    rationale: test
    references: {{legal: [none]}}
    fix: none
    message: failed
    expression: {expression}
"""
EXPRESSION_AT = "policy.yaml:11:5"


def write_policy(tmp_path: Path, expression: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(RULE.format(expression=expression), encoding="utf-8")
    return path


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process: a segfault or a hang fails the test, not the suite."""
    return subprocess.run(
        [sys.executable, "-m", "flowaudit", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def located(result: subprocess.CompletedProcess[str], tmp_path: Path) -> list[str]:
    return [
        line.removeprefix(f"{tmp_path}/")
        for line in result.stderr.splitlines()
        if line.startswith(str(tmp_path))
    ]


def test_15000_terms_are_refused_before_compiling_not_a_segfault(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, "+".join(["1"] * 15_000) + " > 0")
    result = cli("check", "--policies", str(policy), "--as-of", AS_OF)
    assert result.returncode == 2, result.stderr[-300:]  # refused by the text cap first
    result = cli("check", "--policies", str(policy), "--as-of", AS_OF, "--max-text", "99999")
    assert result.returncode == 2, result.stderr[-300:]
    assert located(result, tmp_path) == [
        f"{EXPRESSION_AT}: expression is not valid CEL: expression is 30,003 characters "
        "long, over the limit of 2,000"
    ]


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("+".join(["1"] * 600) + " > 0", "expression has more than 500 terms"),
        ("(" * 40 + "true" + ")" * 40, "expression nests brackets more than 16 deep"),
        (
            "[1,2].all(a, [1,2].all(b, [1,2].all(c, true)))",
            "expression nests comprehensions (all, exists, map, filter...) more than 2 "
            "deep: its cost would multiply",
        ),
    ],
)
def test_expressions_past_a_bound_are_located_input_errors(
    tmp_path: Path, expression: str, reason: str
) -> None:
    policy = write_policy(tmp_path, f"'{expression}'")
    result = cli("check", "--policies", str(policy), "--as-of", AS_OF, timeout=60)
    assert result.returncode == 2, result.stderr[-300:]
    assert located(result, tmp_path) == [f"{EXPRESSION_AT}: expression is not valid CEL: {reason}"]


def test_six_nested_comprehensions_in_300_bytes_are_refused_at_once(tmp_path: Path) -> None:
    items = "[" + ",".join(str(i) for i in range(10)) + "]"
    expression = "true"
    for depth in range(6):
        expression = f"{items}.all(x{depth}, {expression})"
    assert len(expression) < 300
    policy = write_policy(tmp_path, f"'{expression}'")
    started = time.monotonic()
    result = cli("check", "--policies", str(policy), "--as-of", AS_OF, timeout=60)
    assert result.returncode == 2
    assert "more than 2 deep" in result.stderr
    assert time.monotonic() - started < 15


def test_a_costly_expression_stops_at_its_evaluation_budget(tmp_path: Path) -> None:
    # about 0.13 s a flow (52,900 steps of five string conversions): five times the budget
    # over the map's flows, not on its edge (two conversions a step, 0.02 s a flow, came within
    # 0.03 s of it and passed on a quiet machine)
    items = "[" + ",".join(str(i % 10) for i in range(230)) + "]"
    body = "string(a) + string(b) + string(a * b) + string(a + b) + string(a - b) != 'x'"
    expression = f"{items}.all(a, {items}.all(b, {body}))"
    assert len(expression) < 2_000
    policy = write_policy(tmp_path, f'"{expression}"')
    started = time.monotonic()
    result = cli(
        "check",
        "--policies",
        str(policy),
        "--as-of",
        AS_OF,
        env={"FLOWAUDIT_CEL_SECONDS": "0.5"},
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.stderr[-300:]
    [line] = located(result, tmp_path)
    assert line.startswith(f"{EXPRESSION_AT}: HOSTILE-CEL: expression stopped on flows/")
    # the budget: the 0.5 s base plus 1 ms per flow the rule matches
    assert re.search(
        r": it exceeded its evaluation budget of 0\.\d+ s "
        r"\(simplify it, or raise FLOWAUDIT_CEL_SECONDS\)$",
        line,
    ), line
    assert elapsed < 30


def test_an_override_cannot_swap_in_an_unbounded_expression(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "policy: {id: sneaky, title: Sneaky}\n"
        "overrides:\n"
        "  - rule: CONCERO-NO-SALE-RECIPIENT\n"
        "    justification: faster\n"
        "    set:\n"
        f"      expression: '{'+'.join(['1'] * 15_000)} > 0'\n",
        encoding="utf-8",
    )
    args = ("check", "--policies", str(policy), "--as-of", AS_OF, "--max-text", "99999")
    result = cli(*args)
    assert result.returncode == 2, result.stderr[-300:]
    assert located(result, tmp_path) == [
        "policy.yaml:6:7: expression is not valid CEL: expression is 30,003 characters long, "
        "over the limit of 2,000"
    ]


def test_a_crash_of_the_cel_library_is_contained_in_the_child() -> None:
    from flowaudit.checks.condition import _bounded

    def crashing() -> Iterator[str]:
        yield "T"
        os.kill(os.getpid(), signal.SIGSEGV)
        yield "T"  # pragma: no cover - never reached

    verdicts, reason = _bounded(crashing, 2, budget=30)
    assert verdicts == ["T"]
    assert reason == f"the CEL library crashed on it (signal {int(signal.SIGSEGV)})"


def test_honest_expressions_still_evaluate_in_time() -> None:
    from flowaudit.checks.condition import _bounded

    verdicts, reason = _bounded(lambda: iter(["T", "F", "Eboom"]), 3, budget=30)
    assert (verdicts, reason) == (["T", "F", "Eboom"], None)


# --- texts ---------------------------------------------------------------------------------


def concero_with_name(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "map"
    shutil.copytree(shipped_map_dir(), folder)
    path = folder / "organisation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  name: Concero Technology Services\n", f"  name: {name}\n", 1),
        encoding="utf-8",
    )
    return folder


def test_a_huge_name_is_a_located_input_error_not_huge_output(tmp_path: Path) -> None:
    folder = concero_with_name(tmp_path, "N" * 20_000)
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{folder.name}/organisation.yaml:9:3: text is 20,000 characters long, over the limit "
        "of 10,000 (raise it with --max-text)"
    )
    assert len(result.output) < 1_000
    raised = run(["check", str(folder), "--as-of", AS_OF, "--max-text", "20000"])
    assert raised.exit_code == 1


@pytest.mark.parametrize(
    "command",
    [
        *(["check", "--format", name] for name in ("text", "json", "sarif", "github", "junit")),
        ["ropa", "--format", "md"],
        ["trace", "contact.email"],
        ["diagram", "--format", "dot"],
    ],
)
def test_output_stays_proportional_to_the_input_at_the_cap(
    tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "map"
    shutil.copytree(shipped_map_dir(), folder)
    path = folder / "organisation.yaml"
    text = path.read_text(encoding="utf-8")
    # every party and the organisation named with the longest name the default cap allows
    path.write_text(re.sub(r"(?m)^(\s+)name: .*$", r"\1name: " + "N" * 10_000, text))
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size > 150_000
    if command[0] == "trace":
        result = run([*command, str(folder)])
    else:
        result = run([command[0], str(folder), *command[1:], "--as-of", AS_OF])
    assert result.exit_code in (0, 1), result.output[-300:]
    assert len(result.output) < 5 * size


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"parties": [{"id": "p", "name": "' + "n" * 300 + '"}]}', "1:26"),
        ('{\n  "' + "k" * 300 + '": [1]}', "2:3"),
        ('{"a": {"b": [["' + "t" * 300 + '"]]}}', "1:15"),
    ],
)
def test_a_long_text_in_json_is_refused_and_located(tmp_path: Path, text: str, where: str) -> None:
    folder = concero_with_name(tmp_path, "Concero")
    (folder / "extra.json").write_text(text, encoding="utf-8")
    assert run(["validate", str(folder), "--max-text", "200"]).output.splitlines()[0] == (
        f"{folder.name}/extra.json:{where}: text is 300 characters long, over the limit of 200 "
        "(raise it with --max-text)"
    )


def test_a_long_key_or_policy_text_is_refused_too(tmp_path: Path) -> None:
    folder = concero_with_name(tmp_path, "Concero")
    (folder / "extra.yaml").write_text("k" * 300 + ": 1\n", encoding="utf-8")
    assert run(["validate", str(folder), "--max-text", "200"]).output.splitlines()[0] == (
        f"{folder.name}/extra.yaml:1:1: text is 300 characters long, over the limit of 200 "
        "(raise it with --max-text)"
    )
    policy = write_policy(tmp_path, "true")
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("message: failed", "message: " + "m" * 300),
        encoding="utf-8",
    )
    result = run(["check", "--policies", str(policy), "--max-text", "250", "--as-of", AS_OF])
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == (
        f"{policy}:10:5: text is 300 characters long, over the limit of 250 "
        "(raise it with --max-text)"
    )


def test_an_override_cannot_push_a_date_out_of_range(tmp_path: Path) -> None:
    """within_days: 999999999 overflowed the date arithmetic (exit 3); it is now bounded."""
    policies = tmp_path / "pol"
    policies.mkdir()
    (policies / "p.yaml").write_text(
        "policy: {id: atk, title: atk}\nrules: []\n"
        "overrides: [{rule: HYG-AGREEMENT-EXPIRY, set: {within_days: 999999999}, "
        "justification: x, owner: y}]\n",
        encoding="utf-8",
    )
    result = run(["check", "--policies", str(policies), "--as-of", "2026-11-25"])
    assert result.exit_code == 2, result.output
    assert "within_days" in result.output
