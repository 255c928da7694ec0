"""The auditors' report: one self-contained HTML file (inline CSS, inline SVG diagram, no
script, a strict Content-Security-Policy) that reads offline and prints cleanly on A4.

Every string from a map or a policy goes through the sanitiser (``finalize``) and then
Jinja2's autoescape. The output is deterministic: no timestamp unless the caller passes one.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FunctionLoader, select_autoescape
from markupsafe import Markup

from flowaudit.checks.result import AuditResult, Finding, ReviewChange
from flowaudit.model.graph import MapIndex
from flowaudit.model.schema import Agreement
from flowaudit.policies.legal import Adequacy, Mechanism
from flowaudit.policies.schema import RuleBase, Severity
from flowaudit.reports.registers import build_registers
from flowaudit.reports.sanitise import for_html
from flowaudit.reports.summary import summary_in_words

EVIDENCE_LIMIT = 500

if TYPE_CHECKING:
    from flowaudit.reports.diagram import GroupRow, KeyRow, PrintPage


@dataclass(frozen=True)
class RuleSection:
    """One rule with its findings and the elements it passed."""

    rule: RuleBase
    policy: str
    findings: list[Finding]
    passed: list[str]
    legal: list[str]
    """The rule's legal references as this audit cites them (regime and date)."""

    @property
    def status(self) -> str:
        if not self.rule.enabled:
            return "off"
        active = [f for f in self.findings if not f.waived]
        if active:
            return "fail"
        return "waived" if self.findings else "pass"


@dataclass(frozen=True)
class AgreementRow:
    agreement: Agreement
    state: str


def _template(name: str) -> str:
    return resources.files("flowaudit.reports").joinpath("templates", name).read_text("utf-8")


def _environment() -> Environment:
    environment = Environment(
        loader=FunctionLoader(_template),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=for_html,
    )
    return environment


def legal_rows_used(result: AuditResult) -> tuple[list[Mechanism], list[Adequacy]]:
    """The mechanisms the map names and the adequacy rows for the countries it sends to."""
    legal = result.legal
    data = result.loaded.data
    named = {f.transfer_mechanism for f in data.flows if f.transfer_mechanism}
    mechanisms = [m for m in legal.transfers.mechanisms if m.id in named]
    countries = {p.country for p in data.parties} | {s.country for s in data.systems}
    regime = result.loaded.organisation.regime.value
    regimes = {regime, legal.effective_regime(regime, result.as_of)}
    adequacy = [
        row
        for row in legal.transfers.adequacy
        if row.exporter in regimes and countries & set(row.destinations)
    ]
    return mechanisms, adequacy


