"""Condition: matched flows satisfy a CEL expression (Common Expression Language, a
non-Turing-complete language built for policies: never Python, nothing executed but the
expression) over ``flow``, ``source``, ``recipient`` and ``organisation``. For promises no
other rule kind states, such as "procurement suppliers are on the approved list".

The expression was bounded when its policy was loaded (policies/cel.py); what a scan cannot
bound (a comprehension over a long list) runs in a forked child under an evaluation budget
in seconds, so a costly expression is an input error at its line (exit code 2), never a
hang, and a crash of the CEL library is an input error too, never the end of the run.
"""

from __future__ import annotations

import faulthandler
import os
import re
import selectors
import signal
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from flowaudit.checks.base import Check, Context, Outcome, map_budget, summary_of
from flowaudit.model.graph import Node
from flowaudit.model.problems import InputError, Problem
from flowaudit.model.schema import Flow, Role
from flowaudit.policies.cel import compile_expression
from flowaudit.policies.schema import ConditionRule

SUMMARY = summary_of(__doc__)

#: The evaluation budget of one condition rule over a whole map: a base plus a share per
#: flow, so big honest maps pass and a costly expression stops. FLOWAUDIT_CEL_SECONDS
#: replaces the base.
BUDGET_SECONDS = 10.0
BUDGET_PER_FLOW = 0.001


def budget_seconds(flows: int) -> float:
    """The time one condition rule may take on ``flows`` flows."""
    return map_budget(flows, "FLOWAUDIT_CEL_SECONDS", BUDGET_SECONDS, BUDGET_PER_FLOW, float)


@lru_cache(maxsize=256)
def _program(expression: str) -> Any:
    return compile_expression(expression)


def _node(ctx: Context, node: Node) -> dict[str, Any]:
    """``source`` or ``recipient`` as an expression sees it: its keys are NODE_FIELDS."""
    party = ctx.index.parties.get(node.party_id)
    return {
        "id": node.id,
        "name": node.name,
        "kind": ctx.index.nodes[node.party_id].kind,
        "country": node.country,
        "is_system": node.is_system,
        "placeholder": node.placeholder,
        "role": party.role.value if party is not None and party.role else None,
        "approved_supplier": party.approved_supplier if party is not None else None,
        "listed_under": list(ctx.index.listed_under(node.party_id)),
    }


#: The facts of ``source`` and ``recipient`` a map may mark assumed (``assumed:``), as an
#: expression names them: ``recipient.country``, ``source.listed_under``.
_ASSUMABLE = re.compile(r"\b(source|recipient)\s*\.\s*(country|listed_under)\b")


@lru_cache(maxsize=256)
def _reads(expression: str) -> tuple[tuple[str, str], ...]:
    """The (node, fact) pairs an expression reads that a map may mark assumed, in the order
    it names them: a verdict on them holds only as far as the fact does."""
    return tuple(dict.fromkeys((m[1], m[2]) for m in _ASSUMABLE.finditer(expression)))


def _assumed(
    ctx: Context, flow: Flow, reads: tuple[tuple[str, str], ...]
) -> list[tuple[str, str, str]]:
    """The facts marked assumed in the map that the rule's expression reads on ``flow``, as
    (node, fact, the words the transfer rules name them in: "helpdesk country US (why)"). A
    condition rule judging an assumed country passed in silence, where GDPR-TRANSFER's pass
    on the same fact said ASSUMED (DPO review v, point 4: CONCERO-SERVER-LOCATION on the
    helpdesk in the US)."""
    index = ctx.index
    said = []
    for which, fact in reads:
        node_id = flow.target if which == "recipient" else flow.source
        node = index.nodes[node_id]
        why: str | None = None
        if fact == "country":
            system = index.systems.get(node_id)
            party = index.parties.get(node_id)
            value = node.country
            if system is not None:
                why = system.assumed.get("country")
            elif party is not None:
                why = party.assumed.get("country")
        else:  # a listing is the party's
            party = index.parties.get(node.party_id)
            node_id = node.party_id
            value = ", ".join(party.listed_under) if party is not None else ""
            why = party.assumed.get("listed_under") if party is not None else None
        if why:
            said.append((which, fact, f"{node_id} {fact} {value} ({why})"))
    return said


#: What an assumed fact is replaced with to learn whether a pass rests on it: no country,
#: no listing. A pass that holds without the fact does not rest on it (a flow the rule
#: leaves out by its role, whatever the country).
_UNKNOWN: dict[str, Any] = {"country": "", "listed_under": []}

#: The mark after a verdict "T" whose truth rests on a fact the map marks assumed.
RESTS_ON_ASSUMED = "*"

#: The verdict of a flow whose pass holds only for some of the roles its recipient may play,
#: the map recording none: not judged, never a pass.
ROLE_UNRECORDED = "R"

#: Why a rule leaves such a flow unjudged (the words that follow "not judged:").
UNRECORDED_ROLE = "the recipient's role is not recorded and the verdict turns on it"

#: An expression reading the recipient's role, as a party's or as the flow's.
_READS_ROLE = re.compile(r"\brecipient\s*\.\s*role\b|\bflow\s*\.\s*recipient_role\b")


def _roles_unrecorded(ctx: Context, flow: Flow) -> bool:
    """Whether the recipient of ``flow`` is a party (or a party's system) whose role neither
    the party nor the flow records: the placeholders a notice names without saying whether
    they act as processor or controller (DPO review s17: CONCERO-SERVER-LOCATION read the
    unrecorded role as "not a processor" and passed the ISP, the MIS support firm, the
    installer and the payment processor whatever their assumed country)."""
    party = ctx.index.parties.get(ctx.index.nodes[flow.target].party_id)
    return party is not None and party.role is None and flow.recipient_role is None


