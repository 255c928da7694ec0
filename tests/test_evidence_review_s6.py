"""Evidence fields and set-aside flows, round s6: the auditor's review (problems 2-5), the
lawyer's scenario re-run (problem 4) and the DPO's review (problem 5) of 2026-12-03."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from flowaudit.app import AuditRequest, audit
from flowaudit.model.loader import shipped_map_dir
from flowaudit.policies.schema import Severity
from flowaudit.reports.bounds import SET_ASIDE_SHOWN
from flowaudit.reports.html import render_html
from flowaudit.reports.markdown import render_markdown
from flowaudit.reports.text import assumed_passes, set_aside_flows
from tests.helpers import audit_folder, edit_once, located_findings, run, shop_scenario

FIXTURES = Path(__file__).parent / "fixtures" / "review_s6"

#: isp-provisioning's records in the lawyer's j2: the customer told of the ISP, and a
#: "permission" that names neither who nor where (lawyer review s6, problem 4).
J2_RECORDS = (
    "    notification: welcome email naming the ISP (Sales/templates/welcome.eml)\n"
    "    permission: order form tick box agreeing that Concero may share data with its "
    "partners (Sales/forms/order.pdf)\n"
)


def _concero_j2(tmp_path: Path, records: str = J2_RECORDS) -> Path:
    """The shipped map edited as the lawyer's j2 (/tmp/scen6/j2): the ISP a controller, and
    isp-provisioning recording ``records``."""
    folder = tmp_path / "j2"
    shutil.copytree(shipped_map_dir(), folder)
    edit_once(
        folder / "flows.yaml",
        "    # permission, notification: unset (being told of the ISP, N-ISP, is no N-SHARE "
        "permission)\n",
        records,
    )
    edit_once(
        folder / "organisation.yaml", "    kind: isp\n", "    kind: isp\n    role: controller\n"
    )
    return folder


def test_a_permission_naming_neither_who_nor_where_passes_only_on_trust(tmp_path: Path) -> None:
    """Lawyer review s6, problem 4 (auditor review s6, problem 5): flowaudit cannot read
    whether a permission names the recipient and its country; the pass says it rests on
    what the record says, for N-SHARE's permission and N-ISP's notification alike."""
    result = audit_folder(_concero_j2(tmp_path))
    # the agreement of the wrong kind and its unknown status: one finding (review s16)
    assert [
        (f.rule_id, f.code) for f in result.findings if f.element == ("flows", "isp-provisioning")
    ] == [("GDPR-AGREEMENT", "sharing-wrong-kind")]
    trusted = [row for row in assumed_passes(result) if row[0].startswith("CONCERO-")]
    assert trusted == [
        (
            "CONCERO-ISP-TOLD: the notification recorded is taken to name the ISP that receives "
            "the data (N-ISP); flowaudit cannot read its text",
            [
                'CONCERO-ISP-TOLD flows/isp-provisioning (notification "welcome email naming '
                'the ISP (Sales/templates/welcome.eml)")'
            ],
            1,
        ),
        (
            "CONCERO-SHARE-PERMISSION: the permission recorded is taken to name who receives "
            "the data and where it goes (N-SHARE); flowaudit cannot read its text",
            [
                'CONCERO-SHARE-PERMISSION flows/isp-provisioning (permission "order form tick '
                "box agreeing that Concero may share data with its partners "
                '(Sales/forms/order.pdf)")'
            ],
            1,
        ),
    ]


def test_a_permission_standing_for_the_notification_is_the_one_trusted(tmp_path: Path) -> None:
    """Auditor review s6, problem 5: N-ISP kept by the permission (satisfied_by) names the
    permission as the record taken on trust."""
    records = "    permission: order form naming the ISP and its country (Sales/forms/order.pdf)\n"
    result = audit_folder(_concero_j2(tmp_path, records))
    trusted = [row[0] for row in assumed_passes(result) if row[0].startswith("CONCERO-ISP")]
    assert trusted == [
        "CONCERO-ISP-TOLD: the permission recorded is taken to name the ISP that receives the "
        "data (N-ISP); flowaudit cannot read its text"
    ]


def _docs_fields_required_policy(tmp_path: Path) -> Path:
    """docs/policies.md's fields_required example (its second YAML block), as a policy file."""
    text = (Path(__file__).parent.parent / "docs" / "policies.md").read_text(encoding="utf-8")
    block = text.split("```yaml\n")[2].split("```", 1)[0]
    assert block.startswith("  - id: HOUSE-CLIENT-TOLD\n")
    policy = tmp_path / "house.yaml"
    policy.write_text("policy: {id: house, title: House}\nrules:\n" + block, encoding="utf-8")
    return policy


