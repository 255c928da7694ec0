"""The audit's verdict in words, shared by the HTML report and the Markdown summary."""

from __future__ import annotations

from flowaudit.checks.engine import not_binding
from flowaudit.checks.result import AuditResult
from flowaudit.model.problems import plural
from flowaudit.policies.schema import Severity


def not_applicable(result: AuditResult) -> list[str]:
    """The ids of the rules switched on that applied to nothing: no element of the map fell
    under them, so they neither failed nor passed (the report's "n/a", not a pass)."""
    applied = {rule_id for f in result.findings for rule_id in f.rule_ids}
    applied |= {evaluation.rule_id for evaluation in result.passed}
    return [rule.id for rule in result.rules if rule.enabled and rule.id not in applied]


def not_judged(result: AuditResult) -> list[str]:
    """The ids of the rules switched on that state the law of another regime than the
    organisation's (``not_binding``): they judge nothing of its map, whatever it holds. The
    summary, the text verdict and the JSON say so once (DPO review 2026-12-03s, problem 4)."""
    regime = result.loaded.organisation.regime.value
    return [
        rule.id for rule in result.rules if rule.enabled and not_binding(rule, regime) is not None
    ]


def not_judged_words(ids: list[str], regime: str) -> str:
    """Why the rules ``ids`` were not judged, in the words every report uses."""
    return f"{', '.join(ids)}: the law of another regime than the organisation's, {regime}"


def summary_in_words(result: AuditResult, fail_on: Severity) -> str:
    """The verdict as a sentence an auditor can quote."""
    failing = result.failing(fail_on)
    counts = result.counts()
    data = result.loaded.data
    # the organisation by name, then the parties as the scope counts them ("14 parties"): a
    # count of organisations with the organisation in it (15) did not reconcile at sight
    name = result.loaded.organisation.name
    scope = (
        f"The data map of {name} ({plural(len(data.flows), 'flow')} "
        f"among {name}, {plural(len(data.parties), 'party', 'parties')} and "
        f"{plural(len(data.systems), 'system')}) was audited as of "
        f"{result.as_of.isoformat()} against {plural(len(result.rules), 'rule')}"
    )
    idle_rules = not_applicable(result)
    idle = len(idle_rules)
    regime = result.loaded.organisation.regime.value
    # a rule of another regime's law is not judged, whatever the map holds (auditor review
    # 2026-12-03o, problem 7)
    unjudged = set(not_judged(result))
    other = [r for r in idle_rules if r in unjudged]
    if idle > len(other):
        scope += (
            f", {idle - len(other):,} of which did not apply (n/a: nothing in the map falls "
            f"under {'it' if idle - len(other) == 1 else 'them'})"
        )
    if other:
        scope += f", {len(other):,} not judged ({not_judged_words(other, regime)})"
    scope += "."
    if not failing:
        verdict = (
            f"No finding is at or above {fail_on.value}; "
            f"{plural(len(result.passed), 'check')} passed."
        )
    else:
        worst = [f"{counts[s]:,} {s.value}" for s in Severity if counts[s]]
        # under --base the gate's verdict is on what the change adds, stated apart: the
        # map's own findings are counted without a "fails" that a passing run contradicts
        lead = "It fails: " if result.against is None else "On the map, "
        verdict = (
            f"{lead}{plural(len(failing), 'finding')} at or above {fail_on.value} "
            f"({', '.join(worst)}) {'needs' if len(failing) == 1 else 'need'} action; "
            f"{plural(len(result.passed), 'check')} passed."
        )
    waived = (
        f" {plural(len(result.waived), 'finding is', 'findings are')} accepted under waivers."
        if result.waived
        else ""
    )
    return f"{scope} {verdict}{waived}"
