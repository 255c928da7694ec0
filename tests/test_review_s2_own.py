"""The organisation's own processing of people it also holds as another controller's processor:
the role is read per flow, from its data and purpose, not per group of people.

- Auditor review s2, problem 2 (auditor review 2026-12-03s, problem 2): LearnLoop, a school's
  processor for its teachers' and pupils' records, also signs teachers up for its own
  newsletter, recorded as map-format.md says (a flow from its own id into its own store, for
  its own purpose, on its own basis). The sign-up and the newsletter sent to Mailchimp got a
  HIGH "infringes Art. 28(10)" each, as if the school's data were put to a new purpose. The
  map is the reviewer's, verbatim (/tmp/nc-s/t2), in tests/fixtures/review_s2_own/learnloop.
- Scenario review s2, mismatch 1 (scenario review 2026-12-03s, mismatch 1; scenario 43):
  Concero records pupils' names and e-mails in its CRM for its own purpose, on its own basis.
  CONCERO-PUPILS called it "the school's processor" (the role carried per group of people
  from the school's server-work intake), while GDPR-BASIS judges it as Concero's own; and the
  MIS sub-processor finding dropped "Pupils" from the school's data it may receive.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.model.schema import Flow
from tests.helpers import audit_folder, concero_with, line_of, located_findings, run

LEARNLOOP = Path(__file__).parent / "fixtures" / "review_s2_own" / "learnloop"

AS_OF = ["--as-of", "2026-11-25"]

#: The LearnLoop map's findings that have nothing to do with the newsletter (the reviewer's
#: problem 1, the organisation's own UK Extension listing, is another branch's).
LEARNLOOP_OTHERS = [
    ("GDPR-TRANSFER", "no-mechanism", "flows/school-rosters", "schools.yaml", 44, 5),
    (
        "GDPR-BREACH",
        "processor-no-controller-notice",
        "organisation/learnloop-inc",
        "map.yaml",
        34,
        3,
    ),
    ("GDPR-PROCESSOR", "no-processor-record", "organisation/learnloop-inc", "map.yaml", 14, 1),
]


def _learnloop(tmp_path: Path, drop_signup: bool = False) -> Path:
    folder = tmp_path / "learnloop"
    shutil.copytree(LEARNLOOP, folder)
    if drop_signup:
        schools = folder / "schools.yaml"
        text = schools.read_text(encoding="utf-8")
        start = text.index("  - id: teacher-signup")
        end = text.index("\nagreements:")
        schools.write_text(text[:start].rstrip("\n") + "\n" + text[end:], encoding="utf-8")
    return folder


def test_auditor_s2_problem_2_the_organisations_own_sign_up_and_newsletter_are_no_art_28_10(
    tmp_path: Path,
) -> None:
    """teacher-signup (learnloop-inc -> customer-records, newsletter, legitimate interests)
    is LearnLoop collecting teachers' contact details itself; teacher-newsletter sends what
    it collected, for the same purpose, to its own processor Mailchimp. Neither is the
    school's data put to a purpose of LearnLoop's own: no GDPR-PROCESSOR finding on either,
    and the collection's own findings (store record, opt-out) stay."""
    folder = _learnloop(tmp_path)
    result = audit_folder(folder)
    assert located_findings(result) == [
        *LEARNLOOP_OTHERS,
        (
            "HYG-STORE-CONTENTS",
            "more-than-declared",
            "flows/teacher-signup",
            "schools.yaml",
            83,
            16,
        ),
        ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/teacher-signup", "schools.yaml", 79, 5),
    ]
    # GDPR-BASIS judges both as LearnLoop's own processing (its LIA covers them: passes)
    assert not result.facts.held_as_processor(_flow(result, "teacher-signup"))
    assert not result.facts.held_as_processor(_flow(result, "teacher-newsletter"))
    basis_passes = {e.element[1] for e in result.passed if e.rule_id == "GDPR-BASIS"}
    assert {"teacher-signup", "teacher-newsletter"} <= basis_passes
    # neither is judged as carrying the school's data (no pass counted for it either)
    assert {e.element for e in result.passed if e.rule_id == "GDPR-PROCESSOR"}.isdisjoint(
        {("flows", "teacher-signup"), ("flows", "teacher-newsletter")}
    )
    code = run(["check", str(folder), *AS_OF])
    assert code.exit_code == 1
    assert "5 findings (1 critical, 0 high, 4 medium, 0 low, 0 info)" in code.output
    assert "Art. 28(10)" not in code.output


