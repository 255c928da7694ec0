"""Runs every enabled rule over the map and assembles the AuditResult.

Positions are resolved here, once, from the model's source map: checks never see YAML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from functools import cache, partial
from itertools import repeat
from operator import attrgetter
from typing import cast

from flowaudit import __version__
from flowaudit.checks import apart as _apart_module
from flowaudit.checks.apart import Apart, Tail, spare_processors, worth_forking
from flowaudit.checks.base import CheckInputError, Context, Outcome, short
from flowaudit.checks.facts import AuditFacts
from flowaudit.checks.registry import CHECKS
from flowaudit.checks.result import AuditResult, Evaluation, Finding, by_code
from flowaudit.model.facts import MapFacts
from flowaudit.model.loader import ElementRef, LoadedMap, paused_gc
from flowaudit.model.problems import InputError, did_you_mean
from flowaudit.model.schema import AgreementKind, Regime, Role
from flowaudit.policies.legal import KEPT_TEXTS_LIMIT, LegalTable, kept_texts_over_limit
from flowaudit.policies.loader import LAW_POLICIES, PolicySet
from flowaudit.policies.schema import RuleBase, Severity


def run_audit(
    loaded: LoadedMap, policies: PolicySet, legal: LegalTable, as_of: date
) -> AuditResult:
    """Evaluate the policies on the map as of a date."""
    with paused_gc():
        return _run_audit(loaded, policies, legal, as_of)


def _run_audit(
    loaded: LoadedMap, policies: PolicySet, legal: LegalTable, as_of: date
) -> AuditResult:
    audit_facts = AuditFacts.build(loaded, policies.rules, as_of)
    context = Context(audit_facts, legal)
    locate = loaded.sources.locate
    findings: list[Finding] = []
    passes: dict[str, list[Evaluation]] = {}  # by rule id (unique): sorted rule by rule
    unjudged: dict[str, dict[str, int]] = {}  # by rule id: why it left elements unjudged
    facts: dict[tuple[ElementRef, str], int] = {}
    # findings joined into another by a hit naming several facts: where each went (a key
    # that led to one leads to where it went; no key is rewritten)
    joined: dict[int, int] = {}
    # messages quote table sources written for a UK exporter from 2021: word them as the
    # organisation's regime cites the GDPR on the audit date, and a Swiss organisation's by
    # the revFADP article that sets the same duty (never inside the map's own words); a
    # not-judged finding quotes another regime's law as that law is cited
    regime = loaded.organisation.regime.value
    kept = cache(partial(_texts_of, loaded))  # the map's texts that cite: asked once, if at all
    cite = legal.citer(regime, as_of, kept=kept)
    quote = legal.citer(regime, as_of, own_law=False, kept=kept)
    citers: dict[str, Callable[[str], str]] = {}  # by another regime a hop is sent under

    def _citer_for(under: str) -> Callable[[str], str]:
        """The citer of a hop under ``under`` (empty: the organisation's regime)."""
        if not under:
            return cite
        said = citers.get(under)
        if said is None:
            said = citers[under] = legal.citer(under, as_of, kept=kept)
        return said

    grade = _grader(policies)  # what merges weigh: how each rule grades a code
    # a rule's not-judged notes (another regime's law) by the facts they name: a law that
    # binds the organisation and names the same problem on the element says it alone
    unbound: dict[tuple[ElementRef, str], list[int]] = {}
    # a costly rule on a big map runs in a process of its own meanwhile (checks/apart.py)
    enabled = [rule for rule in policies.rules if rule.enabled]
    apart, tail = _apart(context, policies, enabled, len(loaded.data.flows))
    outcomes = _outcomes(context, enabled, apart, tail)
    try:
        for rule in policies.rules:
            if not rule.enabled:
                continue
            try:
                outcome = next(outcomes)
            except CheckInputError as error:
                fields = (error.field,) if error.field else ()
                located = loaded.sources.problem(error.element, fields, error.message)
                raise InputError([located]) from None
            rule_id, kind = rule.id, rule.kind
            failed = set()
            severities: dict[str, Severity] = {}  # by code: a rule's codes repeat on every flow
            binding = rule.regimes is None or loaded.organisation.regime in rule.regimes
            if not binding:
                outcome = _not_binding(outcome, rule, loaded.organisation.regime.value, context)
                severities[OTHER_REGIME] = Severity.INFO
            # a hit unpacked once (not nine attribute reads) and the finding made positionally:
            # a step per finding, 68,000 at 100k flows
            for (
                element,
                code,
                message,
                field,
                path,
                fact,
                unconfirmed,
                problem,
                flows,
            ) in outcome.hits:
                failed.add(element)
                severity = severities.get(code)
                if severity is None:
                    severity = severities[code] = severity_of(rule, code)
                # located as it is made (a merge keeps the lead's element, field and location):
                # no second pass that copies every finding to add its location
                # a hop sent under another regime's law (a UK processor's onward transfer in
                # an EU map) is cited as that regime cites it (lawyer review s17, problem 1)
                under = outcome.regimes.get(element, "") if outcome.regimes else ""
                said = (
                    _citer_for(under)(message)
                    if under
                    else cite(message)
                    if binding
                    else quote(message)
                )
                finding = Finding(
                    rule_id,
                    severity,
                    code,
                    said,
                    element,
                    field,
                    locate(element, field),
                    path,
                    None,  # not covered yet: a post-pass may cover it
                    (),  # also: set when findings merge
                    unconfirmed,
                    "",  # key: set when findings of one rule and code share an element
                    problem,
                    (),  # joined codes: set when findings merge
                    flows,
                    under,
                    outcome.cited_as.get(element, "") if outcome.cited_as else "",
                )
                if not binding:  # said as not judged, unless a law that binds says it
                    names = _names(fact)
                    if not any((element, name) in facts for name in names):
                        for name in names:
                            unbound.setdefault((element, name), []).append(len(findings))
                        findings.append(finding)
                    continue
                if isinstance(fact, tuple):  # one problem that rules name differently: join them
                    _join(findings, facts, joined, element, fact, finding, grade)
                else:
                    key = (element, fact or f"{kind}:{code}:{message}")
                    if key in facts:
                        position = facts[key]
                        while joined and position in joined:
                            position = joined[position]
                        findings[position] = _merge(findings[position], finding, grade)
                    else:
                        facts[key] = len(findings)
                        findings.append(finding)
                if unbound and fact:  # a not-judged note on the same problem goes
                    for name in _names(fact):
                        for position in unbound.pop((element, name), ()):
                            joined[position] = facts[(element, name)]
            if outcome.unjudged and binding:  # (another regime's law says so in its notes)
                unjudged[rule_id] = dict(outcome.unjudged)
            # a pass's assumed facts quote the table's sources as its findings do: worded as
            # the organisation's regime cites the law ("UK GDPR / GDPR Art. 49(1)(a)" told an
            # EU organisation's pass on UK GDPR: lawyer review s16, problem 4)
            assumed = outcome.assumed
            if assumed and binding:
                assumed = {
                    e: tuple(map(_citer_for(outcome.regimes.get(e, "")), said))
                    for e, said in assumed.items()
                }
            rule_passed = _passes(rule_id, outcome.evaluated, failed, outcome.relied, assumed)
            if rule_passed:
                passes[rule_id] = rule_passed
        moot = _moot(findings, facts, joined, policies)
        if joined or moot:
            findings = [
                f
                for position, f in enumerate(findings)
                if position not in joined and position not in moot
            ]
        findings = _keyed(findings)
        findings, failed_after = _after_rules(findings, context, policies, loaded)
        # by rule id, then element: each rule's passes come sorted by element (one id per rule,
        # one pass per element and rule)
        passed: list[Evaluation] = []
        for rule_id in sorted(passes):
            rule_passed = passes[rule_id]
            if failed_after:  # a problem found in the post-pass: that element no longer passes
                rule_passed = [e for e in rule_passed if (rule_id, e.element) not in failed_after]
            passed += rule_passed
        _sort_findings(findings)
        # the map's warnings (all but the citations'), here or by the child that took the
        # engine's rules if it got to them first (``_apart``)
        place = len(enabled)
        if tail is None or tail[1].claim(place):
            warned = _map_warnings(context, policies)
        else:
            warned = tail[0].outcome_at(place)
    finally:
        for pending in apart.values():  # the audit ended early: an input error
            pending.cancel()
        if tail is not None:  # the child that took rules: done with them, or not needed
            tail[0].cancel()
            tail[1].close()
    return AuditResult(
        tool_version=__version__,
        as_of=as_of,
        loaded=loaded,
        legal=legal,
        rules=_cited_rules(policies.rules, legal, regime, as_of),
        rule_origin=policies.origin,
        policy_files=policies.files,
        findings=tuple(findings),
        passed=tuple(passed),
        overrides=policies.overrides,
        warnings=(*_citation_warnings(cite, quote), *warned),
        facts=audit_facts,
        unjudged=unjudged,
        as_written=policies.rules if legal.cites_own_law(regime, as_of) else (),
    )


def _map_warnings(context: Context, policies: PolicySet) -> list[str]:
    """The audit's warnings of the map, in order, but for the citations' (which ask the
    citers what the findings cited): each a function of the map's facts, the table and the
    policies alone, so the child that took the engine's rules may work them out."""
    facts = context.facts
    return [
        *_dated_warnings(context.legal, facts, facts.as_of),
        *vocabulary_warnings(facts, policies),
        *set_aside_warnings(facts),
        *capacity_warnings(facts),
        *_check_warnings(context, policies),
    ]


#: An Evaluation from its four fields as one tuple, made in C (the named tuple's own
#: constructor is a Python function: a call per pass, 286,000 passes at 100k flows).
_evaluation = cast(
    Callable[[tuple[str, ElementRef, tuple[str, ...], tuple[str, ...]]], Evaluation],
    partial(tuple.__new__, Evaluation),
)


def _passes(
    rule_id: str,
    evaluated: list[ElementRef],
    failed: set[ElementRef],
    relied: dict[ElementRef, tuple[str, ...]],
    assumed: dict[ElementRef, tuple[str, ...]],
) -> list[Evaluation]:
    """A rule's passes, sorted by element: each element it evaluated, once, unless it
    failed; with the unconfirmed legal rows its verdict relied on and the assumed facts of the
    map it rests on. (The elements are sorted as they are, before any pass is made: no key
    per pass.)"""
    passing = dict.fromkeys(evaluated)
    for element in failed:
        passing.pop(element, None)
    elements = sorted(passing)
    unconfirmed = map(relied.get, elements, repeat(())) if relied else repeat(())
    guesses = map(assumed.get, elements, repeat(())) if assumed else repeat(())
    return list(map(_evaluation, zip(repeat(rule_id), elements, unconfirmed, guesses)))


#: What findings that would share an id have in common: rule, element and code.
_GROUP = cast(
    Callable[[Finding], tuple[str, ElementRef, str]], attrgetter("rule_id", "element", "code")
)


def _keyed(findings: list[Finding]) -> list[Finding]:
    """Findings of one rule with one code on one element would share an id: each gets the
    named (non-positional) parts of its field as key, then its message if those agree too.
    Every other finding keeps the id it always had."""
    keyed = list(findings)
    # counted in C first: at 100k flows nearly every group is one finding, and a list per
    # finding was made to find the few that are not
    counts = Counter(map(_GROUP, findings))
    if len(counts) == len(findings):
        return keyed
    groups: dict[tuple[str, ElementRef, str], list[int]] = {}
    for position, group in enumerate(map(_GROUP, findings)):
        if counts[group] > 1:
            groups.setdefault(group, []).append(position)
    for positions in groups.values():
        keys = {
            p: ".".join(str(part) for part in findings[p].field if isinstance(part, str))
            for p in positions
        }
        if len(set(keys.values())) < len(positions):
            keys = {p: f"{keys[p]}\0{findings[p].message}" for p in positions}
        for position in positions:
            keyed[position] = findings[position].with_key(keys[position])
    return keyed


def _apart(
    context: Context, policies: PolicySet, rules: list[RuleBase], flows: int
) -> tuple[dict[str, Apart], tuple[Apart, Tail] | None]:
    """The rules to evaluate in a process of their own, started: those of a kind that asks
    for it from fewer flows than the map has (``Check.apart_from``), when a second process
    can run (``worth_forking``). The facts their kinds share with the engine's rules
    (``Check.shared``) are worked out first, so that no process works them out twice.

    On a map of ``SHARE_FROM`` flows or more, the first child goes on with the engine's
    rules once its own is evaluated, taking them from the end of the policy order while
    the engine takes them from the start (``Tail``), and before them the map's warnings
    (``_map_warnings``, asked for last): returned with it, the first child."""
    costly = [
        rule
        for rule in rules
        if (least := CHECKS[rule.kind].apart_from) is not None and least <= flows
    ]
    if not costly or not worth_forking():
        return {}, None
    # one child per spare processor at most, the first costly rules in policy order: a
    # policy file of hundreds of onward rules must not fork hundreds of processes at once
    # (each holds its share of a 1 GB map); the rest run in this process, as on one core
    costly = costly[: max(1, spare_processors())]
    # the facts the child would work out that the engine's rules work out as well: once,
    # here, before the fork (the child inherits them, copied on write)
    for rule in costly:
        for name in CHECKS[rule.kind].shared:
            getattr(context.facts, name)
    tail = None
    if flows >= _apart_module.SHARE_FROM:
        ids = {rule.id for rule in costly}
        tail = Tail(
            [
                *((rule, CHECKS[rule.kind].evaluate) for rule in rules),
                (policies, _map_warnings),  # last: the child's first pick
            ],
            [place for place, rule in enumerate(rules) if rule.id in ids],
        )
    started = {
        rule.id: Apart(context, rule, CHECKS[rule.kind].evaluate, tail if number == 0 else None)
        for number, rule in enumerate(costly)  # the first child alone takes the engine's
    }
    return started, (started[costly[0].id], tail) if tail is not None else None


def _outcomes(
    context: Context,
    rules: list[RuleBase],
    apart: dict[str, Apart],
    tail: tuple[Apart, Tail] | None = None,
) -> Iterator[Outcome]:
    """Each rule's outcome in policy order, a rule's input error raised at its turn. At a
    rule evaluated apart that is not done yet, the rules after it are evaluated meanwhile
    (their outcomes, or input errors, kept for their turn): the engine waits only when
    nothing is left to do. With a tail (``_apart``), each rule the engine evaluates is
    claimed first; a rule the child claimed is taken from the child at its turn."""
    ahead: dict[str, Outcome | CheckInputError] = {}
    helper, shared = tail if tail is not None else (None, None)

    def ours(place: int) -> bool:
        return shared is None or shared.claim(place)

    for position, rule in enumerate(rules):
        pending = apart.pop(rule.id, None)
        if pending is not None:
            for place in range(position + 1, len(rules)):
                later = rules[place]
                if pending.done():
                    break
                if later.id not in apart and later.id not in ahead:
                    if not ours(place):
                        break  # the child has it, and those after it
                    try:
                        ahead[later.id] = CHECKS[later.kind].evaluate(context, later)
                    except CheckInputError as error:
                        ahead[later.id] = error
            yield pending.outcome()
            continue
        found = ahead.pop(rule.id, None)
        if isinstance(found, CheckInputError):
            raise found
        if found is not None:
            yield found
        elif ours(position):
            yield CHECKS[rule.kind].evaluate(context, rule)
        else:
            assert helper is not None
            yield helper.outcome_at(position)


#: The code of what a rule would find under a regime whose law it does not state.
OTHER_REGIME = "other-regime"


def _names(fact: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """The facts a hit names: none, one, or several (a problem rules name differently)."""
    if fact is None:
        return ()
    return (fact,) if isinstance(fact, str) else fact


def not_binding(rule: RuleBase, regime: str) -> str | None:
    """Why a rule does not judge an organisation of ``regime``: its law is another regime's
    (``rule.regimes``), with the law that applies instead (``other_regimes``); None when the
    rule binds it. The info findings say it, and so does a report of a rule that found
    nothing (auditor review 2026-12-03o, problem 7: "nothing in the map falls under it")."""
    if rule.regimes is None or Regime(regime) in rule.regimes:
        return None
    regimes = [r.value for r in rule.regimes]
    plural = "s" if len(regimes) > 1 else ""
    follows = rule.other_regimes.get(Regime(regime))
    instead = f" It follows {follows}." if follows else ""
    return (
        f"not judged: {rule.id} states the law of the {' and '.join(regimes)} regime{plural}, "
        f"and the organisation is under the {regime} regime.{instead}"
    )


def _cited_rules(
    rules: tuple[RuleBase, ...], legal: LegalTable, regime: str, as_of: date
) -> tuple[RuleBase, ...]:
    """The rules as the audit's reports show them: for an organisation whose regime cites its
    own law in the GDPR's place (CH: the revFADP), each rule's title, rationale and fixes
    cite as its findings do, every GDPR article left named as the GDPR's, so one report
    cites one way ("How to fix: Sign an Art. 28 contract" under a finding citing revFADP
    Art. 9(1)-(2): auditor review 2026-12-03s, problem 1). A rule that does not judge the
    regime states another's law: its texts keep the GDPR's articles, named. Other regimes'
    rules are the policies' own."""
    if not legal.cites_own_law(regime, as_of):
        return rules
    binding = legal.citer(regime, as_of, named=True)
    other = legal.citer(regime, as_of, own_law=False, named=True)
    cited = []
    for rule in rules:
        cite = binding if rule.regimes is None or Regime(regime) in rule.regimes else other
        update: dict[str, object] = {
            "title": cite(rule.title),
            "rationale": cite(rule.rationale),
            "fix": cite(rule.fix),
        }
        if rule.code_fix:
            update["code_fix"] = {code: cite(fix) for code, fix in rule.code_fix.items()}
        cited.append(rule.model_copy(update=update))
    return tuple(cited)


def _texts_of(loaded: LoadedMap) -> list[str]:
    """The texts of the map (ids, names, notes, keys) that hold a citation ("Art."), whole and
    as a message cuts a name (``short``): input, which a citer never rewrites. Asked only where
    a message holds a citation the organisation's regime words otherwise (a Swiss
    organisation's, or one naming "UK GDPR" for an EU one); most maps cite nothing, which one
    search of their files' text tells (else of their JSON)."""
    if not loaded.sources.may_hold("Art.") or "Art." not in loaded.data.model_dump_json():
        return []
    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            if "Art." in value:
                texts.extend((value, short(value)))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(loaded.data.model_dump())
    return texts


def _not_binding(outcome: Outcome, rule: RuleBase, regime: str, context: Context) -> Outcome:
    """What a rule found under a regime its law does not bind (``rule.regimes``), said as
    not judged: info findings that name the law that applies instead, and no passes (an EU
    organisation's marketing does not pass PECR, which is not its law: DPO review
    2026-12-02g, problem 1). A hit that says only that a record the rule's law asks for is
    missing (``unsaid_elsewhere``: no Art. 6 basis, no Art. 9 condition) gives none, on every
    flow or where the flow discloses nothing to a third party: the other regime asks for no
    such record, and a note per flow made a clean Swiss map show findings that the same map
    with GDPR bases copied in did not (DPO review 2026-12-03r, problem 5); the rule's
    not-judged statement (report, summary, ``law``) says once that it did not judge."""
    bound = " and ".join(r.value for r in rule.regimes or ())
    why = not_binding(rule, regime)
    unsaid = rule.unsaid_elsewhere
    said = Outcome()
    for element, code, message, field, path, fact, _unconfirmed, problem, flows in outcome.hits:
        scope = by_code(unsaid, code) if unsaid else None
        if scope == "every_flow" or (scope == "no_third_party" and _within(context, element)):
            continue
        said.fail(
            element,
            OTHER_REGIME,
            f"{why} Under the {bound} law it would read: {message}",
            field,
            path,
            fact,  # kept: a law that binds and names the same problem says it alone
            problem=problem,
            flows=flows,
        )
    return said


def _within(context: Context, element: ElementRef) -> bool:
    """Whether the element is a flow to the organisation itself, or one that a party
    receives *on this flow* as a processor from the organisation or from one of its
    processors (or theirs): no disclosure to a third party (revFADP Art. 9: a processor the
    controller engages processes on its behalf). The flow's own recipient role decides, not
    whether the party is a processor on some other flow: health data sent to a lab as an
    independent controller is a disclosure (Art. 30(2)(c)) though the same lab processes
    contact data for the organisation on another flow (attack review 2026-12-03s,
    problem 8)."""
    if element[0] != "flows" or element[1] not in context.index.flows:
        return False
    index = context.index
    facts = context.facts.flow(element[1])
    if index.is_organisation(facts.recipient.party_id):
        return True
    sender = facts.sender
    return facts.role is Role.PROCESSOR and (
        index.is_organisation(sender) or sender in context.facts.our_processors
    )


def severity_of(rule: RuleBase, code: str) -> Severity:
    """The rule's severity for a finding code: an exact entry of ``code_severity``, else the
    first pattern that matches (``sharing-*``), else the rule's own."""
    graded = graded_severity(rule, code)
    return rule.severity if graded is None else graded


def graded_severity(rule: RuleBase, code: str) -> Severity | None:
    """The severity the rule grades a finding code with (an exact entry of ``code_severity``,
    else the first pattern that matches), or None where the rule does not grade it."""
    return by_code(rule.code_severity, code)


class Grade:
    """How each rule grades a code (``graded_severity``), by rule id, each (rule, code)
    looked up once: what ``_merge`` weighs. ``trusted`` are the law's rules as shipped (the
    law policies, their grades not changed by an override): only their grades may set a
    problem below another rule's default; anyone else's grade can only raise it."""

    def __init__(self, rules: tuple[RuleBase, ...], trusted: frozenset[str]) -> None:
        self._by_id = {rule.id: rule for rule in rules}
        self._grades: dict[tuple[str, str], Severity | None] = {}
        self.trusted = trusted

    def __call__(self, rule_id: str, code: str) -> Severity | None:
        key = (rule_id, code)
        if key not in self._grades:
            self._grades[key] = graded_severity(self._by_id[rule_id], code)
        return self._grades[key]

    def own(self, rule_id: str, code: str) -> Severity:
        """The rule's severity for the code: its grade, else its default."""
        graded = self(rule_id, code)
        return self._by_id[rule_id].severity if graded is None else graded


def _grader(policies: PolicySet) -> Grade:
    """The grades of the policies' rules, the law's own trusted (see ``Grade``)."""
    regraded = {
        override.rule_id
        for override in policies.overrides
        if any(name == "code_severity" for name, _ in override.settings)
    }
    trusted = frozenset(
        rule.id
        for rule in policies.rules
        if policies.origin.get(rule.id) in LAW_POLICIES and rule.id not in regraded
    )
    return Grade(policies.rules, trusted)


def _moot(
    findings: list[Finding],
    facts: dict[tuple[ElementRef, str], int],
    joined: dict[int, int],
    policies: PolicySet,
) -> set[int]:
    """The positions of findings a rule's ``moot_beside`` yields to a graver finding of a
    named fact on the same element: a permission or an agreement asked of a flow a notice
    forbids outright (a sale) cures nothing, and asking reads as if it could (DPO review
    2026-12-03u, problem 11). A merged finding goes only where every rule behind it yields,
    each by its own code's entry."""
    yielding = {rule.id: rule for rule in policies.rules if rule.enabled and rule.moot_beside}
    if not yielding:
        return set()

    def final(position: int) -> int:
        while position in joined:
            position = joined[position]
        return position

    moot: set[int] = set()
    # what the rules behind a finding yield to, by its rules and codes: the same few pairs
    # recur on thousands of flows, each worked out once
    yields: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for position, finding in enumerate(findings):
        if position in joined or finding.rule_id not in yielding:
            continue
        codes = (finding.code, *finding.joined_codes)
        rule_ids = finding.rule_ids
        ordered = yields.get((rule_ids, codes))
        if ordered is None:
            named: set[str] | None = None
            for rule_id in rule_ids:
                rule = yielding.get(rule_id)
                entries = [by_code(rule.moot_beside, code) for code in codes] if rule else []
                said = {fact for entry in entries if entry for fact in entry}
                named = said if named is None else named & said
            ordered = yields[(rule_ids, codes)] = sorted(named or ())
        for fact in ordered:
            at = facts.get((finding.element, fact))
            if at is None:
                continue
            at = final(at)
            if at != position and findings[at].severity.rank > finding.severity.rank:
                moot.add(position)
                break
    return moot


def _join(
    findings: list[Finding],
    facts: dict[tuple[ElementRef, str], int],
    joined: dict[int, int],
    element: ElementRef,
    names: tuple[str, ...],
    finding: Finding,
    grade: Grade,
) -> None:
    """A hit that names several facts (a missing consent that is also the missing basis and
    the missing permission a notice promises) is one problem with every finding of any of
    them on its element: all are merged into the first, which every name then keys."""

    def final(position: int) -> int:
        while position in joined:
            position = joined[position]
        return position

    keys = [(element, name) for name in names]
    positions = sorted({final(facts[key]) for key in keys if key in facts})
    if not positions:
        position = len(findings)
        findings.append(finding)
    else:
        position = positions[0]
        findings[position] = _merge(findings[position], finding, grade)
        for other in positions[1:]:
            findings[position] = _merge(findings[position], findings[other], grade)
            joined[other] = position
    for key in keys:
        facts[key] = position


def _merge(first: Finding, other: Finding, grade: Grade) -> Finding:
    """One finding for one problem that several rules establish: the most severe rule leads
    (on a tie, the first in policy order: the law before a notice), every rule is cited, and
    each distinct message is kept.

    Findings of one code weigh what the law's rules grade that code (``code_severity``)
    before any other rule's default: a notice rule that grades nothing cannot raise a code the
    law grades apart (a lawful transfer's mislabelled record, medium or low under
    GDPR-TRANSFER, is no critical finding for CONCERO-TRANSFER joining it; review
    2026-12-02b, problem 3). Any other rule's grade (a house policy's, an override's) can only
    raise the problem, never set it below another rule's default: a house rule grading the
    law's code info joined the law's critical finding and made it info (attack review
    2026-12-02e, hole 1). Several grades: the highest leads."""
    lead, second = (other, first) if other.severity.rank > first.severity.rank else (first, other)
    if first.code == other.code:
        code = first.code
        behind = tuple(dict.fromkeys((*first.rule_ids, *other.rule_ids)))
        law = [g for r in behind if r in grade.trusted and (g := grade(r, code)) is not None]
        if law:  # the law grades the code: that, or higher by anyone's explicit grade
            levels = [*law, *(g for r in behind if (g := grade(r, code)) is not None)]
        else:  # nobody's grade sets the problem below another rule's default
            levels = [grade.own(r, code) for r in behind]
        level = max(levels, key=attrgetter("rank"))
        if grade.own(other.rule_id, code) is level and grade.own(first.rule_id, code) is not level:
            lead, second = other, first
        elif grade.own(first.rule_id, code) is level:
            lead, second = first, other
        if lead.severity is not level:
            lead = replace(lead, severity=level)
    said, led, named = second.message, lead.message, ""
    head, colon, _ = led.partition(": ")
    if colon and " → " in head and said.startswith(f"{head}: "):
        # the two parties that head both rules' messages are named once, before what each
        # says (DPO review s2: N-SHARE's permission and N-ISP's notification on one flow)
        named = f"{head}: "
        said, led = said[len(named) :], led[len(named) :]
    parts = said.split("; ")
    if lead.code.startswith("may-") and second.code.startswith("may-"):
        parts = [_unsaid(part, lead.message) for part in parts]
    rules = [r for r in dict.fromkeys((*lead.rule_ids, *second.rule_ids)) if r != lead.rule_id]
    unconfirmed = tuple(dict.fromkeys((*lead.unconfirmed, *second.unconfirmed)))
    codes = (first.code, *first.joined_codes, other.code, *other.joined_codes)
    joined_codes = tuple(c for c in dict.fromkeys(codes) if c != lead.code)
    problems: tuple[str, ...] = ()
    if first.problem or first.problems or other.problem or other.problems:
        # matched across runs by each rule's own problem, not by the merged message: a
        # grouped permission names its flows in its message, and a flow joining or leaving
        # the purpose made the finding it shares with the product introduction's consent
        # new and gone at once (gate review s18)
        problems = tuple(dict.fromkeys((*_problems_of(first), *_problems_of(other))))
    return replace(
        lead,
        problems=problems,
        message=named + _merged_message(led, parts),
        also=tuple(rules),
        unconfirmed=unconfirmed,
        joined_codes=joined_codes,
        flows=tuple(dict.fromkeys((*lead.flows, *second.flows))),
        # the case a joined rule cites the code as (a sub-processor's contract): the other
        # rules have no entry for it and cite the code as before
        cited_as=lead.cited_as or second.cited_as,
    )


def _problems_of(finding: Finding) -> tuple[str, ...]:
    """What identifies a finding's problem (or, merged, each of its rules' problems) across
    runs: ``Finding.problems``, else its ``problem``, else its message."""
    return finding.problems or (finding.problem or finding.message,)


def _distinct(parts: list[str]) -> list[str]:
    """Each thing a merged finding says, once: a part repeated, or one that another part says
    with its reason added in brackets ("consent record 'cr' does not cover the purpose
    'marketing'" beside the same words followed by "(consent is given to specific purposes,
    Art. 6(1)(a))"), is said once, in its fuller words, where the first of them stood (DPO
    review 2026-12-02f, problem 10; 2026-12-02g, problem 10)."""
    said = _Said()
    for part in parts:
        said.add(part)
    return said.parts()


class _Said:
    """The distinct parts of a merged finding's message, indexed: each kept part by itself
    and by every beginning of it that a bracket follows, so a new part is looked up, never
    compared with each kept one. One flow that may carry a thousand undeclared categories
    merged its thousand parts one by one, each against all kept (cubic: 41 s for a 66 KB map;
    attack review 2026-12-03p, problem 1); ``_merge`` keeps the index of the message it built
    (``_SAID``) so the next merge into it adds only its own parts."""

    __slots__ = ("exact", "fuller", "kept", "replaced")

    def __init__(self) -> None:
        self.kept: list[str | None] = []
        self.exact: dict[str, int] = {}  # a kept part -> its place
        self.fuller: dict[str, int] = {}  # a beginning a bracket follows in a kept part
        self.replaced = False  # a shorter part was replaced or dropped since the last join

    def add(self, part: str) -> bool:
        """Take a part in; whether it was appended at the end (not said already, and no
        shorter part replaced)."""
        if part in self.exact:
            return False
        at = self.fuller.get(part)
        if at is not None and self.kept[at] is not None:
            return False
        beginnings = _beginnings(part)
        shorter = sorted({self.exact[b] for b in beginnings if b in self.exact})
        appended = not shorter
        if shorter:
            place = shorter[0]
            for index in shorter:
                text = self.kept[index]
                if text is not None:
                    del self.exact[text]
                self.kept[index] = None
            self.kept[place] = part
            self.replaced = True
        else:
            place = len(self.kept)
            self.kept.append(part)
        self.exact[part] = place
        for beginning in beginnings:
            self.fuller[beginning] = place
        return appended

    def parts(self) -> list[str]:
        return [k for k in self.kept if k is not None]


#: The index of each message ``_merge`` built lately, by the message: the next merge into a
#: finding carrying it adds its parts without splitting the whole message again. Bounded.
_SAID: dict[str, _Said] = {}


def _merged_message(lead: str, parts: list[str]) -> str:
    """``"; ".join(_distinct([*lead.split("; "), *parts]))``, in time proportional to the new
    parts where ``lead`` was built by an earlier merge."""
    said = _SAID.pop(lead, None)
    if said is None:
        lead_parts = lead.split("; ")
        if len(lead_parts) + len(parts) <= _FEW:
            # the common merge (two or three rules on one problem): compared directly,
            # cheaper than an index for a handful of parts
            return "; ".join(_few_distinct([*lead_parts, *parts]))
        said = _Said()
        for part in lead_parts:
            said.add(part)
        if said.replaced or "; ".join(said.parts()) != lead:
            said.replaced = True  # the lead said something twice: joined anew below
    appended = [part for part in parts if said.add(part)]
    if said.replaced:
        message = "; ".join(said.parts())
        said.replaced = False
    else:
        message = "".join((lead, *(f"; {part}" for part in appended)))
    if len(_SAID) > 256:
        _SAID.clear()
    _SAID[message] = said
    return message


#: Up to this many parts in all, a merge compares them directly (``_few_distinct``).
_FEW = 16


def _few_distinct(parts: list[str]) -> list[str]:
    """``_distinct`` by direct comparison: quadratic, so for a handful of parts only."""
    kept: list[str] = []
    for part in parts:
        if any(k == part or k.startswith(f"{part} (") for k in kept):
            continue
        shorter = [i for i, k in enumerate(kept) if part.startswith(f"{k} (")]
        if shorter:
            kept[shorter[0]] = part
            kept = [k for i, k in enumerate(kept) if i not in shorter[1:]]
        else:
            kept.append(part)
    return kept


#: The beginnings of a part indexed, from its last bracket back: a reason is added at the
#: end. Every one was kept before, so a part of thousands of " (" cost its length squared in
#: memory (attack review 2026-12-03q, problem 1: 1.8 GB for a 688 KB map); a shorter part
#: ending before an earlier bracket is then said beside the longer one, never lost.
_BEGINNINGS = 8


def _beginnings(part: str) -> list[str]:
    """The beginnings of ``part`` that " (" follows, the last :data:`_BEGINNINGS` of them:
    what a shorter part would read."""
    found: list[str] = []
    at = part.rfind(" (")
    while at != -1 and len(found) < _BEGINNINGS:
        found.append(part[:at])
        at = part.rfind(" (", 0, at)
    found.reverse()
    return found


def _unsaid(part: str, said: str) -> str:
    """A part of a joining risk's message without the reason the lead's message gives
    already: two rules objecting to what a flow may carry each quote the map's reason after
    ': ', and the merged finding says it once."""
    head, colon, rest = part.partition(": ")
    return head if colon and len(rest) >= 20 and rest in said else part


def _citation_warnings(*citers: Callable[[str], str]) -> list[str]:
    """A warning where the map's own texts cite articles too often for a citer to keep them
    unreworded, so the messages cite as the rules wrote them (``kept_texts_over_limit``)."""
    counts = [n for n in map(kept_texts_over_limit, citers) if n is not None]
    if not counts:
        return []
    return [
        f"{max(counts):,} texts of the map (names, descriptions, notes) cite an article "
        f'("Art. ..."), more than {KEPT_TEXTS_LIMIT} a message is searched for, so findings '
        "cite the articles as the rules write them (the GDPR's), not as the organisation's "
        "regime cites them; the rules' references still do: write fewer citations into the "
        "map's names and notes"
    ]


def _dated_warnings(legal: LegalTable, facts: MapFacts, as_of: date) -> list[str]:
    """A run dated before the organisation's own law is modelled (a Swiss organisation before
    the revFADP, 2023-09-01) says what is and is not judged then."""
    said = legal.partly_modelled(facts.index.organisation.regime.value, as_of)
    return [] if said is None else [said]


def vocabulary_warnings(facts: MapFacts, policies: PolicySet) -> list[str]:
    """Subjects and categories a rule names that the map declares neither as an id nor as a
    shared-vocabulary key (fides_key): a rule on `pupils` must not pass silently on a map that
    says `pupil`."""
    taxonomy = facts.taxonomy
    subjects = taxonomy.known_subjects()
    warnings: list[str] = []
    for rule in policies.rules:
        if not rule.enabled:
            continue
        named_subjects, named_categories = rule.vocabulary()
        for subject in dict.fromkeys(named_subjects):
            if subject not in subjects:
                warnings.append(
                    f"{rule.id} names the data subject '{subject}', which the map never "
                    "declares (as an id or fides_key): the rule cannot see it; check the spelling"
                )
        for category in dict.fromkeys(named_categories):
            if not taxonomy.declares_under(category):  # a parent covers its children
                warnings.append(
                    f"{rule.id} names the data category '{category}', which the map never "
                    "declares: the rule cannot see it; check the spelling"
                )
    systems = {system.id for system in facts.index.data.systems}
    # the kinds a flow's recipient can have (a party's own word, or the organisation's): a
    # house rule's `recipient_kinds: [marketting]` matched nothing and passed every flow, the
    # foot-health notes sent to the email tool among them (newcomer review s21)
    kinds = sorted({node.kind for node in facts.index.nodes.values() if node.kind != "system"})
    for rule in policies.rules:
        match = getattr(rule, "match", None)
        if not rule.enabled or match is None:
            continue
        for field in ("stores", "except_into"):
            for store in dict.fromkeys(getattr(match, field)):
                if store not in systems:
                    warnings.append(
                        f"{rule.id} names the store '{store}' in match.{field}, which the map "
                        "never declares: the rule cannot see it; check the spelling"
                    )
        for kind in dict.fromkeys(match.recipient_kinds):
            if kind not in kinds:
                warnings.append(
                    f"{rule.id} names the recipient kind '{kind}' in match.recipient_kinds, "
                    "which no party of the map has: the rule matches no flow to it"
                    f"{did_you_mean(kind, kinds) or '; check the spelling'}"
                )
    warnings.extend(_unnamed_marketing(facts, policies))
    warnings.extend(
        f"{shown}: a map file that .flowauditignore keeps out of the audit: nothing in it is "
        "checked; take it out of the ignore file if it is part of the map"
        for shown in facts.loaded.ignored_maps
    )
    warnings.extend(
        f"{shown}: a folder .flowauditignore keeps out holds more entries than were looked "
        "through for map files: any in it is not checked; list what to ignore more narrowly"
        for shown in facts.loaded.ignored_unread
    )
    return warnings


def set_aside_warnings(facts: MapFacts) -> list[str]:
    """A flow's ``on_behalf_of`` that the engine sets aside (what the flow moves, or its
    purpose, is not what the named controllers entrust to the organisation as processor):
    the flow is then judged as the organisation's own processing, its basis and agreements
    asked of it as a controller, and the map's word was dropped in silence (DPO review v,
    point 3). One warning per flow, at the field, with every reason."""
    locate = facts.loaded.sources.locate
    warnings = []
    for flow in facts.index.data.flows:
        if not flow.on_behalf_of:
            continue
        why = facts.on_behalf_of_set_aside(flow)
        if why:
            where = locate(("flows", flow.id), ("on_behalf_of",))
            warnings.append(
                f"{where}: flow '{flow.id}' says it is made on behalf of "
                f"{', '.join(flow.on_behalf_of)} (on_behalf_of), which is set aside: "
                f"{'; '.join(why)}; the flow is judged as the organisation's own processing, "
                "as a controller (its lawful basis, notice and agreements are asked of it): "
                "make it move only what that controller's flows bring, for their purpose, "
                "or remove on_behalf_of"
            )
    return warnings


def capacity_warnings(facts: MapFacts) -> list[str]:
    """A flow a party makes whose data reaches it in two capacities (``MapFacts.capacity``):
    the same data as a controller (or for another controller) and otherwise ("both": judged
    as the organisation's or its chain's by the transfer, onward and Art. 28 rules, the worse
    case, whose it is unsaid; its basis and notice asked and the flow recorded on 30(1) only
    where part of it is the organisation's own: DPO review z, 1; not its basis where it is a
    processor's hop resting on the organisation's own flow's, ``MapFacts.on_our_basis``: DPO
    review s18), different data so ("split":
    judged for the rest, the sender's own kept off the record), or for another controller's
    chain and otherwise ("mixed": judged as the organisation's own, the controller's people
    kept off its Art. 30(1) record). Each was read in silence (DPO review x, problems 1 and
    3; DPO review y, problem 1). One warning per flow, at the flow."""
    locate = facts.loaded.sources.locate
    parties = facts.index.parties
    warnings = []
    for flow in facts.index.data.flows:
        held = facts.capacity.get(flow.id)
        if held is None or held.kind in ("own", "for another"):
            continue
        where = locate(("flows", flow.id), ())
        sender = facts.index.party_of(flow.source)
        name = parties[sender].name if sender in parties else sender
        whose = ", ".join(parties[c].name if c in parties else c for c in held.controllers)
        owned = ", ".join((*held.flows.get("controller", ()), *held.flows.get("another", ())))
        other = ", ".join((*held.flows.get("chain", ()), *held.flows.get("other", ())))
        # what reaches the sender by no recorded flow is its own collection: "brought by
        # flows )" named nothing (attack review s7, problem 5)
        owned = f"flows {owned}" if owned else "no recorded flow"
        other = f"flows {other}" if other else "no recorded flow"
        capacity = (
            "as a controller or for another controller"
            if "controller" in held.flows and "another" in held.flows
            else "as processor for another controller"
            if "another" in held.flows
            else "as a controller"
        )
        if held.kind == "both" and held.ours:
            # part of it reaches the sender by the organisation's own flows: the worse case
            # is the organisation's own processing, asked and recorded whole (DPO review z, 1);
            # a processor's hop naming no basis, for a purpose the organisation's own flow
            # carries, rests on that flow's basis (DPO review s18)
            rules = (
                "transfer, onward, Art. 28 and notice rules, its lawful basis being the one "
                f"the organisation's own flow for purpose '{flow.purpose}' names"
                if flow.id in facts.on_our_basis
                else "transfer, onward, Art. 28, lawful basis and notice rules"
            )
            warnings.append(
                f"{where}: flow '{flow.id}' moves what reaches {name} both {capacity} "
                f"({owned}) and as the organisation's data ({other}), so whose "
                "processing it is cannot be told: it is judged as the organisation's own "
                f"processing (the worse case), by the {rules}, and it is recorded on its "
                "Art. 30(1) record; say whose processing this is (split it into one flow per "
                "capacity)"
            )
        elif held.kind == "both":
            warnings.append(
                f"{where}: flow '{flow.id}' moves what reaches {name} both {capacity} "
                f"({owned}) and otherwise ({other}), so whose processing it is "
                "cannot be told: its transfers, onward hops and Art. 28 contract are judged "
                "as the organisation's or its processors' (the worse case), its lawful basis "
                "and notice are not asked, and it is not recorded on its Art. 30(1) record; "
                "say whose processing this is (split it into one flow per capacity)"
            )
        elif held.kind == "split" and not held.ours:
            warnings.append(
                f"{where}: flow '{flow.id}' carries both what reaches {name} {capacity} "
                f"({', '.join(held.held)}, brought by {owned}) and {whose}'s data "
                f"({', '.join(held.items)}, brought by {other}): it is judged as "
                f"{whose}'s processing by the organisation's sub-processors (its transfers, "
                "onward hops and Art. 28 contract), its lawful basis and notice are not "
                "asked of the organisation, and it is not recorded on its Art. 30(1) record; "
                "split it into one flow per capacity"
            )
        elif held.joint:
            # a joint controller's flow about joint people and its own (DPO review s2, 3)
            part = ", ".join(dict.fromkeys((*held.held, *held.items)))
            warnings.append(
                f"{where}: flow '{flow.id}' is about people {name} determines jointly with "
                f"the organisation for purpose '{flow.purpose}' ({', '.join(held.joint)}) "
                f"and people it does not ({part}): it is judged as the joint processing, "
                f"the organisation's too, for {', '.join(held.joint)}, and {part} are kept "
                "off its Art. 30(1) record; split it into one flow per capacity"
            )
        elif held.kind == "split":
            part = ", ".join(dict.fromkeys((*held.held, *held.items, *held.chain_categories)))
            warnings.append(
                f"{where}: flow '{flow.id}' carries both what reaches {name} {capacity} "
                f"({', '.join(held.held)}, brought by {owned}) and other data (brought "
                f"by {other}): it is judged as the organisation's own processing for "
                f"the other data, and {part} are kept off its Art. 30(1) record; split it "
                "into one flow per capacity"
            )
        else:
            part = ", ".join(dict.fromkeys((*held.items, *held.chain_categories)))
            # the organisation's own flow: its own data comes by no flow (DPO review y, 4)
            rest = (
                f"other data (brought by flows {', '.join(held.flows['other'])})"
                if "other" in held.flows
                else "the organisation's own data"
            )
            warnings.append(
                f"{where}: flow '{flow.id}' carries both {whose}'s data "
                f"({', '.join(held.items)}, brought by flows "
                f"{', '.join(held.flows.get('chain', ()))}) and {rest}: it is judged as the "
                f"organisation's own processing, and {part} are kept off its "
                f"Art. 30(1) record; split it: part of it is {whose}'s processing"
            )
    warnings += _processors_own_warnings(facts)
    warnings += _decided_by_another_warnings(facts)
    warnings += _joint_for_nothing_warnings(facts)
    warnings += _contract_for_a_disclosure_warnings(facts)
    warnings += _processor_intake_into_own_warnings(facts)
    return warnings


def _processor_intake_into_own_warnings(facts: MapFacts) -> list[str]:
    """A third party's flow that says ``recipient_role: processor`` into a store the
    organisation fills itself for the same purpose: the same store cannot hold data for the
    sender's purpose and the organisation's own. Read as written (the organisation the
    sender's processor for it), a broker's leads written into the shop's newsletter list
    were its Art. 30(2) processing while the mailer's flow of the list stayed the shop's
    own, with no word of the contradiction (lawyer review s7, problem 2). One warning per
    flow, at its ``recipient_role``."""
    organisation = facts.index.organisation.id
    own: set[tuple[str, str]] = set()  # (store, purpose) the organisation fills itself
    intakes = []
    for flow_facts in facts.index.flow_facts:
        flow = flow_facts.flow
        if flow.source == organisation:
            own.add((flow.target, flow.purpose))
        elif flow.recipient_role is Role.PROCESSOR and flow.target in facts.index.systems:
            intakes.append(flow_facts)
    if not intakes or not own:
        return []
    locate = facts.loaded.sources.locate
    parties = facts.index.parties
    warnings = []
    for flow_facts in intakes:
        flow = flow_facts.flow
        if (flow.target, flow.purpose) not in own:
            continue
        sender = flow_facts.sender
        name = parties[sender].name if sender in parties else sender
        warnings.append(
            f"{locate(('flows', flow.id), ('recipient_role',))}: flow '{flow.id}' says "
            f"{name} gives its data to the organisation as its processor "
            f"(recipient_role: processor), into '{flow.target}', which the organisation "
            f"fills itself for the same purpose '{flow.purpose}': the same store cannot hold "
            f"them for {name}'s purpose and the organisation's own; it is read as written "
            f"(the organisation {name}'s processor, on its Art. 30(2) record); if the "
            "organisation uses the data for its own purpose, remove recipient_role (its "
            "collection from "
            f"{name}, Art. 14), else keep {name}'s data in a store of its own"
        )
    return warnings


def _contract_for_a_disclosure_warnings(facts: MapFacts) -> list[str]:
    """A flow of the organisation's to a party, for a purpose the map says that party alone
    decides (the purpose's ``controller``), that links an Art. 28 contract: the party
    receives the data as a controller (``MapIndex.flow_facts``), and a processor contract
    does not cover a disclosure to it. Read as the party's processing under the contract, the
    shop's customers given to a marketplace for its own promotions passed with no finding
    (DPO review s6, problem 2; lawyer review s6, problem 3). One warning per flow, at its
    ``agreement``."""
    named = facts.purpose_controllers
    if not named:
        return []
    index = facts.index
    org = index.organisation.id
    locate = facts.loaded.sources.locate
    warnings = []
    for found in index.flow_facts:
        flow = found.flow
        recipient = found.recipient.party_id
        agreement = index.agreements.get(flow.agreement or "")
        if (
            agreement is None
            or agreement.kind is not AgreementKind.ART28_DPA
            or found.sender != org
            or named.get(flow.purpose) != recipient
            or recipient == org
        ):
            continue
        name = found.recipient.name
        warnings.append(
            f"{locate(('flows', flow.id), ('agreement',))}: flow '{flow.id}' links the Art. 28 "
            f"contract '{agreement.id}', but its purpose '{flow.purpose}' is decided by {name} "
            f"alone (the purpose's controller): {name} receives the data as a controller, "
            "not as the organisation's processor, and the flow is judged as a disclosure to "
            "a controller; link the data sharing agreement that covers it, or, if the "
            "organisation decides the purpose, take its controller off the purpose"
        )
    return warnings


def _processors_own_warnings(facts: MapFacts) -> list[str]:
    """A flow of one of the organisation's processors set aside as its own processing as a
    controller (``MapFacts.processors_own``) by what the map leaves unsaid: its people reach
    the processor by no flow of the organisation's, and its purpose is none of the
    organisation's, a purpose whose ``controller`` the map does not name. Set aside in
    silence, a courier's proof-of-delivery data to its US host passed with no word (DPO
    review s5, problem 4). One warning per flow, at the flow."""
    own = facts.processors_own
    if not own:
        return []
    named = facts.purpose_controllers
    locate = facts.loaded.sources.locate
    parties = facts.index.parties
    warnings = []
    for flow in facts.index.data.flows:
        if flow.id not in own or flow.purpose in named:
            continue
        sender = facts.index.party_of(flow.source)
        name = parties[sender].name if sender in parties else sender
        warnings.append(
            f"{locate(('flows', flow.id), ())}: flow '{flow.id}' is read as {name}'s own "
            f"processing as a controller, not the organisation's: what it carries reaches "
            f"{name} by no flow of the organisation's, and its purpose '{flow.purpose}' is "
            "none of the organisation's; no rule judges it and it is not on the Art. 30(1) "
            f"record; if {name} makes it for the organisation, give it the organisation's "
            "purpose (or one that is_a it), else say whose purpose it is with the purpose's "
            "controller"
        )
    return warnings


def _decided_by_another_warnings(facts: MapFacts) -> list[str]:
    """A flow one of the organisation's processors makes for a purpose the map says a third
    party decides (its ``controller``, neither the organisation nor the sender): the sender
    is then that party's processor or recipient, no controller in its own right, so the
    flow is not set aside as the sender's own; it stays judged as the organisation's (the
    worse case), which was set aside in silence (attack review s6, problem 4). One warning
    per flow, at the flow."""
    named = facts.purpose_controllers
    if not named:
        return []
    organisation = facts.index.organisation.id
    ours = facts.our_processors
    outside = facts.outside_instructions
    locate = facts.loaded.sources.locate
    parties = facts.index.parties
    warnings = []
    for flow_facts in facts.index.flow_facts:
        flow = flow_facts.flow
        decider = named.get(flow.purpose)
        sender = flow_facts.sender
        if (
            decider is None
            or decider in (organisation, sender)
            or sender not in ours
            or flow_facts.recipient.party_id == organisation
        ):
            continue
        name = parties[sender].name if sender in parties else sender
        whose = parties[decider].name if decider in parties else decider
        judged = (
            "judged as the organisation's processor's use of its data outside its "
            "instructions (Art. 28(10))"
            if flow.id in outside
            else "judged as the organisation's processing (the worse case)"
        )
        warnings.append(
            f"{locate(('flows', flow.id), ())}: flow '{flow.id}' of {name}, one of the "
            f"organisation's processors, is for purpose '{flow.purpose}', which the map says "
            f"{whose} decides (its controller), not {name}: {name} would act for {whose}, "
            f"not as a controller in its own right, so the flow is not set aside as "
            f"{name}'s own: it is "
            f"{judged}; name the purpose's controller as the party that decides it, or give "
            "the flow the organisation's purpose"
        )
    return warnings


def _joint_for_nothing_warnings(facts: MapFacts) -> list[str]:
    """A party recorded ``role: joint_controller`` that determines no purpose jointly with
    the organisation: no flow between them, no purpose's ``joint_controllers`` names it.
    Joint control reaches only the purposes the two determine together (Art. 26(1)), so a
    joint controller with joint purposes has its other flows read as its own; with none,
    the map contradicts itself and its flows stay judged as the organisation's (the worse
    case), which was said nowhere (closing note of 2026-12-03 s, left open). One warning
    per party, at its role."""
    joint = facts.joint_purposes
    locate = facts.loaded.sources.locate
    return [
        f"{locate(('parties', party.id), ('role',))}: party '{party.id}' is recorded as a joint "
        "controller, but it determines no purpose jointly with the organisation (no flow "
        "between them, no purpose names it in joint_controllers): its flows are judged as "
        "the organisation's processing (the worse case); name the joint purpose (the "
        "purpose's joint_controllers), or record its role as controller if its processing "
        "is its own"
        for party in facts.index.data.parties
        if party.role is Role.JOINT_CONTROLLER and party.id not in joint
    ]


#: Words in a purpose's id or name that say it is direct marketing.
_MARKETING_WORDS = ("marketing", "newsletter", "advertis", "promotion", "campaign")


def _unnamed_marketing(facts: MapFacts, policies: PolicySet) -> list[str]:
    """Purposes that read as marketing but are neither ``marketing`` nor a kind of it
    (``is_a``): the rules and the law's limits that name marketing (PECR, consent, no
    marketing on contract) would pass them unseen (DPO review 2026-12-02e, problem 1)."""
    named: set[str] = set()
    for rule in policies.rules:
        if not rule.enabled:
            continue
        match = getattr(rule, "match", None)
        if match is not None:
            named.update(match.purposes)
        forbidden = getattr(rule, "purposes", None)
        if isinstance(forbidden, list):  # the forbidden kind's purposes (a flag elsewhere)
            named.update(forbidden)
    if "marketing" not in named:
        return []
    warnings = []
    kinds = facts.purpose_kinds
    for purpose in facts.index.data.purposes:
        words = f"{purpose.id} {purpose.name}".lower()
        if "marketing" not in kinds[purpose.id] and any(word in words for word in _MARKETING_WORDS):
            warnings.append(
                f"purpose '{purpose.id}' ({purpose.name}) reads as marketing, but the rules "
                "on marketing apply only to purpose 'marketing' or one that says is_a: "
                "[marketing]; say so if it is"
            )
    return warnings


def _check_warnings(context: Context, policies: PolicySet) -> list[str]:
    """What each check warns of in the map, for the enabled rules of its kind (none: it says
    nothing): a category that reads as special-category data and is not marked, a clause id
    that nothing checks. The engine names no kind."""
    warnings: list[str] = []
    for check in CHECKS.values():
        if check.warn is None:
            continue
        rules = [r for r in policies.rules if r.enabled and r.kind == check.kind]
        if rules:
            warnings += check.warn(context, rules)
    return warnings


def _after_rules(
    findings: list[Finding], context: Context, policies: PolicySet, loaded: LoadedMap
) -> tuple[list[Finding], set[tuple[str, ElementRef]]]:
    """Each check's post-pass, once every rule has run (it may judge any rule's finding),
    with the enabled rules of its kind in policy order, possibly none. The engine names no
    kind: what a kind does to others' findings lives in its own module. Also returns the
    (rule, element) pairs the post-passes found a problem with."""
    failed: set[tuple[str, ElementRef]] = set()
    for check in CHECKS.values():
        if check.after is None:
            continue
        rules = [r for r in policies.rules if r.enabled and r.kind == check.kind]
        settled = check.after(context, rules, findings)
        findings = settled.findings
        for rule, hit in settled.hits:
            failed.add((rule.id, hit.element))
            findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=severity_of(rule, hit.code),
                    code=hit.code,
                    message=hit.message,
                    element=hit.element,
                    field=hit.field,
                    location=loaded.sources.locate(hit.element, hit.field),
                    path=hit.path,
                    unconfirmed=hit.unconfirmed,
                    problem=hit.problem,
                    flows=hit.flows,
                )
            )
    return findings, failed


def _sort_findings(findings: list[Finding]) -> None:
    """Most severe first, then by rule and element: an order that depends only on what the map
    says, never on which file or line says it, so reordering or splitting the map's files
    reorders nothing in a report (only the line numbers change)."""
    fields: dict[tuple[str | int, ...], tuple[str, ...]] = {}  # a few recur on every flow

    def order(finding: Finding) -> tuple[int, str, str, str, tuple[str, ...], str, str]:
        field = fields.get(finding.field)
        if field is None:  # indexes zero-padded, so item 10 follows item 9
            field = fields[finding.field] = tuple(
                f"{part:09d}" if isinstance(part, int) else part for part in finding.field
            )
        return (
            -finding.severity.rank,
            finding.rule_id,
            finding.element[0],
            finding.element[1],
            field,
            finding.code,
            finding.message,
        )

    findings.sort(key=order)
