"""Newcomer review s9 (a dental practice's map written from the docs alone): each problem's
fix, on the reviewer's maps (tests/fixtures/newcomer_s9)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.policies.schema import Severity
from flowaudit.reports.html import duties_relied_on, render_html
from tests.helpers import edit_once, run, untraced, without_cite_spans
from tests.test_report_print import _boxes, _cell_lines, broken_words

HERE = Path(__file__).parent / "fixtures" / "newcomer_s9"
DOCS = Path(__file__).parent.parent / "docs"
BS = HERE / "bs"
POL = HERE / "pol"


def test_art9_duty_counts_the_art9_rules_passes() -> None:
    """newcomer review s9, problem 4: "Legal table used" counted the Art. 9 duty's passes
    from HYG-STORE-SOURCE only (1 pass), while GDPR-ART9 passed both flows carrying health
    data; the Art. 9 rule declares the duty, so its passes count too (1 + 2)."""
    result = audit(AuditRequest([str(BS)], date(2026, 11, 25)))
    art9 = sorted(e.element[1] for e in result.passed if e.rule_id == "GDPR-ART9")
    assert art9 == ["lab-orders", "record-visits"]
    store = [e.element[1] for e in result.passed if e.rule_id == "HYG-STORE-SOURCE"]
    assert store == ["patient-records"]
    rows = {row.id: row for row in duties_relied_on(result)}
    row = rows["special_category_condition"]
    assert (row.findings, row.passes) == (0, 3)


def test_tab_in_indentation_is_named_and_its_cause_listed_first() -> None:
    """newcomer review s9, problem 6: a tab before `purpose:` gave libyaml's "found character
    that cannot start any token", and the 1:1 note that references were not checked was
    listed before it; the error names the tab and the note follows it."""
    result = run(["check", str(HERE / "btab"), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    shown = "btab/flows.yaml"
    lines = [line[line.index(shown) :] for line in result.output.splitlines() if shown in line]
    assert lines == [
        f"{shown}:31:1: YAML syntax error: while scanning for the next token found character "
        "that cannot start any token; the character is a tab: YAML indents with spaces only; "
        "replace the tab with spaces",
        f"{shown}:1:1: references to ids were not checked, nor values of the legal table's "
        "lists (a lawful basis, a transfer mechanism, an Art. 9 condition...) in the other "
        "files: this map file could not be read, and an id it defines would be unknown; both "
        "are checked once it is fixed",
    ]
    assert "flowaudit: 2 input problems; nothing was checked" in result.output


POLICY_NOT_SHIPPED = (
    "bs-polsel/organisation.yaml:28:14: policies names 'brightsmile-rules': no shipped policy "
    "has this id; a policy of your own is loaded with --policies DIR and needs no entry here; "
    "shipped: concero-notice, hygiene, uk-gdpr"
)


def _from(output: str, name: str) -> list[str]:
    """The output's lines naming a file of the map folder ``name``, from its name on."""
    return [line[line.index(name + "/") :] for line in output.splitlines() if name + "/" in line]


def test_own_policy_in_the_maps_policies_list(tmp_path: Path) -> None:
    """newcomer review s9, problem 2: a map listing its own policy's id in
    organisation.policies was refused at `(policies):1:1` while --policies gave that policy,
    and `validate` passed the map. Given by --policies, the id is accepted; without it, the
    refusal is located at the item and says what to do, and `validate` says the same."""
    folder = HERE / "bs-polsel"
    given = run(["check", str(folder), "--policies", str(POL), "--as-of", "2026-11-25"])
    assert given.exit_code == 1
    assert "BS-LAB-ENCRYPTED" in given.output
    for command in (["check", str(folder), "--as-of", "2026-11-25"], ["validate", str(folder)]):
        refused = run(command)
        assert refused.exit_code == 2
        assert _from(refused.output, "bs-polsel") == [POLICY_NOT_SHIPPED]
    # a typo of a shipped id gets its fix
    typo = tmp_path / "typo"
    shutil.copytree(folder, typo)
    edit_once(typo / "organisation.yaml", "[brightsmile-rules]", "[hygeine]")
    refused = run(["validate", str(typo)])
    assert refused.exit_code == 2
    assert _from(refused.output, "typo") == [
        "typo/organisation.yaml:28:14: policies names 'hygeine': no shipped policy has this id; "
        "a policy of your own is loaded with --policies DIR and needs no entry here; shipped: "
        "concero-notice, hygiene, uk-gdpr (did you mean 'hygiene'?)"
    ]


def test_waiver_of_a_rule_no_policy_has(tmp_path: Path) -> None:
    """newcomer review s9, problem 3: a waiver of the misspelt rule GDPR-AGREMENT was
    reported by HYG-WAIVER as matching no finding, as if the rule existed; it is an input
    error at the waiver's `rule`, with the nearest rule id. A waiver of a shipped rule the
    map does not select (a Concero notice rule) is still HYG-WAIVER's to report."""
    result = run(["check", str(HERE / "bwrule"), "--policies", str(POL), "--as-of", "2026-11-25"])
    assert result.exit_code == 2
    assert _from(result.output, "bwrule") == [
        "bwrule/waivers.yaml:3:5: unknown rule 'GDPR-AGREMENT': no loaded or shipped policy has "
        "a rule of this id (did you mean 'GDPR-AGREEMENT'?)"
    ]
    unselected = tmp_path / "unselected"
    shutil.copytree(HERE / "bwrule", unselected)
    edit_once(unselected / "waivers.yaml", "rule: GDPR-AGREMENT", "rule: CONCERO-ENCRYPT")
    result = run(["check", str(unselected), "--as-of", "2026-11-25"])
    assert result.exit_code == 1
    assert (
        # it names the rule of the finding there, at the waiver's rule (review s16, problem 4)
        "unselected/waivers.yaml:3:5 HIGH HYG-WAIVER waivers/w-lab-dsa: waiver matches no "
        "finding of CONCERO-ENCRYPT on flows/lab-orders: the findings there are of "
        "GDPR-AGREEMENT; correct the rule, or remove the waiver"
    ) in result.output


