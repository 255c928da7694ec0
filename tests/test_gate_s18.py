"""Gate review s18: findings that group flows, matched across runs as one problem.

- A finding CONCERO-PRODUCT-INTRO-BASIS and CONCERO-SHARE-PERMISSION establish together (the
  product introduction's missing consent, which is also its missing permission) was merged
  and matched by its merged message; the permission's part names the flows one permission
  serves, so a flow joining or leaving the purpose made the base's finding new and gone at
  once (a false failure, and a HIGH "fixed" said to be "no longer judged"). It is now matched
  by each merged rule's problem (``Finding.problems``), and a flow joining it is put to a
  person (``joined-finding``).
- A grouped finding sits on the first of its flows: deleting that flow, or putting another
  before it in the file, moved it to the next flow and it read as new beside the base's gone.
  It now continues the base's finding when the flow it moved to was judged by it and is still
  in the same group (purpose, basis, sender and recipient unchanged); a flow re-purposed into
  a group of its own stays new (the attack that matching by words alone would let through).
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import EXTRA, GitRepo, concero_repo, review_lines, run_gate
from tests.test_dpo_s17 import _SHARED

GATE = ["--as-of", "2026-11-25", "--base", "HEAD", "--fail-on", "low"]

#: A second product introduction to the shipped map's product partner (no basis, no
#: permission): its own GDPR-BASIS + CONCERO-PRODUCT-INTRO-BASIS finding, and a flow the
#: partner's one missing permission serves with the shipped product-introductions.
SECOND_INTRO = """
flows:
  - id: product-introductions-b
    from: concero
    to: product-partner
    categories: [contact.name]
    subjects: [customer_staff]
    purpose: product_introductions
    encrypted_in_transit: true
    notice: N-CURRICULUM
"""

SHIPPED_INTRO = """  - id: product-introductions
    from: concero
    to: product-partner
    categories: [contact.name, contact.email, contact.organisation]
    subjects: [customer_staff]
    purpose: product_introductions
    encrypted_in_transit: true
    notice: N-CURRICULUM
    description: The notice names no basis (consent, or legitimate interests with an assessment).

