from tests.conftest import FIXTURES, at, audit_files, kind_hits

KIND = "onward"  # fixtures: "good.yaml", "bad.yaml", policy.yaml
RULE = "TEST-ONWARD"


def test_good() -> None:
    assert kind_hits(KIND, "good") == []


def test_bad_reports_on_our_flow_with_the_whole_path() -> None:
    assert kind_hits(KIND, "bad") == sorted(
        [
            (RULE, "to-proc", "third-country", at(KIND, "bad", "to-proc")),
            (RULE, "to-isp", "forbidden-recipient", at(KIND, "bad", "to-isp")),
        ]
    )
    folder = FIXTURES / "checks" / KIND
    result = audit_files(folder / "bad.yaml", policies=(), user_policies=[folder / "policy.yaml"])
    third = next(f for f in result.findings if f.code == "third-country")
    assert third.path == ("acme", "uk-proc", "de-host", "us-sub")
    assert "acme (GB) -> uk-proc (GB) -> de-host (DE) -> us-sub (US)" in third.message
    assert "hop 'de-to-us'" in third.message


def test_dense_map_every_bad_hop_each_start_reaches_with_its_shortest_path() -> None:
    """Worked by hand. to-proc carries contact.email: it reaches de-to-us through de-host
    (2 onward hops), but not the broker (contact.name is no part of contact.email) nor India
    (payment). to-ctrl carries contact: the broker (narrowed to contact.name) through uk-proc,
    and de-to-us through de-host; not India. to-de carries payment, which no flow out of
    de-host carries. us-sub is reached lawfully first (proc-to-us), and de-to-us is still
    reported: the search judges every hop a chain can take, not only the first way in."""
    folder = FIXTURES / "checks" / KIND
    result = audit_files(folder / "dense.yaml", policies=(), user_policies=[folder / "policy.yaml"])
    assert [(f.element[1], f.code, f.path) for f in result.findings] == [
        ("to-ctrl", "forbidden-recipient", ("acme", "uk-ctrl", "uk-proc", "broker")),
        ("to-ctrl", "third-country", ("acme", "uk-ctrl", "de-host", "us-sub")),
        ("to-proc", "third-country", ("acme", "uk-proc", "de-host", "us-sub")),
    ]
    messages = [f.message for f in result.findings]
    assert messages[0] == (
        "contact.name reaches Data Broker, a forbidden data_broker recipient: "
        "acme (GB) -> uk-ctrl (GB) -> uk-proc (GB) -> broker (GB)"
    )
    assert messages[1].startswith(
        "contact.email reaches US through acme (GB) -> uk-ctrl (GB) -> de-host (DE) -> "
        "us-sub (US); hop 'de-to-us': transfer from EU to US"
    )
    assert messages[2].startswith(
        "contact.email reaches US through acme (GB) -> uk-proc (GB) -> de-host (DE) -> "
        "us-sub (US); hop 'de-to-us'"
    )
    assert [f.location.line if f.location else 0 for f in result.findings] == [
        at(KIND, "dense", "to-ctrl"),
        at(KIND, "dense", "to-ctrl"),
        at(KIND, "dense", "to-proc"),
    ]


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
    assert sorted((h.element[1], h.code) for h in far.hits) == [
        ("to-ctrl", "forbidden-recipient"),
        ("to-ctrl", "third-country"),
        ("to-proc", "third-country"),
    ]
