"""The Art. 30(1) record of processing activities (ROPA), built from the map.

One row per processing activity, i.e. per purpose of the map: the flows with that purpose and
the systems they reach. Columns follow the ICO controller template (shared/legal/FACTS.md). A
cell the map has no fact for stays empty: nothing is invented, so an empty cell is a gap for
the DPO to fill, not a "none". Rendered as CSV (csv module), Markdown and HTML (Jinja2 with
autoescaping).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import jinja2

from flowaudit.checks.result import AuditResult
from flowaudit.model.graph import MapIndex
from flowaudit.model.schema import AssessmentKind, Flow, Purpose
from flowaudit.reports.sanitise import for_csv_cell, for_html, for_markdown

#: (key, column title) in the order a DPO expects them.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("business_function", "Business function"),
    ("purpose", "Purpose of processing"),
    ("joint_controllers", "Joint controller"),
    ("subjects", "Data subjects"),
    ("categories", "Personal data categories"),
    ("recipients", "Recipients"),
    ("agreements", "Processor contracts and agreements"),
    ("third_countries", "Third countries"),
    ("safeguards", "Safeguards for transfers"),
    ("retention", "Retention"),
    ("security", "Security measures"),
    ("basis", "Art. 6 lawful basis"),
    ("art9", "Art. 9 condition"),
    ("legitimate_interests", "Legitimate interests assessment"),
    ("rights", "Rights available"),
    ("automated", "Automated decisions or profiling"),
    ("sources", "Source of the data"),
    ("consent", "Consent records"),
    ("location", "Location of the data"),
    ("dpia", "DPIA"),
    ("flows", "Flows in the map"),
    ("notice", "Notice clauses"),
)

CELL_SEPARATOR = "; "


@dataclass(frozen=True)
class RopaRow:
    """One processing activity: each column holds zero or more facts from the map."""

    purpose_id: str
    cells: dict[str, tuple[str, ...]]

    def text(self, key: str) -> str:
        return CELL_SEPARATOR.join(self.cells[key])


@dataclass(frozen=True)
class Ropa:
    """The record: who the controller is, as of when, and one row per activity."""

    controller: str
    controller_country: str
    controller_description: str
    as_of: str
    rows: tuple[RopaRow, ...]


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def build_ropa(result: AuditResult) -> Ropa:
    """The ROPA of the map in ``result``: one row per purpose, in map order."""
    index = MapIndex(result.loaded.data, result.loaded.organisation)
    flows_by_purpose: dict[str, list[Flow]] = {}
    for flow in index.data.flows:
        flows_by_purpose.setdefault(flow.purpose, []).append(flow)
    rows = tuple(
        _row(result, index, purpose, flows_by_purpose.get(purpose.id, []))
        for purpose in index.data.purposes
    )
    organisation = index.organisation
    return Ropa(
        controller=organisation.name,
        controller_country=organisation.country,
        controller_description=organisation.description or "",
        as_of=result.as_of.isoformat(),
        rows=rows,
    )


def _row(result: AuditResult, index: MapIndex, purpose: Purpose, flows: list[Flow]) -> RopaRow:
    legal = result.legal
    organisation = index.organisation
    home = legal.jurisdiction(organisation.regime.value).countries
    ours = {organisation.id}

    def own(node_id: str) -> bool:
        return index.party_of(node_id) in ours

    stores = _unique(
        [node for flow in flows for node in (flow.source, flow.target) if node in index.systems]
    )
    cells: dict[str, list[str]] = {key: [] for key, _ in COLUMNS}
    cells["purpose"].append(f"{purpose.name} ({purpose.id})")
    subjects = {s for flow in flows for s in flow.subjects}
    cells["subjects"] = [f"{s.name}" for s in index.data.subjects if s.id in subjects]
    categories = {c for flow in flows for c in flow.categories}
    for category in index.data.categories:
        if category.id in categories:
            mark = ", special category" if category.special_category else ""
            cells["categories"].append(f"{category.name} ({category.id}{mark})")
    in_transit: dict[str, list[str]] = {"encrypted": [], "not encrypted": []}
    bases: dict[str, list[str]] = {}
    for flow in flows:
        target = index.nodes[flow.target]
        if not own(flow.target):
            party = index.nodes[target.party_id]
            role = index.recipient_role(flow)
            role_text = role.value if role else "role not recorded"
            cells["recipients"].append(f"{party.name} ({role_text}, {target.country})")
            if role is not None and role.value == "joint_controller":
                cells["joint_controllers"].append(party.name)
        if not own(flow.source):
            cells["sources"].append(index.nodes[flow.source].name)
        for agreement_id in (flow.agreement, flow.transfer_agreement):
            if agreement_id is not None:
                agreement = index.agreements[agreement_id]
                evidence = f", {agreement.evidence}" if agreement.evidence else ""
                cells["agreements"].append(
                    f"{agreement.id} ({agreement.kind.value}, {agreement.status.value}{evidence})"
                )
        if target.country not in home:
            country = target.country
            cells["third_countries"].append(country)
            if flow.transfer_mechanism is not None:
                mechanism = legal.mechanisms.get(flow.transfer_mechanism)
                name = mechanism.name if mechanism else flow.transfer_mechanism
                cells["safeguards"].append(f"{country}: {name} (flow {flow.id})")
            else:
                importer = index.parties.get(target.party_id)
                listings = importer.listed_under if importer else []
                adequate, _ = legal.adequacy_for(
                    organisation.regime.value, country, result.as_of, listings
                )
                if adequate is not None:
                    cells["safeguards"].append(f"{country}: adequacy ({adequate.source})")
        if flow.encrypted_in_transit is not None:
            key = "encrypted" if flow.encrypted_in_transit else "not encrypted"
            in_transit[key].append(flow.id)
        if flow.basis is not None:
            basis = legal.lawful_bases.get(flow.basis)
            name = basis.name if basis else f"{flow.basis} (as recorded)"
            bases.setdefault(name, []).append(flow.id)
        if flow.art9_condition is not None:
            cells["art9"].append(flow.art9_condition)
        if flow.assessment is not None:
            assessment = index.assessments[flow.assessment]
            done = f", completed {assessment.completed_on}" if assessment.completed_on else ""
            evidence = f", {assessment.evidence}" if assessment.evidence else ""
            entry = f"{assessment.id}{done}{evidence}"
            if assessment.kind is AssessmentKind.LIA:
                cells["legitimate_interests"].append(entry)
            elif assessment.kind is AssessmentKind.DPIA:
                cells["dpia"].append(entry)
        if flow.consent_record is not None:
            record = index.consent_records[flow.consent_record]
            explicit = ", explicit" if record.explicit else ""
            evidence = f", {record.evidence}" if record.evidence else ""
            cells["consent"].append(f"{record.id} ({record.method}{explicit}{evidence})")
        cells["flows"].append(flow.id)
        cells["notice"].append(flow.notice or "")
    cells["notice"].insert(0, purpose.notice or "")
    for name, flow_ids in bases.items():
        uniform = len(bases) == 1 and len(flow_ids) == len(flows)
        cells["basis"].append(name if uniform else f"{name} (flows {', '.join(flow_ids)})")
    for state, flow_ids in in_transit.items():
        if flow_ids and len(flow_ids) == len(flows):
            cells["security"].append(f"{state} in transit (every flow)")
        elif flow_ids:
            cells["security"].append(f"{state} in transit: flows {', '.join(flow_ids)}")
    at_rest: dict[str, list[str]] = {"encrypted": [], "not encrypted": []}
    for store_id in stores:
        system = index.systems[store_id]
        if system.encrypted_at_rest is not None:
            key = "encrypted" if system.encrypted_at_rest else "not encrypted"
            at_rest[key].append(system.name)
        if system.retention_days is not None:
            why = f" ({system.retention_justification})" if system.retention_justification else ""
            cells["retention"].append(f"{system.name}: {system.retention_days} days{why}")
        cells["location"].append(f"{system.name} ({system.country})")
    for state, names in at_rest.items():
        if names:
            cells["security"].append(f"{state} at rest: {', '.join(names)}")
    if flows and organisation.certifications:
        cells["security"].append("certified: " + ", ".join(organisation.certifications))
    return RopaRow(purpose.id, {key: _unique(values) for key, values in cells.items()})


def render_csv(ropa: Ropa) -> str:
    """One header row and one row per activity; multi-valued cells joined by '; ', each
    cell through the sanitiser (no formula, no control character)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title for _, title in COLUMNS])
    for row in ropa.rows:
        writer.writerow([for_csv_cell(row.text(key)) for key, _ in COLUMNS])
    return buffer.getvalue()


def render_markdown(ropa: Ropa) -> str:
    """A Markdown table with a heading naming the controller and the date."""
    lines = [
        "# Record of processing activities (UK GDPR Art. 30(1))",
        "",
        f"Controller: {for_markdown(ropa.controller)} ({ropa.controller_country})"
        + (f", {for_markdown(ropa.controller_description)}" if ropa.controller_description else ""),
        f"As of {ropa.as_of}; built by flowaudit from the data map. An empty cell means the map "
        "does not record that fact.",
        "",
        "| " + " | ".join(title for _, title in COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for row in ropa.rows:
        lines.append("| " + " | ".join(for_markdown(row.text(key)) for key, _ in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def render_html(ropa: Ropa) -> str:
    """A self-contained HTML page (Jinja2, autoescaped): map text can never inject markup."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("flowaudit.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=for_html,
    )
    template = environment.get_template("ropa.html.j2")
    return template.render(ropa=ropa, columns=COLUMNS)