"""


def _gate(repo: GitRepo) -> tuple[int, list[str], list[str]]:
    """Exit code, the lines of findings marked new and of gone findings, and the verdict."""
    result = run_gate(["check", str(repo.files), *GATE])
    lines = result.output.splitlines()
    marked = [
        line
        for line in lines
        if line.endswith("[new]") or line.startswith("  REMOVED ") or line.startswith("  FIXED ")
    ]
    verdict = [line for line in lines if line.startswith(("PASS:", "FAIL:", "Against HEAD:"))]
    return result.exit_code, marked, verdict + review_lines(result.stdout)


def _cut(repo: GitRepo, name: str, start: str, end: str) -> None:
    path = repo.files / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index(start)] + text[text.index(end) :], encoding="utf-8")


def test_a_flow_joining_the_merged_intro_finding_leaves_it_standing_and_is_reviewed(
    tmp_path: Path,
) -> None:
    """Before: the shipped product-introductions finding was new and gone at once (its
    permission part now names two flows), a HIGH said to be fixed ("no longer judged")."""
    repo = concero_repo(tmp_path, "")
    (repo.files / EXTRA).write_text(SECOND_INTRO, encoding="utf-8")
    code, marked, said = _gate(repo)
    assert code == 1
    # the new flow's own findings only: the merged finding on product-introductions is the
    # base's, neither new nor gone
    assert [line.split(" flows/")[1].split(":")[0] for line in marked] == [
        "product-introductions-b",
        "product-introductions-b",
    ]
    assert said[:2] == [
        "FAIL: 2 new findings at or above low against HEAD: GDPR-BASIS + "
        "CONCERO-PRODUCT-INTRO-BASIS flows/product-introductions-b (missing), GDPR-AGREEMENT "
        "flows/product-introductions-b (sharing-missing); 2 changes to review not accepted: "
        "joined-finding:flows/product-introductions-b:GDPR-BASIS:missing, "
        "claim-changed:flows/product-introductions-b. Not failed on: 57 existing findings.",
        "Against HEAD: 2 new findings (2 at or above low), 0 gone (0 fixed, 0 removed, 0 "
        "waived, 0 rule changed); 2 changes to review (0 accepted).",
    ]
    assert said[2].startswith(
        "change to review: joined-finding:flows/product-introductions-b:GDPR-BASIS:missing: "
        "flows/product-introductions-b is newly under HIGH GDPR-BASIS + "
        "CONCERO-PRODUCT-INTRO-BASIS + CONCERO-SHARE-PERMISSION on flows/product-introductions "
        "(missing), a finding the base has"
    )


def test_a_flow_leaving_the_merged_intro_finding_leaves_it_standing(tmp_path: Path) -> None:
    """Before: exit 1, the merged finding new (its message no longer names the flow that
    left) and FIXED at once."""
    repo = concero_repo(tmp_path, SECOND_INTRO)
    (repo.files / EXTRA).write_text("", encoding="utf-8")
    code, marked, said = _gate(repo)
    assert code == 0
    assert [line.split(" flows/")[1].split(":")[0] for line in marked] == [
        "product-introductions-b",
        "product-introductions-b",
    ]
    assert all(line.startswith("  REMOVED HEAD:concero/zz-extra.yaml:3:5 ") for line in marked)
    assert said == [
        "PASS: no new findings at or above low against HEAD (57 existing findings, 0 changes to "
        "review).",
        "Against HEAD: 0 new findings (0 at or above low), 2 gone (0 fixed, 2 removed, 0 "
        "waived, 0 rule changed); 0 changes to review (0 accepted).",
    ]


def test_the_first_flow_of_the_merged_intro_finding_deleted_moves_no_problem(
    tmp_path: Path,
) -> None:
    """The permission moves onto product-introductions-b and joins its consent finding: both
    problems were there for that flow at the base. Before: exit 1, that finding new."""
    repo = concero_repo(tmp_path, SECOND_INTRO)
    _cut(repo, "flows.yaml", SHIPPED_INTRO, "  - id: training-accreditation")
    code, marked, said = _gate(repo)
    assert code == 0
    assert [line.split(": ")[0] for line in marked] == [
        "  REMOVED HEAD:concero/flows.yaml:125:5 HIGH GDPR-BASIS + CONCERO-PRODUCT-INTRO-BASIS + "
        "CONCERO-SHARE-PERMISSION flows/product-introductions",
        "  REMOVED HEAD:concero/flows.yaml:125:5 LOW GDPR-AGREEMENT flows/product-introductions",
    ]
    assert said[0] == (
        "PASS: no new findings at or above low against HEAD (57 existing findings, 0 changes to "
        "review)."
    )


_ONE = "  - {id: share-one"
_TWO = "  - {id: share-two"
_THREE = "  - {id: share-three"


def test_the_first_flow_of_a_grouped_permission_deleted_is_no_new_finding(
    tmp_path: Path,
) -> None:
    """Before: exit 1, "1 new finding: CONCERO-SHARE-PERMISSION flows/share-two
    (no-permission)" beside the same problem REMOVED on share-one."""
    repo = concero_repo(tmp_path, _SHARED)
    _cut(repo, EXTRA, _ONE, _TWO)
    code, marked, said = _gate(repo)
    assert code == 0
    assert len(marked) == 1
    assert marked[0].startswith(
        "  REMOVED HEAD:concero/zz-extra.yaml:10:5 LOW GDPR-AGREEMENT flows/share-one: "
    )
    assert said == [
        "PASS: no new findings at or above low against HEAD (61 existing findings, 0 changes to "
        "review).",
        "Against HEAD: 0 new findings (0 at or above low), 1 gone (0 fixed, 1 removed, 0 "
        "waived, 0 rule changed); 0 changes to review (0 accepted).",
    ]


def test_flows_put_in_another_order_are_no_change(tmp_path: Path) -> None:
    """Before: exit 1, the permission new on share-two and FIXED on share-one."""
    repo = concero_repo(tmp_path, _SHARED)
    path = repo.files / EXTRA
    text = path.read_text(encoding="utf-8")
    one, two, three = text.index(_ONE), text.index(_TWO), text.index(_THREE)
    path.write_text(text[:one] + text[two:three] + text[one:two] + text[three:], encoding="utf-8")
    code, marked, said = _gate(repo)
    assert (code, marked) == (0, [])
    assert said[0] == (
        "PASS: no new findings at or above low against HEAD (62 existing findings, 0 changes to "
        "review)."
    )


