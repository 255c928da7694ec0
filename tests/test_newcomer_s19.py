"""Newcomer review s19: a DPO new to flowaudit writes the map of a small multi-academy trust
(an EU homework platform, a hosted MIS, a US cloud, a payroll bureau, parents' payments,
CCTV, safeguarding records) from the docs alone. Each test pins the verdict (rule id,
element, file:line, exit code) the review found wrong, or the tool's answer to a newcomer's
natural input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run

ROOT = Path(__file__).resolve().parent.parent

MAP = """\
organisation:
  id: trust
  name: Oak Trust
  country: GB
  regime: UK
parties:
  - {id: hw, name: Homework GmbH, kind: edtech, country: DE, role: processor}
  - {id: misco, name: MIS Ltd, kind: mis, country: GB, role: processor}
systems:
  - {id: mis, name: Hosted MIS, owner: misco, country: GB, categories: [marks],
     subjects: [pupils], retention_days: 365, retention_justification: One school year}
categories:
  - {id: marks, name: Assessment results}
subjects:
  - {id: pupils, name: Pupils, children: true, min_age: 11}
purposes:
  - {id: homework, name: Online homework, online_service: false}
agreements:
  - {id: mis-dpa, kind: art28_dpa, parties: [trust, misco], status: signed,
     signed_on: 2024-01-01, categories: [marks], evidence: contracts/mis.pdf}
  - {id: hw-dpa, kind: art28_dpa, parties: [trust, hw], status: signed,
     signed_on: 2024-01-01, categories: [marks], evidence: contracts/hw.pdf}
flows:
  - {id: intake, from: trust, to: mis, categories: [marks], subjects: [pupils],
     purpose: homework, basis: public_task, agreement: mis-dpa}
  - {id: accounts, from: mis, to: hw, categories: [marks], subjects: [pupils],
     purpose: homework, basis: public_task, agreement: hw-dpa}
  - {id: results, from: hw, to: mis, categories: [marks], subjects: [pupils],
     purpose: homework, basis: public_task__AGREEMENT__}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(folder: str) -> tuple[int, list[tuple[str, str, str, int]]]:
    result = run(["check", folder, "--as-of", "2026-12-04", "--format", "json"])
    found = json.loads(result.output)["findings"]
    return result.exit_code, sorted(
        (
            "+".join([f["rule_id"], *f["also_rules"]]),
            f"{f['element']['collection']}/{f['element']['id']}",
            f["location"]["file"],
            f["location"]["line"],
        )
        for f in found
        if f["rule_id"] in ("GDPR-AGREEMENT", "GDPR-SUBPROCESSING")
    )


# -- problem 1: a processor writing into a store another processor holds for the organisation


def test_a_processor_writing_into_a_store_the_organisation_engaged_itself_engages_no_one(
    here: Path,
) -> None:
    """The homework platform writes marks back into the trust's hosted MIS, on the trust's
    instruction; the trust engaged the MIS host itself. Linking the trust's own contract with
    the host makes the hop the trust's: no sub-processor, no platform-host contract."""
    (here / "m").mkdir()
    (here / "m" / "map.yaml").write_text(
        MAP.replace("__AGREEMENT__", ", agreement: mis-dpa"), encoding="utf-8"
    )
    code, found = _findings("m")
    assert found == []
    result = run(["check", "m", "--as-of", "2026-12-04", "--format", "json"])
    on_results = [
        f["rule_id"]
        for f in json.loads(result.output)["findings"]
        if f["element"]["id"] == "results"
    ]
    assert on_results == ["HYG-NOTICE-CLAUSE"]  # asked of every flow; nothing of the hop's roles
    assert code == 1  # the organisation's own duties (breach procedure, notice) remain


def test_without_the_organisations_contract_linked_the_hop_is_still_the_senders(
    here: Path,
) -> None:
    """Unlinked, the map does not say the trust engaged the host for this hop: the findings
    stand as before (the fix reads only what the map says)."""
    (here / "m").mkdir()
    (here / "m" / "map.yaml").write_text(MAP.replace("__AGREEMENT__", ""), encoding="utf-8")
    code, found = _findings("m")
    assert code == 1
    assert found == [
        ("GDPR-AGREEMENT", "flows/results", "m/map.yaml", 28),
        ("GDPR-SUBPROCESSING", "flows/results", "m/map.yaml", 28),
    ]


