"""Auditor review s7 (2026-12-03): the report on maps with flows set aside as another
controller's own processing, free-text records passed on an assumed fact, and the registers
of a third party's flow into the organisation's processor's store abroad."""

from __future__ import annotations

import shutil
from pathlib import Path

from flowaudit.model.loader import shipped_map_dir
from flowaudit.reports.diagram import diagram_dot
from flowaudit.reports.text import set_aside_flows
from tests.helpers import audit_folder, edit_once, run, shop_scenario

FIXTURES = Path(__file__).parent / "fixtures"
REC = FIXTURES / "review_s6" / "rec"
N10 = FIXTURES / "dpo_s6" / "n10.yaml"


def _edge_line(dot: str, flow: str) -> str:
    """The DOT statement drawing ``flow``'s head (its arrow into the target)."""
    (line,) = [
        line
        for line in dot.splitlines()
        if f'id="flow:{flow}"' in line or f'id="flow:{flow}:head"' in line
        if "->" in line and "arrowhead=none" not in line
    ]
    return line


def test_a_set_aside_flow_is_drawn_not_judged_not_as_passed() -> None:
    """Auditor review s7, problem 1: tc-own-leads (set aside, TalentCloud's own) was drawn
    thin grey like a flow that passed every rule; it now has its own style, label, tooltip
    and legend row, and a passed flow keeps the "no finding" style."""
    dot = diagram_dot(audit_folder(REC))
    own = _edge_line(dot, "tc-own-leads")
    assert 'label="[6] recruiters\\nnot judged (TalentCloud Inc\'s\\nown)"' in own
    assert 'arrowhead=empty color="#c4c4c4"' in own and "style=dotted" in own
    assert (
        "not judged: TalentCloud Inc's own processing, set aside as another controller's; "
        'no rule judged it"'
    ) in own
    passed = _edge_line(dot, "temps-to-payroll")
    assert 'color="#8c8c8c"' in passed and "style=solid" in passed
    assert "not judged" not in passed
    assert (
        'COLOR="#c4c4c4" STYLE="dotted"></TD><TD ALIGN="left" BALIGN="left">not judged: '
        "another controller's own processing</TD>"
    ) in dot


def test_a_set_aside_flow_crossing_a_border_says_not_judged_for_its_mechanism(
    tmp_path: Path,
) -> None:
    """Auditor review s7, problem 1: n10's aff-signups and jc-promo cross UK -> US, set
    aside, with no mechanism label; each now says it was not judged, and whose it is."""
    result = audit_folder(shop_scenario(tmp_path / "n10", N10))
    dot = diagram_dot(result)
    labels = [
        line.strip().split(" [label=", 1)[1].split('" ', 1)[0] + '"'
        for line in dot.splitlines()
        if line.strip().startswith(('"@label/flow/aff-signups" [', '"@label/flow/jc-promo" ['))
    ]
    assert labels == [
        '"[11] hub members\\nnot judged (Affiliate Network\\nLtd\'s own)"',
        '"[12] hub members\\nnot judged (MarketHub Ltd\'s\\nown)"',
    ]
    for flow in ("aff-signups", "jc-promo"):
        assert 'color="#c4c4c4"' in _edge_line(dot, flow)


def test_the_report_caption_names_the_not_judged_style_only_when_one_is_drawn(
    tmp_path: Path,
) -> None:
    """Auditor review s7, problem 1: the caption said only "thin grey when it passed every
    rule" and that every flow leaving its jurisdiction names its mechanism; with a set-aside
    flow it names the not-judged style and its label; the key row's class is its own."""
    out = tmp_path / "out"
    result = run(["report", str(REC), "--as-of", "2026-11-25", "--out", str(out)])
    assert result.exit_code == 1, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert (
        "thin grey when it passed every rule, light grey dotted with a hollow arrow when it "
        "is set aside as another controller's own processing, which no rule judged. A "
        "flow that leaves its jurisdiction names its transfer mechanism and whether it is "
        'valid on the audit date, or, set aside, says "not judged" and whose own '
        "processing it is."
    ) in page
    assert (
        '<td class="grade-not_judged">not judged: TalentCloud Inc&#39;s own processing</td>'
    ) in page


def _concero_permissions(tmp_path: Path) -> Path:
    """The shipped map with the auditor's two permissions (/tmp/aud7/con): one that says
    there is none, one that names the supplier and its country, and a long one cut."""
    folder = tmp_path / "con"
    shutil.copytree(shipped_map_dir(), folder)
    flows = folder / "flows.yaml"
    edit_once(
        flows,
        "    description: No controller-to-controller agreement is mentioned in the notice.\n",
        "    description: No controller-to-controller agreement is mentioned in the notice.\n"
        '    permission: "none:\\tnot asked yet"\n',
    )
    edit_once(
        flows,
        "    notice: N-PROCURE\n",
        "    notice: N-PROCURE\n    permission: Order form tick box naming the supplier and its "
        "country (Drive/Orders) " + "x" * 120 + "\n",
    )
    return folder


