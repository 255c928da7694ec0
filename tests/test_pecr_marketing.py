"""PECR reg. 22 (DPO review 2026-12-02e, problem 2; FACTS: "emails to corporate subscribers
don't need consent; sole traders and partnerships do"): marketing email to individual
subscribers rests on consent with a record, or on the soft opt-in; corporate subscribers, and
subjects whose kind of subscriber is not recorded, are not judged by PECR-MARKETING-CONSENT."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import audit_files

MAP = """\
organisation: {id: acme, name: Acme Ltd, country: GB, regime: UK}
assessments:
  - {id: lia, kind: legitimate_interests, completed_on: 2025-01-01, evidence: lia.pdf}
consent_records:
  - {id: optin, purposes: [marketing], method: unticked box, evidence: log,
     affirmative_act: true, bundled_with_terms: false}
categories: [{id: contact, name: Contact}]
subjects:
  - {id: traders, name: Sole traders, subscriber: individual}
  - {id: buyers, name: Company buyers, subscriber: corporate}
  - {id: people, name: Contacts}
purposes: [{id: marketing, name: Marketing}]
flows:
  - {id: FLOW, from: acme, to: acme, categories: [contact], subjects: [SUBJECT],
     purpose: marketing, opt_out: unsubscribe link, BASIS}
"""

LI = "basis: legitimate_interests, assessment: lia"


@pytest.mark.parametrize(
    ("subject", "basis", "expected"),
    [
        ("traders", LI, [("high", "not-consent", 15)]),
        ("traders", f"{LI}, soft_opt_in: true", []),
        ("traders", "basis: consent, consent_record: optin", []),
        ("buyers", LI, []),
        ("people", LI, []),
    ],
)
def test_marketing_email_to_individual_subscribers_needs_consent_or_the_soft_opt_in(
    tmp_path: Path, subject: str, basis: str, expected: list[tuple[str, str, int]]
) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(
        MAP.replace("FLOW", "offers").replace("SUBJECT", subject).replace("BASIS", basis),
        encoding="utf-8",
    )
    result = audit_files(path, base=False)
    found = [
        (f.severity.value, f.code, f.location.line if f.location else 0)
        for f in result.findings
        if "PECR-MARKETING-CONSENT" in f.rule_ids
    ]
    assert found == expected
    judged = {e.element for e in result.passed if e.rule_id == "PECR-MARKETING-CONSENT"}
    assert (("flows", "offers") in judged) is (subject == "traders" and not expected)
