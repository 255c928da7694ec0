"""A grouped may-carry risk in the gate (fix-refactor-s19, "A grouped may-carry risk has no
gate problem"): what several flows may carry for one stated reason is one finding on the first
of them, naming the others ("; the same data may reach ..."; ``MayRisks``). It had no
``problem``, so the gate (``check --base``) matched it by its message, which names the flows:
a third flow with the same ``may_carry`` made the same risk on the same flow new and FIXED at
once, and a flow leaving made an unchanged waiver of it "cover a finding it did not cover".
It now reports through ``grouping.fail_per_group`` like the four other groupings: matched by
the risk as one flow alone reads it, its flows listed (``Finding.flows``), so a flow joining
is a change to review, the finding continues on its next flow when the first leaves (only if
that flow keeps its purpose, basis, sender and recipient), and another risk (another reason,
another category) stays a finding of its own.

Each gate test runs the CI gate as a pull request would (a git repository, ``--base HEAD``) on
the base organisation with tests/fixtures/verdicts3/passwords-protected.yaml: host-us and
host-de may carry credentials.password, "tickets take any text staff submit"."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from flowaudit.checks.base import LIST_LIMIT, MayRisks, Outcome
from flowaudit.checks.result import finding_id
from flowaudit.model.schema import Flow
from tests.helpers import EXTRA, GitRepo, concero_repo, review_lines, run, run_gate

FIXTURES = Path(__file__).parent / "fixtures"
MAP = "passwords-protected.yaml"
RULE = "CONCERO-HELPDESK-CREDENTIALS"
GATE = ["--as-of", "2026-11-25", "--require-policy", "concero-notice", "--base", "HEAD"]

#: the risk as the finding words it for one flow (its problem)
RISK = (
    "may carry forbidden category 'credentials.password': tickets take any text staff submit; "
    "a risk to confirm"
)
#: its id on host-us, the first flow of the group in the fixture
ON_HOST_US = finding_id(RULE, ("flows", "host-us"), "may-category")

REASON = "tickets take any text staff submit"


def _flow(flow_id: str, to: str = "de-host", reason: str = REASON, what: str = "") -> str:
    """A hosting flow as the fixture writes them, one line, that may carry ``what``
    (credentials.password) for ``reason``."""
    what = what or "credentials.password"
    return (
        f"  - {{id: {flow_id}, from: acme, to: {to}, categories: [contact], subjects: [staff], "
        f"purpose: support, basis: contract, may_carry: {{categories: [{what}], "
        f"reason: {reason}}}}}\n"
    )


HOST_X = _flow("host-x")


def _repo(tmp_path: Path, extra: str = "", waivers: str = "") -> GitRepo:
    """The base organisation and the fixture (with ``extra`` flows appended, and a file of
    ``waivers``) committed as the gate's base."""
    root = tmp_path / "repo"
    files = root / "map"
    files.mkdir(parents=True)
    shutil.copy(FIXTURES / "base" / "acme.yaml", files / "acme.yaml")
    text = (FIXTURES / "verdicts3" / MAP).read_text(encoding="utf-8")
    (files / MAP).write_text(text + extra, encoding="utf-8")
    if waivers:
        (files / "waivers.yaml").write_text(waivers, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    repo = GitRepo(root, files)
    repo.commit()
    return repo


def _append(repo: GitRepo, extra: str) -> None:
    path = repo.files / MAP
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def _drop(repo: GitRepo, flow_id: str) -> None:
    """The change deletes one flow's line."""
    path = repo.files / MAP
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if f"{{id: {flow_id}," not in line]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")


def _lines(output: str, *marks: str) -> list[str]:
    return [line for line in output.splitlines() if any(mark in line for mark in marks)]


def _risk_lines(output: str) -> list[str]:
    """The lines of the rule's findings, as listed and as gone."""
    return [
        line
        for line in output.splitlines()
        if f" {RULE} " in line and not line.startswith(("change to review:", "FAIL:", "PASS:"))
    ]


def _marked(output: str) -> list[str]:
    """The lines marked new, and the gone ones (FIXED, REMOVED, ...)."""
    return [
        line
        for line in output.splitlines()
        if line.endswith("[new]") or line.startswith(("  FIXED ", "  REMOVED ", "  WAIVED "))
    ]


def _verdict(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("PASS:", "FAIL:"))]


# -- a flow joins -------------------------------------------------------------------------


