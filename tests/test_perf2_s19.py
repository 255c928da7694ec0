"""perf2-s19 (issue 14): three rule-side savings give the answers they replaced.

- ``consent_required._warn`` reads the flows each rule asking every subscriber's consent
  judged from what ``evaluate`` remembered, instead of matching every flow again;
- ``store_source.filling`` builds its tables in one pass with ``dict.get``;
- ``lawful_basis.evaluate`` reads a basis's bar once per (basis, purpose).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flowaudit.checks import consent_required, lawful_basis, store_source
from flowaudit.checks.base import Context
from flowaudit.checks.facts import AuditFacts
from flowaudit.model.facts import MapFacts
from flowaudit.model.loader import load_map
from flowaudit.policies.legal import load_legal_table
from flowaudit.policies.loader import load_policies
from flowaudit.policies.schema import ConsentRequiredRule, LawfulBasisRule
from tests.helpers import concero_with

AS_OF = date(2026, 11, 25)

#: A supporters' newsletter to people whose kind of subscriber is unsaid (the consent rule
#: asking about individual subscribers does not judge it: a warning), and a second flow of
#: the same purpose on another basis (the lawful-basis bar read from the remembered answer).
EXTRA = """\
subjects:
  - {id: supporters, name: Supporters}
flows:
  - {id: news-a, from: concero, to: crm, categories: [contact.email], subjects: [supporters],
     purpose: marketing, basis: consent}
  - {id: news-b, from: concero, to: crm, categories: [contact.email], subjects: [supporters],
     purpose: marketing, basis: contract}
  - {id: news-c, from: concero, to: crm, categories: [contact.email], subjects: [supporters],
     purpose: marketing, basis: contract}
"""


def _context(folder: Path) -> Context:
    return Context(AuditFacts(load_map([folder]), AS_OF), load_legal_table())


def _consent_rules() -> list[ConsentRequiredRule]:
    rules = load_policies(["uk-gdpr", "concero-notice"]).rules
    return [r for r in rules if isinstance(r, ConsentRequiredRule) and r.enabled]


def test_consent_warnings_from_evaluate_equal_matching_again(tmp_path: Path) -> None:
    """The warnings after every rule's evaluate (what it remembered is read) equal those on a
    fresh context (every flow matched again), and evaluate did remember, for each rule asking
    every subscriber's consent, exactly the flows it matches. With the notice's marketing
    rule (every subscriber's consent) the supporters' flows are judged: no warning; without
    it, PECR's rule warns of them, located at the subject."""
    folder = concero_with(tmp_path, EXTRA)
    every = _consent_rules()
    assert [r.individual_subscribers for r in every] == [True, False, False]
    pecr_and_intro = [r for r in every if r.id != "CONCERO-MARKETING-CONSENT"]
    for rules, warned in ((every, False), (pecr_and_intro, True)):
        fresh = consent_required._warn(_context(folder), rules)
        ctx = _context(folder)
        for rule in rules:
            consent_required.evaluate(ctx, rule)
        remembered = ctx.memo[consent_required._JUDGED_MEMO]
        for rule in rules:
            if not rule.individual_subscribers:
                same, flows = remembered[id(rule)]
                assert same is rule
                assert flows == {flow.id for flow in ctx.matching_flows(rule)}
            else:
                assert id(rule) not in remembered
        said = consent_required._warn(ctx, rules)
        assert said == fresh
        if warned:
            # the shipped map's own marketing flow (customer staff), then the supporters'
            assert [w.split(": ", 1)[0].rsplit("/", 1)[-1] for w in said] == [
                "taxonomy.yaml:57:5",
                "zz-extra.yaml:2:5",
            ]
            assert "does not judge the 1 flow it matches to subject 'customer_staff'" in said[0]
            assert "does not judge the 3 flows it matches to subject 'supporters'" in said[1]
        else:
            assert said == []


def test_consent_memo_of_another_rule_is_not_read(tmp_path: Path) -> None:
    """An entry under a rule's id made for another rule object (ids are reused once an
    object is gone) is not read: the flows are matched again."""
    folder = concero_with(tmp_path, EXTRA)
    rules = _consent_rules()
    fresh = consent_required._warn(_context(folder), rules)
    ctx = _context(folder)
    stranger = rules[0].model_copy()
    ctx.memo[consent_required._JUDGED_MEMO] = {id(r): (stranger, set()) for r in rules}
    assert consent_required._warn(ctx, rules) == fresh


def _filling_as_before(facts: MapFacts) -> store_source.Filling:
    """main's filling at e0eaa03, word for word, to compare with; with what a flow only may
    carry brought too, as the newcomer review s21 (dd68e67) has it."""
    ours = store_source._ours(facts)
    sourced = store_source._sourced(facts, ours)
    found = store_source.Filling({}, {}, {}, {})
    for flow in facts.index.data.flows:
        found.read.setdefault(flow.source, []).append(flow.id)
        if flow.source in sourced or flow.source not in ours:
            carried, about = found.into.setdefault(flow.target, (set(), set()))
            carried.update(flow.categories)
            about.update(flow.subjects)
            if flow.may_carry is not None:
                carried.update(flow.may_carry.categories)
                about.update(flow.may_carry.subjects)
            found.filled_by.setdefault(flow.target, []).append(flow.id)
        else:
            found.unsourced.setdefault(flow.target, []).append(flow.id)
    return found


def test_filling_equals_the_setdefault_pass(tmp_path: Path) -> None:
    """Same tables, same key order, on the shipped map and with three more flows into crm."""
    for extra in ("", EXTRA):
        folder = concero_with(tmp_path / str(len(extra)), extra)
        facts = _context(folder).facts
        got, want = store_source.filling(facts), _filling_as_before(facts)
        assert got == want
        for mine, theirs in zip(got, want, strict=True):
            assert list(mine) == list(theirs)  # first seen, in map order
        if extra:
            assert got.filled_by["crm"][-3:] == ["news-a", "news-b", "news-c"]


def test_lawful_basis_bar_read_once_per_basis_and_purpose(tmp_path: Path) -> None:
    """Two contract flows for marketing: each fails with the bar's code, the second read from
    the first's answer; limit_for is asked once per purpose of the pair, not per flow."""
    folder = concero_with(tmp_path, EXTRA)
    ctx = _context(folder)
    rule = next(
        r for r in load_policies(["uk-gdpr"]).rules if isinstance(r, LawfulBasisRule) and r.enabled
    )
    basis = ctx.legal.lawful_bases["contract"]
    asked: list[str] = []
    real = type(basis).limit_for

    def counting(self: object, purpose: str) -> object:
        if self is basis:
            asked.append(purpose)
        return real(self, purpose)  # type: ignore[arg-type]

    type(basis).limit_for = counting  # type: ignore[method-assign,assignment]
    try:
        outcome = lawful_basis.evaluate(ctx, rule)
    finally:
        type(basis).limit_for = real  # type: ignore[method-assign]
    codes = {(hit.element, hit.code) for hit in outcome.hits}
    limit = basis.limit_for("marketing")
    assert limit is not None
    assert (("flows", "news-b"), limit.code) in codes
    assert (("flows", "news-c"), limit.code) in codes
    assert asked.count("marketing") == 1
