"""Attack review s6, problems 1, 3 and 4: what a purpose's ``controller`` may set aside.

1. A processor's flow of the pupils' data and passwords that ``hosting-us`` *may carry* to
   it, for a purpose naming the processor its controller, was set aside as its own with no
   word: ``processors_own`` counted only what flows carry, not what they may carry.
3. ``controller: us-hosting`` on ``sla_support``, a purpose of Concero's own flows, loaded
   with nothing to review, and later made the host's flows for it "its own".
4. A purpose decided by one party (``controller: zendesk``) used by another's flow
   (us-hosting's) set that flow aside as us-hosting's own processing "as a controller".
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import (
    EXTRA,
    GitRepo,
    audit_folder,
    concero_with,
    edit_once,
    located_findings,
    run,
    run_gate,
)

HOST_FLOW = """purposes:
  - {{id: host_ads, name: Host's own analytics, controller: {controller}}}
flows:
  - id: us-host-analytics
    from: us-hosting
    to: installer
    categories: [{categories}]
    subjects: [{subjects}]
    purpose: host_ads
"""


def _on_flow(folder: Path) -> list[tuple[str, str]]:
    return [
        (rules, code)
        for rules, code, element, *_ in located_findings(audit_folder(folder))
        if element == "flows/us-host-analytics"
    ]


def test_problem_1_what_a_flow_may_carry_to_the_processor_is_not_its_own(
    tmp_path: Path,
) -> None:
    folder = concero_with(
        tmp_path,
        HOST_FLOW.format(
            controller="us-hosting", categories="support, credentials.password", subjects="pupils"
        ),
    )
    result = audit_folder(folder)
    assert "us-host-analytics" not in result.facts.processors_own
    # the school's data its processor's processor may hold, used for the host's purpose
    assert _on_flow(folder) == [("GDPR-SUBPROCESSING", "purpose-outside-instructions")]


def test_problem_1_what_reaches_the_processor_by_no_flow_stays_its_own(tmp_path: Path) -> None:
    """The control: people no flow brings or may bring to the host are its own."""
    folder = concero_with(
        tmp_path,
        HOST_FLOW.format(controller="us-hosting", categories="contact.email", subjects="pupils")
        .replace("subjects: [pupils]", "subjects: [host_staff]")
        .replace("purposes:", "subjects:\n  - {id: host_staff, name: Host staff}\npurposes:"),
    )
    assert "us-host-analytics" in audit_folder(folder).facts.processors_own
    assert _on_flow(folder) == []


def test_problem_3_a_purpose_of_the_organisations_own_flows_cannot_be_anothers(
    tmp_path: Path,
) -> None:
    folder = concero_with(tmp_path, "")
    edit_once(
        folder / "taxonomy.yaml",
        "the SLA, notice: N-PURPOSE}",
        "the SLA, notice: N-PURPOSE, controller: us-hosting}",
    )
    result = run(["check", str(folder), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if "decided by" in line]
    assert [line.split(": ", 1)[0] for line in errors] == [
        f"concero/flows.yaml:{line}:5" for line in (77, 116, 217, 232)
    ]
    assert errors[0].endswith(
        "purpose 'sla_support' is decided by 'us-hosting' alone (its controller), but this "
        "flow of the organisation's, not to or from 'us-hosting', uses it: the organisation's "
        "own processing is for its own purposes; give the flow one of them (split it: one flow per "
        "purpose), or remove the "
        "purpose's controller"
    )


def test_problem_4_a_purpose_another_party_decides_does_not_set_the_flow_aside(
    tmp_path: Path,
) -> None:
    extra = HOST_FLOW.format(
        controller="zendesk", categories="support", subjects="website_visitors"
    )
    folder = concero_with(tmp_path, extra)
    result = audit_folder(folder)
    assert "us-host-analytics" not in result.facts.held_as_controller
    assert _on_flow(folder) == [("GDPR-SUBPROCESSING", "purpose-outside-instructions")]
    check = run(["check", str(folder), "--as-of", "2026-11-25"])
    [warning] = [line for line in check.output.splitlines() if "decides (its controller)" in line]
    assert warning.startswith("Warning: concero/zz-extra.yaml:4:5: flow 'us-host-analytics' of ")
    assert "which the map says Zendesk, Inc. decides (its controller)" in warning
    assert (
        "not set aside as US hosting provider (not named)'s own: it is judged as the "
        "organisation's processor's use of its data "
    ) in warning
    # said by the sender itself, the flow is its own, and no warning is given
    said = concero_with(
        tmp_path / "said", extra.replace("controller: zendesk", "controller: us-hosting")
    )
    assert "us-host-analytics" in audit_folder(said).facts.processors_own
    check = run(["check", str(said), "--as-of", "2026-11-25"])
    assert "decides (its controller)" not in check.output


def test_problem_3_a_controller_named_where_none_was_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    """Even before it sets a flow aside, a purpose newly said to be another party's is a
    claim a person confirms, as a new ``is_a`` is."""
    root = tmp_path / "repo"
    folder = concero_with(root, "purposes:\n  - {id: host_ads, name: Host's own analytics}\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, folder)
    repo.commit()
    repo.edit(EXTRA, "analytics}", "analytics, controller: us-hosting}")
    result = run_gate(["check", str(folder), "--as-of", "2026-11-25", "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    assert (
        "change to review: reclassified:purposes/host_ads: purposes/host_ads is now described "
        "with controller 'us-hosting' (was unsaid): it can clear findings (those of a "
        "processor's flows for the purpose, set aside as that party's own processing (their "
        "transfer, onward, Art. 28 and policy ones)) without anything else changing"
    ) in result.stdout.splitlines()


def test_problem_4_to_a_recorded_controller_it_is_the_processors_use_outside_instructions(
    tmp_path: Path,
) -> None:
    """Given to a recipient recorded as controller, the same flow is the processor's use of
    the organisation's data outside its instructions (``outside_instructions``): one Art.
    28(10) finding, and the warning says so rather than "the worse case"."""
    extra = HOST_FLOW.format(
        controller="zendesk", categories="contact.email", subjects="customer_staff"
    ).replace("to: installer", "to: training-supplier")
    folder = concero_with(tmp_path, extra)
    assert "us-host-analytics" in audit_folder(folder).facts.outside_instructions
    assert [rules for rules, _ in _on_flow(folder)] == ["GDPR-SUBPROCESSING"]
    check = run(["check", str(folder), "--as-of", "2026-11-25"])
    [warning] = [line for line in check.output.splitlines() if "decides (its controller)" in line]
    assert "it is judged as the organisation's processor's use of its data outside its " in (
        warning
    )


def test_problem_2_the_recipients_role_unrecorded_the_use_is_still_outside_instructions(
    tmp_path: Path,
) -> None:
    """Attack review s6, problem 2: to the installer (no role recorded), a processor's use of
    the organisation's customer staff for a purpose it decides got the generic "record the
    role" findings and no Art. 28(10) one; it is now that one finding alone."""
    folder = concero_with(
        tmp_path,
        HOST_FLOW.format(
            controller="us-hosting",
            categories="contact.name, contact.email",
            subjects="customer_staff",
        ),
    )
    assert "us-host-analytics" in audit_folder(folder).facts.outside_instructions
    assert _on_flow(folder) == [("GDPR-SUBPROCESSING", "purpose-outside-instructions")]