def test_a_third_flow_with_the_same_may_carry_is_no_new_finding_and_is_reviewed(
    tmp_path: Path,
) -> None:
    """The reproduction of the report. Before: the risk on host-us was [new] ("... may reach
    host-de, host-x") and the base's FIXED ("flows/host-us is no longer judged"), the same
    risk on the same flow. Now it is the base's finding; host-x newly under it is a change to
    review, and host-x's own findings are new as any new flow's are."""
    repo = _repo(tmp_path)
    _append(repo, HOST_X)
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert _risk_lines(result.stdout) == [
        f"map/{MAP}:11:148 HIGH {RULE} (N-HELPDESK) flows/host-us: {RISK}; the same data may "
        "reach host-de, host-x"
    ]
    assert [line.split(" flows/")[1].split(":")[0] for line in _marked(result.stdout)] == [
        "host-x"
    ] * 5
    assert not _lines(result.stdout, "FIXED", "REMOVED")
    assert review_lines(result.stdout) == [
        f"change to review: joined-finding:flows/host-x:{RULE}:may-category: flows/host-x is "
        f"newly under HIGH {RULE} on flows/host-us (may-category), a finding the base has: no "
        "new finding, yet the flow now shares its open problem; confirm it may go on while the "
        f"problem stays open (it says: {RISK}; the same data may reach host-de, host-x)"
    ]
    assert _verdict(result.stdout) == [
        "FAIL: 5 new findings at or above low against HEAD: GDPR-AGREEMENT flows/host-x "
        "(missing), CONCERO-DECLARED flows/host-x (category), CONCERO-DECLARED flows/host-x "
        "(purpose) and 2 more; 1 change to review not accepted: "
        f"joined-finding:flows/host-x:{RULE}:may-category. Not failed on: 19 existing findings."
    ]
    # the finding keeps its id and is the base's in the JSON as well
    shown = json.loads(run(["check", str(repo.files), *GATE, "--format", "json"]).stdout)
    risk = [f for f in shown["findings"] if f["rule_id"] == RULE]
    assert [(f["id"], f["baseline_state"], f["flows"]) for f in risk] == [
        (ON_HOST_US, "unchanged", ["host-us", "host-de", "host-x"])
    ]


def test_only_the_join_is_left_to_fail_once_the_new_flows_own_findings_are_let_through(
    tmp_path: Path,
) -> None:
    """Under ``--fail-on critical`` host-x's own findings (high and below) do not fail: the
    joined risk alone does, as a change to review (exit 1), and accepting it passes (exit 0).
    Before: no change to review, the risk new and fixed at once."""
    repo = _repo(tmp_path)
    _append(repo, HOST_X)
    args = ["check", str(repo.files), *GATE, "--fail-on", "critical"]
    result = run_gate(args)
    assert result.exit_code == 1, result.printed
    change = result.pinned(f"joined-finding:flows/host-x:{RULE}:may-category")
    accepted = run_gate([*args, "--accept-change", change])
    assert accepted.exit_code == 0, accepted.printed
    assert _verdict(accepted.stdout) == [
        "PASS: no new findings at or above critical against HEAD (19 existing findings, 1 "
        "change to review, all accepted)."
    ]


def test_a_flow_leaving_the_group_leaves_the_risk_standing(tmp_path: Path) -> None:
    """Before: exit 1, the risk on host-us new ("... may reach host-de") and FIXED ("... may
    reach host-de, host-x") at once. Now only host-x's own findings go, as removed."""
    repo = _repo(tmp_path, HOST_X)
    _drop(repo, "host-x")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert _risk_lines(result.stdout) == [
        f"map/{MAP}:11:148 HIGH {RULE} (N-HELPDESK) flows/host-us: {RISK}; the same data may "
        "reach host-de"
    ]
    marked = _marked(result.stdout)
    assert len(marked) == 5
    assert all(
        line.startswith(f"  REMOVED HEAD:map/{MAP}:13:") and " flows/host-x: " in line
        for line in marked
    )
    assert _verdict(result.stdout) == [
        "PASS: no new findings at or above low against HEAD (19 existing findings, 0 changes to "
        "review)."
    ]


# -- the first flow leaves: the risk continues on the next, if that flow kept its place ---


def test_the_first_flow_deleted_the_risk_continues_on_the_next(tmp_path: Path) -> None:
    """Before: the risk on host-de (now alone) was new beside the base's on host-us, removed.
    Now the base's finding continues on host-de, which it judged, in the same group."""
    repo = _repo(tmp_path)
    _drop(repo, "host-us")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert _risk_lines(result.stdout) == [
        f"map/{MAP}:11:146 HIGH {RULE} (N-HELPDESK) flows/host-de: {RISK}"
    ]
    marked = _marked(result.stdout)
    assert len(marked) == 5
    assert all(" flows/host-us: " in line and line.startswith("  REMOVED ") for line in marked)
    assert not [line for line in marked if f" {RULE} " in line]
    assert _verdict(result.stdout) == [
        "PASS: no new findings at or above low against HEAD (14 existing findings, 0 changes to "
        "review)."
    ]


