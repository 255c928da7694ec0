"""Honest waivers and agreements, and policies the map cannot drop (issue 11, points 3, 4).

The attack: the map drops its notice policy and waives what is left with blank owners and
justifications expiring 9999-12-31, or marks agreements signed with nothing to show for it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from flowaudit.model.loader import shipped_map_dir
from tests.helpers import line_of, run

AS_OF = "2026-11-25"
ROOT = Path(__file__).parent.parent.parent


def concero(tmp_path: Path) -> Path:
    folder = tmp_path / "data-map"
    shutil.copytree(shipped_map_dir(), folder)
    return folder


def waiver(owner: str, justification: str, approved: str, expires: str) -> str:
    return (
        "waivers:\n"
        "  - id: pupils-ok\n"
        "    rule: CONCERO-PUPILS\n"
        "    element: flows/school-server-work\n"
        f'    owner: "{owner}"\n'
        f'    justification: "{justification}"\n'
        f"    approved_on: {approved}\n"
        f"    expires_on: {expires}\n"
    )


def test_blank_owner_and_justification_are_located_input_errors(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    waivers = folder / "waivers.yaml"
    waivers.write_text(waiver(" ", "\t", "2026-11-01", "9999-12-31"), encoding="utf-8")
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    owner, justification = line_of(waivers, "owner:"), line_of(waivers, "justification:")
    assert f"waivers.yaml:{owner}:5: owner: must not be blank" in result.output
    assert f"waivers.yaml:{justification}:5: justification: must not be blank" in result.output


@pytest.mark.parametrize(
    ("owner", "justification"),
    [
        ("\\u200b", "\\u3164"),  # zero-width space; Hangul filler
        ("\\u2060\\ufeff", "\\u115f\\u1160"),  # word joiner, BOM; Hangul choseong/jungseong fillers
        (
            "\\uffa0",
            "\\u00ad\\u200d\\u3000",
        ),  # halfwidth filler; soft hyphen, ZWJ, ideographic space
        ("\\U000e0041", "\\u034f\\ufe0f\\u2800"),  # tag A; grapheme joiner, VS16, braille blank
    ],
)
def test_an_invisible_owner_or_justification_is_blank(
    tmp_path: Path, owner: str, justification: str
) -> None:
    """Characters that show nothing (format characters, fillers, joiners) are no owner and no
    reason: str.strip() keeps them, so the check removes them first."""
    folder = concero(tmp_path)
    waivers = folder / "waivers.yaml"
    waivers.write_text(waiver(owner, justification, "2026-11-01", "2027-03-31"), encoding="utf-8")
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    owner_line, reason_line = line_of(waivers, "owner:"), line_of(waivers, "justification:")
    assert f"waivers.yaml:{owner_line}:5: owner: must not be blank" in result.output
    assert f"waivers.yaml:{reason_line}:5: justification: must not be blank" in result.output


def test_a_visible_owner_with_invisible_padding_is_kept(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    waivers = folder / "waivers.yaml"
    waivers.write_text(
        waiver("\\u200bJane Doe, DPO", "Contract renegotiation\\u3164", "2026-11-01", "2027-03-31"),
        encoding="utf-8",
    )
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert "must not be blank" not in result.output


def test_an_endless_waiver_is_a_finding_and_covers_one_year_only(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    waivers = folder / "waivers.yaml"
    waivers.write_text(
        waiver("Jane Doe, DPO", "Contract renegotiation", "2026-11-01", "9999-12-31"),
        encoding="utf-8",
    )
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    line = line_of(waivers, "expires_on:")
    assert (
        f"waivers.yaml:{line}:5 HIGH HYG-WAIVER waivers/pupils-ok: waiver runs to 9999-12-31, "
        "more than 12 months after its approval on 2026-11-01 (latest 2027-11-01)"
    ) in result.output
    later = run(["check", str(folder), "--as-of", "2027-11-02"])
    pupils = [ln for ln in later.output.splitlines() if "CONCERO-PUPILS" in ln]
    assert pupils and not any("waived" in ln for ln in pupils), later.output


def test_an_agreement_marked_signed_without_date_or_evidence_is_a_finding(
    tmp_path: Path,
) -> None:
    folder = concero(tmp_path)
    agreements = folder / "agreements.yaml"
    text = agreements.read_text(encoding="utf-8")
    agreements.write_text(text.replace("    status: unknown\n", "    status: signed\n", 1))
    result = run(["check", str(folder), "--as-of", AS_OF])
    assert result.exit_code == 1
    line = line_of(agreements, "status: signed")
    assert re.search(
        rf"agreements.yaml:{line}:\d+ HIGH HYG-AGREEMENT-EVIDENCE agreements/zendesk-dpa: "
        "agreement 'zendesk-dpa' is recorded as signed but not when",
        result.output,
    ), result.output
    assert "agreements/zendesk-dpa: agreement 'zendesk-dpa' is recorded as signed with no " in (
        result.output
    )


def test_a_required_policy_applies_when_the_map_drops_it(tmp_path: Path) -> None:
    folder = concero(tmp_path)
    organisation = folder / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("policies: [concero-notice]", "policies: []"))
    dropped = run(["check", str(folder), "--as-of", AS_OF])
    assert "CONCERO-PUPILS" not in dropped.output  # the map alone drops the notice
    pinned = run(["check", str(folder), "--as-of", AS_OF, "--require-policy", "concero-notice"])
    assert pinned.exit_code == 1
    assert "CRITICAL CONCERO-PUPILS (N-PUPILS) flows/school-server-work" in pinned.output


def test_a_required_policy_that_is_not_found_is_an_input_error() -> None:
    result = run(["check", "--as-of", AS_OF, "--require-policy", "acme-notice"])
    assert result.exit_code == 2
    assert (
        "command line: --require-policy acme-notice: no shipped policy has this id, and no "
        "--policies was given: name the folder that holds the policy with --policies DIR\n"
        in result.output
    )


def test_the_workflow_example_installs_flowaudit_from_a_pinned_source() -> None:
    """`pip install flowaudit` installs whatever a stranger registers under that name."""
    from flowaudit.model.yamlsource import parse_text

    workflow_text = (ROOT / "docs" / "github-actions.yml").read_text(encoding="utf-8")
    workflow = parse_text(workflow_text, "wf").data
    commands = [step.get("run", "") for step in workflow["jobs"]["audit"]["steps"]]
    for name in ("README.md", "docs/security.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        blocks = re.findall(r"```([a-z]*)\n(.*?)```", text, re.S)
        commands += [body for lang, body in blocks if lang in ("", "sh", "bash", "console")]
    bare = re.compile(r"pip install\s+['\"]?flowaudit\b(?!\s*@)")
    assert [c for c in commands if bare.search(c)] == []
    install = [c for c in commands if "pip install" in c and "flowaudit @" in c]
    assert install == [
        'python -m pip install "flowaudit @ ${FLOWAUDIT_SOURCE}@${FLOWAUDIT_COMMIT}"'
    ]
    assert re.search(r"FLOWAUDIT_COMMIT: [0-9a-f]{40}\b", workflow_text)
    assert "--require-policy uk-gdpr" in "".join(commands)
