"""Transfer verdicts dated against the law they rest on (DPO review 2026-12-02d, problems 5, 7, 8
and 17): a pass names only the legal rows in force that it rests on, and the assumed facts it
rests on; an assessment answers only a mechanism that existed when it was completed."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from flowaudit.checks.baseline import CLAIMS
from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import shipped_map_dir
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.schema import Severity
from flowaudit.reports.html import render_html
from flowaudit.reports.json_report import render_json
from flowaudit.reports.law import law_in_force, render_law_text
from flowaudit.reports.markdown import render_markdown
from flowaudit.reports.text import render_text
from tests.helpers import FIXTURES, audit_files, audit_paths, line_of

EXTENSION = (
    "eu-uk-extension (Commission Implementing Decision amending Implementing Decision (EU) "
    "2021/1772 (June 2025))"
)
RENEWAL = (
    "eu-uk-renewal (Commission Implementing Decision renewing the UK adequacy decision under "
    "Regulation (EU) 2016/679 (19 December 2025))"
)


def _eu_map(tmp_path: Path) -> Path:
    """The shipped map with the organisation an EU exporter in Ireland (review d's
    vars/euwhole.py), every line where it was."""
    folder = tmp_path / "concero-eu"
    shutil.copytree(shipped_map_dir(), folder)
    organisation = folder / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    assert text.count("  country: GB\n  regime: UK\n") == 1
    organisation.write_text(
        text.replace("  country: GB\n  regime: UK\n", "  country: IE\n  regime: EU\n"),
        encoding="utf-8",
    )
    return folder


def _marked(result: AuditResult, element: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(e.rule_id, e.unconfirmed) for e in result.passed if e.element == ("flows", element)]


SHARING_EU = (
    "no-sharing-agreement-required: GDPR Art. 26: no agreement between independent "
    "controllers is required (an arrangement only between joint controllers); the ICO Data "
    "Sharing Code does not bind an EU organisation"
)


def test_a_pass_names_only_the_unconfirmed_row_in_force_that_it_rests_on(tmp_path: Path) -> None:
    """EU -> GB: on 2025-07-01 the extension of Decision 2021/1772 is in force (the renewal is
    not yet); on 2026-11-25 the renewal is (the extension ended on 2025-12-27). Each pass names
    the one decision it rests on, never the other."""
    folder = _eu_map(tmp_path)
    for as_of, row in ((date(2025, 7, 1), EXTENSION), (date(2026, 11, 25), RENEWAL)):
        result = audit_paths([str(folder)], as_of)
        assert [m for m in _marked(result, "hosting-uk") if m[1]] == [
            ("CONCERO-TRANSFER", (row,)),
            ("GDPR-TRANSFER", (row,)),
        ], as_of
        rows = {mark for e in result.passed for mark in e.unconfirmed}
        # besides the transfers' row, the flows to independent controllers pass on the row
        # saying the GDPR asks no agreement of them (DPO review 2026-12-03s, problem 2)
        assert rows == {row, SHARING_EU}, as_of
        # every transfer to GB passes on that one row, and no finding names the other
        assert not any(f.unconfirmed for f in result.findings), as_of
        notes = [
            line for line in render_text(result, Severity.LOW).splitlines() if "Passed on" in line
        ]
        assert notes == [
            # the flows to the organisation's own stores in GB are no transfer (one legal
            # person: auditor review 2026-12-03h, problem 2), so they rest on no row
            f"Passed on an UNCONFIRMED legal row: {row}: 16 checks (CONCERO-TRANSFER "
            "flows/card-payments, CONCERO-TRANSFER flows/hosting-uk, CONCERO-TRANSFER "
            "flows/installation-helper, CONCERO-TRANSFER flows/isp-provisioning, "
            "CONCERO-TRANSFER flows/mis-third-party-support and 11 more)",
            f"Passed on an UNCONFIRMED legal row: {SHARING_EU}: 3 checks (GDPR-AGREEMENT "
            "flows/procurement-quotes, GDPR-AGREEMENT flows/product-introductions, "
            "GDPR-AGREEMENT flows/training-accreditation)",
            # the helpdesk's country is the map's guess; the notice's promise of server
            # countries (N-LOCATION) passes on it (DPO review v, point 10)
            *sorted(
                [
                    HELPDESK_LINE,
                    # the payment processor is in GB only by the map's guess: the pass rests
                    # on it, as for every unnamed recipient (review s16, problem 4)
                    # (and CONCERO-SERVER-LOCATION's, its role being unrecorded too: DPO
                    # review verdict2-s17, problem 1)
                    "Passed on an ASSUMED fact: payment-processor country GB (the notice names "
                    "neither the payment processor nor its country): 3 checks "
                    "(CONCERO-SERVER-LOCATION flows/card-payments, CONCERO-TRANSFER "
                    "flows/card-payments, GDPR-TRANSFER flows/card-payments)",
                    *_unnamed_lines(""),
                ]
            ),
        ], as_of


# -- problem 7: an assessment is dated against the mechanism it answers ----------------------

DATED = FIXTURES / "dated"
TEST_SOURCE = (
    "UK GDPR Art. 46(1A)(a)(ii) and 46(6), inserted by DUAA 2025 s.85 and Sch. 7 para 6; "
    "commenced on 5 February 2026 by SI 2026/82 reg. 2(m)"
)
TEST_ROW = f"uk-data-protection-test ({TEST_SOURCE})"


def _transfer(result: AuditResult) -> list[tuple[str, str, int, int, str, str, tuple[str, ...]]]:
    """(code, flow, line, column, severity, message, unconfirmed) of GDPR-TRANSFER findings."""
    return [
        (
            f.code,
            f.element[1],
            f.location.line if f.location else 0,
            f.location.column if f.location else 0,
            f.severity.value,
            f.message,
            f.unconfirmed,
        )
        for f in result.findings
        if f.rule_id == "GDPR-TRANSFER"
    ]


def _passes(result: AuditResult) -> list[str]:
    return [e.element[1] for e in result.passed if e.rule_id == "GDPR-TRANSFER"]


def test_an_assessment_completed_before_schrems_ii_is_no_assessment_since() -> None:
    """2021 SCCs signed in July 2021 with a transfer impact assessment of 2019: it predates
    Schrems II (2020-07-16, the row's assessment_not_before) and cannot weigh the importer's
    law as the judgment asks (high); one completed on the clauses' first day passes beside it
    (DPO reviews 2026-12-02d, 7 and e, 6)."""
    path = DATED / "eu-assessments.yaml"
    result = audit_files(path, as_of="2026-11-25", base=False)
    assert _transfer(result) == [
        (
            "assessment-outdated",
            "scc-2019-tia",
            line_of(path, "id: scc-2019-tia"),
            189,
            "high",
            # an EU exporter's: the transfer impact assessment (DPO review 2026-12-03p, 7)
            "transfer impact assessment 'tia-2019' was completed on 2019-01-01, before 2020-07-16 "
            "(CJEU C-311/18, Schrems II), so it cannot weigh the importer's law as the judgment "
            "requires of any assessment for EU Standard Contractual Clauses (2021); assess the "
            "transfer again and link that assessment in assessments",
            (),
        )
    ]
    assert _passes(result) == ["scc-2021-tia"]
    (finding,) = (f for f in result.findings if f.code == "assessment-outdated")
    assert finding.also == ()
    assert finding.rule_ids == ("GDPR-TRANSFER",)


def test_a_uk_assessment_made_before_the_data_protection_test_must_record_it() -> None:
    """From 2026-02-05 a UK exporter must judge the data protection test met for an IDTA or
    Addendum transfer (UK GDPR Art. 46(1A)): a 2023 assessment that does not record it is a
    medium evidence finding, marked with the unconfirmed row (no transitional provision is
    recorded); one that records it (data_protection_test: true), or one completed on or after
    that day, passes. An assessment made after Schrems II but before the IDTA existed (an
    exporter assesses before it transfers) is judged as any other (DPO review e, 6)."""
    path = DATED / "uk-assessments.yaml"

    def not_recorded(flow: str, column: int, assessment: str, completed: str) -> tuple[object, ...]:
        return (
            "data-protection-test-not-recorded",
            flow,
            line_of(path, f"id: {flow}"),
            column,
            "medium",
            f"transfer risk assessment '{assessment}' was completed on {completed}, before the "
            f"exporter had to judge the data protection test met (2026-02-05; {TEST_SOURCE}), "
            "and does not record that it was: record the judgement on the assessment "
            "(data_protection_test: true), or review it",
            (TEST_ROW,),
        )

    before = audit_files(path, as_of="2026-02-04")
    assert _transfer(before) == []
    assert _passes(before) == [
        "addendum-2023-tra",
        "idta-2023-tra",
        "idta-2026-tra",
        "idta-before-idta",
        "idta-tested",
    ]
    on = audit_files(path, as_of="2026-02-05")
    assert _transfer(on) == [
        not_recorded("addendum-2023-tra", 201, "tra-2023", "2023-01-01"),
        not_recorded("idta-2023-tra", 186, "tra-2023", "2023-01-01"),
        not_recorded("idta-before-idta", 189, "tra-2022-01", "2022-01-10"),
    ]
    assert _passes(on) == ["idta-2026-tra", "idta-tested"]


def test_the_data_protection_test_is_the_legal_tables_not_the_codes() -> None:
    """The day, the exporters and the mechanisms come from policies/legal/transfers.yaml."""
    test = load_legal_table().transfers.data_protection_test
    assert test is not None
    assert (test.id, test.exporters, test.mechanisms, test.valid_from, test.unconfirmed) == (
        "uk-data-protection-test",
        ["UK"],
        # BCRs are an Art. 46(2) safeguard too (lawyer review s16, problem 3)
        ["idta", "uk_addendum", "bcr"],
        date(2026, 2, 5),
        True,
    )
    mechanisms = load_legal_table().mechanisms
    assert all(name in mechanisms for name in test.mechanisms)
    # `flowaudit law` lists it, marked, among the UK's dated duties from its day, not before
    for on, listed in ((date(2026, 2, 4), False), (date(2026, 2, 5), True)):
        law = render_law_text(law_in_force(load_legal_table(), "UK", on)).splitlines()
        line = (
            "  uk-data-protection-test [UNCONFIRMED]: the exporter judges the data protection "
            "test met for transfers under idta, uk_addendum, bcr [from 2026-02-05]"
        )
        assert (line in law) is listed, on
    eu = render_law_text(law_in_force(load_legal_table(), "EU", date(2026, 11, 25)))
    assert "uk-data-protection-test" not in eu


# -- problem 5: a pass on an assumed fact says so -------------------------------------------

US_HOSTING = (
    "us-hosting listed_under privacy_shield_eu_us (the notice says US transfers used Privacy "
    "Shield, which covered listed importers only; the provider is not named)"
)
HELPDESK = "helpdesk country US (the notice does not state the Zendesk hosting region)"
HELPDESK_LINE = (
    f"Passed on an ASSUMED fact: {HELPDESK}: 1 check (CONCERO-SERVER-LOCATION "
    "flows/helpdesk-tickets)"
)
#: card-payments is no transfer only on the payment processor's assumed country GB (DPO
#: review w, problem 5): both transfer rules pass it on that fact, on every date
PAYMENT = (
    "payment-processor country GB (the notice names neither the payment processor nor its "
    "country), so no restricted transfer, to be verified"
)
PAYMENT_LINE = (
    f"Passed on an ASSUMED fact: {PAYMENT}: 2 checks (CONCERO-TRANSFER flows/card-payments, "
    "GDPR-TRANSFER flows/card-payments)"
)
#: The unnamed recipients whose country the notice does not give either, marked assumed as
#: the payment processor's is (review s16, problem 4): (party, what is not named, flow).
UNNAMED = (
    ("installer", "the installation helpers nor their country", "installation-helper"),
    ("isp", "the ISPs nor where they are", "isp-provisioning"),
    ("mis-support", "the MIS support firm nor its country", "mis-third-party-support"),
    ("procurement-supplier", "the approved suppliers nor their country", "procurement-quotes"),
    ("product-partner", "the product partners nor their country", "product-introductions"),
    ("training-supplier", "the training suppliers nor their country", "training-accreditation"),
)


def _unnamed_fact(party: str, unnamed: str, suffix: str) -> str:
    """What a pass on an unnamed recipient's assumed country GB says it rests on."""
    return f"{party} country GB (the notice names neither {unnamed}){suffix}"


#: The unnamed recipients whose role is not recorded either: any may be a processor, so
#: CONCERO-SERVER-LOCATION's pass on them rests on the assumed country too (DPO review
#: verdict2-s17, problem 1), in the words without the transfer rules' suffix.
ROLE_UNRECORDED = frozenset({"installer", "isp", "mis-support"})
PAYMENT_SERVER = (
    "payment-processor country GB (the notice names neither the payment processor nor its country)"
)
PAYMENT_SERVER_LINE = (
    f"Passed on an ASSUMED fact: {PAYMENT_SERVER}: 1 check (CONCERO-SERVER-LOCATION "
    "flows/card-payments)"
)

#: The summary's one line for the payment processor's assumed country GB where both the
#: transfer rules and CONCERO-SERVER-LOCATION pass on it (DPO review s19: two lines before).
PAYMENT_FOLDED_LINE = (
    f"Passed on an ASSUMED fact: {PAYMENT}: 3 checks (CONCERO-SERVER-LOCATION "
    "flows/card-payments, CONCERO-TRANSFER flows/card-payments, GDPR-TRANSFER flows/card-payments)"
)


def _unnamed_lines(suffix: str) -> list[str]:
    """The summary's line per unnamed recipient: its two transfer passes, and, for one whose
    role is not recorded, CONCERO-SERVER-LOCATION's (one line with them where the words are
    the same: no suffix)."""
    lines = []
    for party, unnamed, flow in UNNAMED:
        transfer = f"CONCERO-TRANSFER flows/{flow}, GDPR-TRANSFER flows/{flow}"
        fact = _unnamed_fact(party, unnamed, suffix)
        if party in ROLE_UNRECORDED:
            # one line with the transfer rules' passes, their suffix or none: the same fact
            # printed twice, one line above the other, was a repeat (DPO review s19)
            lines.append(
                f"Passed on an ASSUMED fact: {fact}: 3 checks (CONCERO-SERVER-LOCATION "
                f"flows/{flow}, {transfer})"
            )
            continue
        lines.append(f"Passed on an ASSUMED fact: {fact}: 2 checks ({transfer})")
    return lines


UK_SUFFIX = ", so no restricted transfer, to be verified"
ASSUMED_LINE = (
    f"Passed on an ASSUMED fact: {US_HOSTING}: 2 checks (CONCERO-TRANSFER flows/hosting-us, "
    "GDPR-TRANSFER flows/hosting-us)"
)


SHARING_LINE = (
    "Passed on an UNCONFIRMED legal row: no-sharing-agreement-required: UK GDPR Art. 26: no "
    "agreement between independent controllers is required (an arrangement only between joint "
    "controllers); the ICO Data Sharing Code, which calls one good practice, is in force from "
    "2021-10-05 only: 3 checks (GDPR-AGREEMENT flows/procurement-quotes, GDPR-AGREEMENT "
    "flows/product-introductions, GDPR-AGREEMENT flows/training-accreditation)"
)


def test_a_pass_on_the_assumed_privacy_shield_listing_says_so_in_every_report() -> None:
    """On 2018-06-01 the US hosting passes on the EU-US Privacy Shield, for an importer the map
    records as listed on the notice's word only (organisation.yaml: assumed: listed_under): the
    two passes carry the assumption (JSON ``assumed``), and text, Markdown and HTML name it
    under the summary, as they name passes on unconfirmed legal rows."""
    result = audit_paths([], date(2018, 6, 1))
    assert [
        (e.rule_id, e.element, e.unconfirmed, e.assumed) for e in result.passed if e.assumed
    ] == sorted(
        [
            ("CONCERO-SERVER-LOCATION", ("flows", "helpdesk-tickets"), (), (HELPDESK,)),
            ("CONCERO-SERVER-LOCATION", ("flows", "card-payments"), (), (PAYMENT_SERVER,)),
            *(
                ("CONCERO-SERVER-LOCATION", ("flows", flow), (), (_unnamed_fact(p, u, ""),))
                for p, u, flow in UNNAMED
                if p in ROLE_UNRECORDED
            ),
            *(
                (rule, ("flows", flow), (), (fact,))
                for rule in ("CONCERO-TRANSFER", "GDPR-TRANSFER")
                for flow, fact in (
                    ("card-payments", PAYMENT),
                    ("hosting-us", US_HOSTING),
                    *(
                        (flow, _unnamed_fact(party, unnamed, UK_SUFFIX))
                        for party, unnamed, flow in UNNAMED
                    ),
                )
            ),
        ]
    )
    text = render_text(result, Severity.LOW).splitlines()
    # in the order of the facts they name (a fact before the same words with a suffix)
    assumed_lines = sorted(
        [
            HELPDESK_LINE,
            PAYMENT_FOLDED_LINE,
            ASSUMED_LINE,
            *_unnamed_lines(UK_SUFFIX),
        ],
        key=lambda line: line.rsplit(": ", 1)[0],
    )
    # before the ICO's code (2021-10-05) the flows to independent controllers owe no
    # agreement and pass on that row (DPO review 2026-12-03s, problem 2: 55 findings before)
    assert [line for line in text if line.startswith("Passed on")] == [
        SHARING_LINE,
        *assumed_lines,
    ]
    assert text[-2:] == [ASSUMED_LINE, "FAIL: 53 findings at or above low."]
    markdown = render_markdown(result, Severity.LOW).splitlines()
    assert [line for line in markdown if "ASSUMED" in line] == [
        f"- ⚠️ {line}" for line in assumed_lines
    ]
    html = render_html(result, Severity.LOW)
    # 9: the payment processor's and three unnamed recipients' CONCERO-SERVER-LOCATION passes
    # share the transfer rules' line on the same assumed country (DPO review s19; 13 before)
    assert html.count('<p class="warning"><span class="unconfirmed">ASSUMED</span>') == 9
    assert "rests on ASSUMED: us-hosting listed_under privacy_shield_eu_us" in html
    passes = json.loads(render_json(result, Severity.LOW))["passed"]
    assert [p for p in passes if US_HOSTING in p.get("assumed", ())] == [
        {
            "rule_id": rule,
            "element": {"collection": "flows", "id": "hosting-us"},
            "location": {
                "file": "<flowaudit>/model/concero/flows.yaml",
                "line": line_of(shipped_map_dir() / "flows.yaml", "id: hosting-us"),
                "column": 5,
            },
            "assumed": [US_HOSTING],
        }
        for rule in ("CONCERO-TRANSFER", "GDPR-TRANSFER")
    ]


def test_once_the_shield_is_struck_down_the_finding_says_the_listing_is_moot() -> None:
    """On 2026-11-25 the same transfer fails (the shield is invalid): no pass rests on the
    assumption, and no line names it."""
    result = audit_paths([], date(2026, 11, 25))
    assert [e.rule_id for e in result.passed if US_HOSTING in e.assumed] == []
    assert US_HOSTING not in render_text(result, Severity.LOW)
    # the passes on an assumed fact left are the helpdesk's country (N-LOCATION) and the
    # payment processor's, which makes card-payments no transfer (DPO review w, problem 5)
    # (and, review s16 problem 4, each unnamed recipient's, whose country the notice omits)
    unnamed = {_unnamed_fact(party, unnamed, UK_SUFFIX) for party, unnamed, _flow in UNNAMED}
    # (and CONCERO-SERVER-LOCATION's on the recipients whose role is not recorded: DPO
    # review verdict2-s17, problem 1)
    server = {_unnamed_fact(p, u, "") for p, u, _flow in UNNAMED if p in ROLE_UNRECORDED}
    assert [
        e.assumed
        for e in result.passed
        if e.assumed and e.assumed[0] not in unnamed and e.assumed[0] not in server
    ] == [(PAYMENT_SERVER,), (HELPDESK,), (PAYMENT,), (PAYMENT,)]
    assert sorted(
        e.assumed[0] for e in result.passed if e.assumed[0:1] and e.assumed[0] in server
    ) == sorted(server)
    assert sorted(
        e.assumed[0] for e in result.passed if e.assumed[0:1] and e.assumed[0] in unnamed
    ) == sorted(2 * list(unnamed))


def test_a_pass_to_an_assumed_destination_names_the_assumed_country(tmp_path: Path) -> None:
    """A transfer that passes only because its destination is where the map guesses (a
    placeholder host assumed in Japan, adequate for a UK exporter) rests on that guess."""
    path = tmp_path / "map.yaml"
    path.write_text(
        "parties:\n"
        "  - {id: jp-guess, name: JP Guess, kind: hosting, country: JP, role: processor,"
        " assumed: {country: the notice says Asia only}}\n"
        "flows:\n"
        "  - {id: to-guess, from: acme, to: jp-guess, categories: [contact], subjects: [staff],"
        " purpose: support, basis: contract}\n",
        encoding="utf-8",
    )
    result = audit_files(path, as_of="2026-11-25")
    assert [(e.rule_id, e.element, e.assumed) for e in result.passed if e.assumed] == [
        (
            "GDPR-TRANSFER",
            ("flows", "to-guess"),
            (
                "jp-guess country JP (the notice says Asia only)",
                # Japan's adequacy covers APPI business operators only (lawyer review s18)
                "the adequacy of JP ('uk-sch21-jp', DPA 2018 Sch. 21 para 5 (inserted by SI "
                "2019/419); Commission Implementing Decision (EU) 2019/419, Art. 1(1) and "
                "recital 10 (as it applied on 2020-12-31)) applies only to a personal "
                "information handling business operator subject to the Act on the Protection "
                "of Personal Information, bound by the Supplementary Rules for data from the EU "
                "and UK (not a public body or other public-sector entity), which the map cannot "
                "show",
            ),
        )
    ]


# -- problem 17: compelling legitimate interests, every condition in one finding -------------


def test_compelling_interests_needs_the_person_informed_and_it_is_a_claim() -> None:
    """The legal table's ground row names all three conditions (the exact finding, one per
    flow, is in tests/cases/transfer.yaml); what the flow records as done is a claim the gate
    reviews, as regulator_informed is."""
    ground = next(
        g
        for g in load_legal_table().mechanisms["art49_derogation"].grounds
        if g.id == "compelling_interests"
    )
    assert (ground.assessment, ground.regulator_informed, ground.subjects_informed) == (
        "transfer_risk",
        True,
        True,
    )
    assert {"regulator_informed", "subjects_informed"} <= set(CLAIMS["flows"])