def test_the_docs_fields_required_example_runs(tmp_path: Path) -> None:
    """Auditor review s6, newcomer notes: policies.md had no YAML example of a
    fields_required rule; the one it now has loads and judges the auditor's recruiter map
    as it says: a CV sent to a client with no record is a finding, one with a permission
    passes on the record's word."""
    policy = _docs_fields_required_policy(tmp_path)
    folder = tmp_path / "rec"
    shutil.copytree(FIXTURES / "rec", folder)
    request = AuditRequest([str(folder)], date(2026, 11, 25), [policy])
    [found] = [f for f in audit(request).findings if f.rule_id == "HOUSE-CLIENT-TOLD"]
    assert (found.element, found.code, found.message) == (
        ("flows", "cv-to-client"),
        "no-notification",
        "TalentCloud Inc (processor) → Client employers (independent controller): no record "
        "shows the candidate was told which client receives their CV",
    )
    edit_once(
        folder / "parties.yaml",
        "    basis: contract\n    encrypted_in_transit: true\n    notice: PN-RECIPIENTS\n"
        "  - id: client-uploads",
        "    basis: contract\n    encrypted_in_transit: true\n    notice: PN-RECIPIENTS\n"
        "    permission: Candidate ticked a box on the web form\n  - id: client-uploads",
    )
    result = audit(request)
    assert [f for f in result.findings if f.rule_id == "HOUSE-CLIENT-TOLD"] == []
    assert [row for row in assumed_passes(result) if row[0].startswith("HOUSE-")] == [
        (
            "HOUSE-CLIENT-TOLD: the permission recorded is taken to name the client that "
            "receives the CV; flowaudit cannot read its text",
            [
                'HOUSE-CLIENT-TOLD flows/cv-to-client (permission "Candidate ticked a box on '
                'the web form")'
            ],
            1,
        )
    ]


def test_another_controllers_own_store_is_not_asked_the_organisations_retention(
    tmp_path: Path,
) -> None:
    """DPO review s6, problem 5 (n7): a data broker's own lead database, filled only by its
    own collection (set aside as its processing), holds nothing of the shop's: storage
    limitation there is the broker's duty, not the shop's. No store rule judges it."""
    result = audit_folder(shop_scenario(tmp_path / "n7", FIXTURES / "n7.yaml"))
    assert located_findings(result) == []
    assert [e for e in result.passed if e.element == ("systems", "leads-db")] == []


def test_the_same_store_held_by_the_organisation_is_judged(tmp_path: Path) -> None:
    """DPO review s6, problem 5, control: the database the shop's own, the broker's flow is
    the shop's collection and its retention is asked."""
    folder = shop_scenario(tmp_path / "n7", FIXTURES / "n7.yaml")
    edit_once(folder / "scenario.yaml", "owner: leadgen", "owner: shopwave")
    result = audit_folder(folder)
    assert ("GDPR-RETENTION", "not-recorded", "systems/leads-db", "scenario.yaml", 4, 5) in (
        located_findings(result)
    )


def test_a_processors_own_member_database_is_not_asked_the_retention(tmp_path: Path) -> None:
    """DPO review s6, problem 5 (n6): the marketplace's own member database, every flow into
    and out of it its own promotions (controller: jc, set aside), is judged by no store
    rule; the shop's one finding is the scenario's own sw-promo consent."""
    result = audit_folder(shop_scenario(tmp_path / "n6", FIXTURES / "n6.yaml"))
    assert [row[:3] for row in located_findings(result)] == [
        ("GDPR-BASIS + PECR-MARKETING-CONSENT", "purpose-not-consented", "flows/sw-promo"),
    ]
    assert [e for e in result.passed if e.element == ("systems", "hub-db")] == []


