"""The onward kind's hop limit, called directly (its audits: tests/cases/onward.yaml).

tests/fixtures/checks/onward/dense.yaml, worked by hand: to-proc carries contact.email: it
reaches de-to-us through de-host (2 onward hops), but not the broker (contact.name is no part
of contact.email) nor India (payment). to-ctrl carries contact: the broker (narrowed to
contact.name) through uk-proc, and de-to-us through de-host; not India. Each bad hop is one
finding on its own flow, naming both of our flows that reach it. to-de carries payment,
which no flow out of de-host carries. us-sub is reached lawfully first (proc-to-us), and
de-to-us is still reported: the search judges every hop a chain can take, not only the first
way in.
"""

from tests.helpers import FIXTURES, audit_files

KIND = "onward"


def test_hop_limit_counts_our_own_flow() -> None:
    """max_hops 2 allows one onward hop: de-to-us is two hops past uk-proc, out of reach."""
    from flowaudit.checks.base import Context
    from flowaudit.checks.onward import evaluate
    from flowaudit.policies.legal import load_legal_table
    from flowaudit.policies.loader import load_policies

    folder = FIXTURES / "checks" / KIND
    result = audit_files(folder / "dense.yaml", policies=(), user_policies=[folder / "policy.yaml"])
    rule = load_policies((), [folder / "policy.yaml"]).rules[0]
    context = Context(result.facts, load_legal_table())
    near = evaluate(context, rule.model_copy(update={"max_hops": 2}))
    assert [(h.element[1], h.code, h.path) for h in near.hits] == []
    far = evaluate(context, rule.model_copy(update={"max_hops": 3}))
    assert [(h.element[1], h.code, h.message.split("; ")[-2]) for h in far.hits] == [
        (
            "de-to-us",
            "third-country",
            "the organisation's data reaching it: contact.email, from 2 of its flows: to-ctrl, "
            "to-proc",
        ),
        (
            "proc-broker",
            "forbidden-recipient",
            "the organisation's data reaching it: contact.name, from its flow to-ctrl",
        ),
    ]
