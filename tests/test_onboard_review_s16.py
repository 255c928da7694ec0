"""Onboarding review s16: a newcomer's EU shop map written from the docs, and the report an
auditor prints at scale."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from flowaudit.policies.schema import Severity
from flowaudit.reports.html import render_html
from tests.helpers import audit_folder, located_findings, require_tool, untraced
from tests.synthetic import write_synthetic_map
from tests.test_report_print import _boxes

SHOP_EXAMPLE = Path(__file__).resolve().parents[1] / "model" / "examples" / "shop"


def _edit_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# Problem 1: the organisation's own flow out of its platform's store, under its own SCCs ----


MAILER = """\
parties:
  - {id: mailrocket, name: MailRocket Inc., kind: email_marketing, country: US, role: processor}

flows:
  - id: order-emails
    from: shop-orders
    to: mailrocket
    categories: [contact.name]
    subjects: [customers]
    purpose: delivery
    basis: contract
    agreement: mailrocket-dpa
    transfer_mechanism: idta
    transfer_agreement: mailrocket-idta
    assessment: tia-mailrocket
    encrypted_in_transit: true
    notice: PN-RECIPIENTS

agreements:
  - id: mailrocket-dpa
    kind: art28_dpa
    parties: [shopwave, mailrocket]
    status: signed
    signed_on: 2024-03-01
    categories: [contact]
    evidence: Legal/mailrocket-dpa.pdf
  - id: mailrocket-idta
    kind: idta
    parties: [shopwave, mailrocket]
    status: signed
    signed_on: 2024-03-01
    categories: [contact]
    evidence: Legal/mailrocket-idta.pdf

assessments:
  - id: tia-mailrocket
    kind: transfer_risk
    completed_on: 2026-03-01
    data_protection_test: true
    evidence: Legal/tia-mailrocket.pdf
