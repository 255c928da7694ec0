"""The gate and the onward rule's one finding per bad hop (review 2026-12-02, onward).

A bad hop is one finding however many flows of ours reach it, and its message names the
routes, which move with edits that change nothing (a reordered file, a flow of ours dropped).
So the gate matches onward findings on the hop's own problem, and a change that gives more
of our data a route to a known bad hop (a new flow of ours, a new link) makes that hop's
finding new: data sent to a known bad hop cannot slip past the gate."""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.baseline import Baseline, compare
from flowaudit.checks.result import AuditResult
from tests.helpers import FIXTURES, audit_files, unpinned

ONWARD_ONLY = FIXTURES / "transfers" / "onward-only-policy.yaml"
FLOW = "subjects: [staff], purpose: support, basis: contract"
HEAD = f"""parties:
  - {{id: jp-proc, name: Japanese Processor, kind: hosting, country: JP, role: processor}}
flows:
  - {{id: jp-to-in, from: jp-proc, to: in-vendor, categories: [contact], {FLOW}}}
"""


def _ours(count: int, first: int = 1) -> list[str]:
    return [
        f"  - {{id: ours-{i:02d}, from: acme, to: jp-proc, categories: [contact.email], {FLOW}}}"
        for i in range(first, first + count)
    ]


def _audit(folder: Path, name: str, lines: list[str], extra: str = "") -> AuditResult:
    path = folder / f"{name}.yaml"
    path.write_text(HEAD + "\n".join(lines) + "\n" + extra, encoding="utf-8")
    return audit_files(path, policies=(), user_policies=[ONWARD_ONLY])


def _new(baseline: Baseline) -> list[tuple[str, str]]:
    return [(f.rule_id, f.element[1]) for f in baseline.new]


def test_a_new_flow_of_ours_to_a_known_bad_hop_makes_it_new(tmp_path: Path) -> None:
    """22 flows of ours reach the hop (the message names 20 and says more): a 23rd adds our
    data to it; the message is unchanged, the finding still new."""
    base = _audit(tmp_path, "base", _ours(22))
    head = _audit(tmp_path, "head", _ours(23))
    assert [f.message for f in base.findings] == [f.message for f in head.findings]
    assert _new(compare(base, head)) == [("TEST-ONWARD", "jp-to-in")]


def test_reordering_or_dropping_our_flows_is_no_new_finding(tmp_path: Path) -> None:
    """Three flows of ours, named in the message: moved to the end of the file, or one of
    them dropped, the hop's problem is the same one: nothing new, nothing gone."""
    base = _audit(tmp_path, "base", _ours(3))
    moved = _audit(tmp_path, "moved", [*_ours(2, 2), *_ours(1)])
    dropped = _audit(tmp_path, "dropped", _ours(2))
    assert dropped.findings[0].message != base.findings[0].message
    for head in (moved, dropped):
        baseline = compare(base, head)
        assert (baseline.new, baseline.gone) == ((), ())


def test_a_new_link_to_a_known_bad_hop_makes_it_new(tmp_path: Path) -> None:
    """Our flow to a UK processor reached no bad hop; a new link from it to the Japanese
    processor gives our data a route to the hop to India."""
    start = f"  - {{id: to-uk, from: acme, to: uk-proc, categories: [contact], {FLOW}}}"
    link = f"  - {{id: uk-to-jp, from: uk-proc, to: jp-proc, categories: [contact], {FLOW}}}"
    base = _audit(tmp_path, "base", [*_ours(1), start])
    head = _audit(tmp_path, "head", [*_ours(1), start, link])
    assert _new(compare(base, head)) == [("TEST-ONWARD", "jp-to-in")]


def test_a_new_description_is_no_new_route(tmp_path: Path) -> None:
    base = _audit(tmp_path, "base", _ours(1))
    described = [_ours(1)[0].replace("}", ", description: now described}")]
    head = _audit(tmp_path, "head", described)
    assert _new(compare(base, head)) == []


def test_a_waiver_on_the_hop_covering_more_of_our_data_is_a_change_to_review(
    tmp_path: Path,
) -> None:
    waiver = (
        "waivers:\n  - {id: w-jp, rule: TEST-ONWARD, element: flows/jp-to-in, owner: DPO, "
        "justification: migration, approved_on: 2026-01-01, expires_on: 2027-06-01}\n"
    )
    base = _audit(tmp_path, "base", _ours(22), waiver)
    head = _audit(tmp_path, "head", _ours(23), waiver)
    baseline = compare(base, head)
    assert baseline.new == ()
    assert [(unpinned(c.id), c.accepted) for c in baseline.review] == [
        ("waiver-covers-new:w-jp", False)
    ]
    assert baseline.review[0].detail == (
        "waiver 'w-jp' now covers more of the organisation's data: the change widens, or "
        "gives a new route to, flows/jp-to-in (third-country)"
    )


def test_more_data_to_a_hop_the_transfer_rule_reports_makes_its_finding_new(
    tmp_path: Path,
) -> None:
    """Review 2026-12-02 (attack 1): a UK processor sends on to a US host with no mechanism;
    the transfer rule reports that hop (the onward rule leaves it to it). Widening our flow
    to the processor from contact to contact and payment sends more of our data over the
    hop: the transfer rule's finding on it is new, though its message is the same."""
    lines = [
        f"  - {{id: to-uk, from: acme, to: uk-proc, categories: [contact], {FLOW}}}",
        f"  - {{id: uk-to-us, from: uk-proc, to: us-host, categories: [contact, payment], {FLOW}}}",
    ]
    map_head = "flows:\n"

    def law(name: str, body: list[str]) -> AuditResult:
        path = tmp_path / f"{name}.yaml"
        path.write_text(map_head + "\n".join(body) + "\n", encoding="utf-8")
        return audit_files(path)

    base = law("base", lines)
    head = law("head", [lines[0].replace("[contact]", "[contact, payment]"), lines[1]])
    hop = [f for f in head.findings if f.element == ("flows", "uk-to-us")]
    assert [(f.rule_id, f.code) for f in hop if f.rule_id == "GDPR-TRANSFER"] == [
        ("GDPR-TRANSFER", "no-mechanism")
    ]
    assert ("GDPR-TRANSFER", "uk-to-us") in _new(compare(base, head))


def test_new_subjects_on_a_flow_of_ours_are_a_new_route(tmp_path: Path) -> None:
    """Review 2026-12-02 (attack 5): pupils added to a flow of ours that reaches a bad hop."""
    base = _audit(tmp_path, "base", _ours(22))
    widened = _ours(22)
    widened[0] = widened[0].replace("subjects: [staff]", "subjects: [staff, pupils]")
    head = _audit(tmp_path, "head", widened)
    assert _new(compare(base, head)) == [("TEST-ONWARD", "jp-to-in")]
