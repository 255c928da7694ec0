"""Gate attack s19, part 2 (fix-gate2-s19): a pull request trying to make newcomer-s19's rule
(a processor writing into a store another processor holds for the organisation is the
organisation's own hop once the organisation's contract with the holder is linked) clear
GDPR-AGREEMENT and GDPR-SUBPROCESSING with a contract that does not do the job. Each attack
held; these tests keep it so: an expired, a draft or a non-Art. 28 contract between the
organisation and the holder makes the hop the organisation's, and the agreement rule then
judges that contract (HIGH at the link, exit 1); a good one linked in a pull request is a
change to review naming the two HIGH findings it takes away."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import EXTRA, concero_repo, review_lines, run, run_gate

_SOURCE = (Path(__file__).parent / "test_newcomer_s19.py").read_text(encoding="utf-8")
MAP = re.search(r'MAP = """\\\n(.*?)"""', _SOURCE, re.S).group(1)  # type: ignore[union-attr]
SIGNED = "categories: [marks], evidence: contracts/mis.pdf}\n"


def _with(extra_agreement: str) -> str:
    """The newcomer's map, a second trust-host agreement ``x-dpa`` added and linked on the
    platform's write-back flow ``results``."""
    return MAP.replace(SIGNED, SIGNED + f"  - {extra_agreement}\n").replace(
        "__AGREEMENT__", ", agreement: x-dpa"
    )


