"""One set of facts per audit: the engine builds them, the checks and every report read them.

The guard below fails when a report or the CLI builds its own map index or re-derives a fact
(an agreement's state, the category hierarchy, where data goes) instead of reading
``result.facts``; the rest shows that what a report says is what the checks judged.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowaudit.checks.facts import AuditFacts
from flowaudit.checks.result import AuditResult
from flowaudit.policies.schema import Severity
from flowaudit.reports.html import render_html
from tests.helpers import FIXTURES, audit_files, audit_paths

ROOT = Path(__file__).resolve().parent.parent
FACTS = FIXTURES / "facts"

#: Calls that build facts or re-derive one. Reports and the CLI read ``result.facts`` instead;
#: only ``trace`` (no audit, so no result) builds the map's facts, through ``MapFacts``.
BUILDERS = {"MapIndex", "AuditFacts", "Reachability", "Taxonomy", "ChainSearch"}
REDERIVERS = {
    "reach",  # where data goes: facts.reachability.reach
    "carrying",
    "flow_carries",
    "flow_may_carry",
    "categories_related",  # the hierarchy: facts.taxonomy
    "category_covered",
    "covered",
    "covers",
    "related",
    "overlap",
    "agreement_state",  # an agreement on the audit date: facts.agreement_state
    "expired",
    "expiring",
    "not_yet_in_force",
}


def _called_names(source: str) -> list[tuple[int, str]]:
    """(line, name) of every call of a plain name (``MapIndex(...)``) or of a module's
    function (``paths.reach(...)``); a method of the facts (``facts.reachability.reach``)
    is no re-derivation and is not listed."""
    tree = ast.parse(source)
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module in (
            "flowaudit.model",
            "flowaudit.checks",
        ):
            modules |= {alias.asname or alias.name for alias in node.names}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            found.append((node.lineno, func.id))
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in modules
        ):
            found.append((node.lineno, func.attr))
    return found


def _modules() -> list[Path]:
    return sorted([*(ROOT / "reports").rglob("*.py"), *(ROOT / "src" / "flowaudit").rglob("*.py")])


def test_the_guard_sees_a_report_that_builds_its_own_index() -> None:
    """The guard itself can fail: a report that builds a MapIndex is caught."""
    bad = "from flowaudit.model.graph import MapIndex\nindex = MapIndex(data, org)\n"
    assert (2, "MapIndex") in _called_names(bad)
    assert (1, "categories_related") in _called_names("categories_related('a', 'a.b')\n")
    assert _called_names("from flowaudit.model import paths\npaths.reach(index)\n") == [
        (2, "reach")
    ]
    assert _called_names("result.facts.reachability.reach('contact')\n") == []


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_reports_and_cli_read_the_audits_facts(module: Path) -> None:
    """No report, no CLI module builds a map index or re-derives a fact."""
    offending = [
        f"{module.relative_to(ROOT)}:{line}: {name}(...)"
        for line, name in _called_names(module.read_text(encoding="utf-8"))
        if name in BUILDERS | REDERIVERS
    ]
    assert offending == []


def test_no_module_imports_the_old_helpers() -> None:
    """The hierarchy has one home (model/taxonomy.py): the old helpers are gone."""
    packages = ("model", "checks", "policies", "reports", "src/flowaudit")
    for path in [p for package in packages for p in (ROOT / package).glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "categories_related" not in text, path
        assert "category_covered" not in text, path
        assert "EXPIRY_WARNING_DAYS" not in text, path


def test_the_engine_builds_the_facts_once_and_the_result_carries_them() -> None:
    result = audit_files(policies=("uk-gdpr", "hygiene"))
    assert isinstance(result.facts, AuditFacts)
    assert result.facts.as_of == result.as_of
    assert result.facts.loaded is result.loaded
    assert result.facts.expiry_window == 60  # the shipped HYG-AGREEMENT-EXPIRY


def _report_states(result: AuditResult) -> dict[str, str]:
    """Agreement id -> the state the HTML report's agreements register prints."""
    html = render_html(result, Severity.HIGH)
    register = html.split('id="agreements"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<tr><td class="mono">([^<]+)</td>.*?<td class="state-[^"]*">([^<]+)</td>', register
    )
    return {unescape(agreement): unescape(state) for agreement, state in rows}


