"""Lawyer review s6 (scenario re-run of 2026-12-03, round s6), problems 1 and 2: a third
party's flow into a store held for the organisation that says ``recipient_role: processor``
makes the organisation that party's processor for that intake, and for nothing else.

1. A broker's leads written into the shop's newsletter list (held by its platform) as the
   shop's processor (xn3b; s5's n3b; the gate g3): the shop's own sign-up flow (``from:
   shopwave``, its own form) was read as processing for the broker by the shared purpose
   id: "Shopwave Ltd (processor)", the GDPR-BASIS half of its consent finding gone, its
   Newsletter row off the Art. 30(1) record. The broker's intake lands in the platform's
   store, never on a node of the shop's, so no flow the shop makes from its own nodes
   carries it: the sign-up stays the shop's own collection. The broker's flow itself is
   what it says: the shop is the broker's processor for it (Art. 28 contract, Art. 30(2),
   breach notice), and the platform holding the list is the sub-processor the broker's data
   reaches by that intake (Art. 28(2)).
2. One client's ticket flow into Concero's Zendesk helpdesk said ``processor`` (k2) made
   nine of Concero's own controller flows (ISP orders, card payments, the installer,
   procurement, product introductions, training, hosting) HIGH "the controller's data"
   findings, though Concero collects the same staff contacts as a controller itself
   (``collect-sme-contacts``). Expected: the shipped map's findings plus the client's
   intake's own (CRITICAL transfer, HIGH Art. 28 contract) and the Art. 30(2) and breach
   notice lines naming it.

The reviewer's scenario files are in tests/fixtures/lawyer_s6/ (verbatim).
"""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import shipped_map_dir
from tests.helpers import (
    GateResult,
    GitRepo,
    audit_folder,
    concero_with,
    edit_once,
    located_findings,
    require_tool,
    run,
    run_gate,
    shop_scenario,
)

SCENARIOS = Path(__file__).parent / "fixtures" / "lawyer_s6"

AS_OF = ["--as-of", "2026-11-25"]

#: The shop's own sign-up stripped of its consent record, opt-out and contract (xn3a, xn3b),
#: so that it has findings to lose.
SIGN_UP_EVIDENCE = (
    "    consent_record: newsletter-optin\n"
    "    opt_out: unsubscribe link and reply address in every email\n"
    "    agreement: storefront-dpa\n"
)

#: The shop's own sign-up's findings once stripped: its own, as a controller, whatever the
#: broker's flow says of its own recipient's role.
SIGN_UP_FINDINGS = [
    ("GDPR-AGREEMENT", "missing", "flows/newsletter-signup", "flows.yaml", 60, 5),
    (
        "GDPR-BASIS + PECR-MARKETING-CONSENT",
        "no-consent-record",
        "flows/newsletter-signup",
        "flows.yaml",
        60,
        5,
    ),
    ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/newsletter-signup", "flows.yaml", 60, 5),
]


def _stripped(tmp_path: Path, name: str) -> Path:
    folder = shop_scenario(tmp_path / name, SCENARIOS / f"{name}.yaml")
    edit_once(folder / "flows.yaml", SIGN_UP_EVIDENCE, "")
    return folder


def _of(result: AuditResult, flow: str) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.code, f.message) for f in result.findings if f.element == ("flows", flow)]


