"""Attack review 2026-12-02g on the gate: a purpose taken out of marketing by another is_a, a
subject's shared-vocabulary key changed, an opt-out that says nothing, an override's
justification that pre-empts the gate's own words, and a rule with hundreds of thousands of
code patterns. Each test failed before its fix: the gate exited 0 (or 1 with nothing that
named the cause), or the input was accepted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import require_tool, run
from tests.security.test_baseline_attacks import Repo

AS_OF = "2026-11-25"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    return Repo(tmp_path / "repo")


def changes(output: str) -> list[str]:
    """The ``change to review:`` lines of a run, in order."""
    return [line for line in output.splitlines() if line.startswith("change to review: ")]


def edit_flow(folder: Path, flow_id: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in one flow's block of flows.yaml in ``folder``."""
    path = folder / "flows.yaml"
    flows = path.read_text(encoding="utf-8")
    start = flows.index(f"  - id: {flow_id}\n")
    end = flows.index("\n\n", start)
    block = flows[start:end]
    assert old in block, f"{old!r} not in {flow_id}"
    path.write_text(flows[:start] + block.replace(old, new, 1) + flows[end:], encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def map_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "map"
    shutil.copytree(shipped_map_dir(), folder)
    return folder


def located(output: str) -> list[str]:
    """The located problems (``file:line:col: message``) of a run, file names only."""
    return [
        line.strip().rsplit("/", 1)[-1]
        for line in output.splitlines()
        if ".yaml:" in line and line.strip().split(":", 1)[0].endswith(".yaml")
    ]


UPDATES = "  - {id: updates, name: Customer updates, is_a: [marketing], notice: N-PURPOSE}\n"


def updates_is_marketing(repo: Repo) -> None:
    """The base: a neutrally named purpose that is a kind of marketing, and the marketing
    flow on it (its medium PECR-MARKETING-OPT-OUT stays)."""
    taxonomy = repo.root / "data-map" / "taxonomy.yaml"
    edit(taxonomy, "  - {id: marketing, name:", UPDATES + "  - {id: marketing, name:")
    edit_flow(
        repo.root / "data-map", "marketing-contacts", "purpose: marketing", "purpose: updates"
    )
    repo.commit("a marketing purpose under another name")


@pytest.mark.parametrize(
    ("is_a", "said"),
    [
        # swapped for another purpose: the flow leaves every marketing rule (hole 1)
        ("[service_change_notices]", "is_a [service_change_notices] (was [marketing])"),
        # one more broader purpose, marketing kept: a consent record given for the new one now
        # covers the flow, so an addition can clear findings too
        ("[marketing, service_change_notices]", "is_a [marketing, service_change_notices] "),
    ],
)
def test_a_purpose_whose_is_a_changes_is_reviewed(repo: Repo, is_a: str, said: str) -> None:
    """``is_a: [marketing]`` swapped for another purpose took the marketing flow out of
    PECR-MARKETING-OPT-OUT as plain FIXED, exit 0, nothing to review: only an emptied is_a was
    a reclassification (attack review 2026-12-02g, hole 1)."""
    updates_is_marketing(repo)
    edit(repo.root / "data-map" / "taxonomy.yaml", "is_a: [marketing]", f"is_a: {is_a}")
    result = repo.gate()
    assert result.exit_code == 1, result.output
    (line,) = [c for c in changes(result.output) if "reclassified:purposes/updates" in c]
    assert line.startswith(
        f"change to review: reclassified:purposes/updates: purposes/updates is now described "
        f"with {said}"
    ), line


def test_the_same_broader_purposes_in_another_order_are_not_a_change(repo: Repo) -> None:
    taxonomy = repo.root / "data-map" / "taxonomy.yaml"
    edit(
        taxonomy,
        "  - {id: marketing, name:",
        UPDATES.replace("[marketing]", "[marketing, service_change_notices]")
        + "  - {id: marketing, name:",
    )
    repo.commit("two broader purposes")
    edit(taxonomy, "[marketing, service_change_notices]", "[service_change_notices, marketing]")
    result = repo.gate()
    assert result.exit_code == 0, result.output
    assert changes(result.output) == []


def test_an_is_a_naming_an_undeclared_purpose_is_a_located_input_error(tmp_path: Path) -> None:
    """``is_a: [marketting]`` named nothing, so the purpose left the marketing rules with no
    error at all (exit 1, the medium finding gone): it is a dangling reference like a flow's
    purpose, with a suggestion."""
    folder = map_copy(tmp_path)
    taxonomy = folder / "taxonomy.yaml"
    edit(taxonomy, "  - {id: marketing, name:", UPDATES + "  - {id: marketing, name:")
    edit(taxonomy, "is_a: [marketing]", "is_a: [marketting]")
    line = (
        taxonomy.read_text(encoding="utf-8")
        .splitlines()
        .index(UPDATES.rstrip("\n").replace("[marketing]", "[marketting]"))
        + 1
    )
    column = UPDATES.index("marketing") + 1
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    assert located(result.output) == [
        f"taxonomy.yaml:{line}:{column}: unknown purpose 'marketting' (did you mean 'marketing'?)"
    ]


ACME_RULE = """\
  - id: ACME-VISITOR-OBJECTION
    kind: fields_required
    title: Flows about website visitors say how to object
    severity: medium
    rationale: House rule.
    references: {legal: [UK GDPR Art. 21]}
    fix: Record opt_out.
    match: {subjects: [visitor]}
    fields: [opt_out]
"""
VISITORS = "{id: website_visitors, name: Website visitors, fides_key: visitor,"


@pytest.mark.parametrize(
    ("replacement", "said"),
    [
        # the old key parked on a subject no flow carries: not even a warning (hole 2)
        (
            "{id: legacy_visitors, name: Visitors (legacy), fides_key: visitor}\n"
            "  - {id: website_visitors, name: Website visitors, fides_key: site_user,",
            "fides_key 'site_user' (was 'visitor')",
        ),
        ("{id: website_visitors, name: Website visitors,", "fides_key unsaid (was 'visitor')"),
    ],
)
def test_a_subjects_fides_key_changed_or_removed_is_reviewed(
    repo: Repo, replacement: str, said: str
) -> None:
    """A house rule naming subjects by their fides_key stopped seeing the subject once the
    pull request renamed its key: its medium findings went as plain FIXED, exit 0 (attack
    review 2026-12-02g, hole 2)."""
    repo.append("policies/house.yaml", ACME_RULE)
    repo.commit("a house rule on visitors")
    edit(repo.root / "data-map" / "taxonomy.yaml", VISITORS, replacement)
    result = repo.gate()
    assert result.exit_code == 1, result.output
    assert (
        "change to review: reclassified:subjects/website_visitors: subjects/website_visitors is "
        f"now described with {said}: it can clear findings"
    ) in result.output