def test_a_flow_repurposed_into_a_group_of_its_own_is_a_new_permission(tmp_path: Path) -> None:
    """share-one deleted and share-two moved to training_accreditation: the permission that
    finding asks for is another purpose's, in the same words. Matched by its words and the
    flows the base's finding judged, it would continue the base's finding and pass."""
    repo = concero_repo(tmp_path, _SHARED)
    _cut(repo, EXTRA, _ONE, _TWO)
    repo.edit(
        EXTRA,
        "purpose: product_introductions, basis: consent,\n     consent_record: intro-consent, "
        "encrypted_in_transit: true, notice: N-CURRICULUM}\n" + _THREE,
        "purpose: training_accreditation, basis: consent,\n     consent_record: intro-consent, "
        "encrypted_in_transit: true, notice: N-CURRICULUM}\n" + _THREE,
    )
    code, marked, said = _gate(repo)
    assert code == 1
    assert marked[0].startswith(
        "concero/zz-extra.yaml:10:5 MEDIUM CONCERO-SHARE-PERMISSION (N-SHARE) flows/share-two: "
    )
    assert marked[0].endswith(
        "(one record for the purpose 'training_accreditation' serves flows share-two, "
        "share-three) [new]"
    )
    assert said[0].startswith(
        "FAIL: 1 new finding at or above low against HEAD: CONCERO-SHARE-PERMISSION "
        "flows/share-two (no-permission); 1 change to review not accepted: "
        "reclassified:flows/share-two."
    )


def test_a_flow_joining_a_moved_group_is_still_reviewed(tmp_path: Path) -> None:
    """share-one deleted and share-four added for the same recipient and purpose: the
    finding continues on share-two, and share-four newly under it is put to a person."""
    repo = concero_repo(tmp_path, _SHARED)
    _cut(repo, EXTRA, _ONE, _TWO)
    repo.edit(
        EXTRA,
        "consent_records:",
        "  - {id: share-four, from: concero, to: events-co, categories: [contact.name],\n"
        "     subjects: [customer_staff], purpose: product_introductions, basis: consent,\n"
        "     consent_record: intro-consent, encrypted_in_transit: true, notice: N-CURRICULUM}\n"
        "consent_records:",
    )
    code, _marked, said = _gate(repo)
    assert code == 1
    assert [line.split(": ")[1] for line in said[2:]] == [
        "joined-finding:flows/share-four:CONCERO-SHARE-PERMISSION:no-permission",
        "claim-changed:flows/share-four",
    ]
    assert (
        said[2]
        .split(": ", 2)[2]
        .startswith(
            "flows/share-four is newly under MEDIUM CONCERO-SHARE-PERMISSION on flows/share-two "
            "(no-permission), a finding the base has"
        )
    )


def test_a_merged_findings_key_is_its_problems_as_a_set_and_no_message_equals_it() -> None:
    """The key of a finding merged across rules is each rule's problem, in any order; a
    finding whose message (words from the map: a party's name may hold a line break) reads
    as those problems joined is another finding."""
    from flowaudit.checks.baseline import finding_key
    from flowaudit.checks.result import Finding
    from flowaudit.policies.schema import Severity

    def made(message: str, problems: tuple[str, ...] = ()) -> Finding:
        return Finding(
            "GDPR-BASIS",
            Severity.HIGH,
            "missing",
            message,
            ("flows", "f"),
            (),
            None,
            problems=problems,
        )

    merged = made("a; b", ("a", "b"))
    assert finding_key(merged) == finding_key(made("b; a", ("b", "a")))
    assert finding_key(merged) == ("GDPR-BASIS", ("flows", "f"), "missing", ("a", "b"))
    for joined in ("a\nb", "a; b", "ab"):
        assert finding_key(made(joined)) != finding_key(merged)


WAIVED_LIA = """
waivers:
  - id: w-lia
    rule: GDPR-BASIS
    element: flows/third-party-insights
    code: no-assessment
    owner: dpo@concero.example
    justification: assessment being written, due Q1
    approved_on: 2026-10-01
    expires_on: 2027-06-01
"""

NEW_LI_FLOW = """
flows:
  - id: web-tracking
    from: concero
    to: website-analytics
    categories: [web.traffic]
    subjects: [website_visitors]
    purpose: web_development
    basis: legitimate_interests
    notice: N-COLLECT
"""