def test_lawyer_s6_problem_1_the_shops_own_sign_up_stays_its_own_beside_a_brokers_intake(
    tmp_path: Path,
) -> None:
    """xn3b: the sign-up keeps GDPR-BASIS, reads "Shopwave Ltd (controller) → Storefront
    (processor)", and is processed for no one; the broker's flow is the shop's processor
    intake, its Storefront sub-processor reached by the intake itself."""
    result = audit_folder(_stripped(tmp_path, "xn3b"))
    assert located_findings(result) == [
        ("GDPR-AGREEMENT + GDPR-PROCESSOR", "missing", "flows/bought-leads", "scenario.yaml", 4, 5),
        SIGN_UP_FINDINGS[0],
        SIGN_UP_FINDINGS[1],
        ("PECR-MARKETING-CONSENT", "no-record", "flows/bought-leads", "scenario.yaml", 4, 5),
        (
            "GDPR-BREACH",
            "processor-no-controller-notice",
            "organisation/shopwave",
            "organisation.yaml",
            15,
            3,
        ),
        (
            "GDPR-PROCESSOR",
            "no-processor-record",
            "organisation/shopwave",
            "organisation.yaml",
            7,
            1,
        ),
        ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/bought-leads", "scenario.yaml", 4, 5),
        SIGN_UP_FINDINGS[2],
    ]
    facts = result.facts
    sign_up = facts.flow("newsletter-signup").flow
    assert facts.processed_for(sign_up) == ()
    assert not facts.held_as_processor(sign_up)
    leads = facts.flow("bought-leads")
    assert (leads.direction, leads.recipient.id, leads.role.value if leads.role else None) == (
        "inbound",
        "shopwave",
        "processor",
    )
    [agreement] = [
        f
        for f in result.findings
        if f.element == ("flows", "newsletter-signup") and f.rule_id == "GDPR-AGREEMENT"
    ]
    assert agreement.message == (
        "Shopwave Ltd (controller) → Storefront Commerce Inc. (processor): an Art. 28 contract "
        "is required; none is linked"
    )
    [contract] = [
        f
        for f in result.findings
        if f.element == ("flows", "bought-leads") and f.rule_id == "GDPR-AGREEMENT"
    ]
    assert contract.message == (
        "LeadGen Ltd (controller) → Shopwave Ltd (processor): an Art. 28 contract is required; "
        "none is linked; it must authorise the sub-processor the controller's data reaches "
        "(Art. 28(2)): Storefront Commerce Inc. (bought-leads)"
    )


def test_lawyer_s6_problem_1_the_sign_up_is_judged_alike_whatever_role_the_broker_names(
    tmp_path: Path,
) -> None:
    """xn3a (the broker's flow with no role: the shop collects the leads as a controller) and
    xn3b (``processor``): the shop's own sign-up gets the same findings, word for word."""
    without = audit_folder(_stripped(tmp_path, "xn3a"))
    said = audit_folder(_stripped(tmp_path, "xn3b"))
    assert [row for row in located_findings(without) if row[2] == "flows/newsletter-signup"] == (
        SIGN_UP_FINDINGS
    )
    assert _of(said, "newsletter-signup") == _of(without, "newsletter-signup")


def test_lawyer_s6_problem_1_the_newsletter_row_stays_on_the_art_30_1_record(
    tmp_path: Path,
) -> None:
    """s5's n3b (unstripped): the Art. 30(1) record keeps the shop's Newsletter row; the
    Art. 30(2) record lists LeadGen with Storefront as the sub-processor its leads reach
    (by bought-leads, in the US), not the shop's own sign-up flow."""
    folder = shop_scenario(tmp_path / "n3b", SCENARIOS / "xn3b.yaml")
    result = run(["ropa", str(folder), *AS_OF])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    [own] = [line for line in lines if line.startswith("| Marketing | Newsletter")]
    assert own.startswith(
        "| Marketing | Newsletter (only with consent) (newsletter) |  | Newsletter subscribers | "
    )
    assert own.endswith("| newsletter-signup | PN-MARKETING |  |")
    [theirs] = [line for line in lines if line.startswith("| LeadGen Ltd (GB) |")]
    assert theirs.startswith(
        "| LeadGen Ltd (GB) | Newsletter (only with consent) | Newsletter subscribers | Name "
        "(contact.name); Email address (contact.email) | Storefront Commerce Inc. (US, flow "
        "bought-leads) |  | US | US: adequacy for importers listed under uk_extension only "
    )
    assert "newsletter-signup" not in theirs