def test_the_first_two_flows_swapped_the_risk_continues_on_the_new_first(
    tmp_path: Path,
) -> None:
    """Before: exit 1, the risk on host-de new, on host-us FIXED, and a high "fixed" to
    confirm. Now it is the same finding on the group's new first flow."""
    repo = _repo(tmp_path)
    path = repo.files / MAP
    text = path.read_text(encoding="utf-8")
    us = next(line for line in text.splitlines(keepends=True) if "{id: host-us," in line)
    de = next(line for line in text.splitlines(keepends=True) if "{id: host-de," in line)
    path.write_text(text.replace(us + de, de + us), encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert _risk_lines(result.stdout) == [
        f"map/{MAP}:11:146 HIGH {RULE} (N-HELPDESK) flows/host-de: {RISK}; the same data may "
        "reach host-us"
    ]
    assert _marked(result.stdout) == []
    assert review_lines(result.stdout) == []


def test_the_next_flow_re_purposed_is_a_new_finding(tmp_path: Path) -> None:
    """The attack the continuation must refuse: the first flow deleted and the next one given
    another purpose in the same change. The risk on it is not the base's group's any more
    (its purpose moved, as for the four other groupings): new, and the base's removed."""
    repo = _repo(tmp_path)
    _drop(repo, "host-us")
    repo.edit(
        MAP,
        "{id: host-de, from: acme, to: de-host, categories: [contact], subjects: "
        "[staff], purpose: support,",
        "{id: host-de, from: acme, to: de-host, categories: "
        "[contact], subjects: [staff], purpose: marketing,",
    )
    result = run_gate(["check", str(repo.files), *GATE, "--fail-on", "high"])
    assert result.exit_code == 1, result.printed
    assert _risk_lines(result.stdout) == [
        f"map/{MAP}:11:148 HIGH {RULE} (N-HELPDESK) flows/host-de: {RISK} [new]",
        f"  REMOVED HEAD:map/{MAP}:11:148 HIGH {RULE} flows/host-us: {RISK}; the same data may "
        "reach host-de [flows/host-us is no longer in the map]",
    ]
    # (marketing on contract is another rule's finding, new with the new purpose)
    assert _verdict(result.stdout) == [
        f"FAIL: 2 new findings at or above high against HEAD: {RULE} flows/host-de "
        "(may-category), GDPR-BASIS + CONCERO-MARKETING-CONSENT flows/host-de "
        "(not-necessary-for-contract). Not failed on: 12 existing findings."
    ]


def test_the_next_flow_re_pointed_to_another_recipient_is_a_new_finding(
    tmp_path: Path,
) -> None:
    """The same with the next flow sent to another recipient (US Host): new."""
    repo = _repo(tmp_path)
    _drop(repo, "host-us")
    repo.edit(
        MAP, "{id: host-de, from: acme, to: de-host,", "{id: host-de, from: acme, to: us-host,"
    )
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert f"map/{MAP}:11:146 HIGH {RULE} (N-HELPDESK) flows/host-de: {RISK} [new]" in (
        result.stdout.splitlines()
    )
    assert (
        f"  REMOVED HEAD:map/{MAP}:11:148 HIGH {RULE} flows/host-us: {RISK}; the same data "
        "may reach host-de [flows/host-us is no longer in the map]" in result.stdout.splitlines()
    )


# -- another risk is no member of the group -------------------------------------------------


def test_a_flow_that_may_carry_it_for_another_reason_is_a_new_finding(tmp_path: Path) -> None:
    """Another stated reason is another risk to confirm: its own finding, new, and the base's
    group untouched (no change to review names it)."""
    repo = _repo(tmp_path)
    _append(repo, _flow("host-x", reason="chat transcripts are attached"))
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert _risk_lines(result.stdout) == [
        f"map/{MAP}:11:148 HIGH {RULE} (N-HELPDESK) flows/host-us: {RISK}; the same data may "
        "reach host-de",
        f"map/{MAP}:13:145 HIGH {RULE} (N-HELPDESK) flows/host-x: may carry forbidden category "
        "'credentials.password': chat transcripts are attached; a risk to confirm [new]",
    ]
    assert not [line for line in review_lines(result.stdout) if "joined-finding" in line]


def test_a_flow_that_may_carry_another_category_is_a_new_finding(tmp_path: Path) -> None:
    """Another category the rule forbids (credentials, the parent) for the same reason is
    another risk: its own finding, new."""
    repo = _repo(tmp_path)
    _append(repo, _flow("host-x", what="credentials"))
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 1, result.printed
    assert _risk_lines(result.stdout) == [
        f"map/{MAP}:11:148 HIGH {RULE} (N-HELPDESK) flows/host-us: {RISK}; the same data may "
        "reach host-de",
        f"map/{MAP}:13:145 HIGH {RULE} (N-HELPDESK) flows/host-x: may carry forbidden category "
        f"'credentials': {REASON}; a risk to confirm [new]",
    ]
    assert not [line for line in review_lines(result.stdout) if "joined-finding" in line]


# -- a DPO's waiver of the grouped risk ------------------------------------------------------

WAIVER = (
    "waivers:\n"
    f"  - {{id: w-pw, rule: {RULE}, element: flows/host-us, owner: DPO, justification: "
    "redaction being rolled out, approved_on: 2026-11-01, expires_on: 2027-05-01}\n"
)


def test_a_waived_risk_a_flow_leaves_is_still_the_waivers(tmp_path: Path) -> None:
    """Before: the waiver, unchanged, was said to "cover a finding it did not cover at the
    base" (the message lost host-x): an unaccepted change to review, exit 1. Now: exit 0."""
    repo = _repo(tmp_path, HOST_X, WAIVER)
    _drop(repo, "host-x")
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0, result.printed
    assert _risk_lines(result.stdout) == [
        f"map/{MAP}:11:148 HIGH {RULE} (N-HELPDESK) flows/host-us: {RISK}; the same data may "
        "reach host-de [waived until 2027-05-01 by DPO: w-pw]"
    ]
    assert review_lines(result.stdout) == []


def test_a_flow_joining_a_waived_risk_is_put_to_a_person(tmp_path: Path) -> None:
    """The waiver was approved for host-us and host-de: host-x newly under the waived risk is
    a change to review that names it (before: "a finding it did not cover at the base")."""
    repo = _repo(tmp_path, "", WAIVER)
    _append(repo, HOST_X)
    result = run_gate(["check", str(repo.files), *GATE, "--fail-on", "critical"])
    assert result.exit_code == 1, result.printed
    assert review_lines(result.stdout) == [
        "change to review: waiver-covers-new:w-pw: waiver 'w-pw' now covers flows host-x too, "
        "newly under the finding it covers, which it was not approved for: may-category: "
        f"{RISK}; the same data may reach host-de, host-x (at the base it covered may-category: "
        f"{RISK})"
    ]


# -- merged across rules: the shipped map's remote MIS support -----------------------------

MIS_B = """flows:
  - id: mis-b
    from: concero
    to: mis-support
    categories: [contact.name, contact.email, contact.phone]
    subjects: [customer_staff]
    may_carry:
      categories: [customer_network]
      subjects: [pupils, students, parents]
      reason: remote MIS support works on the school's MIS, which holds pupil records (N-MIS)
    purpose: sla_support
    basis: contract
    agreement: mis-support-agreement
    encrypted_in_transit: true
    notice: N-MIS
"""


def test_a_flow_joining_a_risk_merged_across_rules_is_no_new_finding(tmp_path: Path) -> None:
    """The shipped mis-third-party-support may carry pupil data and a customer's network
    data for one reason: one finding of CONCERO-PUPILS and CONCERO-MIS-CONTACT. Before: a
    second MIS support flow with the same may_carry made it new and FIXED at once (both
    rules' messages now name mis-b). Now it is the base's, and mis-b joining it is reviewed."""
    repo = concero_repo(tmp_path, "")
    (repo.files / EXTRA).write_text(MIS_B, encoding="utf-8")
    result = run_gate(["check", str(repo.files), "--as-of", "2026-11-25", "--base", "HEAD"])
    assert result.exit_code == 1, result.printed
    merged = [
        line
        for line in _lines(result.stdout, "CONCERO-PUPILS + CONCERO-MIS-CONTACT")
        if not line.startswith(("change to review:", "FAIL:"))
    ]
    assert len(merged) == 1
    assert merged[0].startswith(
        "concero/flows.yaml:75:18 HIGH CONCERO-PUPILS + CONCERO-MIS-CONTACT (N-PUPILS, N-MIS) "
        "flows/mis-third-party-support: may carry data about Pupils, Students, Parents: "
    )
    assert "; the same data may reach mis-b; may carry 'customer_network'" in merged[0]
    assert merged[0].endswith("(contact.name, contact.email, contact.phone); a risk to confirm")
    assert not [line for line in _marked(result.stdout) if "flows/mis-third-party-support" in line]
    assert [line.split(": ")[1] for line in review_lines(result.stdout)] == [
        "joined-finding:flows/mis-b:CONCERO-PUPILS:may-subject",
        # mis-b rests on contract for customer staff too (b43dcc8: no longer new and fixed)
        "joined-finding:flows/mis-b:GDPR-BASIS:contract-not-party",
        "claim-changed:flows/mis-b",
        "notice-exempts:flows/mis-b",
    ]


# -- the shipped map: what changed in its output ----------------------------------------------


def test_the_shipped_grouped_risk_lists_its_flows_and_the_verdict_stands() -> None:
    """The shipped map's one grouped may-carry risk (pupil data in tickets, hosted on three
    servers) now lists its four flows, as the other grouped findings do, so the reports count
    it on each; its id, message and the verdict are as before."""
    result = run(["check", "--as-of", "2026-11-25", "--format", "json"])
    assert result.exit_code == 1
    shown = json.loads(result.stdout)
    grouped = [f for f in shown["findings"] if "flows" in f and f["code"].startswith("may-")]
    assert [(f["id"], f["rule_id"], f["element"]["id"], f["flows"]) for f in grouped] == [
        (
            "F-90fff80b35",
            "CONCERO-PUPILS",
            "helpdesk-tickets",
            ["helpdesk-tickets", "hosting-us", "hosting-eea", "hosting-uk"],
        )
    ]
    assert grouped[0]["message"].endswith(
        "; the same data may reach hosting-us, hosting-eea, hosting-uk"
    )
    severities = [f["severity"] for f in shown["findings"]]
    assert (len(severities), *map(severities.count, ("critical", "high", "medium", "low"))) == (
        57,
        3,
        11,
        39,
        4,
    )


# -- MayRisks.report itself -----------------------------------------------------------------


def _risky(flow_id: str, reason: str | None = REASON) -> Flow:
    may = {"categories": ["secret"], "reason": reason} if reason else {"categories": ["secret"]}
    return Flow.model_validate(
        {
            "id": flow_id,
            "from": "a",
            "to": "b",
            "categories": ["c"],
            "subjects": ["s"],
            "purpose": "p",
            "may_carry": may,
        }
    )


def test_report_gives_the_group_a_problem_and_its_flows_and_passes_none_of_them() -> None:
    risks = MayRisks()
    outcome = Outcome()
    outcome.evaluated = [("flows", f) for f in ("f1", "f2", "f3", "f4", "f5", "f6")]
    outcome.fail(("flows", "f3"), "other", "its own problem")
    for flow_id in ("f2", "f1", "f3"):
        risks.add(_risky(flow_id), "category", "may carry x", ("may_carry", "categories", 0))
    risks.add(_risky("f4", None), "category", "may carry x", ("may_carry",))
    risks.add(_risky("f5", None), "category", "may carry x", ("may_carry",))
    risks.report(outcome, also_named=["f6"])
    fact = f"may carry, for the reason: {REASON}"
    assert [tuple(hit) for hit in outcome.hits[1:]] == [
        (
            ("flows", "f2"),  # the first in map order
            "may-category",
            "may carry x; the same data may reach f1, f3",
            ("may_carry", "categories", 0),
            (),
            fact,
            (),
            "may carry x",  # whichever flows join
            ("f2", "f1", "f3"),
        ),
        # no reason given: each flow's own risk, no group
        (
            ("flows", "f4"),
            "may-category",
            "may carry x",
            ("may_carry",),
            (),
            None,
            (),
            "may carry x",
            (),
        ),
        (
            ("flows", "f5"),
            "may-category",
            "may carry x",
            ("may_carry",),
            (),
            None,
            (),
            "may carry x",
            (),
        ),
    ]
    # f1 is judged in f2's finding, f6 in another; f3 failed the rule on its own as well
    assert outcome.evaluated == [("flows", f) for f in ("f2", "f3", "f4", "f5")]


def test_report_names_the_other_flows_up_to_the_limit_and_counts_the_rest() -> None:
    risks = MayRisks()
    outcome = Outcome()
    flows = [f"f{i:02}" for i in range(LIST_LIMIT + 3)]
    for flow_id in flows:
        risks.add(_risky(flow_id), "category", "may carry x", ())
    risks.add(_risky("f01"), "category", "may carry x", ())  # twice: named once
    risks.report(outcome)
    (hit,) = outcome.hits
    others = flows[1:]
    assert hit.message == (
        f"may carry x; the same data may reach {', '.join(others[:LIST_LIMIT])} and 2 more"
    )
    assert hit.problem == "may carry x"
    assert hit.flows == tuple(flows)
