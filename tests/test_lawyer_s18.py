"""Lawyer review s18 (2026-12-04): the scenarios of tests/lawyer_s18_cases.py, each with the
exact findings (rule, code, severity, element, file:line) a lawyer would sign, or a pass, and
the one verdict fixed: GDPR-AGREEMENT on a processor's hop to its sub-processor, sent by a
processor established under another regime than the organisation's (a German processor in a
UK map), cited "UK GDPR Art. 28(4)". The duty is the processor's own, under the law of its
establishment (Art. 3(1); EDPB Guidelines 3/2018 list Art. 28(2)-(4) among an EU processor's
duties): the finding now carries that regime and cites "GDPR Art. 28(4); GDPR Art. 28(9)",
as the transfer rule cites a hop sent under another regime (lawyer review s17, problem 1).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.helpers import audit_folder, run
from tests.lawyer_s18_cases import SCEN
from tests.regime_s17_cases import Scenario, T, line_of_field
from tests.scenarios import assert_verdict, audit_scenario


def _by_name(name: str) -> Scenario:
    return next(s for s in SCEN if s.name == name)


def test_scenarios_have_unique_names_apart_from_s17s() -> None:
    from tests.regime_s17_cases import SCEN as S17

    names = [s.name for s in SCEN]
    assert len(names) >= 50
    assert len(set(names)) == len(names)
    assert not set(names) & {s.name for s in S17}


@pytest.mark.parametrize("scenario", SCEN, ids=[s.name for s in SCEN])
def test_scenario_verdict(scenario: Scenario, tmp_path: Path) -> None:
    assert_verdict(scenario, tmp_path)


def test_a_german_processors_sub_contract_in_a_uk_map_is_cited_as_the_gdpr(
    tmp_path: Path,
) -> None:
    """The finding carries the processor's regime (JSON ``regime: EU``), its Law line is the
    GDPR's and its fix the sub-processor contract's; the controller's own authorisation (the
    GDPR-SUBPROCESSING finding on the same hop when the UK organisation's contract allows no
    sub-processing) stays the UK organisation's duty, cited UK GDPR Art. 28(2)."""
    scenario = _by_name("uk-map-de-processor-sub-no-contract")
    result, text = audit_scenario(scenario, tmp_path)
    (finding,) = [f for f in result.findings if f.rule_id == "GDPR-AGREEMENT"]
    assert finding.regime == "EU"
    assert finding.cited_as == "subprocessor"
    path = str(tmp_path / "map.yaml")
    markdown = run(["check", path, "--as-of", "2026-06-01", "--format", "markdown"]).output
    # beside it the UK organisation's own duty, its contract's Art. 28(3)(d) term (lawyer
    # review s19)
    assert "   Law: GDPR Art. 28(4); GDPR Art. 28(9); UK GDPR Art. 28(3)(d)\n" in markdown
    assert "UK GDPR Art. 28(4)" not in markdown
    json_out = run(["check", path, "--as-of", "2026-06-01", "--format", "json"]).output
    assert '"regime": "EU"' in json_out
    # the UK organisation's contract with its German processor allows no sub-processing
    folder = tmp_path / "unauthorised"
    folder.mkdir()
    assert text.count("allows_subprocessing: true") == 1
    (folder / "map.yaml").write_text(
        text.replace("allows_subprocessing: true", "allows_subprocessing: false"),
        encoding="utf-8",
    )
    again = audit_folder(folder, date(2026, 6, 1))
    (sub,) = [f for f in again.findings if f.rule_id == "GDPR-SUBPROCESSING"]
    assert (sub.code, sub.regime, "/".join(sub.element)) == ("not-authorised", "", "flows/to-sub")
    assert sub.location is not None
    assert sub.location.line == line_of_field(text, "flows/to-sub", None)
    assert again.references_of(sub)[1] == ["UK GDPR Art. 28(2)", "UK GDPR Art. 28(4)"]
    (agreement,) = [f for f in again.findings if f.rule_id == "GDPR-AGREEMENT"]
    assert again.references_of(agreement)[1] == [
        "GDPR Art. 28(4)",
        "GDPR Art. 28(9)",
        "UK GDPR Art. 28(3)(d)",
    ]