def test_the_unlinked_finding_says_to_link_the_organisations_own_contract(here: Path) -> None:
    """Problem 1's finding, left unlinked, asked for a contract between the two processors;
    it now names the organisation's own contract with the holder, whose link clears it."""
    (here / "m").mkdir()
    (here / "m" / "map.yaml").write_text(MAP.replace("__AGREEMENT__", ""), encoding="utf-8")
    result = run(["check", "m", "--as-of", "2026-12-04", "--format", "json"])
    assert result.exit_code == 1
    [message] = [
        f["message"]
        for f in json.loads(result.output)["findings"]
        if f["rule_id"] == "GDPR-AGREEMENT" and f["element"]["id"] == "results"
    ]
    assert message == (
        "Homework GmbH (processor) → MIS Ltd (sub-processor): an Art. 28 contract is required; "
        "none is linked; if Oak Trust engaged MIS Ltd itself and 'mis' is its store held for "
        "it, link that contract (mis-dpa) on this flow: the flow is then its own, and no "
        "contract between the two processors is owed"
    )


def test_an_agreement_of_the_host_with_another_party_does_not_make_the_hop_ours(
    here: Path,
) -> None:
    """Only the organisation's own contract with the store's holder reads the hop as the
    organisation's: the sender's agreement with the organisation does not."""
    (here / "m").mkdir()
    (here / "m" / "map.yaml").write_text(
        MAP.replace("__AGREEMENT__", ", agreement: hw-dpa"), encoding="utf-8"
    )
    code, found = _findings("m")
    assert code == 1
    assert [rule for rule, *_ in found] == ["GDPR-AGREEMENT", "GDPR-SUBPROCESSING"]


# -- the bench's generator: --formats json,yaml ---------------------------------------------


