"""The gate on an unprotected store's finding (fix-gate2-s19, "Left open"): the shipped HIGH
CONCERO-HELPDESK-CREDENTIALS on systems/helpdesk names the hosting flows that may carry the
passwords on ("; they may flow on through hosting-us, hosting-eea, hosting-uk, ..."). It had
no ``problem``, so the gate (``check --base``) matched it by its message: a hosting flow
deleted, or one added, made the same finding [new] and FIXED at once. It is now matched by
the store's problem without the onward list, its onward flows listed (``Finding.flows``), so
a flow newly carrying the passwords on is a change to review (joined-finding) and one taken
out from under it while it stays in the map is one too (left-finding)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import EXTRA, concero_repo, review_lines, run_gate

GATE = ["--as-of", "2026-11-25", "--base", "HEAD"]
HELPDESK = "HIGH CONCERO-HELPDESK-CREDENTIALS (N-HELPDESK) systems/helpdesk"

#: a new US data broker the passwords in tickets may now reach
BROKER = """parties:
  - id: us-broker
    name: US data broker
    kind: hosting
    country: US
    role: controller
flows:
  - id: broker-feed
    from: concero
    to: us-broker
    categories: [contact.name, contact.email]
    subjects: [customer_staff]
    may_carry:
      categories: [credentials.password]
      reason: support tickets take "any other information you submit" (N-HELPDESK) from school staff
    purpose: sla_support
    basis: contract
"""


def _helpdesk(out: str) -> list[str]:
    return [
        line
        for line in out.splitlines()
        if HELPDESK in line and not line.startswith("change to review:")
    ]


def _new(out: str) -> list[str]:
    """The findings the gate reads as new: severity, rules and element."""
    return [ln.split(": ")[0].split(" ", 1)[1] for ln in out.splitlines() if ln.endswith("[new]")]


def test_a_hosting_flow_deleted_leaves_the_helpdesk_finding_the_base_s(tmp_path: Path) -> None:
    repo = concero_repo(tmp_path, "")
    path = repo.files / "flows.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: hosting-uk\n")
    path.write_text(text[:start] + text[text.index("\n\n", start) + 2 :], encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE])
    out = result.stdout
    [helpdesk] = _helpdesk(out)
    # the store's finding is the base's: neither new nor gone, naming the two flows left
    assert helpdesk.endswith("through hosting-us, hosting-eea, which may carry them"), out
    lines = out.splitlines()
    assert not any("CONCERO-HELPDESK-CREDENTIALS" in ln and "FIXED" in ln for ln in lines)
    assert _new(out) == [
        "HIGH GDPR-AGREEMENT + GDPR-PROCESSOR flows/school-server-work",
        "MEDIUM HYG-STORE-SOURCE systems/uk-servers",
    ], out
    assert review_lines(out) == [], out
    assert result.exit_code == 1, out


def test_a_flow_carrying_passwords_to_a_new_broker_is_put_to_a_person(tmp_path: Path) -> None:
    repo = concero_repo(tmp_path, "")
    (repo.files / EXTRA).write_text(BROKER, encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE])
    out = result.stdout
    [helpdesk] = _helpdesk(out)
    assert helpdesk.endswith(
        "through hosting-us, hosting-eea, hosting-uk, broker-feed, which may carry them"
    ), out
    # the base's finding, not new, and the flow newly carrying the passwords on is put to a
    # person: confirmed while the problem stays open, never passed in silence
    assert not helpdesk.endswith("[new]"), out
    assert [line.split(": ")[1] for line in review_lines(out)] == [
        "joined-finding:flows/broker-feed:CONCERO-HELPDESK-CREDENTIALS:store-unprotected",
        "joined-finding:flows/broker-feed:GDPR-BASIS:contract-not-party",
    ], out
    assert _new(out) == [
        "CRITICAL GDPR-TRANSFER + CONCERO-TRANSFER (N-LOCATION, N-ABROAD) flows/broker-feed",
        "MEDIUM CONCERO-ENCRYPT (N-ENCRYPT) flows/broker-feed",
        "MEDIUM CONCERO-SHARE-PERMISSION (N-SHARE) flows/broker-feed",
        "LOW GDPR-AGREEMENT flows/broker-feed",
        "LOW HYG-NOTICE-CLAUSE flows/broker-feed",
    ], out
    assert result.exit_code == 1, out


def test_a_hosting_flow_no_longer_carrying_passwords_is_confirmed(tmp_path: Path) -> None:
    """A hosting flow that stays in the map but no longer says it may carry the passwords
    leaves the store's finding, which stands on the others: described away in one line, so
    a person confirms it (left-finding), as for the other grave grouped findings."""
    repo = concero_repo(tmp_path, "")
    path = repo.files / "flows.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: hosting-uk\n")
    line = text.index("      categories: [credentials.password]\n", start)
    assert line < text.index("\n\n", start)  # the may_carry of hosting-uk
    path.write_text(text[:line] + text[text.index("\n", line) + 1 :], encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE])
    out = result.stdout
    [helpdesk] = _helpdesk(out)
    assert helpdesk.endswith("through hosting-us, hosting-eea, which may carry them"), out
    assert _new(out) == [], out
    assert [line.split(": ")[1] for line in review_lines(out)] == [
        "left-finding:flows/hosting-uk:CONCERO-HELPDESK-CREDENTIALS:store-unprotected",
        "reclassified:flows/hosting-uk",
    ], out
    assert result.exit_code == 1, out


def test_no_flow_carrying_passwords_on_any_more_is_confirmed_for_each(tmp_path: Path) -> None:
    """All three hosting flows no longer say they may carry the passwords: the store's
    finding stands with no onward flows (no ``flows``, its message its problem), still the
    base's, and each flow that left it is confirmed as for one (before, the head finding
    grouping no flows was not matched and no left-finding was asked)."""
    repo = concero_repo(tmp_path, "")
    path = repo.files / "flows.yaml"
    text = path.read_text(encoding="utf-8")
    for flow_id in ("hosting-us", "hosting-eea", "hosting-uk"):
        line = text.index(
            "      categories: [credentials.password]\n", text.index(f"  - id: {flow_id}\n")
        )
        text = text[:line] + text[text.index("\n", line) + 1 :]
    path.write_text(text, encoding="utf-8")
    result = run_gate(["check", str(repo.files), *GATE])
    out = result.stdout
    [helpdesk] = _helpdesk(out)
    assert helpdesk.endswith("(redaction on arrival, a password vault)"), out
    assert _new(out) == [], out
    assert [line.split(": ")[1] for line in review_lines(out)] == [
        "left-finding:flows/hosting-eea:CONCERO-HELPDESK-CREDENTIALS:store-unprotected",
        "left-finding:flows/hosting-uk:CONCERO-HELPDESK-CREDENTIALS:store-unprotected",
        "left-finding:flows/hosting-us:CONCERO-HELPDESK-CREDENTIALS:store-unprotected",
        "reclassified:flows/hosting-eea",
        "reclassified:flows/hosting-uk",
        "reclassified:flows/hosting-us",
    ], out
    assert result.exit_code == 1, out