"""


def _order_emails(tmp_path: Path) -> Path:
    """The shop example with a US mailer the shop engaged itself (an Art. 28 contract and an
    IDTA, both between the shop and the mailer) sent the shop's order emails out of the order
    database its platform holds: the shop's own flow through its processor
    (docs/map-format.md, "Systems belong to their owner")."""
    folder = tmp_path / "shop"
    shutil.copytree(SHOP_EXAMPLE, folder)
    (folder / "mailer.yaml").write_text(MAILER, encoding="utf-8")
    return folder


def test_problem_1_the_shops_own_transfer_agreement_covers_its_flow_out_of_the_platform(
    tmp_path: Path,
) -> None:
    """Read as the platform's export, the shop's own IDTA with its mailer was "not between the
    exporter and the importer: storefront not a party", a false CRITICAL, though the contract
    finding and the transfer's scope already read the flow as the shop's."""
    folder = _order_emails(tmp_path)
    result = audit_folder(folder)
    assert [row[:3] for row in located_findings(result) if row[2] == "flows/order-emails"] == []
    from flowaudit.reports.registers import transfer_rows

    rows = {row.flow.id: row for row in transfer_rows(result, result.facts.index)}
    assert rows["order-emails"].exporter == "Shopwave Ltd"
    assert rows["order-emails"].valid
    # the control: the IDTA signed by the platform, not the shop, is the finding
    _edit_once(
        folder / "mailer.yaml",
        "kind: idta\n    parties: [shopwave, mailrocket]",
        "kind: idta\n    parties: [storefront, mailrocket]",
    )
    after = [row[:3] for row in located_findings(audit_folder(folder))]
    assert ("GDPR-TRANSFER", "mechanism-agreement-wrong-parties", "flows/order-emails") in after


# Problem 3: a summarised diagram's note no longer leaves its heading alone on a page ------


@pytest.mark.heavy
def test_problem_3_a_grouped_diagrams_heading_shares_the_drawings_first_page(
    tmp_path: Path,
) -> None:
    """Past 150 flows the diagram is grouped and the report says so in a note above it; on
    paper the note pushed the first drawing to the next page, and the 10,000-flow map's PDF
    had a landscape page holding only "Data-flow diagram" and the note. The note now follows
    the drawings on paper (once), and stays above the drawing on screen."""
    require_tool("dot")
    from weasyprint import HTML

    from flowaudit.app import AuditRequest, audit
    from flowaudit.reports.diagram import draw_for_report, print_pages

    folder = write_synthetic_map(tmp_path / "syn", 20, 200)
    from datetime import date

    result = audit(AuditRequest([str(folder / "map.json")], date(2026, 11, 25)))
    drawn = draw_for_report(result)
    assert drawn.note is not None and drawn.note.startswith("The map has 200 flows, more than")
    pages = print_pages(result, drawn)
    html = render_html(
        result,
        Severity.LOW,
        drawn.svg,
        drawn.note,
        None,
        drawn.rows,
        drawn.view,
        drawn.key,
        None,
        pages,
    )
    section = html.split('<h2 id="diagram">', 1)[1].split("</section>", 1)[0]
    assert section.count(drawn.note) == 2
    assert f'<p class="note screen-only">{drawn.note}</p>' in section
    assert f'<p class="note print-only">{drawn.note}</p>' in section
    assert section.index("print-only") > section.rindex('<div class="print-page')
    with untraced():
        document = HTML(string=html, base_url=None).render()
    heading, drawings, notes = None, set(), set()
    for number, page in enumerate(document.pages, start=1):
        for box in _boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is None:
                continue
            classes = set((element.get("class") or "").split())
            if element.tag == "h2" and element.get("id") == "diagram":
                heading = number
            elif "print-diagram" in classes:
                drawings.add(number)
            elif "print-only" in classes:
                notes.add(number)
    assert heading is not None and heading in drawings
    assert len(notes) == 1 and min(notes) >= max(drawings)


# Problem 2: the Art. 28(10) finding on a flow out of a processor's store says how to record it


def test_problem_2_a_disclosure_out_of_the_platforms_store_says_how_to_record_it(
    tmp_path: Path,
) -> None:
    """The newcomer's review invitations, sent out of the order database the platform holds to
    a review site (a controller) with a basis and an assessment already recorded, were told to
    "record it as a flow from the shop ... with its lawful basis": the map-format's way, a
    ``recipient_role: controller`` on the flow as it stands, was not named. Said, it clears the
    finding; a flow out of a party (no store) keeps the old words."""
    folder = tmp_path / "shop"
    shutil.copytree(SHOP_EXAMPLE, folder)
    (folder / "reviews.yaml").write_text(
        "parties:\n  - {id: stars, name: TrustStars ApS, kind: reviews, country: DK,"
        " role: controller}\n\nflows:\n  - id: review-invites\n    from: shop-orders\n"
        "    to: stars\n    categories: [contact.name, contact.email]\n"
        "    subjects: [customers]\n    purpose: orders\n    basis: contract\n"
        "    encrypted_in_transit: true\n    notice: PN-RECIPIENTS\n",
        encoding="utf-8",
    )
    result = audit_folder(folder)
    found = [f for f in result.findings if f.element == ("flows", "review-invites")]
    assert [(f.rule_ids, f.code) for f in found] == [
        (("GDPR-SUBPROCESSING",), "disclosure-outside-instructions")
    ]
    assert (
        "record it as a flow from Shopwave Ltd to TrustStars ApS with its lawful basis (sent "
        "out of a store Storefront Commerce Inc. holds for Shopwave Ltd, the flow may stay as "
        "it is and say so: recipient_role: controller with that basis, or the agreement "
        "Shopwave Ltd made with the recipient as its agreement); if not, instruct Storefront "
        "Commerce Inc. to stop it" in found[0].message
    )
    _edit_once(
        folder / "reviews.yaml",
        "    basis: contract\n",
        "    recipient_role: controller\n    basis: contract\n",
    )
    after = audit_folder(folder)
    assert [
        (f.rule_ids, f.code)
        for f in after.findings
        if f.element == ("flows", "review-invites") and "GDPR-SUBPROCESSING" in f.rule_ids
    ] == []


# Problem 4: an EU starter map names no UK-only law


def test_problem_4_the_eu_starter_names_neither_pecr_nor_recognised_legitimate_interests(
    tmp_path: Path,
) -> None:
    from tests.helpers import run

    target = tmp_path / "eu"
    assert run(["init", str(target), "--name", "Nordlicht GmbH", "--country", "DE"]).exit_code == 0
    text = (target / "map.yaml").read_text(encoding="utf-8")
    assert "PECR reg. 22" not in text
    assert "recognised_legitimate_interests" not in text
    assert (
        "  # (subscriber: read by the UK's PECR only; your marketing email follows the ePrivacy\n"
        "  # Directive Art. 13 as your Member State enacted it, which flowaudit does not judge)\n"
    ) in text
    assert ("                                # public_task or legitimate_interests\n") in text
    assert run(["check", str(target), "--as-of", "2026-11-25"]).exit_code == 1


# Problem 5: the summary prints each kind of warning once (the first 15 until s21); warnings.csv
# holds every one


def test_problem_5_the_summary_prints_15_warnings_and_warnings_csv_holds_all(
    tmp_path: Path,
) -> None:
    """The 100,000-flow hub map's 1,333 warnings filled pages 2 to 181 of its PDF's summary.
    Seventeen categories that read as health data, unmarked, give 17 warnings of one kind:
    the summary prints the first and says how many more, which and where (it printed the
    first 15 until auditor review s21 grouped them); warnings.csv holds all 17, in the
    order check prints them."""
    from tests.helpers import run

    folder = tmp_path / "shop"
    shutil.copytree(SHOP_EXAMPLE, folder)
    (folder / "extra.yaml").write_text(
        "categories:\n"
        + "".join(f"  - {{id: contact.health{i}, name: Health note {i}}}\n" for i in range(1, 18)),
        encoding="utf-8",
    )
    result = audit_folder(folder)
    assert len(result.warnings) == 17
    out = tmp_path / "out"
    assert run(["report", str(folder), "--diagram", "none", "--out", str(out)]).exit_code == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    summary = html.split('<h2 id="summary"', 1)[1].split('<h2 id="scope"', 1)[0]
    shown = re.findall(r'<p class="warning"><strong>Warning:</strong> (.*?)</p>', summary)
    # the 17 say the same of 17 categories: one kind, printed once with how many more and
    # which (auditor review s21; the first 15 of them printed whole before)
    assert len(shown) == 1
    assert "data category &#39;contact.health1&#39;" in shown[0]
    assert (
        '<p class="note more warning-like">&hellip; and 16 more warnings like it, each about '
        "another element: "
        + ", ".join(f"&#39;contact.health{i}&#39;" for i in range(2, 12))
        + ", and 6 more.</p>"
    ) in summary
    assert "17 warnings, of 1 kind:" in summary
    with (out / "warnings.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["number", "warning"]
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 18)]
    assert rows[17][1].startswith(
        "shop/extra.yaml:18:6: data category 'contact.health17' (Health note 17)"
    )
    # fifteen print whole, with no line saying more
    (folder / "extra.yaml").write_text(
        "categories:\n"
        + "".join(f"  - {{id: contact.health{i}, name: Health note {i}}}\n" for i in range(1, 16)),
        encoding="utf-8",
    )
    assert run(["report", str(folder), "--diagram", "none", "--out", str(out)]).exit_code == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('<p class="warning"><strong>Warning:</strong>') == 1
    assert "and 14 more warnings like it" in html
    assert '<p class="note more">' not in html  # no kind left unprinted