def test_the_generator_takes_formats_separated_by_commas(tmp_path: Path) -> None:
    script = ROOT / "bench" / "generate.py"
    done = subprocess.run(
        [
            sys.executable,
            str(script),
            "--flows",
            "10",
            "--out",
            str(tmp_path),
            "--formats",
            "json,yaml",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map_10.json", "map_10.yaml"]
    bad = subprocess.run(
        [
            sys.executable,
            str(script),
            "--flows",
            "10",
            "--out",
            str(tmp_path / "x"),
            "--formats",
            "json,xml",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "invalid choice: 'xml'" in bad.stderr


# -- docs/policies.md said a store that declares neither categories nor subjects is not judged


def test_a_store_declaring_nothing_is_a_finding_as_the_docs_now_say(here: Path) -> None:
    text = (ROOT / "docs" / "policies.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `store_contents` |"))
    assert "is not judged" not in row
    assert "a store that declares neither" in row and "is one finding on the store" in row
    (here / "m").mkdir()
    bare = MAP.replace(
        "categories: [marks],\n     subjects: [pupils], retention_days", "retention_days"
    ).replace("__AGREEMENT__", ", agreement: mis-dpa")
    (here / "m" / "map.yaml").write_text(bare, encoding="utf-8")
    result = run(["check", "m", "--as-of", "2026-12-04", "--format", "json"])
    assert result.exit_code == 1
    found = [
        (f["code"], f["location"]["file"], f["location"]["line"])
        for f in json.loads(result.output)["findings"]
        if f["rule_id"] == "HYG-STORE-CONTENTS"
    ]
    assert [(file, line) for _, file, line in found] == [("m/map.yaml", 10)]


# -- one "Passed on an ASSUMED fact" line per flow on public task ---------------------------


def test_passes_on_one_basis_are_one_line_not_one_per_flow(here: Path) -> None:
    """A school's map rests most flows on public task: the summary named each flow in the
    note ("public_task for intake: ..."), so every pass was a line of its own, the same
    sentence 20 times in a 45-flow map (10,000 at 10,000 flows). The note is the basis's;
    the pass names the flow."""
    (here / "m").mkdir()
    (here / "m" / "map.yaml").write_text(
        MAP.replace("__AGREEMENT__", ", agreement: mis-dpa"), encoding="utf-8"
    )
    result = run(["check", "m", "--as-of", "2026-12-04"])
    assert result.exit_code == 1
    lines = [
        line
        for line in result.output.splitlines()
        if line.startswith("Passed on an ASSUMED fact: public_task")
    ]
    assert len(lines) == 1
    assert lines[0].startswith("Passed on an ASSUMED fact: public_task: Public task, Art. 6(1)(e)")
    assert lines[0].endswith(
        ": 3 checks (GDPR-BASIS flows/accounts, GDPR-BASIS flows/intake, GDPR-BASIS flows/results)"
    )


# -- a parent of a special category: the finding's fix said only "set art9_condition" -------

STAFF = """\
organisation: {id: trust, name: Oak Trust, country: GB, regime: UK}
parties:
  - {id: bureau, name: Pay Bureau Ltd, kind: payroll, country: GB, role: processor}
categories:
  - {id: employment, name: Employment records}
  - {id: employment.pay, name: Pay and tax code}
  - {id: employment.sickness, name: Sickness absence, art9_kind: health}
subjects:
  - {id: staff, name: Our staff, employees: true, party_to_contract: true}
purposes:
  - {id: payroll, name: Paying staff}
agreements:
  - {id: bureau-dpa, kind: art28_dpa, parties: [trust, bureau], status: signed,
     signed_on: 2024-01-01, categories: [employment], evidence: contracts/bureau.pdf}
flows:
  - {id: payslips, from: trust, to: bureau, categories: [__CATEGORY__], subjects: [staff],
     purpose: payroll, basis: contract, agreement: bureau-dpa}
"""


def _art9(here: Path, category: str) -> tuple[int, list[tuple[str, str, int]]]:
    (here / "m").mkdir(exist_ok=True)
    (here / "m" / "map.yaml").write_text(STAFF.replace("__CATEGORY__", category), encoding="utf-8")
    result = run(["check", "m", "--as-of", "2026-12-04", "--format", "json"])
    return result.exit_code, [
        (f["code"], f["location"]["file"], f["location"]["line"])
        for f in json.loads(result.output)["findings"]
        if f["rule_id"] == "GDPR-ART9"
    ]


def test_a_parent_of_a_special_category_is_told_to_name_the_narrower_one(here: Path) -> None:
    assert _art9(here, "employment")[1] == [("may-no-condition", "m/map.yaml", 16)]
    explained = run(["explain", "GDPR-ART9"])
    assert explained.exit_code == 0
    text = " ".join(explained.output.split())
    assert (
        "may-no-condition: The flow carries a category above a special category, or "
        "may_carry names one, so it may carry that data: if it does not, name the narrower "
        "categories it does carry" in text
    )
    assert "may-no-condition: The flow carries a category above a criminal offence" in " ".join(
        run(["explain", "GDPR-ART10"]).output.split()
    )
    # doing what it says clears the finding
    assert _art9(here, "employment.pay")[1] == []


# -- a value cut at two commas was two problems, each with the same quoted fix --------------


def test_a_value_cut_at_two_commas_is_one_problem(here: Path) -> None:
    (here / "m").mkdir()
    (here / "m" / "map.yaml").write_text(
        "organisation: {id: t, name: T, country: GB, regime: UK}\n"
        "parties:\n"
        "  - {id: exam, name: Awarding bodies (AQA, Pearson, OCR), kind: exam_board,"
        " country: GB, role: controller}\n",
        encoding="utf-8",
    )
    result = run(["validate", "m"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "m/map.yaml:3:44: unknown field 'Pearson' with no value: a comma inside a {...} value "
        "ends the value, so the text after the comma in 'name' was read as a field; put the "
        'whole value in quotes: name: "Awarding bodies (AQA, Pearson, OCR)"',
        "flowaudit: 1 input problem; nothing was checked",
    ]


# -- a newsletter "sent" from the list back into the list -----------------------------------


def test_a_send_from_a_list_to_itself_is_told_where_the_channel_goes(here: Path) -> None:
    (here / "m").mkdir()
    (here / "m" / "map.yaml").write_text(
        "organisation: {id: t, name: T, country: GB, regime: UK}\n"
        "systems:\n"
        "  - {id: list, name: Alumni list, owner: t, country: GB}\n"
        "categories: [{id: email, name: Email}]\n"
        "subjects: [{id: alumni, name: Former students, subscriber: individual}]\n"
        "purposes: [{id: news, name: Alumni news, is_a: [marketing]}]\n"
        "flows:\n"
        "  - {id: send, from: list, to: list, categories: [email], subjects: [alumni],\n"
        "     purpose: news, basis: consent, channel: email}\n",
        encoding="utf-8",
    )
    result = run(["validate", "m"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "m/map.yaml:8:28: a flow from store 'list' back into itself moves no data and collects "
        "none: record the flow that brings the data in (from the party or the organisation "
        "that gives it), or delete this one; a send from it to the people themselves (a "
        "newsletter from its mailing list) is no flow: the flow that fills it records the "
        "channel, consent and opt_out",
        "flowaudit: 1 input problem; nothing was checked",
    ]


# -- the school example: the review's map, every finding fixed as its fix said ---------------

SCHOOL = ROOT / "model" / "examples" / "school"


def test_school_example_passes_every_rule() -> None:
    """The trust's map with each finding of the review fixed as the finding said: homework
    marks and meal balances written into stores the trust's processors hold for it name the
    trust's own contract with the holder (problem 1), payroll flows name the narrower
    category, disclosures out of the hosted MIS say recipient_role: controller."""
    result = run(["check", str(SCHOOL), "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Oakfield Learning Trust as of 2026-11-25: 0 findings (0 critical, 0 high, 0 medium, "
        "0 low, 0 info), 0 waived; 237 checks passed; 23 rules."
    )
    # LearnBright GmbH writing marks back into the MIS in GB is its own export as an EU
    # processor (Art. 44), on the EU's UK adequacy: one transfer check more (gate review s20)
    assert (
        "Passed on an UNCONFIRMED legal row: eu-uk-renewal (Commission Implementing Decision "
        "renewing the UK adequacy decision under Regulation (EU) 2016/679 (19 December 2025)), "
        "an EU (GDPR) exporter's row, not the organisation's UK (UK GDPR) one, for exports by "
        "LearnBright GmbH: 1 check (GDPR-TRANSFER flows/homework-results)"
    ) in lines
    assert lines[-1] == "PASS: 0 findings at or above low."
    # one line per basis or condition taken on trust, not one per flow
    assert sum(line.startswith("Passed on an ASSUMED fact: public_task:") for line in lines) == 1
    validated = run(["validate", str(SCHOOL)])
    assert validated.output == (
        "Oakfield Learning Trust: valid map of 20 parties, 8 systems, 45 flows, 16 agreements "
        "in 8 files.\n"
    )


def test_school_example_fails_when_the_payroll_contract_lapses() -> None:
    result = run(["check", str(SCHOOL), "--as-of", "2027-06-01", "--format", "json"])
    assert result.exit_code == 1
    found = json.loads(result.output)["findings"]
    assert [
        (f["rule_id"], f["code"], f["element"]["id"], f["location"]["line"]) for f in found
    ] == [("GDPR-AGREEMENT", "expired", "payroll-export", 7)]
    assert found[0]["location"]["file"].endswith("model/examples/school/flows-staff.yaml")


def test_init_copies_the_school_example(here: Path) -> None:
    result = run(["init", "trust", "--example", "school"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (here / "trust").iterdir()) == sorted(
        [".flowauditignore", ".schema", *(p.name for p in SCHOOL.glob("*.yaml"))]
    )
    checked = run(["check", "trust", "--as-of", "2026-11-25"])
    assert checked.exit_code == 0, checked.output