@pytest.mark.parametrize(
    ("agreement", "says"),
    [
        (
            "{id: x-dpa, kind: art28_dpa, parties: [trust, misco], status: draft, "
            "categories: [marks]}",
            "agreement 'x-dpa' is a draft, not signed",
        ),
        (
            "{id: x-dpa, kind: art28_dpa, parties: [trust, misco], status: signed, "
            "signed_on: 2020-01-01, expires_on: 2021-01-01, categories: [marks], evidence: c.pdf}",
            "agreement 'x-dpa' expired on 2021-01-01",
        ),
        (
            "{id: x-dpa, kind: customer_contract, parties: [trust, misco], status: signed, "
            "signed_on: 2020-01-01, categories: [marks], evidence: c.pdf}",
            "an Art. 28 contract is required (art28_dpa); agreement 'x-dpa' is customer_contract",
        ),
    ],
    ids=["draft", "expired", "wrong-kind"],
)
def test_a_contract_with_the_holder_that_does_not_do_the_job_is_judged_at_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agreement: str, says: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "map.yaml").write_text(_with(agreement), encoding="utf-8")
    result = run(["check", "m", "--as-of", "2026-12-04"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "GDPR-AGREEMENT flows/results" in line]
    assert lines == [
        "m/map.yaml:30:45 HIGH GDPR-AGREEMENT flows/results: Oak Trust (controller) → MIS Ltd "
        f"(processor): {says}"
    ]


def test_linking_the_holders_contract_in_a_pull_request_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "r"
    (repo / "m").mkdir(parents=True)
    git = ["git", "-c", "user.email=a@b", "-c", "user.name=a", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "m" / "map.yaml").write_text(MAP.replace("__AGREEMENT__", ""), encoding="utf-8")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (repo / "m" / "map.yaml").write_text(
        MAP.replace("__AGREEMENT__", ", agreement: mis-dpa"), encoding="utf-8"
    )
    done = subprocess.run(
        [
            str(Path(__import__("sys").executable).parent / "flowaudit"),
            "check",
            "m",
            "--as-of",
            "2026-12-04",
            "--base",
            "HEAD",
            "--fail-on",
            "critical",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    said = [line for line in done.stdout.splitlines() if line.startswith("change to review:")]
    assert len(said) == 1
    assert said[0].startswith("change to review: agreement-linked:flows/results.")
    assert said[0].endswith(
        "flows/results now links the signed agreement 'mis-dpa' (was none): check that it covers "
        "this flow; with it goes: HIGH GDPR-AGREEMENT on flows/results (missing), HIGH "
        "GDPR-SUBPROCESSING on flows/results (not-authorised)"
    )


# -- attack 2: a flow leaving a grouped HIGH finding while it stays in the map


def _notes(subject: str) -> str:
    """A clean contract flow of ``subject``'s names into a store of the organisation that
    declares them: under the base, one of the flows customer staff rest on contract for."""
    return (
        "systems:\n"
        "  - {id: notes, name: Account notes, owner: concero, country: GB, categories: [contact], "
        f"subjects: [{subject}], encrypted_at_rest: true, retention_days: 365, "
        "retention_justification: One year, notice: N-COLLECT}\n"
        "flows:\n"
        "  - {id: staff-notes, from: concero, to: notes, categories: [contact.name], "
        f"subjects: [{subject}], purpose: sla_support, basis: contract, notice: N-PURPOSE, "
        "encrypted_in_transit: true}\n"
    )


LEFT = "left-finding:flows/staff-notes:GDPR-BASIS:contract-not-party"


def test_a_flow_relabelled_out_of_customer_staff_on_contract_is_put_to_a_person(
    tmp_path: Path,
) -> None:
    """Base: staff-notes is one of 14 flows the HIGH contract-not-party on customer staff
    judges. The pull request says the flow (and its store) is about job applicants, who are
    party to a contract: the finding stays on the 13 others, matched by its problem without
    the flows (b43dcc8), so the flow walked out of a HIGH with nothing to review (PASS,
    exit 0). Before b43dcc8 the count in the message moved and the gate failed. A flow that
    stays in the map yet leaves a grave grouped finding is a HIGH gone as fixed for that flow,
    which the gate puts to a person (``CONFIRM_FIXES_FROM``)."""
    repo = concero_repo(tmp_path, _notes("customer_staff"))
    (repo.files / EXTRA).write_text(_notes("job_applicants"), encoding="utf-8")
    result = run_gate(["check", str(repo.files), "--as-of", "2026-11-25", "--base", "HEAD"])
    assert result.exit_code == 1, result.stdout
    assert [line.split(": ")[1] for line in review_lines(result.stdout)] == [LEFT]
    line = review_lines(result.stdout)[0]
    assert line.startswith(
        f"change to review: {LEFT}: flows/staff-notes is no longer under HIGH GDPR-BASIS on "
        "subjects/customer_staff (contract-not-party), a finding that stands and judged it at "
        "the base: the flow stays in the map"
    ), line
    assert [ln for ln in result.stdout.splitlines() if ln.endswith("[new]")] == []


def test_a_flow_deleted_from_a_grouped_finding_is_nothing_to_review(tmp_path: Path) -> None:
    """Control: the flow deleted (with its store) leaves the finding as a flow leaving a group
    always has: nothing to review, exit 0."""
    repo = concero_repo(tmp_path, _notes("customer_staff"))
    (repo.files / EXTRA).write_text("", encoding="utf-8")
    result = run_gate(["check", str(repo.files), "--as-of", "2026-11-25", "--base", "HEAD"])
    assert result.exit_code == 0, result.stdout
    assert review_lines(result.stdout) == []


# -- attack 4: what a legal-obligation flow carries, renamed in place

_CLEARS = (
    ": it can clear findings (the lawful basis one: Legal obligation, Art. 6(1)(c) applies "
    "only where a law the organisation is subject to requires this processing (Art. 6(1)(c), "
    "6(3); the map does not name the law); and the data sharing agreement and processor "
    "ones: no agreement is expected of a disclosure the law requires) and the map cannot "
    "show it is true"
)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "{id: payment.invoice, name: Invoices and refunds,",
            "{id: payment.invoice, name: Browsing profiles for resale,",
            "whose category 'payment.invoice' is now 'Browsing profiles for resale' (was "
            "'Invoices and refunds')",
        ),
        (
            "{id: customers, name: Customers,",
            "{id: customers, name: Customers and their households,",
            "whose people 'customers' are now 'Customers and their households' (was 'Customers')",
        ),
    ],
    ids=["category", "subject"],
)
def test_what_a_legal_obligation_flow_carries_renamed_in_place_is_a_claim_to_review(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    """The shop's bookkeeping flow (legal_obligation, to the accountants) keeps its category
    and people ids while the category becomes browsing profiles for resale, or the people
    their whole households: the flow now says a law requires giving that to the accountants.
    Re-pointed, re-purposed, made to carry more, its recipient or purpose renamed in place:
    each a claim (gate reviews s17-s19); this passed with PASS, exit 0, nothing to review
    under --fail-on low."""
    from tests.test_attack_review_s17 import AS_OF, _shop_repo

    repo, folder = _shop_repo(tmp_path)
    repo.edit("taxonomy.yaml", old, new)
    repo.commit("head")
    result = run_gate(
        ["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF, "--fail-on", "low"]
    )
    assert result.exit_code == 1, result.output
    assert review_lines(result.stdout) == [
        "change to review: claim-changed:flows/bookkeeping: flows/bookkeeping now claims basis "
        f"'legal_obligation' for a flow {says}{_CLEARS}"
    ]


def test_a_category_no_legal_obligation_flow_carries_renamed_is_no_claim(tmp_path: Path) -> None:
    """Control: the support e-mails category (no legal-obligation flow carries it) renamed:
    no claim, exit 0."""
    from tests.test_attack_review_s17 import AS_OF, _shop_repo

    repo, folder = _shop_repo(tmp_path)
    repo.edit(
        "taxonomy.yaml",
        "{id: support, name: Customer emails and complaints,",
        "{id: support, name: Customer e-mails and complaints,",
    )
    repo.commit("head")
    result = run_gate(
        ["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF, "--fail-on", "low"]
    )
    assert review_lines(result.stdout) == []
    assert result.exit_code == 0, result.output