def test_auditor_s2_problem_2_without_its_own_collection_the_newsletter_still_infringes(
    tmp_path: Path,
) -> None:
    """The same map without the sign-up: nothing records LearnLoop collecting the teachers'
    details itself, so the newsletter puts the school's teachers' data to a purpose of its
    own, the HIGH finding as before (the rule still fires where it should)."""
    folder = _learnloop(tmp_path, drop_signup=True)
    result = audit_folder(folder)
    lines = (folder / "schools.yaml").read_text(encoding="utf-8").splitlines()
    at = lines.index("    purpose: newsletter", lines.index("  - id: teacher-newsletter")) + 1
    assert located_findings(result) == [
        LEARNLOOP_OTHERS[0],
        (
            "GDPR-PROCESSOR",
            "processor-own-purpose",
            "flows/teacher-newsletter",
            "schools.yaml",
            at,
            5,
        ),
        *LEARNLOOP_OTHERS[1:],
    ]
    # the school's teachers' names and e-mails are named: LearnLoop's own contact data for
    # another purpose is no copy of the school's (attack review s3, problem 2)
    (own,) = [f for f in result.findings if f.code == "processor-own-purpose"]
    assert own.message == (
        "Customer schools (controller) → LearnLoop Inc (processor): this flow puts the "
        "controller's data (Name, Email address, about Teachers at customer schools) to the "
        "purpose 'newsletter' "
        "(Product newsletter for teachers), not one for which Customer schools gives it "
        "('teaching'); a processor processes it only on the controller's documented "
        "instructions (Art. 28(3)(a), Art. 29), and one that decides a purpose of its own is a "
        "controller for that processing and infringes (Art. 28(10)): stop it, or record the "
        "documented instruction of Customer schools as the purpose of its flow to LearnLoop Inc"
    )


# A sign-up with no basis of its own was read here as no collection (both flows kept the
# Art. 28(10) finding): DPO review s3, problem 3 showed that reading wrong (GDPR-BASIS asks the
# organisation's own basis of the same flow). tests/test_review_s3_own.py now holds it.


#: Scenario 43 (the reviewer's /tmp/scen-s/43): the shipped map plus one flow, and `pupils`
#: added to the CRM's subjects.
PUPIL_LOGINS = """flows:
  - id: pupil-logins
    from: concero
    to: crm
    categories: [contact.name, contact.email]
    subjects: [pupils]
    purpose: identify_service_users
    basis: legitimate_interests
    encrypted_in_transit: true
    notice: N-PURPOSE
"""

CONTROLLER = (
    "Concero holds them as a controller (the map does not record this data reaching it only "
    "as the school's processor), which contradicts the notice's statement that it holds no "
    "data on pupils, students or parents (N-PUPILS); amend the notice or stop the processing "
    "(UK GDPR Art. 5(1)(a), Art. 5(2)); as their controller Concero must itself tell pupils and "
    "parents (Art. 13/14) and rest the processing on a lawful basis fit for children's data "
    "(see GDPR-BASIS)"
)
PROCESSOR = "Concero handles them as the school's processor"


def _scenario_43(tmp_path: Path, pupils_in_server_work: bool = True) -> Path:
    folder = concero_with(tmp_path, PUPIL_LOGINS)
    systems = folder / "systems.yaml"
    text = systems.read_text(encoding="utf-8")
    crm = text.index("  - id: crm")
    text = text[:crm] + text[crm:].replace(
        "subjects: [customer_staff]", "subjects: [customer_staff, pupils]", 1
    )
    systems.write_text(text, encoding="utf-8")
    if not pupils_in_server_work:  # scenario 44
        flows = folder / "flows.yaml"
        text = flows.read_text(encoding="utf-8")
        text = text.replace(
            "subjects: [customer_staff, pupils, students, parents]",
            "subjects: [customer_staff, students, parents]",
            1,
        )
        flows.write_text(text, encoding="utf-8")
    return folder