def _expiring_by_check(result: AuditResult) -> set[str]:
    return {
        f.element[1]
        for f in result.findings
        if f.rule_id == "HYG-AGREEMENT-EXPIRY" and f.code == "expiring"
    }


@pytest.mark.parametrize(
    ("policy", "window", "expiring"),
    [
        (None, 60, {"soon-dpa"}),
        (FACTS / "window-90.yaml", 90, {"soon-dpa", "later-dpa"}),
        (FACTS / "expiry-off.yaml", None, set()),
    ],
    ids=["shipped-60-days", "override-90-days", "rule-off"],
)
def test_the_reports_agreement_state_is_the_checks(
    policy: Path | None, window: int | None, expiring: set[str]
) -> None:
    """The report calls an agreement "expiring soon" exactly when the expiry rule, with the
    policy's window after overrides, finds it expiring (the report once used its own 60 days
    and disagreed after an override)."""
    result = audit_files(
        FACTS / "expiring.yaml",
        policies=("uk-gdpr", "hygiene"),
        user_policies=[policy] if policy else [],
    )
    assert result.facts.expiry_window == window
    states = _report_states(result)
    assert {"soon-dpa", "later-dpa", "far-dpa"} <= set(states)
    assert _expiring_by_check(result) == expiring
    assert {a for a, state in states.items() if state == "expiring soon"} == expiring
    assert states["far-dpa"] == "in force"


def test_one_hierarchy_helper() -> None:
    """covers, ancestors, descendants and the onward narrowing, all from model/taxonomy.py."""
    from flowaudit.model.taxonomy import ancestors, covered, covers, overlap, related

    assert covers("contact", "contact.email") and covers("contact", "contact")
    assert not covers("contact.email", "contact") and not covers("contact", "contactless")
    assert covered("contact.email", ["payment", "contact"])
    assert related("contact.email", "contact") and not related("contact.email", "contact.name")
    assert ancestors("a.b.c") == {"a", "a.b", "a.b.c"}
    assert overlap(("contact",), ("contact.email", "payment")) == ("contact.email",)
    assert overlap(("contact.email",), ("contact",)) == ("contact.email",)
    assert overlap(("payment",), ("contact",)) == ()
    taxonomy = audit_files().facts.taxonomy
    assert taxonomy.descendants("contact") == ["contact", "contact.email", "contact.name"]
    assert taxonomy.declares_under("contact") and not taxonomy.declares_under("contactless")


_CATEGORY = st.sampled_from(["a", "a.b", "a.b.c", "a.c", "b", "b.a", "ab", "c.a.b"])


@given(
    carried=st.lists(_CATEGORY, max_size=5),
    offered=st.lists(_CATEGORY, max_size=5),
    known=st.lists(_CATEGORY, max_size=4),
)
def test_the_onward_search_bit_masks_narrow_as_overlap_does(
    carried: list[str], offered: list[str], known: list[str]
) -> None:
    """CategoryBits.overlap (the chain search's masks) answers as taxonomy.overlap does,
    whatever categories were known before and whichever came later (a start's own)."""
    from flowaudit.model.taxonomy import CategoryBits, overlap

    bits = CategoryBits(known)
    bits.below(bits.mask(known))  # a memo made before the set grows must not go stale
    bits.add(offered)
    bits.add(carried)
    narrowed = bits.overlap(bits.mask(carried), bits.mask(offered))
    assert bits.names(narrowed) == overlap(tuple(carried), tuple(offered))