def test_a_flow_set_aside_is_listed_in_the_report_and_not_called_no_finding(
    tmp_path: Path,
) -> None:
    """Auditor review s6, problem 2: tc-own-leads, TalentCloud's own promotions (its
    purpose's controller), was set aside in silence: the HTML report's scope now lists it,
    the diagram key says it was not judged, and the Markdown summary names it."""
    out = tmp_path / "out"
    result = run(["report", str(FIXTURES / "rec"), "--as-of", "2026-11-25", "--out", str(out)])
    assert result.exit_code == 1, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert (
        "<tr><td>TalentCloud Inc → TalentCloud&#39;s own marketing list (tc-own-leads)</td>"
        "<td>TalentCloud Inc</td><td>its purpose &#39;tc_promotions&#39; is TalentCloud "
        "Inc&#39;s (the purpose&#39;s controller)</td></tr>"
    ) in page
    assert "<p>1 flow is read as another controller&rsquo;s own processing" in page
    assert (
        '<td class="mono">tc-own-leads</td><td>TalentCloud Inc → TalentCloud&#39;s own '
        "marketing list</td><td>Email address</td><td>Recruiters at other agencies</td>"
        '<td class="grade-not_judged">not judged: TalentCloud Inc&#39;s own processing</td>'
    ) in page
    # a flow that passed every rule still reads "no finding"
    assert (
        '<td class="mono">temps-to-payroll</td><td>Hireline Recruitment Ltd → PayBureau '
        "Ltd</td><td>Name, Pay and bank details</td><td>Temporary workers placed</td>"
        '<td class="grade-ok">no finding</td>'
    ) in page
    summary = (out / "report.md").read_text(encoding="utf-8").splitlines()
    assert [line for line in summary if "own processing" in line] == [
        "- Not judged, another controller's own processing: flow `tc-own-leads` (TalentCloud "
        "Inc): its purpose 'tc_promotions' is TalentCloud Inc's (the purpose's controller)"
    ]


def test_the_list_of_flows_set_aside_is_bounded(tmp_path: Path) -> None:
    """Auditor review s6, problem 2: on a map with many flows set aside the report lists
    the first SET_ASIDE_SHOWN in map order and counts the rest (issue 14's big maps)."""
    folder = tmp_path / "rec"
    shutil.copytree(FIXTURES / "rec", folder)
    many = SET_ASIDE_SHOWN + 7
    (folder / "zz-many.yaml").write_text(
        "flows:\n"
        + "".join(
            f"  - {{id: tc-lead-{n}, from: talentcloud, to: tc-marketing, categories: "
            "[contact.email], subjects: [recruiters], purpose: tc_promotions, basis: "
            "legitimate_interests, encrypted_in_transit: true, notice: PN-RECIPIENTS}\n"
            for n in range(many)
        ),
        encoding="utf-8",
    )
    audited = audit_folder(folder)
    rows, total = set_aside_flows(audited, SET_ASIDE_SHOWN)
    assert (len(rows), total) == (SET_ASIDE_SHOWN, many + 1)
    assert [row[0] for row in rows[:2]] == ["tc-own-leads", "tc-lead-0"]
    page = render_html(audited, Severity.LOW)
    assert page.count("(the purpose&#39;s controller)</td></tr>") == SET_ASIDE_SHOWN
    assert (
        f"&hellip; and 8 more flows set aside (the first {SET_ASIDE_SHOWN} in the map&rsquo;s "
        "order are listed)"
    ) in page
    summary = render_markdown(audited, Severity.LOW).splitlines()
    assert sum("another controller's own processing: flow" in line for line in summary) == 20
    assert (
        f"- … and {many + 1 - 20} more flows set aside as another controller's own processing "
        f"(the HTML report lists the first {SET_ASIDE_SHOWN})"
    ) in summary


def test_the_transfer_into_a_processor_held_store_says_whose_it_is(tmp_path: Path) -> None:
    """Auditor review s6, problem 4: a client's upload into the ATS the organisation's US
    processor holds for it is the organisation's transfer to safeguard; the finding says so
    and where its mechanism goes. The organisation's own flow to the processor reads as it
    did."""
    result = audit_folder(FIXTURES / "rec")
    [found] = [
        f
        for f in result.findings
        if f.rule_id == "GDPR-TRANSFER" and f.element == ("flows", "client-uploads")
    ]
    assert (found.code, found.severity.value, found.message) == (
        "no-mechanism",
        "critical",
        "transfer from UK to US (Applicant tracking system) has no adequacy on 2026-11-25 and "
        "no transfer mechanism; US is adequate only for importers listed under uk_extension; "
        "Client employers puts the data into the store TalentCloud Inc holds in US as "
        "Hireline Recruitment Ltd's processor, so the transfer is Hireline Recruitment Ltd's "
        "to safeguard: record its mechanism on this flow (transfer_mechanism, "
        "transfer_agreement)",
    )
    # control: the organisation's own flow to the processor, with no mechanism either, is
    # its transfer as it always read
    folder = tmp_path / "rec"
    shutil.copytree(FIXTURES / "rec", folder)
    edit_once(folder / "parties.yaml", "    transfer_mechanism: idta\n", "")
    [own] = [
        f
        for f in audit_folder(folder).findings
        if f.rule_id == "GDPR-TRANSFER" and f.element == ("flows", "cv-to-ats")
    ]
    assert (own.code, own.message) == (
        "no-mechanism",
        "transfer from UK to US (Applicant tracking system) has no adequacy on 2026-11-25 and "
        "no transfer mechanism; US is adequate only for importers listed under uk_extension",
    )
