"""checks/grouping.py: one finding per problem several flows share, on the first flow in map
order, naming the others, with a problem that does not move when a flow joins or leaves
(the agreement standing and joint arrangement groupings, the purpose's missing assessment
and the recipient's missing permission all report through it)."""

from __future__ import annotations

from pathlib import Path

from flowaudit.checks.base import LIST_LIMIT, Outcome
from flowaudit.checks.grouping import Said, fail_per_group
from flowaudit.checks.result import AuditResult
from tests.helpers import audit_files, line_of

Key = tuple[str, str]


def _said(key: Key, first: tuple[str, str]) -> Said:
    """The tests' wording: code and text from the key, the field from the first entry."""
    code, text = key
    return Said(code, text, (first[1],), heading="A; B to C: ", fact="the-fact")


def _naming(key: Key, text: str, flows: str) -> str:
    head, sep, tail = text.partition(";")
    return f"{head} (flows {flows}){sep}{tail}"


def _flow(entry: tuple[str, str]) -> str:
    return entry[0]


def _run(
    groups: dict[Key, list[tuple[str, str]]],
    evaluated: list[str],
    already_failed: tuple[str, ...] = (),
    keep_own_hits: bool = False,
) -> Outcome:
    outcome = Outcome()
    outcome.evaluated = [("flows", f) for f in evaluated]
    for flow in already_failed:
        outcome.fail(("flows", flow), "other", "another problem of the rule")
    fail_per_group(outcome, groups, _flow, _said, _naming, keep_own_hits=keep_own_hits)
    return outcome


def test_one_finding_per_group_on_its_first_flow_in_map_order_naming_every_flow() -> None:
    groups = {
        ("no-x", "x is missing; record it"): [("f2", "x"), ("f1", "y"), ("f3", "z")],
        ("no-y", "y is missing"): [("f4", "w")],
    }
    outcome = _run(groups, ["f1", "f2", "f3", "f4", "f5"])
    assert [tuple(hit) for hit in outcome.hits] == [
        (
            ("flows", "f2"),  # the group's first entry, not the least id
            "no-x",
            "A; B to C: x is missing (flows f2, f1, f3); record it",
            ("x",),  # the first entry's field
            (),
            "the-fact",
            (),
            "A; B to C: x is missing; record it",
            ("f2", "f1", "f3"),
        ),
        (
            ("flows", "f4"),
            "no-y",
            "A; B to C: y is missing",  # one flow: named nowhere, no flows listed
            ("w",),
            (),
            "the-fact",
            (),
            "A; B to C: y is missing",
            (),
        ),
    ]
    # the flows the first one's finding judges are not passed; the rest stay
    assert outcome.evaluated == [("flows", "f2"), ("flows", "f4"), ("flows", "f5")]


def test_the_heading_is_never_read_by_the_naming() -> None:
    """A ';' in the parties' names (the heading) does not move where the flows are named."""
    outcome = _run({("c", "gap; fix"): [("a", "f"), ("b", "f")]}, ["a", "b"])
    assert outcome.hits[0][2] == "A; B to C: gap (flows a, b); fix"


def test_the_problem_stays_when_a_flow_joins_or_leaves_and_the_anchor_stays_first() -> None:
    key = ("no-x", "x is missing; record it")
    one = _run({key: [("f1", "x")]}, ["f1"]).hits[0]
    two = _run({key: [("f1", "x"), ("f2", "x")]}, ["f1", "f2"]).hits[0]
    three = _run({key: [("f1", "x"), ("f2", "x"), ("f3", "x")]}, ["f1", "f2", "f3"]).hits[0]
    assert one[7] == two[7] == three[7] == "A; B to C: x is missing; record it"
    assert one[0] == two[0] == three[0] == ("flows", "f1")
    assert (one[8], two[8], three[8]) == ((), ("f1", "f2"), ("f1", "f2", "f3"))
    assert [one[2], two[2], three[2]] == [
        "A; B to C: x is missing; record it",
        "A; B to C: x is missing (flows f1, f2); record it",
        "A; B to C: x is missing (flows f1, f2, f3); record it",
    ]


def test_a_flow_with_two_entries_is_named_once_and_a_lone_flow_is_not_named() -> None:
    """Two gaps of one flow in one group (two fields at fault) are one flow: no list."""
    outcome = _run({("c", "gap"): [("a", "f1"), ("a", "f2")]}, ["a"])
    assert outcome.hits[0][2] == "A; B to C: gap"
    assert outcome.hits[0][3] == ("f1",)
    assert outcome.hits[0][8] == ()
    assert outcome.evaluated == [("flows", "a")]


def test_a_flow_leading_one_group_and_covered_by_another_stays_judged() -> None:
    groups = {
        ("c1", "gap one"): [("a", "f"), ("b", "f")],
        ("c2", "gap two"): [("b", "f"), ("c", "f")],
    }
    outcome = _run(groups, ["a", "b", "c"])
    assert [h[0] for h in outcome.hits] == [("flows", "a"), ("flows", "b")]
    assert outcome.evaluated == [("flows", "a"), ("flows", "b")]