def _flow(result: AuditResult, flow_id: str) -> Flow:
    return next(f for f in result.facts.index.data.flows if f.id == flow_id)


def _pupils(result: AuditResult) -> list[tuple[str, str, bool]]:
    """(element, code, worded as the school's processor) of every CONCERO-PUPILS finding."""
    return [
        ("/".join(f.element), f.code, PROCESSOR in f.message)
        for f in result.findings
        if f.rule_id == "CONCERO-PUPILS"
    ]


def test_scenario_s2_mismatch_1_concero_collecting_pupil_data_itself_is_their_controller(
    tmp_path: Path,
) -> None:
    """Scenario 43: pupil-logins and the CRM it fills get the controller wording, as GDPR-BASIS
    judges the flow (it asks Concero's own assessment); the flows whose pupil data comes from
    the school's servers keep the processor wording; no Art. 28(10) finding on Concero's own
    collection; and the MIS sub-processor finding still lists Pupils among the school's data."""
    folder = _scenario_43(tmp_path)
    result = audit_folder(folder)
    assert _pupils(result) == [
        ("flows/pupil-logins", "subject", False),
        ("flows/school-server-work", "subject", True),
        ("systems/crm", "subject", False),
        ("flows/helpdesk-tickets", "may-subject", True),
        ("flows/mis-third-party-support", "may-subject", True),
    ]
    (logins,) = [
        f
        for f in result.findings
        if f.rule_id == "CONCERO-PUPILS" and f.element[1] == "pupil-logins"
    ]
    assert logins.message == f"carries data about Pupils: {CONTROLLER}"
    assert logins.severity.value == "critical"
    extra = folder / "zz-extra.yaml"
    assert logins.location is not None
    assert (Path(logins.location.file).name, logins.location.line) == (
        "zz-extra.yaml",
        line_of(extra, "subjects: [pupils]"),
    )
    (crm,) = [
        f
        for f in result.findings
        if f.element == ("systems", "crm") and f.rule_id == "CONCERO-PUPILS"
    ]
    assert crm.message == f"store holds data about Pupils: {CONTROLLER}"
    # GDPR-BASIS judges it as Concero's own (its own legitimate interests assessment)
    assert [
        (f.rule_id, f.code) for f in result.findings if f.element == ("flows", "pupil-logins")
    ] == [
        ("CONCERO-PUPILS", "subject"),
        ("GDPR-BASIS", "no-assessment"),
    ]
    assert not [f for f in result.findings if f.code == "processor-own-purpose"]
    (mis,) = [
        f
        for f in result.findings
        if f.rule_id == "GDPR-PROCESSOR" and f.element == ("flows", "mis-third-party-support")
    ]
    assert (
        "this flow may carry the controller's data (All data held on a customer's network, "
        "about Pupils, Students, Parents)" in mis.message
    )
    assert len(result.findings) == 60  # the shipped 57, and pupil-logins' three
    assert run(["check", str(folder), *AS_OF]).exit_code == 1


def test_scenario_s2_mismatch_1_the_wording_no_longer_turns_on_an_unrelated_intake(
    tmp_path: Path,
) -> None:
    """Scenario 44 (pupils taken out of school-server-work): pupil-logins and the CRM get the
    same controller wording as in scenario 43, word for word."""
    result = audit_folder(_scenario_43(tmp_path, pupils_in_server_work=False))
    messages = {
        "/".join(f.element): f.message
        for f in result.findings
        if f.rule_id == "CONCERO-PUPILS"
        and f.code == "subject"
        and f.element != ("flows", "school-server-work")
    }
    assert messages == {
        "flows/pupil-logins": f"carries data about Pupils: {CONTROLLER}",
        "systems/crm": f"store holds data about Pupils: {CONTROLLER}",
    }


def test_scenario_s2_mismatch_1_the_shipped_map_keeps_its_processor_wording() -> None:
    """The shipped map (no collection of pupil data of Concero's own): every CONCERO-PUPILS
    finding is still worded as the school's processor, and the verdict is the 57 findings."""
    result = run(["check", *AS_OF])
    assert "57 findings (3 critical, 11 high, 39 medium, 4 low, 0 info)" in result.output
    assert "holds them as a controller" not in result.output
    assert result.output.count(PROCESSOR) == 3
    assert result.exit_code == 1