def test_a_pass_on_an_assumed_permission_quotes_the_text_it_rests_on(tmp_path: Path) -> None:
    """Auditor review s7, problem 3: a pass resting on an assumed free-text permission listed
    the flow but not the text, so "none: not asked yet" passed unseen; the report's ASSUMED
    line and passed.csv now quote each recorded text, on one line and cut at 120 characters."""
    out = tmp_path / "out"
    result = run(
        ["report", str(_concero_permissions(tmp_path)), "--as-of", "2026-11-25", "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    long = (
        "Order form tick box naming the supplier and its country (Drive/Orders) "
        + "x" * 48
        + "\N{HORIZONTAL ELLIPSIS}"
    )
    summary = (out / "report.md").read_text(encoding="utf-8").splitlines()
    assert [line for line in summary if "CONCERO-SHARE-PERMISSION: the permission" in line] == [
        "- ⚠️ Passed on an ASSUMED fact: CONCERO-SHARE-PERMISSION: the permission recorded is "
        "taken to name who receives the data and where it goes (N-SHARE); flowaudit cannot "
        "read its text: 2 checks (CONCERO-SHARE-PERMISSION flows/procurement-quotes "
        f'(permission "{long}"), CONCERO-SHARE-PERMISSION flows/training-accreditation '
        '(permission "none: not asked yet"))'
    ]
    passed = (out / "passed.csv").read_text(encoding="utf-8").splitlines()
    assert [line for line in passed if "training-accreditation" in line and "SHARE" in line] == [
        'CONCERO-SHARE-PERMISSION,flows/training-accreditation,,"CONCERO-SHARE-PERMISSION: '
        "the permission recorded is taken to name who receives the data and where it goes "
        '(N-SHARE); flowaudit cannot read its text \N{EM DASH} recorded permission ""none: '
        'not asked yet"""'
    ]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert (
        "CONCERO-SHARE-PERMISSION flows/training-accreditation (permission &#34;none: not "
        "asked yet&#34;)"
    ) in page


def test_the_registers_name_the_organisation_as_exporter_through_its_processors_store(
    tmp_path: Path,
) -> None:
    """Auditor review s7, problem 2: client-uploads (Client employers into the store
    TalentCloud holds in the US for Hireline) is Hireline's transfer to safeguard, as the
    finding says, but the transfers register named Client employers; the processors register
    listed cv-to-ats alone against TalentCloud's 5 findings."""
    out = tmp_path / "out"
    result = run(["report", str(REC), "--as-of", "2026-11-25", "--out", str(out)])
    assert result.exit_code == 1, result.output
    transfers = (out / "transfers.csv").read_text(encoding="utf-8").splitlines()
    assert [line for line in transfers if line.startswith("client-uploads,")] == [
        "client-uploads,Hireline Recruitment Ltd (collected via TalentCloud Inc from Client "
        "employers),TalentCloud Inc,US,none (no adequacy),NOT VALID,,,F-aa2eb6335b,,"
    ]
    # a flow the organisation sends itself keeps the organisation, named plainly
    assert [line.split(",")[1] for line in transfers if line.startswith("cv-to-ats,")] == [
        "Hireline Recruitment Ltd"
    ]
    processors = (out / "processors.csv").read_text(encoding="utf-8").splitlines()
    assert [line for line in processors if line.startswith("talentcloud,")] == [
        'talentcloud,TalentCloud Inc,ats,US,processor,"talentcloud-dpa (art28_dpa, signed, '
        'evidence: Contracts/talentcloud-dpa.pdf)",,,client-uploads cv-to-ats cv-to-client '
        "tc-candidate-promos,5,"
    ]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert (
        "<td>Hireline Recruitment Ltd (collected via TalentCloud Inc from Client employers)"
        "</td><td>TalentCloud Inc</td>"
    ) in page


def test_a_set_aside_flow_for_another_partys_purpose_is_put_down_to_that_purpose(
    tmp_path: Path,
) -> None:
    """Auditor review s7, problem 5: n10's aff-signups, for MarketHub's 'hub_promos' into
    the store held for MarketHub, was explained as "Affiliate Network Ltd is recorded as a
    controller of what it holds"; the purpose's controller now comes first, as for jc-promo."""
    result = audit_folder(shop_scenario(tmp_path / "n10", N10))
    assert set_aside_flows(result, 10) == (
        [
            (
                "aff-signups",
                "Affiliate Network Ltd",
                "its purpose 'hub_promos' is MarketHub Ltd's; Affiliate Network Ltd, a "
                "controller, discloses to it",
            ),
            (
                "jc-promo",
                "MarketHub Ltd",
                "its purpose 'hub_promos' is MarketHub Ltd's (the purpose's controller)",
            ),
        ],
        2,
    )


def test_a_processors_own_store_filled_outside_its_instructions_is_judged_by_no_store_rule(
    tmp_path: Path,
) -> None:
    """Auditor review s7, problem 4: TalentCloud's own marketing list, filled only by its
    own leads (set aside) and its Art. 28(10) promotions (outside Hireline's instructions),
    passed Hireline's GDPR-RETENTION and HYG-STORE-SOURCE; without the set-aside flow the
    source rule found it. For that processing TalentCloud is a controller: no store rule
    judges the store, and the Art. 28(10) finding stays."""
    result = audit_folder(REC)
    store = ("systems", "tc-marketing")
    assert [e.rule_id for e in result.passed if e.element == store] == []
    assert [f.rule_id for f in result.findings if f.element == store] == []
    assert [
        (f.rule_id, f.code)
        for f in result.findings
        if f.element == ("flows", "tc-candidate-promos")
    ] == [("GDPR-SUBPROCESSING", "purpose-outside-instructions")]
    folder = tmp_path / "recD"
    shutil.copytree(REC, folder)
    edit_once(
        folder / "parties.yaml",
        "  - id: tc-own-leads\n    from: talentcloud\n    to: tc-marketing\n"
        "    categories: [contact.email]\n    subjects: [recruiters]\n"
        "    purpose: tc_promotions\n    basis: legitimate_interests\n"
        "    encrypted_in_transit: true\n    notice: PN-RECIPIENTS\n",
        "",
    )
    without = audit_folder(folder)
    assert [f.rule_id for f in without.findings if f.element == store] == []
    assert [e.rule_id for e in without.passed if e.element == store] == []