def test_lawyer_s6_problem_1_a_mailer_reading_the_shared_list_is_the_brokers_sub_processor_too(
    tmp_path: Path,
) -> None:
    """xn3e (n3b plus a mailer the platform sends the list to, for the newsletter): the list
    holds the shop's own sign-ups and the broker's leads. The mailer's flow stays judged as
    the shop's chain (its consent and opt-out findings, its row on the Art. 30(1) record),
    and, as the broker's leads are in the list it sends, the mailer is a sub-processor the
    broker must authorise, with the platform, on the broker's Art. 30(2) row."""
    folder = shop_scenario(tmp_path / "xn3e", SCENARIOS / "xn3e.yaml")
    result = audit_folder(folder)
    assert [row for row in located_findings(result) if row[2] == "flows/list-to-mailer"] == [
        (
            "GDPR-BASIS + PECR-MARKETING-CONSENT",
            "no-consent-record",
            "flows/list-to-mailer",
            "scenario.yaml",
            6,
            5,
        ),
        ("PECR-MARKETING-OPT-OUT", "no-opt-out", "flows/list-to-mailer", "scenario.yaml", 6, 5),
    ]
    assert result.facts.processed_for(result.facts.flow("list-to-mailer").flow) == ()
    [contract] = [
        f
        for f in result.findings
        if f.element == ("flows", "bought-leads") and f.rule_id == "GDPR-AGREEMENT"
    ]
    assert contract.message == (
        "LeadGen Ltd (controller) → Shopwave Ltd (processor): an Art. 28 contract is required; "
        "none is linked; it must authorise the 2 sub-processors the controller's data reaches "
        "(Art. 28(2)): Storefront Commerce Inc. (bought-leads), BulkMail Ltd (list-to-mailer)"
    )
    ropa = run(["ropa", str(folder), *AS_OF])
    assert ropa.exit_code == 0, ropa.output
    [theirs] = [line for line in ropa.output.splitlines() if line.startswith("| LeadGen Ltd")]
    assert (
        "| Storefront Commerce Inc. (US, flow bought-leads); BulkMail Ltd (GB, flow "
        "list-to-mailer) |" in theirs
    )
    [own] = [line for line in ropa.output.splitlines() if line.startswith("| Marketing |")]
    assert "Storefront Commerce Inc. (processor, US); BulkMail Ltd (processor, GB)" in own


def _gate(map_dir: Path) -> GateResult:
    return run_gate(["check", str(map_dir), "--base", "HEAD~1", *AS_OF])