def test_the_networkx_view_holds_every_node_and_flow_and_is_built_only_on_request() -> None:
    """MapIndex.graph, the map as a networkx MultiDiGraph for one's own analysis: a node per
    party, system and the organisation with its Node, an edge per flow keyed by the flow's
    id with its Flow. No check needs it, so an audit never builds it."""
    import networkx as nx

    result = audit_paths([], date(2026, 11, 25))  # the shipped Concero map
    index = result.facts.index
    assert "graph" not in vars(index)
    graph = index.graph
    flows = result.loaded.data.flows
    assert set(graph.nodes) == set(index.nodes)
    assert sorted(key for _, _, key in graph.edges(keys=True)) == sorted(f.id for f in flows)
    for flow in flows:
        assert graph.edges[flow.source, flow.target, flow.id]["flow"] is flow
        assert graph.nodes[flow.source]["node"] is index.nodes[flow.source]
    # what networkx then answers: every place the organisation's own nodes send data to
    ours = {node for node in index.nodes if index.party_of(node) == index.organisation.id}
    sent_to = {f.target for f in flows if f.source in ours} - ours
    reached = set().union(*(nx.descendants(graph, node) for node in ours))
    assert sent_to and sent_to <= reached


def test_flow_facts_are_the_ones_the_checks_read() -> None:
    """Direction and recipient role per flow, resolved once, as the rules match them."""
    result = audit_paths([], date(2026, 11, 25))  # the shipped map: flows in each direction
    facts = result.facts
    directions = {f.id: facts.direction(f) for f in result.loaded.data.flows}
    assert set(directions.values()) == {"outbound", "inbound", "internal"}
    for flow in result.loaded.data.flows:
        by_id = facts.flow(flow.id)
        assert by_id.direction == directions[flow.id]
        assert by_id.role == facts.recipient_role(flow)
        assert facts.flow_agreement_state(flow) == (
            facts.agreement_states.get(flow.agreement) if flow.agreement else None
        )
    assert facts.flows_in_direction("outbound") == [
        f for f in result.loaded.data.flows if directions[f.id] == "outbound"
    ]


def test_trace_and_the_diagram_view_share_the_audits_reachability() -> None:
    """The diagram's category view draws the flows the facts say carry the category, trace
    reads the same memoised answer, and trace on an audit's facts equals trace on the map's."""
    from flowaudit.model.facts import MapFacts
    from flowaudit.policies.legal import load_legal_table
    from flowaudit.reports.diagram import View, diagram_dot
    from flowaudit.reports.trace import render_trace, trace
    from tests.helpers import audit_paths as audit

    result = audit([], date(2026, 11, 25))  # the shipped map
    reachability = result.facts.reachability
    carrying = reachability.carrying("contact")
    assert carrying and reachability.carrying("contact") is carrying  # asked once
    source = diagram_dot(result, View(category="contact"))
    drawn = set(re.findall(r"flow:([\w.-]+)", source))
    assert drawn == {flow.id for flow in carrying}
    legal = load_legal_table()
    on_audit = render_trace(trace(result.facts, legal, "contact"))
    on_map = render_trace(trace(MapFacts(result.loaded), legal, "contact"))
    assert on_audit == on_map
    assert reachability.reach("contact", may=True) is reachability.reach("contact", may=True)


def test_one_index_per_audit_whatever_the_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit once, then write every report that reads the map: the map is indexed once."""
    from flowaudit.model import graph
    from flowaudit.reports.diagram import View, diagram_dot
    from flowaudit.reports.registers import build_registers
    from flowaudit.reports.ropa import build_ropa, render_markdown
    from tests.helpers import audit_paths as audit

    built: list[int] = []
    original = graph.MapIndex.__init__

    def counting(self: graph.MapIndex, *args: object) -> None:
        built.append(1)
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(graph.MapIndex, "__init__", counting)
    result = audit([], date(2026, 11, 25))
    assert len(built) == 1
    render_html(result, Severity.HIGH)
    build_registers(result)
    render_markdown(build_ropa(result))
    diagram_dot(result, View())
    diagram_dot(result, View(category="contact"))
    assert len(built) == 1