def _limits(html: str) -> str:
    """The report's "Limits" list."""
    return html.split("Limits: what this audit does not establish", 1)[1].split("</ul>", 1)[0]


def test_limits_say_security_was_not_judged_without_an_encryption_rule(tmp_path: Path) -> None:
    """newcomer review s9, problem 1: a dentist's map recording health data sent in clear
    passed every shipped rule (no rule of the law's policies reads encryption), while the
    report's limits said encryption was "checked as recorded". Without a loaded encryption
    rule they say Art. 32 was not judged at all; with one (docs/policies.md's example) they
    name it, and it finds the flow in clear. rules.md and first-map.md say the same."""
    plain = audit(AuditRequest([str(BS)], date(2026, 11, 25)))
    assert not [r for r in plain.rules if r.kind == "encryption"]
    assert [(f.rule_id, f.waiver is not None) for f in plain.findings] == [("GDPR-AGREEMENT", True)]
    limits = _limits(without_cite_spans(render_html(plain, Severity.LOW)))
    assert "checked as recorded, not tested" not in limits
    assert (
        "<li>Security of processing (Art. 32) was not judged at all: encryption and other "
        "security measures are judged only by a policy&rsquo;s "
        '<span class="mono">encryption</span> rule, and no loaded rule of that kind ran'
    ) in limits
    # docs/policies.md's encryption example (its third YAML block), as a policy file
    block = (DOCS / "policies.md").read_text(encoding="utf-8").split("```yaml\n")[3]
    block = block.split("```", 1)[0]
    assert block.startswith("  - id: HOUSE-ENCRYPTED\n    kind: encryption\n")
    policy = tmp_path / "house.yaml"
    policy.write_text("policy: {id: house, title: House}\nrules:\n" + block, encoding="utf-8")
    ruled = audit(AuditRequest([str(BS)], date(2026, 11, 25), [policy]))
    assert [(f.rule_id, f.element, f.code, f.severity.value) for f in ruled.findings] == [
        ("HOUSE-ENCRYPTED", ("flows", "lab-orders"), "transit-plain", "high"),
        ("GDPR-AGREEMENT", ("flows", "lab-orders"), "sharing-missing", "low"),
    ]
    limits = _limits(without_cite_spans(render_html(ruled, Severity.LOW)))
    assert "was not judged at all" not in limits
    assert (
        "<li>Security of processing (Art. 32) is judged only by the policies&rsquo; "
        '<span class="mono">encryption</span> rules (HOUSE-ENCRYPTED): encryption as the map '
        "records it"
    ) in limits
    rules_md = (DOCS / "rules.md").read_text(encoding="utf-8").split("Not modelled", 1)[1]
    assert "- security of processing (Art. 32) unless a policy has an `encryption` rule:" in (
        rules_md
    )
    first = (DOCS / "first-map.md").read_text(encoding="utf-8")
    assert "the law's policies have none, so without one\nencryption and other security" in first


def _text(box: Any) -> str:
    from weasyprint.formatting_structure import boxes

    return "".join(t.text for t in _boxes(box) if isinstance(t, boxes.TextBox))


@pytest.mark.heavy
def test_pdf_keeps_the_heading_with_its_table_and_the_status_words_whole() -> None:
    """newcomer review s9, problem 5: the dentist's PDF printed the heading "Duties and other
    rows the findings and passes relied on" alone on a page (its table, too long for one
    page, was moved whole to the next), and the waived finding's status read "practice
    manage" / "r until 2027-02" / "-28". The heading shares its page with the table's first
    rows, and the status cell breaks only between words."""
    pytest.importorskip("weasyprint")
    from weasyprint import HTML

    result = audit(AuditRequest([str(BS)], date(2026, 11, 25), [str(POL)]))
    with untraced():
        document = HTML(string=render_html(result, Severity.LOW), base_url=None).render()
    from weasyprint.formatting_structure import boxes

    heading: set[int] = set()
    first_row: set[int] = set()
    status: list[list[str]] = []
    for number, page in enumerate(document.pages, start=1):
        for box in _boxes(page._page_box):
            tag = box.element_tag if isinstance(box, boxes.BlockLevelBox) else None
            if tag == "h3" and _text(box).startswith("Duties and other rows"):
                heading.add(number)
            elif isinstance(box, boxes.TableRowGroupBox) and box.children:
                if _text(box.children[0]).startswith("uk-data-protection-test"):
                    first_row.add(number)
            elif isinstance(box, boxes.TableCellBox) and box.element.get("class") == "status":
                status.append([_text(line).strip() for line in _cell_lines(box)])
    assert len(heading) == 1
    assert first_row == heading
    assert [" ".join(lines) for lines in status] == [
        "open",
        "waived by Sam Lee, practice manager until 2027-02-28",
    ]
    assert status[1][-1].endswith("2027-02-28")  # the date on one line
    assert broken_words(document, ("register",)) == []
