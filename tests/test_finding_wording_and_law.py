"""The external DPO's review of the shipped map's findings (reviews/dpo-2026-12-02.md): the
wording and the law of each finding it corrected, asserted exactly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flowaudit.checks.result import AuditResult, Finding
from flowaudit.policies.legal import load_legal_table
from tests.helpers import FIXTURES, audit_files, run
from tests.helpers import audit_paths as audit


def _shipped(on: str) -> AuditResult:
    return audit([], date.fromisoformat(on))


def _one(result: AuditResult, rule_id: str, element: str, code: str | None = None) -> Finding:
    (found,) = [
        f
        for f in result.findings
        if f.rule_id == rule_id and f.element[1] == element and code in (None, f.code)
    ]
    return found


def _law(result: AuditResult, finding: Finding) -> str:
    return "; ".join(result.references_of(finding)[1])


def test_breach_finding_states_art_33_1_as_it_reads_and_cites_one_regime() -> None:
    """Art. 33(1): notify within 72 hours *unless* the breach is unlikely to result in a risk;
    every citation in the sentence names the GDPR as the regime does on the day."""
    later = _one(_shipped("2026-11-25"), "GDPR-BREACH", "concero")
    assert later.message == (
        "no breach log is recorded: every breach, its effects and the remedy must be documented "
        "(UK GDPR Art. 33(5)); the procedure's time to notify the regulator is not stated: a "
        "breach must be notified to the regulator without undue delay and, where feasible, "
        "within 72 hours of becoming aware of it, unless it is unlikely to result in a risk to "
        "people's rights and freedoms (UK GDPR Art. 33(1)); the organisation acts as a processor "
        "(school-server-work) but its breach procedure does not record telling the controller "
        "without undue delay (UK GDPR Art. 33(2))"
    )
    earlier = _one(_shipped("2019-06-01"), "GDPR-BREACH", "concero")
    assert earlier.message == later.message.replace("UK GDPR Art.", "GDPR Art.")
    assert "likely to risk" not in later.message


PROCESSOR = (
    "Concero handles them as the school's processor, which contradicts the "
    "notice's statement that it holds no data on pupils, students or parents (N-PUPILS); amend "
    "the notice (UK GDPR Art. 5(1)(a), Art. 5(2)) and put an Art. 28 contract with the school "
    "in place (see GDPR-AGREEMENT); the school's own notice (the school's duty) must name the "
    "recipients of pupil data or their categories (Art. 13(1)(e), 14(1)(e)): Concero, or a "
    "category that covers it, such as IT support providers"
)


def test_pupil_data_contradicts_the_notice_it_is_not_forbidden_and_a_guess_is_a_risk() -> None:
    """Concero may lawfully handle pupil data as the school's processor: what is wrong is the
    notice's statement. Art. 8 and the Children's code are not about it; a flow that only may
    carry pupil data (the map's guess) is a risk to confirm."""
    result = _shipped("2026-11-25")
    server = _one(result, "CONCERO-PUPILS", "school-server-work")
    assert (server.code, server.severity.value) == ("subject", "critical")
    assert server.message == f"carries data about Pupils, Students, Parents: {PROCESSOR}"
    tickets = _one(result, "CONCERO-PUPILS", "helpdesk-tickets")
    assert (tickets.code, tickets.severity.value) == ("may-subject", "high")
    assert tickets.message == (
        'may carry data about Pupils, Students, Parents: support tickets take "any other '
        'information you submit" (N-HELPDESK) from school staff; a risk to confirm: if so, '
        f"{PROCESSOR}; the same data may reach hosting-us, hosting-eea, hosting-uk"
    )
    mis = _one(result, "CONCERO-PUPILS", "mis-third-party-support")
    # the same remote session may also bring more than a business contact (N-MIS): one risk
    # to confirm, one finding citing both promises (DPO review 2026-12-02d, problem 11)
    assert mis.also == ("CONCERO-MIS-CONTACT",)
    assert mis.message == (
        "may carry data about Pupils, Students, Parents: remote MIS support works on the "
        f"school's MIS, which holds pupil records (N-MIS); a risk to confirm: if so, {PROCESSOR}"
        "; may carry 'customer_network', which is not among the allowed categories (contact.name, "
        "contact.email, contact.phone); a risk to confirm"
    )
    # the notice's false statement is unfair and unaccountable (Art. 5(1)(a), 5(2)); telling
    # pupils and parents (Art. 13, 14) is the school's duty as controller, not its
    # processor's (review 2026-12-02b, problem 8)
    law = "UK GDPR Art. 5(1)(a); UK GDPR Art. 5(2); UK GDPR Art. 28"
    # the joined N-MIS promise adds its own law (data minimisation)
    assert [_law(result, f) for f in (server, tickets, mis)] == [
        law,
        law,
        f"{law}; UK GDPR Art. 5(1)(c)",
    ]
    assert "Art. 8" not in law and "design code" not in law
    assert "Art. 13," not in server.message and "Art. 14" not in law


def test_a_missing_consent_record_is_said_once() -> None:
    result = _shipped("2026-11-25")
    marketing = _one(result, "GDPR-BASIS", "marketing-contacts")
    assert marketing.also == ("CONCERO-MARKETING-CONSENT",)
    assert marketing.message == (
        "consent is the basis but no consent record shows how it was obtained"
    )


def test_the_complaints_procedure_is_the_statutes_duty_not_a_promise_of_the_notice() -> None:
    result = _shipped("2026-11-25")
    complaints = _one(result, "GDPR-RIGHTS", "concero")
    assert (complaints.code, complaints.also) == ("no-complaints-procedure", ())
    assert complaints.message == (
        "Concero Technology Services (UK controller): from 2026-06-19 the law requires a "
        "procedure for complaints about the use of personal data, acknowledging each complaint "
        "within 30 days (DPA 2018 s.164A inserted by DUAA 2025 s.103; in force 2026-06-19 (SI "
        "2026/82 reg. 3)); it is not recorded: record complaints_procedure: true on the "
        "organisation once the procedure exists"
    )
    assert result.references_of(complaints) == ([], ["DPA 2018 s.164A", "DUAA 2025 s.103"])
    assert [f for f in result.findings if f.rule_id == "CONCERO-DSAR"] == []
    assert "N-COMPLAIN" not in result.rule("CONCERO-DSAR").references.notice
    # before the duty applies nothing is asked, and the statute is not cited
    assert [f for f in _shipped("2026-06-18").findings if "GDPR-RIGHTS" in f.rule_ids] == []


def test_a_subject_access_request_is_due_in_one_calendar_month() -> None:
    """One calendar month from receipt: 28 days for a request received on 1 February, so a
    procedure counted in days meets the law for every request only at 28 days or fewer."""
    rights = _shipped("2026-11-25").rule("GDPR-RIGHTS")
    # the deadline is the legal table's, per regime (DPO review 2026-12-03o, problem 2)
    assert rights.max_dsar_days is None  # type: ignore[attr-defined]
    table = load_legal_table()
    for regime in ("UK", "EU"):
        row = table.dsar_deadline(regime)
        assert row is not None and (row.within_days, row.late_after) == (28, 31)
        assert not row.unconfirmed
    assert "one calendar month" in rights.fix and "at most 30" not in rights.fix


def test_a_thirty_day_procedure_misses_the_month_of_a_february_request(tmp_path: Path) -> None:
    organisation = tmp_path / "map.yaml"
    organisation.write_text(
        "organisation: {id: slowco, name: Slow Co, country: GB, regime: UK, dsar_days: 30,\n"
        "  complaints_procedure: true}\n",
        encoding="utf-8",
    )
    found = [(f.rule_id, f.code, f.message) for f in audit_files(organisation, base=False).findings]
    # the law allows one calendar month; 28 days is the tool's safe figure, said as such
    assert (
        "GDPR-RIGHTS",
        "dsar-too-slow",
        "answers subject access requests in 30 days, more than 28 days; the shortest calendar "
        "month (the law allows one calendar month): a request made in February would be "
        "answered late",
    ) in found
    # a rule that does not say why its limit is the limit calls it its own, never the law's
    rights = FIXTURES / "checks" / "rights"
    slow = audit_files(
        rights / "bad.yaml", policies=(), user_policies=[rights / "policy.yaml"], base=False
    )
    assert [f.message for f in slow.findings if f.code == "dsar-too-slow"] == [
        "answers subject access requests in 31 days, more than the 30 days this rule allows"
    ]


def test_a_subject_access_finding_cites_its_own_regimes_law(tmp_path: Path) -> None:
    """DPO review 2026-12-03o, problem 2: GDPR-RIGHTS cites revFADP Art. 25(7) and FADO Art.
    18 to a Swiss controller, never the GDPR's Art. 12(3); a UK and an EU one still Art. 12(3),
    never the Swiss law."""
    cited = {}
    for regime, country in (("UK", "GB"), ("EU", "IE"), ("CH", "CH")):
        organisation = tmp_path / f"{regime}.yaml"
        organisation.write_text(
            f"organisation: {{id: slowco, name: Slow Co, country: {country}, regime: {regime},\n"
            "  dsar_days: 40, complaints_procedure: true}\n",
            encoding="utf-8",
        )
        result = audit_files(organisation, base=False)
        cited[regime] = _law(result, _one(result, "GDPR-RIGHTS", "slowco", "dsar-always-late"))
    assert cited == {
        "UK": "UK GDPR Art. 12(3)",
        "EU": "GDPR Art. 12(3)",
        "CH": "revFADP Art. 25(7); FADO Art. 18",
    }


def test_a_notice_finding_cites_its_own_regimes_law(tmp_path: Path) -> None:
    """DPO review 2026-12-03o, problem 3: a Swiss notice's finding cites revFADP Art. 19, not
    GDPR Art. 13/14; a UK and an EU one still Art. 13/14, not the Swiss law."""
    cited = {}
    for regime, country in (("UK", "GB"), ("EU", "IE"), ("CH", "CH")):
        organisation = tmp_path / f"{regime}.yaml"
        organisation.write_text(
            f"organisation: {{id: acme, name: Acme, country: {country}, regime: {regime},\n"
            "  notice_content: {controller_identity: null}}\n",
            encoding="utf-8",
        )
        result = audit_files(organisation, base=False)
        found = [
            f
            for f in result.findings
            if f.rule_id == "GDPR-NOTICE-CONTENT" and f.code == "item-missing"
        ]
        cited[regime] = [(f.message, _law(result, f)) for f in found]
    assert cited == {
        "UK": [
            (
                "the notice does not give identity and contact details of the controller (UK GDPR "
                "Art. 13(1)(a))",
                "UK GDPR Art. 13; UK GDPR Art. 14",
            )
        ],
        "EU": [
            (
                "the notice does not give identity and contact details of the controller (GDPR "
                "Art. 13(1)(a))",
                "GDPR Art. 13; GDPR Art. 14",
            )
        ],
        "CH": [
            (
                "the notice does not give identity and contact details of the controller (revFADP "
                "Art. 19(2)(a))",
                "revFADP Art. 19",
            )
        ],
    }


COOKIES = FIXTURES / "checks" / "cookies"
EXEMPTION = (
    "cookie_analytics_exemption (DUAA 2025 s.112 and Sch. 12 (PECR Sch. A1), commenced by SI "
    "2026/82 reg. 2(w))"
)


def _cookies(name: str, as_of: str) -> AuditResult:
    return audit_files(
        COOKIES / f"{name}.yaml", as_of=as_of, policies=(), user_policies=[COOKIES / "policy.yaml"]
    )


def test_the_analytics_cookie_exemption_is_marked_unconfirmed_wherever_a_verdict_rests_on_it() -> (
    None
):
    """FACTS.md: check SI 2026/82's commencement date before relying on it. The row is marked
    UNCONFIRMED, and a finding or a pass that rests on the exemption (or its date) says so."""
    exemption = load_legal_table().duties["cookie_analytics_exemption"]
    assert exemption.unconfirmed and "UNCONFIRMED" in (exemption.notes or "")
    bad = _cookies("bad", "2026-11-25")
    assert [(f.code, f.unconfirmed) for f in bad.findings] == [
        ("exemption-conditions", (EXEMPTION,)),
        ("no-consent", ()),  # an advertising cookie: PECR reg. 6 alone
    ]
    exempt = _cookies("good", "2026-11-25")
    assert exempt.findings == ()
    assert [e.unconfirmed for e in exempt.passed if e.rule_id == "TEST-COOKIES"] == [(EXEMPTION,)]
    before = _cookies("good", "2026-02-04")
    assert [(f.code, f.unconfirmed) for f in before.findings] == [("no-consent", (EXEMPTION,))]
    law = run(["law", "--as-of", "2026-11-25"])
    assert "UNCONFIRMED" in next(
        line for line in law.output.splitlines() if "cookie_analytics_exemption" in line
    )


def test_the_uk_extensions_sensitive_data_is_the_icos_list_not_the_maps_own_mark() -> None:
    """Passwords and card data (the map's `sensitive: true`), ethnic origin, health and sex
    life (in the DPF's own definition of sensitive information) need no flag; genetic,
    biometric, sexual orientation and criminal offence data do (the ICO's and DSIT's list;
    DPO review 2026-12-02g, problem 2); a special category of unrecorded kind may be one of
    them: a risk to confirm, high (DPO review 2026-12-02h, problem 4)."""
    listed = load_legal_table().transfers.sensitive_to_flag
    assert listed is not None
    assert listed.kinds == [
        "genetic",
        "biometric",
        "sexual_orientation",
        "criminal_offence",
    ]
    assert listed.source.startswith("ICO, How does the UK Extension")
    result = audit_files(FIXTURES / "law" / "uk-extension-sensitive.yaml")
    said = (
        " is data a UK exporter must identify to the importer as sensitive under the UK "
        "Extension (genetic, biometric, sexual orientation, criminal offence "
        "data: ICO, How does the UK Extension to the EU-US Data Privacy Framework work?); the "
        "importer must be told it is sensitive (set flagged_sensitive: true once it is)"
    )
    assert [
        (f.element[1], f.code, f.message) for f in result.findings if f.rule_id == "GDPR-TRANSFER"
    ] == [
        ("checks", "sensitive-not-flagged", "dbs" + said),
        ("prints", "sensitive-not-flagged", "biometrics" + said),
        # (criminal and biometric data first: the engine orders by severity)
        (
            "medical",
            "may-sensitive-not-flagged",
            "health is special category data of a kind the map does not record (art9_kind): it "
            "may be data a UK exporter must identify to the importer as sensitive under the UK "
            "Extension (genetic, biometric, sexual orientation, criminal offence data: ICO, How "
            "does the UK Extension to the EU-US Data Privacy Framework work?); a risk to "
            "confirm: record its art9_kind, and if it is genetic, biometric or sexual "
            "orientation data, the importer must be told it is sensitive (set "
            "flagged_sensitive: true once it is)",
        ),
    ]


def test_a_joint_controllers_missing_arrangement_cites_art_26_alone(tmp_path: Path) -> None:
    """Joint controllers' gaps have codes of their own (joint-...), so they cite Art. 26, not
    the processor's Art. 28 nor the controller-to-controller code; severity as the law's."""
    joint = tmp_path / "joint.yaml"
    joint.write_text(
        "parties:\n"
        "  - {id: partner, name: Partner Shop, kind: retailer, country: GB,"
        " role: joint_controller}\n"
        "agreements:\n"
        "  - {id: joint-plan, kind: art26_joint, parties: [acme, partner], status: unknown,"
        " categories: [contact]}\n"
        "flows:\n"
        "  - {id: shared, from: acme, to: partner, categories: [contact], subjects: [staff],"
        " purpose: support, basis: contract}\n"
        "  - {id: planned, from: acme, to: partner, categories: [contact.email],"
        " subjects: [staff], purpose: support, basis: contract, agreement: joint-plan}\n",
        encoding="utf-8",
    )
    result = audit_files(joint)
    found = [
        (f.element[1], f.code, f.severity.value, _law(result, f))
        for f in result.findings
        if f.rule_id == "GDPR-AGREEMENT"
    ]
    assert found == [
        ("shared", "joint-missing", "high", "UK GDPR Art. 26"),
        ("planned", "joint-unknown-status", "medium", "UK GDPR Art. 26"),
    ]


CARD_CODES = (
    "may carry forbidden category 'payment.card.security_code': every call is recorded whole "
    "(N-PHONE) and orders are paid by card (N-PURPOSE): a card read out on a call is recorded "
    "with its security code, unless recording pauses while card details are taken; a risk to "
    "confirm"
)


def test_card_security_codes_in_call_recordings_are_a_risk_to_confirm_under_the_pci_in_force() -> (
    None
):
    """FACTS problem 8: every call is recorded and orders are paid by card, so recordings may
    keep card security codes, which PCI DSS forbids after authorisation. One medium finding on
    the call-recording flow's may_carry, worded as the map's guess; its Law line cites the PCI
    DSS version in force on the audit date (v3.2.1 Req. 3.2.2 until 31 March 2024, v4.0 Req.
    3.3.1 from 31 March 2022); the retention rule no longer cites PCI DSS."""
    laws = {}
    for on in ("2019-06-01", "2023-06-01", "2026-11-25"):
        result = _shipped(on)
        found = _one(result, "CONCERO-CALL-CARD-CODES", "call-recording")
        # the phone-number-only promise is about what is kept beside the recording, not
        # inside it: it does not judge what a call may carry (DPO review 2026-12-02c)
        assert (found.code, found.severity.value, found.message, found.also) == (
            "may-category",
            "medium",
            CARD_CODES,
            (),
        )
        assert found.field == ("may_carry", "categories", 0)
        assert found.location is not None and found.location.line == 89
        laws[on] = _law(result, found)
        retention = [f for f in result.findings if f.rule_id == "CONCERO-PHONE-RETENTION"]
        assert retention == []
    assert laws == {
        "2019-06-01": "GDPR Art. 5(1)(c); GDPR Art. 32(1); PCI DSS v3.2.1 Req. 3.2.2",
        "2023-06-01": (
            "UK GDPR Art. 5(1)(c); UK GDPR Art. 32(1); PCI DSS v4.0 Req. 3.3.1; "
            "PCI DSS v3.2.1 Req. 3.2.2"
        ),
        "2026-11-25": "UK GDPR Art. 5(1)(c); UK GDPR Art. 32(1); PCI DSS v4.0 Req. 3.3.1",
    }


def test_a_missing_sharing_permission_names_the_promise_not_the_field() -> None:
    """N-SHARE promises explicit permission "stating who and where it will go": the finding
    says so, not "'permission' is not recorded" (review 2026-12-02b, problem 11)."""
    result = _shipped("2026-11-25")
    promise = (
        "no record shows the customer's explicit permission naming who receives the data and "
        "where it goes (N-SHARE); record where it is kept"
    )
    training = _one(result, "CONCERO-SHARE-PERMISSION", "training-accreditation")
    assert training.message == (
        "Concero Technology Services (controller) → Accredited training supplier (not named) "
        f"(independent controller): {promise}"
    )
    procurement = _one(result, "CONCERO-SHARE-PERMISSION", "procurement-quotes")
    assert procurement.message.endswith(f"(independent controller): {promise}")
    intro = _one(result, "GDPR-BASIS", "product-introductions")
    assert "CONCERO-SHARE-PERMISSION" in intro.also
    assert intro.message.endswith(f"(independent controller): {promise}")
    assert not [f for f in result.findings if "'permission' is not recorded" in f.message]


def test_the_privacy_shield_finding_says_what_the_swiss_us_framework_the_notice_names_is() -> None:
    """The notice names the EU-US "or Swiss-US" Privacy Shield (N-LOCATION, line 126): the map
    records both (notice_mechanisms), and the finding says, from the Swiss-US row's exporters,
    that it never served a UK exporter (review 2026-12-02b, problem 17)."""
    result = _shipped("2026-11-25")
    shield = _one(result, "GDPR-TRANSFER", "hosting-us")
    assert (shield.finding_id, shield.code) == ("F-0b1013b4d0", "mechanism-invalid")
    assert shield.message == (
        "EU-US Privacy Shield is invalid since 2020-07-16 (Commission Implementing Decision (EU) "
        "2016/1250; CJEU C-311/18, judgment of 16 July 2020); the notice also names Swiss-US "
        "Privacy Shield, which never served UK exporters (only CH exporters could use it)"
    )


def test_the_mechanisms_a_notice_names_come_from_the_legal_table(tmp_path: Path) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text(
        "flows:\n"
        "  - {id: x, from: acme, to: us-host, categories: [contact], subjects: [staff],\n"
        "     purpose: support, basis: contract, notice_mechanisms: [privacy_sheild_eu_us]}\n",
        encoding="utf-8",
    )
    outcome = run(["check", str(FIXTURES / "base" / "acme.yaml"), str(flow)])
    assert outcome.exit_code == 2
    assert (
        "flow.yaml:3:61: unknown notice_mechanisms 'privacy_sheild_eu_us' (did you mean "
        "'privacy_shield_eu_us'?)"
    ) in outcome.output


def test_what_the_notice_lacks_is_dated_the_privacy_shield_was_valid_in_2018() -> None:
    """Audited as of 2018-06-01 the notice-content finding said the notice lacked "a valid
    safeguard for any transfer" while the same run passed the Privacy Shield transfer (DPO
    review 2026-12-02d, problem 6): what a notice lacks only from a date (lacks_since) is
    said from that date on."""
    dated = "since 2020-07-16, a valid safeguard for the US hosting: the EU-US Privacy Shield"
    for as_of, said in ((date(2018, 6, 1), False), (date(2020, 7, 16), True)):
        result = audit([], as_of)
        (finding,) = [
            f
            for f in result.findings
            if f.rule_id == "GDPR-NOTICE-CONTENT" and "transfers abroad" in f.message
        ]
        assert (dated in finding.message) is said, as_of
        assert "how to get a copy of the safeguards" in finding.message
        transfer = [e for e in result.passed if e.rule_id == "GDPR-TRANSFER"]
        assert (("flows", "hosting-us") in [e.element for e in transfer]) is not said


def test_an_art9_condition_the_map_cannot_show_passes_saying_so(tmp_path: Path) -> None:
    """Job applicants' health data on Art. 9(2)(c) vital interests passed with no word (DPO
    review 2026-12-02e, problem 7): the condition applies only where the person cannot
    consent, which no map shows. The pass says what it takes on trust; explicit consent,
    shown by a record, needs no such word."""
    path = tmp_path / "map.yaml"
    path.write_text(
        "organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK,"
        " appropriate_policy_document: apd.pdf}\n"
        "categories: [{id: health, name: Health, special_category: true}]\n"
        "subjects: [{id: applicants, name: Applicants}]\n"
        "purposes: [{id: hiring, name: Hiring}]\n"
        "flows:\n"
        "  - {id: health-forms, from: acme, to: acme, categories: [health],"
        " subjects: [applicants], purpose: hiring, basis: legal_obligation,"
        " art9_condition: vital_interests}\n",
        encoding="utf-8",
    )
    result = audit_files(path, base=False)
    (passed,) = [e for e in result.passed if e.rule_id == "GDPR-ART9"]
    assert passed.assumed == (
        "vital_interests: Art. 9(2)(c) vital interests applies only where the "
        "person is physically or legally incapable of giving consent (Art. 9(2)(c)), which the "
        "map cannot show",
    )


def test_the_schools_notice_may_name_a_category_of_recipients_the_grade_stays() -> None:
    """DPO review 2026-12-03u, problem 12: Art. 13(1)(e) lets the school's notice name the
    recipients or categories of recipients, so "must name Concero as its processor" asked
    more than the law; the finding keeps CLAUSES.md's critical grade (N-PUPILS)."""
    result = _shipped("2026-11-25")
    server = _one(result, "CONCERO-PUPILS", "school-server-work")
    assert server.severity.value == "critical"
    assert "must name Concero" not in server.message
    assert server.message.endswith(
        "must name the recipients of pupil data or their categories (Art. 13(1)(e), "
        "14(1)(e)): Concero, or a category that covers it, such as IT support providers"
    )
    assert all(
        "must name Concero" not in f.message
        for f in result.findings
        if "CONCERO-PUPILS" in f.rule_ids
    )