def test_concero_marketing_on_the_soft_opt_in_still_breaks_the_opt_in_promise(
    tmp_path: Path,
) -> None:
    """PECR's soft opt-in (reg. 22(3)) would carry Concero's marketing email on legitimate
    interests, assessed, with a way to refuse in every message; the notice promises no
    marketing without opt-in (N-MARKETING), and the stricter promise binds (FACTS.md, PECR).
    The law's rules pass (PECR on the soft opt-in taken on trust); the notice's rule fails,
    at the flow's basis."""
    from tests.helpers import concero_with

    folder = concero_with(
        tmp_path,
        "assessments:\n  - id: marketing-lia\n    kind: legitimate_interests\n"
        "    completed_on: 2024-01-01\n    purposes: [marketing]\n    evidence: lia.pdf\n",
    )
    flows = folder / "flows.yaml"
    text = flows.read_text(encoding="utf-8")
    old = "    purpose: marketing\n    basis: consent\n    encrypted_in_transit: true\n"
    assert text.count(old) == 1
    flows.write_text(
        text.replace(
            old,
            "    purpose: marketing\n    basis: legitimate_interests\n"
            "    assessment: marketing-lia\n    soft_opt_in: true\n"
            "    opt_out: unsubscribe link in every email\n    channel: email\n"
            "    encrypted_in_transit: true\n",
        ),
        encoding="utf-8",
    )
    lines = flows.read_text(encoding="utf-8").splitlines()
    start = lines.index("  - id: marketing-contacts")
    basis_line = lines.index("    basis: legitimate_interests", start) + 1
    result = audit_folder(folder)
    on_flow = [
        (
            " + ".join(f.rule_ids),
            f.code,
            f.severity.value,
            Path(f.location.file).name if f.location else "?",
            f.location.line if f.location else 0,
        )
        for f in result.findings
        if f.element == ("flows", "marketing-contacts")
    ]
    assert on_flow == [
        ("CONCERO-MARKETING-CONSENT", "not-consent", "high", "flows.yaml", basis_line)
    ]
    passed = {e.rule_id for e in result.passed if e.element == ("flows", "marketing-contacts")}
    assert {"PECR-MARKETING-CONSENT", "GDPR-BASIS"} <= passed


def test_japans_adequacy_covers_business_operators_only_and_says_its_reading_is_unconfirmed(
    tmp_path: Path,
) -> None:
    """Decision 2019/419 Art. 1(1) (recital 10: the public sector is outside it), carried into
    UK law: a Japanese ministry rests on no adequacy, the finding marked UNCONFIRMED (the
    scope is read from the decision, not FACTS.md) and naming the scope; a business operator
    passes, the scope taken on trust."""
    result, _ = audit_scenario(_by_name("uk-japan-ministry-2024"), tmp_path / "ministry")
    (finding,) = [f for f in result.findings if f.rule_id == "GDPR-TRANSFER"]
    assert finding.unconfirmed == (
        "uk-sch21-jp (DPA 2018 Sch. 21 para 5 (inserted by SI 2019/419); Commission "
        "Implementing Decision (EU) 2019/419, Art. 1(1) and recital 10 (as it applied on "
        "2020-12-31))",
    )
    assert finding.message.endswith(
        "(not a public body or other public-sector entity), and the importer is recorded as "
        "kind 'government_ministry'"
    )
    business, _ = audit_scenario(_by_name("uk-japan-business-2024"), tmp_path / "business")
    (passed,) = [e for e in business.passed if e.rule_id == "GDPR-TRANSFER"]
    assert passed.unconfirmed == finding.unconfirmed
    (assumed,) = passed.assumed
    assert assumed.startswith("the adequacy of JP ('uk-sch21-jp', ")
    assert assumed.endswith("which the map cannot show")


@pytest.mark.parametrize(
    "name",
    [
        "uk-us-host-to-us-courier-onward",
        "uk-us-host-unlisted-to-us-courier",
        "uk-served-client-us-host-to-us-courier",
        "uk-served-client-unlisted-host",
    ],
)
def test_a_hop_inside_the_third_country_is_no_second_export(name: str, tmp_path: Path) -> None:
    """The US host's hop to a US courier (for the organisation, or for the client it serves
    as processor) crosses no border: neither the transfer rule nor the onward rule judges it
    (UK GDPR Art. 44: an onward transfer is one to another third country); the export is the
    organisation's flow to the host, judged on its own."""
    result, _ = audit_scenario(_by_name(name), tmp_path)
    rules = {"GDPR-TRANSFER", "GDPR-ONWARD", "CONCERO-TRANSFER"}
    hop = ("flows", "to-courier")
    assert [f.rule_id for f in result.findings if f.element == hop and f.rule_id in rules] == []
    assert [e.rule_id for e in result.passed if e.element == hop and e.rule_id in rules] == []


def test_the_report_names_a_rules_repeated_pass_marks_once(tmp_path: Path) -> None:
    """Two transfers to Japan pass on the same UNCONFIRMED row and ASSUMED scope: the HTML
    evidence writes the marks at the first and points the second at it, so a list of such
    passes is not cut at the length one value may show (every pass stays listed)."""
    from flowaudit.policies.schema import Severity
    from flowaudit.reports.html import render_html
    from tests.regime_s17_cases import flow, importer

    scenario = _by_name("uk-japan-business-2024")
    two = Scenario(
        "uk-japan-two",
        "UK",
        scenario.as_of,
        T,
        parties=(importer("JP"),),
        flows=(flow(), flow("f2")),
    )
    result, _ = audit_scenario(two, tmp_path)
    html = render_html(result, Severity.LOW)
    evidence = html.split('id="rule-GDPR-TRANSFER"', 1)[1].split('<p class="evidence">', 1)[1]
    shown = evidence.split("</p>", 1)[0]
    assert shown.count("relies on UNCONFIRMED: uk-sch21-jp") == 1
    assert shown.count("rests on ASSUMED: the adequacy of JP") == 1
    assert "flows/f2 (the same UNCONFIRMED row and ASSUMED fact as flows/f1)" in shown