def render_html(
    result: AuditResult,
    fail_on: Severity,
    diagram_svg: str | None = None,
    diagram_note: str | None = None,
    generated_at: str | None = None,
    diagram_rows: Sequence[GroupRow] = (),
    diagram_view: str = "full",
    diagram_key: Sequence[KeyRow] = (),
    changes: Changes | None = None,
    print_pages: Sequence[PrintPage] = (),
) -> str:
    """The report as one HTML document; a grouped diagram comes with ``diagram_rows``, the
    table of flows between its groups, a full one with ``diagram_key``, its numbered flows;
    with ``changes`` (``report --base``), the summary says what changed against the base;
    ``print_pages`` (``report --pdf``) replace the diagram on paper, one landscape page each."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in result.findings:
        for rule_id in finding.rule_ids:  # a merged finding is shown under every rule behind it
            by_rule.setdefault(rule_id, []).append(finding)
    passed: dict[str, list[str]] = {}
    for evaluation in result.passed:
        doubt = evaluation.unconfirmed
        passed.setdefault(evaluation.rule_id, []).append(
            f"{evaluation.element[0]}/{evaluation.element[1]}"
            + (f" (relies on UNCONFIRMED: {'; '.join(doubt)})" if doubt else "")
        )
    sections = [
        RuleSection(
            rule,
            result.rule_origin.get(rule.id, "?"),
            by_rule.get(rule.id, []),
            passed.get(rule.id, []),
            result.legal_references(rule),
        )
        for rule in result.rules
    ]
    order = {"fail": 0, "waived": 1, "pass": 2, "off": 3}
    sections.sort(key=lambda s: (order[s.status], -s.rule.severity.rank, s.rule.id))
    facts = result.facts
    agreements = [AgreementRow(a, facts.agreement_state(a)) for a in result.loaded.data.agreements]
    used_waivers = {f.waiver.id for f in result.findings if f.waiver is not None}
    mechanisms, adequacy = legal_rows_used(result)
    index = facts.index
    names = _Names(index, {rule.id: rule.title for rule in result.rules})
    applied = [s.rule for s in sections if s.findings or s.passed]
    not_applied = [
        (
            s.rule,
            "switched off by an override"
            if not s.rule.enabled
            else "nothing in the map falls under it",
        )
        for s in sorted(sections, key=lambda s: s.rule.id)
        if not (s.findings or s.passed)
    ]
    critical = [f for f in result.active if f.severity is Severity.CRITICAL]
    style = _template("report.css")
    style_hash = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    context: dict[str, Any] = {
        "result": result,
        "organisation": result.loaded.organisation,
        "fail_on": fail_on,
        "verdict": "FAIL" if result.failing(fail_on) else "PASS",
        "counts": result.counts(),
        "severities": list(Severity),
        "sections": sections,
        "agreements": agreements,
        "waivers": result.loaded.data.waivers,
        "used_waivers": used_waivers,
        "mechanisms": mechanisms,
        "adequacy": adequacy,
        "period": result.legal.period_of(result.loaded.organisation.regime.value, result.as_of),
        "style": Markup(style),  # our own stylesheet, not input
        "csp": f"default-src 'none'; style-src 'sha256-{style_hash}'; img-src data:; "
        "base-uri 'none'; form-action 'none'",
        "diagram": Markup(diagram_svg) if diagram_svg else None,  # produced by graphviz
        "diagram_note": diagram_note,
        "diagram_rows": diagram_rows,
        "diagram_view": diagram_view,
        "diagram_key": diagram_key,
        "print_pages": [(page, Markup(page.svg)) for page in print_pages],  # graphviz's SVG
        "generated_at": generated_at,
        "location": _location,
        "summary_words": summary_in_words(result, fail_on),
        "changes": changes,
        "critical": critical,
        "applied": applied,
        "not_applied": not_applied,
        "registers": build_registers(result),
        "element_name": names.element,
        "rule_title": names.rule_title,
        "flow_label": names.flow,
        "party_label": names.party,
        "evidence_limit": EVIDENCE_LIMIT,
    }
    return _environment().get_template("report.html.j2").render(context)


def _location(finding: Finding) -> str:
    return str(finding.location) if finding.location else "(map)"


@dataclass(frozen=True)
class Changes:
    """What a change did against its base (``report --base``), for the summary."""

    base: str
    summary: str
    new: Sequence[Finding]
    review: Sequence[ReviewChange]


@dataclass(frozen=True)
class _Names:
    """Human names for the elements findings point at."""

    index: MapIndex
    titles: dict[str, str]

    def node(self, node_id: str) -> str:
        node = self.index.nodes.get(node_id)
        return node.name if node is not None else node_id

    def flow(self, flow_id: str) -> str:
        flow = self.index.flows.get(flow_id)
        if flow is None:
            return flow_id
        return f"{self.node(flow.source)} → {self.node(flow.target)} ({flow_id})"

    def party(self, party_id: str) -> str:
        return f"{self.node(party_id)} ({party_id})"

    def element(self, finding: Finding) -> str:
        collection, element_id = finding.element
        if collection == "flows":
            return "flow " + self.flow(element_id)
        if collection in ("parties", "systems"):
            return self.party(element_id)
        return f"{collection.rstrip('s')} {element_id}"

    def rule_title(self, finding: Finding) -> str:
        return self.titles.get(finding.rule_id, finding.rule_id)
