"""``flowaudit import ropa``: a record of processing back into a map, losing no fact the
record states and naming every cell it cannot carry over."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flowaudit.app import AuditRequest, audit
from flowaudit.model.yamlsource import dump_yaml
from flowaudit.reports.ropa import COLUMNS, Ropa, build_ropa, render_csv
from flowaudit.reports.ropa_import import NOT_CARRIED, import_ropa
from flowaudit.reports.ropa_xlsx import render_xlsx
from tests.helpers import run

SHOP = Path(__file__).parent.parent.parent / "model" / "examples" / "shop"
AS_OF = date(2026, 11, 25)
CARRIED = [(key, title) for key, title in COLUMNS if key not in NOT_CARRIED]


def _round_trip(tmp_path: Path, paths: list[str], suffix: str) -> tuple[Ropa, Ropa, list[str]]:
    original = build_ropa(audit(AuditRequest(paths, AS_OF)))
    exported = tmp_path / f"record.{suffix}"
    if suffix == "xlsx":
        exported.write_bytes(render_xlsx(original))
    else:
        exported.write_text(render_csv(original), encoding="utf-8")
    imported = import_ropa(str(exported), "GB", "UK")
    target = tmp_path / "map.yaml"
    target.write_text(dump_yaml(imported.data), encoding="utf-8")
    return original, build_ropa(audit(AuditRequest([str(target)], AS_OF))), imported.notes


def _differences(original: Ropa, back: Ropa) -> list[tuple[str, str]]:
    assert [r.purpose_id for r in back.rows] == [r.purpose_id for r in original.rows]
    return [
        (row.purpose_id, title)
        for row, again in zip(original.rows, back.rows, strict=True)
        for key, title in CARRIED
        if row.text(key) != again.text(key)
    ]


def test_map_to_xlsx_to_map_keeps_every_ropa_fact(tmp_path: Path) -> None:
    original, back, notes = _round_trip(tmp_path, [str(SHOP)], "xlsx")
    assert back.facts == original.facts
    assert _differences(original, back) == []
    assert len(CARRIED) == 17
    # what is not carried over is said, cell by cell
    assert "Controller record!G26 (Processor contracts and agreements): agreements need " in (
        "\n".join(notes)
    )
    assert all(note.startswith("Controller record!") for note in notes)


def test_concero_round_trip_loses_only_per_flow_bases(tmp_path: Path) -> None:
    original, back, notes = _round_trip(tmp_path, [], "xlsx")
    assert back.facts == original.facts
    # the helpdesk's assumed country comes back on the location (the cell says "(US,
    # ASSUMED)") and, since the recipient cell marks it too ("Zendesk, Inc. (processor, US
    # [ASSUMED])", DPO review w, problem 5), on "Third countries", which the imported map
    # derives from the recipient (it came back as "US" flat: auditor review 2026-12-03p,
    # problem 13); the SLA row's basis is one since the school-server work (no basis: the
    # schools') left the controller's record for the processor's (DPO review v, point 1)
    assert _differences(original, back) == [("orders_billing", "Art. 6 lawful basis")]
    rows = {row.purpose_id: row for row in back.rows}
    support = rows["customer_support"]
    assert support.text("location") == "Concero Zendesk portal (US, ASSUMED)"
    assert support.text("third_countries") == "US [ASSUMED]"
    assert support.text("recipients") == "Zendesk, Inc. (processor, US [ASSUMED])"
    assert (
        "Payment processor (not named) (role not recorded, GB [ASSUMED])"
        in (rows["orders_billing"].cells["recipients"])
    )
    basis_notes = [n for n in notes if "(Art. 6 lawful basis)" in n]
    assert len(basis_notes) == 1
    assert basis_notes[0].endswith("not one lawful basis for the whole row: set basis per flow")


def test_csv_round_trip_keeps_the_rows(tmp_path: Path) -> None:
    original, back, _ = _round_trip(tmp_path, [str(SHOP)], "csv")
    assert _differences(original, back) == []


def test_import_command_writes_a_valid_map_and_lists_what_it_dropped(tmp_path: Path) -> None:
    record = tmp_path / "shop.xlsx"
    assert run(["ropa", str(SHOP), "--format", "xlsx", "--out", str(record)]).exit_code == 0
    out = tmp_path / "back" / "map.yaml"
    result = run(["import", "ropa", str(record), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "purposes, 4 parties, 8 flows; " in result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported from a record of processing by flowaudit. Not carried over:")
    assert run(["validate", str(out.parent)]).exit_code == 0
    bad = tmp_path / "notes.txt"
    bad.write_text("x", encoding="utf-8")
    refused = run(["import", "ropa", str(bad)])
    assert refused.exit_code == 2
    assert "a record to import is an .xlsx or .csv file" in refused.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert run(["import", "ropa", str(broken)]).exit_code == 2
    headless = tmp_path / "plain.csv"
    headless.write_text("a,b\n1,2\n", encoding="utf-8")
    missing = run(["import", "ropa", str(headless)])
    assert missing.exit_code == 2
    assert "no header row with a 'Purpose of processing' column" in missing.output


def test_a_sheet_with_a_stray_far_cell_is_refused_not_read_for_ever(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    exported = tmp_path / "ropa.xlsx"
    exported.write_bytes(render_xlsx(build_ropa(audit(AuditRequest([str(SHOP)], AS_OF)))))
    workbook = load_workbook(exported)
    workbook.worksheets[0].cell(row=1_048_576, column=16_384, value="x")
    workbook.save(exported)
    result = run(["import", "ropa", str(exported), "--out", str(tmp_path / "map.yaml")])
    assert result.exit_code == 2, result.output
    assert "larger than a record of processing can be" in result.output


@pytest.mark.parametrize(
    "content", ["a," + "x" * 200_000 + "\n", 'Purpose\r"a\rb" x\rc\r'], ids=["huge", "cr"]
)
def test_an_unreadable_csv_is_an_input_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "ropa.csv"
    path.write_text(content, encoding="utf-8", newline="")
    result = run(["import", "ropa", str(path), "--out", str(tmp_path / "map.yaml")])
    assert result.exit_code == 2, result.output
