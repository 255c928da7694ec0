"""DPO review 2026-12-03w, problems 5, 7 and 8: the records of processing (Art. 30) and the
transfer rule's word on an assumed home country, on the shipped Concero map."""

from __future__ import annotations

from datetime import date

from flowaudit.app import AuditRequest, audit
from flowaudit.checks.result import AuditResult
from flowaudit.reports.ropa import build_ropa
from flowaudit.model.loader import shipped_map_dir


def _shipped() -> AuditResult:
    return audit(AuditRequest([shipped_map_dir()], date(2026, 11, 25)))


IE_ADEQUACY = (
    "IE: adequacy (DPA 2018 Sch. 21 paras 4-5 (inserted by SI 2019/419); kept by DUAA 2025 "
    "Sch. 9)"
)


def test_w8_the_processor_record_gives_irelands_adequacy_as_the_controller_record_does() -> None:
    """Problem 8: the Art. 30(2) row for the schools listed IE as a third country with no
    safeguard, while the Art. 30(1) sla_support row gave its adequacy for the same flow
    (hosting-eea): both records now give it through one function."""
    ropa = build_ropa(_shipped())
    (school,) = [r for r in ropa.processor_rows if r.purpose_id == "customer-schools"]
    (support,) = [r for r in ropa.rows if r.purpose_id == "sla_support"]
    assert "IE" in school.cells["third_countries"]
    assert IE_ADEQUACY in school.cells["safeguards"]
    assert IE_ADEQUACY in support.cells["safeguards"]
    assert [s for s in school.cells["safeguards"] if s.startswith("IE")] == [IE_ADEQUACY]