def test_lawyer_s6_problem_1_the_gate_reviews_the_brokers_claim_not_a_reclassification(
    tmp_path: Path,
) -> None:
    """g3: the shop example at the base, the broker's flow added (``processor``): exit 1 on
    the five new findings and the claim to review; the shop's own sign-up is no longer
    "reclassified" as processed for the broker."""
    require_tool("git")
    map_dir = tmp_path / "map"
    repo = GitRepo(tmp_path, map_dir)
    repo.git("init", "-q")
    assert run_gate(["init", str(map_dir), "--example", "shop"]).exit_code == 0
    repo.commit()
    (map_dir / "scenario.yaml").write_text(
        (SCENARIOS / "xn3b.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    repo.commit("leads")
    result = _gate(map_dir)
    assert result.exit_code == 1, result.output
    changes = [line for line in result.output.splitlines() if line.startswith("change to review:")]
    assert changes == [
        "change to review: claim-changed:flows/bought-leads: flows/bought-leads now claims "
        "recipient_role 'processor' (was unsaid); encrypted_in_transit true (was unsaid): it "
        "can clear findings (the recipient's role decides the Art. 28 contract, data sharing, "
        "permission and sub-processing ones, and whether the store it writes into is the "
        "organisation's to account for (its contents, retention and security)) and the map "
        "cannot show it is true"
    ]
    assert "reclassified" not in result.output
    assert (
        "Against HEAD~1: 5 new findings (5 at or above low), 0 gone (0 fixed, 0 removed, 0 "
        "waived, 0 rule changed); 1 change to review (0 accepted)."
    ) in result.output


# --- problem 2: a client's ticket flow said processor, at Concero ---------------------------


def _concero(tmp_path: Path, scenario: str) -> AuditResult:
    return audit_folder(concero_with(tmp_path, scenario))


def _rows(rows: list[tuple[str, str, str, str, int, int]]) -> set[tuple[str, ...]]:
    return {(rules, code, element, str(line)) for rules, code, element, _, line, _ in rows}


def test_lawyer_s6_problem_2_a_clients_tickets_said_processor_add_only_their_own_findings(
    tmp_path: Path,
) -> None:
    """k2: the shipped map's 57 findings, plus on sme-tickets the CRITICAL transfer and the
    HIGH Art. 28 contract (Zendesk, the store's holder, the one sub-processor it names), and
    the Art. 30(2) and breach notice lines naming the client; none of Concero's own flows
    carries the client's data."""
    shipped = audit_folder(shipped_map_dir())
    result = _concero(tmp_path / "k2", (SCENARIOS / "k2.yaml").read_text(encoding="utf-8"))
    assert len(shipped.findings) == 57
    assert len(result.findings) == 59
    added = _rows(located_findings(result)) - _rows(located_findings(shipped))
    assert added == {
        ("GDPR-TRANSFER + CONCERO-TRANSFER", "no-mechanism", "flows/sme-tickets", "2"),
        ("GDPR-AGREEMENT + GDPR-PROCESSOR", "missing", "flows/sme-tickets", "2"),
    }
    assert _rows(located_findings(shipped)) <= _rows(located_findings(result))
    messages = {f.element: f.message for f in result.findings if f.code == "missing"}
    assert messages[("flows", "sme-tickets")] == (
        "Customer businesses (SMEs) (controller) → Concero Technology Services (processor): an "
        "Art. 28 contract is required; none is linked; it must authorise the sub-processor the "
        "controller's data reaches (Art. 28(2)): Zendesk, Inc. (sme-tickets)"
    )
    [record] = [f for f in result.findings if f.code == "no-processor-record"]
    assert record.message.startswith(
        "Concero Technology Services acts as processor for Customer schools, Customer "
        "businesses (SMEs) (school-server-work, sme-tickets): "
    )
    [breach] = [f for f in result.findings if f.rule_id == "GDPR-BREACH"]
    assert breach.message.endswith(
        "the organisation acts as a processor (school-server-work, sme-tickets) but its breach "
        "procedure does not record telling the controller without undue delay (UK GDPR Art. "
        "33(2))"
    )
    assert not [
        f
        for f in result.findings
        if "Customer businesses (SMEs)" in f.message
        and f.element != ("flows", "sme-tickets")
        and f.code != "no-processor-record"
    ]


#: k2 with the tickets written to Concero itself, not its processor's helpdesk: the intake
#: lands on Concero's own node, so Concero's own flows may carry it.
TO_CONCERO = ("to: helpdesk, recipient_role", "to: concero, recipient_role")


def test_lawyer_s6_problem_2_own_contacts_for_own_purposes_are_no_clients_data(
    tmp_path: Path,
) -> None:
    """The tickets to Concero itself: Concero's ISP orders, card payments, installer,
    procurement, product and training flows, for purposes of its own, carry staff contacts it
    holds in its own right about the same people (collect-sme-contacts): no client's data,
    no finding. The hosting flows, for its SLA support, still put the tickets' content, which
    only the client's intake brings, to a purpose the client does not give (Art. 28(10))."""
    scenario = (SCENARIOS / "k2.yaml").read_text(encoding="utf-8").replace(*TO_CONCERO)
    shipped = audit_folder(shipped_map_dir())
    result = _concero(tmp_path / "k2-concero", scenario)
    added = _rows(located_findings(result)) - _rows(located_findings(shipped))
    assert added == {
        ("GDPR-AGREEMENT + GDPR-PROCESSOR", "missing", "flows/sme-tickets", "2"),
        ("GDPR-PROCESSOR", "processor-own-purpose", "flows/hosting-eea", "217"),
        ("GDPR-PROCESSOR", "processor-own-purpose", "flows/hosting-uk", "232"),
        ("GDPR-PROCESSOR", "processor-own-purpose", "flows/hosting-us", "198"),
    }
    [hosting] = [
        f
        for f in result.findings
        if f.element == ("flows", "hosting-us") and f.rule_id == "GDPR-PROCESSOR"
    ]
    assert hosting.message.startswith(
        "Customer businesses (SMEs) (controller) → Concero Technology Services (processor): "
        "this flow puts the controller's data (Correspondence, queries and support requests) "
        "to the purpose 'sla_support' "
    )
    for own in (
        "isp-provisioning",
        "card-payments",
        "installation-helper",
        "procurement-quotes",
        "product-introductions",
        "training-accreditation",
    ):
        assert _of(result, own) == _of(shipped, own), own