def test_keep_own_hits_keeps_a_covered_flow_that_failed_the_rule_otherwise() -> None:
    groups = {("c", "gap"): [("a", "f"), ("b", "f"), ("c", "f")]}
    dropped = _run(groups, ["a", "b", "c"], already_failed=("b",))
    assert dropped.evaluated == [("flows", "a")]
    kept = _run(groups, ["a", "b", "c"], already_failed=("b",), keep_own_hits=True)
    assert kept.evaluated == [("flows", "a"), ("flows", "b")]
    # the group's finding is the same either way
    assert kept.hits == dropped.hits


def test_a_long_group_names_the_first_flows_and_counts_the_rest_but_lists_all() -> None:
    entries = [(f"f{i:02}", "x") for i in range(LIST_LIMIT + 3)]
    hit = _run({("c", "gap"): entries}, [e[0] for e in entries]).hits[0]
    first = ", ".join(e[0] for e in entries[:LIST_LIMIT])
    assert hit[2] == f"A; B to C: gap (flows {first} and 3 more)"
    assert hit[8] == tuple(e[0] for e in entries)


def test_no_groups_leave_the_outcome_as_it_was() -> None:
    outcome = _run({}, ["a"], already_failed=("a",), keep_own_hits=True)
    assert outcome.evaluated == [("flows", "a")]
    assert len(outcome.hits) == 1


FIXTURE = Path(__file__).parent / "fixtures" / "grouping" / "groups.yaml"
_DRAFT = "Acme Ltd (controller) → UK Processor (processor): agreement 'draft-dpa'"
_JOINT = (
    "Acme Ltd (joint controller) → Joint; Partner (joint controller): an Art. 26 "
    "joint-controller arrangement is required"
)
#: What the gate matches names the parties by id, not by name: a party's name filled in or
#: corrected leaves the problem the same (gate review s21)
_DRAFT_IDS = "acme (controller) → uk-proc (processor): agreement 'draft-dpa'"
_JOINT_IDS = (
    "acme (joint controller) → jc (joint controller): an Art. 26 joint-controller arrangement "
    "is required"
)
_LIA = "Legitimate interests, Art. 6(1)(f) needs a legitimate interests assessment on file"


def _grouped(result: AuditResult) -> list[tuple[str, str, str, int, str, str, tuple[str, ...]]]:
    return [
        (
            f.rule_id,
            f.element[1],
            f.code,
            f.location.line if f.location else 0,
            f.message,
            f.problem,
            f.flows,
        )
        for f in result.findings
        if f.code in {"draft", "joint-missing", "no-assessment"}
    ]


def test_the_rules_ground_their_grouped_findings_on_the_first_flow_in_the_map() -> None:
    result = audit_files(FIXTURE)
    assert _grouped(result) == [
        (
            "GDPR-AGREEMENT",
            "m-draft",
            "draft",
            line_of(FIXTURE, "id: m-draft"),
            f"{_DRAFT} (linked by flows m-draft, b-draft, c-draft) is a draft, not signed",
            f"{_DRAFT_IDS} is a draft, not signed",
            ("m-draft", "b-draft", "c-draft"),
        ),
        (
            "GDPR-AGREEMENT",
            "z-joint",
            "joint-missing",
            line_of(FIXTURE, "id: z-joint"),
            # the ';' in the partner's name is not where the flows are named
            f"{_JOINT} for the joint purpose 'support' (flows z-joint, a-joint, e-joint); "
            "none is linked",
            f"{_JOINT_IDS}; none is linked",
            ("z-joint", "a-joint", "e-joint"),
        ),
        (
            "GDPR-BASIS",
            "w-li",
            "no-assessment",
            line_of(FIXTURE, "id: w-li"),
            f"{_LIA}; none is linked",
            f"{_LIA}; none is linked",
            (),
        ),
        (
            "GDPR-BASIS",
            "y-li",
            "no-assessment",
            line_of(FIXTURE, "id: y-li"),
            f"{_LIA} for the purpose 'profiling' (flows y-li, x-li: one assessment weighs the "
            "purpose); none is linked",
            f"{_LIA}; none is linked",
            ("y-li", "x-li"),
        ),
    ]
    passed = {(e.rule_id, e.element[1]) for e in result.passed}
    # the flows a grouped finding names are judged there, never passed
    for rule_id, flow in (
        ("GDPR-AGREEMENT", "c-draft"),
        ("GDPR-AGREEMENT", "a-joint"),
        ("GDPR-AGREEMENT", "e-joint"),
        ("GDPR-BASIS", "x-li"),
    ):
        assert (rule_id, flow) not in passed
    assert ("GDPR-BASIS", "c-draft") in passed  # another rule's verdict on them stands


def test_a_flow_leaving_a_group_moves_neither_its_anchor_nor_its_problem(tmp_path: Path) -> None:
    fewer = tmp_path / "groups.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    gone = [line for line in text.splitlines(keepends=True) if "id: a-joint" in line]
    fewer.write_text(text.replace(gone[0], ""), encoding="utf-8")
    before = {f[:3] + f[5:6]: f for f in _grouped(audit_files(FIXTURE))}
    after = {f[:3] + f[5:6]: f for f in _grouped(audit_files(fewer))}
    assert list(after) == list(before)
    joint = ("GDPR-AGREEMENT", "z-joint", "joint-missing", f"{_JOINT_IDS}; none is linked")
    assert after[joint][6] == ("z-joint", "e-joint")
    assert after[joint][4] == (
        f"{_JOINT} for the joint purpose 'support' (flows z-joint, e-joint); none is linked"
    )