def _as_role(variables: dict[str, Any], role: str) -> dict[str, Any]:
    """The expression's variables with the recipient playing ``role`` on the flow."""
    return {
        **variables,
        "recipient": {**variables["recipient"], "role": role},
        "flow": {**variables["flow"], "recipient_role": role},
    }


def _passes(program: Any, variables: dict[str, Any]) -> bool:
    try:
        return program.execute(variables) is True
    except Exception:  # the expression cannot judge the flow on these facts
        return False


def _verdicts(
    ctx: Context,
    rule: ConditionRule,
    flows: list[Flow],
    assumed: dict[str, list[tuple[str, str]]] | None = None,
) -> Iterator[str]:
    """One verdict per flow: "T", "F", "N" (not a boolean) or "E" and the error; "T*" for a
    pass that does not hold once the flow's ``assumed`` (node, fact) pairs are unknown."""
    program = _program(rule.expression)
    organisation = ctx.index.organisation.model_dump(mode="json")
    guessed = assumed or {}
    reads_role = _READS_ROLE.search(rule.expression) is not None
    for flow in flows:
        variables = {
            "flow": flow.model_dump(mode="json", by_alias=True),
            "source": _node(ctx, ctx.index.nodes[flow.source]),
            "recipient": _node(ctx, ctx.index.nodes[flow.target]),
            "organisation": organisation,
        }
        try:
            verdict = program.execute(variables)
        except Exception as error:  # the CEL runtime raises plain Python errors
            yield "E" + " ".join(str(error).split())
            continue
        pairs = guessed.get(flow.id)
        # a role the map leaves unrecorded may be any: the pass must hold for each
        cases = (
            [_as_role(variables, role.value) for role in Role]
            if verdict is True and reads_role and _roles_unrecorded(ctx, flow)
            else [variables]
        )
        if verdict is True and not all(_passes(program, case) for case in cases):
            yield ROLE_UNRECORDED
            continue
        if verdict is True and pairs:
            for case in cases:
                for which, fact in pairs:
                    case[which] = {**case[which], fact: _UNKNOWN[fact]}
            rests = not all(_passes(program, case) for case in cases)
            yield "T" + RESTS_ON_ASSUMED if rests else "T"
            continue
        yield "T" if verdict is True else "F" if verdict is False else "N"


def _bounded(
    verdicts: Callable[[], Iterator[str]], count: int, budget: float
) -> tuple[list[str], str | None]:
    """The verdicts computed in a forked child within ``budget`` seconds, and why the
    child stopped early (None if it did not)."""
    if not hasattr(os, "fork"):  # pragma: no cover - no fork on Windows: scan bounds only
        return list(verdicts()), None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        try:
            faulthandler.disable()  # a crash here is reported by the parent, not dumped
            os.close(read_end)
            for verdict in verdicts():
                data = (verdict + "\n").encode("utf-8", "replace")
                while data:
                    data = data[os.write(write_end, data) :]
        finally:
            os._exit(0)
    os.close(write_end)
    buffer = bytearray()
    deadline = time.monotonic() + budget
    reason: str | None = None
    selector = selectors.DefaultSelector()  # poll/epoll: no FD_SETSIZE limit
    selector.register(read_end, selectors.EVENT_READ)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                reason = f"it exceeded its evaluation budget of {budget:g} s"
                os.kill(pid, signal.SIGKILL)
                break
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            buffer += chunk
    finally:
        selector.close()
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    lines = buffer.decode("utf-8", "replace").splitlines()
    if reason is None and len(lines) < count:
        signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        reason = f"the CEL library crashed on it (signal {signal_number})"
    return lines[:count], reason


def evaluate(ctx: Context, rule: ConditionRule) -> Outcome:
    outcome = Outcome()
    flows = list(ctx.matching_flows(rule))
    if not flows:
        return outcome
    _program(rule.expression)  # compiled once here, inherited by the child
    reads = _reads(rule.expression)
    guesses = {flow.id: found for flow in flows if reads and (found := _assumed(ctx, flow, reads))}
    probes = {flow_id: [(w, f) for w, f, _ in found] for flow_id, found in guesses.items()}
    results, reason = _bounded(
        lambda: _verdicts(ctx, rule, flows, probes), len(flows), budget_seconds(len(flows))
    )
    if reason is not None:
        stuck = flows[len(results)].id if len(results) < len(flows) else flows[-1].id
        file, line, column = rule.expression_at or (f"rule {rule.id}", 1, 1)
        raise InputError(
            [
                Problem(
                    file,
                    line,
                    column,
                    f"{rule.id}: expression stopped on flows/{stuck}: {reason} "
                    "(simplify it, or raise FLOWAUDIT_CEL_SECONDS)",
                )
            ]
        )
    for flow, verdict in zip(flows, results, strict=True):
        if verdict == ROLE_UNRECORDED:
            outcome.skip(UNRECORDED_ROLE)
            continue
        element = ("flows", flow.id)
        outcome.evaluated.append(element)
        said = [words for _, _, words in guesses.get(flow.id, ())]
        if verdict == "T" + RESTS_ON_ASSUMED:
            outcome.assumed[element] = tuple(said)
        elif verdict == "T":
            pass
        elif verdict.startswith("E"):
            outcome.fail(
                element, "error", f"the rule's expression failed on this flow: {verdict[1:]}"
            )
        elif verdict != "T":
            # the flow's facts the expression read are as the map assumes them: the finding
            # holds only as far as they do
            assumed = f" (ASSUMED, to be verified: {'; '.join(said)})" if said else ""
            outcome.fail(
                element,
                rule.code if verdict == "F" else "not-boolean",
                rule.message + assumed,
                fact=rule.fact,
            )
    return outcome


CHECK = Check(ConditionRule, SUMMARY, evaluate)