def test_a_flow_joining_a_waived_grouped_finding_is_a_change_to_review(tmp_path: Path) -> None:
    """The shipped web_development assessment gap (HIGH, one finding for the purpose) waived
    at the base for its two flows; a new flow on legitimate interests for that purpose joins
    it under the waiver. Before: PASS, exit 0 under --fail-on high (only the new flow's
    MEDIUM encryption finding was new); an open finding joined so is a change to review
    (joined-finding), and the waiver was approved for the flows it covered then."""
    repo = concero_repo(tmp_path, WAIVED_LIA)
    (repo.files / EXTRA).write_text(WAIVED_LIA + NEW_LI_FLOW, encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE[:-1], "high"])
    assert result.exit_code == 1
    assert review_lines(result.stdout) == [
        "change to review: waiver-covers-new:w-lia: waiver 'w-lia' now covers flows "
        "web-tracking too, newly under the finding it covers, which it was not approved for: "
        "no-assessment: Legitimate interests, Art. 6(1)(f) needs a legitimate interests "
        "assessment on file for the purpose 'web_development' (flows third-party-insights, "
        "website-visits, web-tracking: one assessment weighs the purpose); none is linked (at "
        "the base it covered no-assessment: Legitimate interests, Art. 6(1)(f) needs a "
        "legitimate interests assessment on file; none is linked)"
    ]
    assert (
        "FAIL: no new findings at or above high against HEAD, but 1 change to review not "
        "accepted: waiver-covers-new:w-lia. Not failed on: 56 existing findings."
    ) in result.stdout.splitlines()


def test_a_waived_grouped_finding_left_as_it_was_is_no_change(tmp_path: Path) -> None:
    repo = concero_repo(tmp_path, WAIVED_LIA)
    repo.edit(EXTRA, "due Q1", "due in Q1")  # a waiver's words only
    result = run_gate(["check", str(repo.files), *GATE])
    assert result.exit_code == 0
    assert review_lines(result.stdout) == []
    assert (
        "PASS: no new findings at or above low against HEAD (56 existing findings, 0 changes "
        "to review)."
    ) in result.stdout.splitlines()


def test_a_legal_obligation_flow_given_another_purpose_is_a_claim_to_review(
    tmp_path: Path,
) -> None:
    """The shop's bookkeeping flow (legal_obligation, to the accountants) moved from the
    bookkeeping purpose (tax law) to payments: the basis now says a law requires the
    disclosure for payments, which the map cannot show (Art. 6(3): the law sets the
    purpose). Before: PASS, exit 0, 0 changes to review, under --fail-on high or low."""
    from tests.test_attack_review_s17 import AS_OF, _shop_repo

    repo, folder = _shop_repo(tmp_path)
    repo.edit(
        "flows.yaml",
        "    purpose: bookkeeping\n    basis: legal_obligation",
        "    purpose: payments\n    basis: legal_obligation",
    )
    repo.commit("head")
    result = run_gate(["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert review_lines(result.stdout) == [
        "change to review: claim-changed:flows/bookkeeping: flows/bookkeeping now claims basis "
        "'legal_obligation' for a flow now for the purpose 'payments' (was 'bookkeeping'): it "
        "can clear findings (the lawful basis one: Legal obligation, Art. 6(1)(c) applies only "
        "where a law the organisation is subject to requires this processing (Art. 6(1)(c), "
        "6(3); the map does not name the law); and the data sharing agreement and processor "
        "ones: no agreement is expected of a disclosure the law requires) and the map cannot "
        "show it is true"
    ]


def test_the_workflow_uploads_every_file_the_report_writes(tmp_path: Path) -> None:
    """The example workflow uploads the report's files by name; the report has since written
    diagram.svg (every flow, numbered as the printed key) and diagram-groups.csv (every pair
    of groups the report's table cuts to 30), and says both are "beside this report", yet
    neither was uploaded."""
    from tests.helpers import require_tool, run, shipped_map_dir

    require_tool("dot")  # the diagram is drawn by Graphviz, which the workflow installs
    out = tmp_path / "flowaudit-report"
    result = run(["report", str(shipped_map_dir()), "--out", str(out)])
    assert result.exit_code == 1, result.output
    workflow = (Path(__file__).parents[1] / "docs" / "github-actions.yml").read_text("utf-8")
    written = sorted(p.name for p in out.iterdir())
    assert "diagram.svg" in written
    assert [n for n in written if f"flowaudit-report/{n}\n" not in workflow] == []
