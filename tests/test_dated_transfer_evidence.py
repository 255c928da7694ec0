"""Transfer verdicts dated against the law they rest on (DPO review 2026-12-02d, problems 5, 7, 8
and 17): a pass names only the legal rows in force that it rests on, and the assumed facts it
rests on; an assessment answers only a mechanism that existed when it was completed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from flowaudit.checks.result import AuditResult
from flowaudit.model.loader import shipped_map_dir
from flowaudit.policies.schema import Severity
from flowaudit.reports.text import render_text
from tests.helpers import audit_paths

EXTENSION = (
    "eu-uk-extension (Commission Implementing Decision amending Implementing Decision (EU) "
    "2021/1772 (June 2025))"
)
RENEWAL = (
    "eu-uk-renewal (Commission Implementing Decision renewing the UK adequacy decision under "
    "Regulation (EU) 2016/679 (19 December 2025))"
)


def _eu_map(tmp_path: Path) -> Path:
    """The shipped map with the organisation an EU exporter in Ireland (review d's
    vars/euwhole.py), every line where it was."""
    folder = tmp_path / "concero-eu"
    shutil.copytree(shipped_map_dir(), folder)
    organisation = folder / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    assert text.count("  country: GB\n  regime: UK\n") == 1
    organisation.write_text(
        text.replace("  country: GB\n  regime: UK\n", "  country: IE\n  regime: EU\n"),
        encoding="utf-8",
    )
    return folder


def _marked(result: AuditResult, element: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(e.rule_id, e.unconfirmed) for e in result.passed if e.element == ("flows", element)]


def test_a_pass_names_only_the_unconfirmed_row_in_force_that_it_rests_on(tmp_path: Path) -> None:
    """EU -> GB: on 2025-07-01 the extension of Decision 2021/1772 is in force (the renewal is
    not yet); on 2026-11-25 the renewal is (the extension ended on 2025-12-27). Each pass names
    the one decision it rests on, never the other."""
    folder = _eu_map(tmp_path)
    for as_of, row in ((date(2025, 7, 1), EXTENSION), (date(2026, 11, 25), RENEWAL)):
        result = audit_paths([str(folder)], as_of)
        assert [m for m in _marked(result, "hosting-uk") if m[1]] == [
            ("CONCERO-TRANSFER", (row,)),
            ("GDPR-TRANSFER", (row,)),
        ], as_of
        rows = {mark for e in result.passed for mark in e.unconfirmed}
        assert rows == {row}, as_of
        # every transfer to GB passes on that one row, and no finding names the other
        assert not any(f.unconfirmed for f in result.findings), as_of
        notes = [
            line for line in render_text(result, Severity.LOW).splitlines() if "Passed on" in line
        ]
        assert notes == [
            f"Passed on an UNCONFIRMED legal row: {row}: 26 checks (CONCERO-TRANSFER "
            "flows/call-recording, CONCERO-TRANSFER flows/card-payments, CONCERO-TRANSFER "
            "flows/hosting-uk, CONCERO-TRANSFER flows/installation-helper, CONCERO-TRANSFER "
            "flows/isp-provisioning and 21 more)"
        ], as_of
