"""The PR gate against attack review s17 (gate-s17): a new disclosure slipped past review on
"legal obligation", the gate's and the Art. 26 grouping's quadratic loops, SARIF's unbounded
``properties.gone``, and the holes the attack found in the pull request's own files and in
the outputs. Each test failed before its fix (the timing ones give the same verdict as the
loops they replaced)."""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from pathlib import Path

from tests.helpers import SHOP_EXAMPLE, GitRepo, require_tool, run_gate

AS_OF = "2026-11-25"

BROKER = """  - id: databroker
    name: Data Broker Ltd
    kind: data_broker
    country: GB
    role: controller
    description: buys customer lists
    notice: PN-RECIPIENTS

"""

SHARE = """
  - id: share-with-broker
    from: shopwave
    to: databroker
    categories: [contact.name, contact.email, orders]
    subjects: [customers]
    purpose: bookkeeping
    basis: {basis}
    notice: PN-RECIPIENTS
"""


def _shop_repo(tmp_path: Path) -> tuple[GitRepo, Path]:
    require_tool("git")
    folder = tmp_path / "map"
    shutil.copytree(SHOP_EXAMPLE, folder)
    repo = GitRepo(tmp_path, folder)
    repo.git("init", "-q")
    repo.commit()
    return repo, folder


def _add_broker_flow(folder: Path, basis: str) -> None:
    organisation = folder / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("parties:\n", "parties:\n" + BROKER, 1), "utf-8")
    with (folder / "flows.yaml").open("a", encoding="utf-8") as flows:
        flows.write(SHARE.format(basis=basis))


def test_a_new_disclosure_on_legal_obligation_is_a_claim_to_review(tmp_path: Path) -> None:
    """Problem d: a flow added to a new recipient (a data broker) on legal_obligation passed
    the lawful basis rule on trust and the agreement rule by the basis alone: PASS, exit 0,
    0 changes to review, where the same flow on any other basis failed. The basis is a claim
    the map cannot show (no law is named): a change to review naming what it clears."""
    repo, folder = _shop_repo(tmp_path)
    _add_broker_flow(folder, "legal_obligation")
    repo.commit("head")
    result = run_gate(["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert (
        "change to review: claim-changed:flows/share-with-broker: flows/share-with-broker now "
        "claims basis 'legal_obligation' (was unsaid): it can clear findings (the lawful basis "
        "one: Legal obligation, Art. 6(1)(c) applies only where a law the organisation is "
        "subject to requires this processing (Art. 6(1)(c), 6(3); the map does not name the "
        "law); and the data sharing agreement and processor ones: no agreement is expected of "
        "a disclosure the law requires) and the map cannot show it is true"
    ) in " ".join(result.output.split())
    assert "0 new findings" in result.output


def test_a_new_flow_on_contract_is_no_claim(tmp_path: Path) -> None:
    """Problem d, the other side: a basis whose ground the map judges (contract, with the
    people party to it) is the map's description, not a claim: the new flow fails on its own
    finding (no sharing agreement) and adds no change to review."""
    repo, folder = _shop_repo(tmp_path)
    _add_broker_flow(folder, "contract")
    repo.commit("head")
    result = run_gate(["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert "claim-changed" not in result.output
    assert "GDPR-AGREEMENT flows/share-with-broker (sharing-missing)" in result.output


# Problem a: the gate's `_held_by_recipient` read every store for each deleted flow to a
# party. Now indexed once (`_Holders`, `_FirstDeclaring`): the same store, found by lookups.


def _own_purposes(folder: Path, count: int) -> None:
    """One purpose per generated flow: a legitimate interests assessment is one per purpose
    (DPO review s17), so flows sharing one purpose give one finding; these tests need one
    HIGH per deleted flow."""
    (folder / "gen-purposes.yaml").write_text(
        "purposes:\n"
        + "".join(
            f"  - {{id: use-{i}, name: Use {i}, business_function: Sales, rights: [access], "
            "automated_decisions: none, retention: One year, source: Customers, "
            "notice: PN-PURPOSES}\n"
            for i in range(count)
        ),
        "utf-8",
    )


def _held_repo(tmp_path: Path, count: int) -> Path:
    """A shop whose base sends ``count`` flows (each a HIGH: legitimate interests with no
    assessment) to ``count`` parties beside ``count`` stores of its own, and whose head
    deletes the flows and adds ``count`` stores, some declaring data the flows carried: one
    owned by the flow's party every seventh, one of the shop's own every eleventh."""
    require_tool("git")
    folder = tmp_path / "map"
    shutil.copytree(SHOP_EXAMPLE, folder)
    repo = GitRepo(tmp_path, folder)
    repo.git("init", "-q")
    common = "country: GB, retention_days: 30, retention_justification: x, notice: PN-RETENTION"
    (folder / "gen-parties.yaml").write_text(
        "parties:\n"
        + "".join(
            f"  - {{id: p-{i}, name: P {i}, kind: other, country: GB, role: controller, "
            "notice: PN-RECIPIENTS}\n"
            for i in range(count)
        ),
        "utf-8",
    )
    (folder / "gen-stores.yaml").write_text(
        "systems:\n"
        + "".join(
            f"  - {{id: s-{i}, name: S {i}, "
            f"owner: {f'p-{i + 1}' if i % 17 == 0 and i + 1 < count else 'shopwave'}, "
            f"categories: [{'contact.name' if i % 13 == 0 else 'orders'}], "
            f"subjects: [customers], encrypted_at_rest: true, {common}}}\n"
            for i in range(count)
        ),
        "utf-8",
    )
    _own_purposes(folder, count)
    (folder / "gen-flows.yaml").write_text(
        "flows:\n"
        + "".join(
            f"  - {{id: f-{i}, from: shopwave, to: p-{i}, categories: [contact.name], "
            f"subjects: [subscribers], purpose: use-{i}, basis: legitimate_interests, "
            "encrypted_in_transit: true, notice: PN-RECIPIENTS}\n"
            for i in range(count)
        ),
        "utf-8",
    )
    repo.commit()
    (folder / "gen-flows.yaml").write_text("flows: []\n", "utf-8")
    (folder / "gen-added.yaml").write_text(
        "systems:\n"
        + "".join(
            f"  - {{id: a-{i}, name: A {i}, owner: {'shopwave' if i % 11 == 0 else f'p-{i}'}, "
            f"categories: [{'contact' if i % 7 == 0 else 'payment.invoice'}], "
            f"subjects: [{'subscribers' if i % 11 == 0 else 'customers'}], "
            f"encrypted_at_rest: true, {common}}}\n"
            for i in range(count)
        ),
        "utf-8",
    )
    repo.commit("head")
    return folder


def test_deleted_flows_to_parties_are_found_held_as_before(tmp_path: Path) -> None:
    """Problem a: 60 flows deleted beside 60 stores added give the verdict the loops gave
    (recorded from them before the index replaced them): each flow's HIGH is a
    removed-unconfirmed change, 9 held by the party the flow gave the data to (the first
    store of its own that declares the data), 51 in a store the change added."""

    folder = _held_repo(tmp_path, 60)
    result = run_gate(
        ["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF, "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    review = [
        change
        for change in json.loads(result.stdout)["review"]
        if change["id"].startswith("removed-unconfirmed")
    ]
    assert len(review) == 60
    why = Counter(
        "gave" if "which the flow gave the data to" in c["detail"] else "added"
        for c in review
        if "which the flow gave the data to" in c["detail"] or "added by the change" in c["detail"]
    )
    assert why == {"gave": 9, "added": 51}, why
    assert review[0]["detail"] == (
        "high GDPR-BASIS on flows/f-0 (no-assessment) went with its element, and the data it "
        "carried is still recorded in systems/a-0 (GB), held by shopwave; added by the change, "
        "it declares data the flow carried; confirm it was erased, or record the flow that "
        "fills it (it declares categories contact and data about subscribers, which no flow "
        "writes into it; it said: Legitimate interests, Art. 6(1)(f) needs a legitimate "
        "interests assessment on file; none is linked)"
    )


def test_the_index_finds_the_first_store_the_loop_found() -> None:
    """Problem a, the lookup itself: over random stores and flows (categories of three
    levels, a parent and a child named by either side), ``_FirstDeclaring`` returns the
    first store, in order, that the loop it replaced returned: the first whose declaration
    ``_declared_of`` finds data of the flow in; with only what no flow fills, the first that
    ``_unfilled_of`` finds some in."""
    from flowaudit.checks.baseline import _declared_of, _FirstDeclaring, _unfilled_of
    from flowaudit.checks.store_source import not_brought
    from flowaudit.model.schema import Flow, System

    rng = random.Random(17)
    names = ["a", "a.b", "a.b.c", "a.d", "e", "e.f", "g"]
    people = ["p", "q", "r"]
    for _ in range(300):
        stores = [
            System.model_construct(
                id=f"s{n}",
                categories=rng.sample(names, rng.randint(0, 2)),
                subjects=rng.sample(people, rng.randint(0, 1)),
            )
            for n in range(rng.randint(0, 8))
        ]
        filled = {
            store.id: (set(rng.sample(names, rng.randint(0, 2))), set(rng.sample(people, 1)))
            for store in stores
            if rng.random() < 0.5
        }
        flow = Flow.model_construct(
            categories=rng.sample(names, rng.randint(1, 2)),
            subjects=rng.sample(people, rng.randint(0, 1)),
        )
        looped = next((s for s in stores if any(_declared_of(s, flow))), None)
        index = _FirstDeclaring((s, s.categories, s.subjects) for s in stores)
        assert index.first(flow) is looped
        looped = next((s for s in stores if any(_unfilled_of(s, flow, filled))), None)
        index = _FirstDeclaring(
            (
                s,
                *not_brought(
                    tuple(s.categories), tuple(s.subjects), filled.get(s.id, (set(), set()))
                ),
            )
            for s in stores
        )
        assert index.first(flow) is looped


# Problem b: the Art. 26 grouping's `_arranged` read every agreement for each joint flow
# with a gap. Now `_Arranged` indexes the arrangements once by party and purpose.


def _joint_map(tmp_path: Path, count: int, arrangement: str) -> Path:
    """The shop with ``count`` flows to a joint controller, none linking an arrangement,
    for two purposes (delivery on even flows, orders on odd ones), ``count`` arrangements
    with other parties, and ``arrangement`` (one with the joint controller) if given."""
    folder = tmp_path / "map"
    shutil.copytree(SHOP_EXAMPLE, folder)
    (folder / "gen-parties.yaml").write_text(
        "parties:\n  - {id: jc, name: JC Ltd, kind: other, country: GB, role: joint_controller, "
        "notice: PN-RECIPIENTS}\n"
        + "".join(
            f"  - {{id: o-{i}, name: O {i}, kind: other, country: GB, role: controller, "
            "notice: PN-RECIPIENTS}\n"
            for i in range(count)
        ),
        "utf-8",
    )
    (folder / "gen-flows.yaml").write_text(
        "flows:\n"
        + "".join(
            f"  - {{id: j-{i}, from: shopwave, to: jc, categories: [contact.name], subjects: "
            f"[customers], purpose: {'orders' if i % 2 else 'delivery'}, basis: contract, "
            "encrypted_in_transit: true, recipient_role: joint_controller, notice: "
            "PN-RECIPIENTS}\n"
            for i in range(count)
        ),
        "utf-8",
    )
    (folder / "gen-agreements.yaml").write_text(
        "agreements:\n"
        + "".join(
            f"  - {{id: g-{i}, kind: art26_joint, parties: [shopwave, o-{i}], status: signed, "
            "signed_on: 2024-01-01, categories: [contact.name], evidence: x}\n"
            for i in range(count)
        )
        + (
            f"  - {{id: g-jc, kind: art26_joint, parties: [shopwave, jc], status: signed, "
            f"signed_on: 2024-01-01, {arrangement}evidence: x}}\n"
            if arrangement
            else ""
        ),
        "utf-8",
    )
    return folder


def _joint_findings(folder: Path) -> list[tuple[str, str, str, list[str]]]:
    result = run_gate(["check", str(folder), "--as-of", AS_OF, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return [
        (
            f["rule_id"],
            f"{f['element']['collection']}/{f['element']['id']}",
            f["code"],
            f["message"].split("(flows ")[1].split(")")[0].split(", "),
        )
        for f in json.loads(result.stdout)["findings"]
        if f["rule_id"] == "GDPR-AGREEMENT"
    ]


def test_an_arrangement_for_one_purpose_covers_its_flows_only(tmp_path: Path) -> None:
    """Problem b: 40 joint flows, 40 arrangements with other parties, and one with the
    joint controller for orders: the delivery flows are one joint-missing finding at the
    first, naming the 20; the orders ones are covered, as the loop judged them."""
    folder = _joint_map(tmp_path, 40, "purposes: [orders], categories: [contact.name], ")
    assert _joint_findings(folder) == [
        ("GDPR-AGREEMENT", "flows/j-0", "joint-missing", [f"j-{i}" for i in range(0, 40, 2)])
    ]


def test_an_arrangement_that_misses_a_category_or_names_none_covers_nothing(
    tmp_path: Path,
) -> None:
    """Problem b: an arrangement for every purpose that does not cover the flows' category,
    or that names no category, covers none of them: two findings, one per purpose; one
    for every purpose that covers the category covers all."""
    for terms in ("categories: [orders], ", ""):
        folder = _joint_map(tmp_path / terms[:5], 40, terms)
        found = _joint_findings(folder)
        assert [(code, flows[0], len(flows)) for _r, _e, code, flows in found] == [
            ("joint-missing", "j-0", 20),
            ("joint-missing", "j-1", 20),
        ]
    folder = _joint_map(tmp_path / "all", 40, "categories: [contact], ")
    assert _joint_findings(folder) == []


def test_sarif_gone_is_bounded_like_the_results_and_says_what_it_left_out(
    tmp_path: Path,
) -> None:
    """Problem c: SARIF's ``properties.gone`` held every finding of the base gone, however
    many (a pull request deleting a 100,000-flow map put them all in the property bag, past
    the cut of the results). It keeps ``--sarif-max-results`` of them, the most severe, and
    says how many it left out, by severity, in the property bag, a notification and on
    stderr."""
    folder = _held_repo(tmp_path, 60)
    result = run_gate(
        [
            "check",
            str(folder),
            "--base",
            "HEAD~1",
            "--as-of",
            AS_OF,
            "--format",
            "sarif",
            "--sarif-max-results",
            "5",
        ]
    )
    assert result.exit_code == 1, result.output
    run = json.loads(result.stdout)["runs"][0]
    properties = run["properties"]
    assert [(g["severity"], g["element"]) for g in properties["gone"]] == [
        ("high", "flows/f-0"),
        ("high", "flows/f-1"),
        ("high", "flows/f-10"),
        ("high", "flows/f-11"),
        ("high", "flows/f-12"),
    ]
    assert (properties["goneLeftOut"], properties["goneTotal"]) == (115, 120)
    note = (
        "115 of 120 findings gone since the base were left out of this SARIF run's "
        "properties.gone (--sarif-max-results 5): it keeps the 5 most severe; left out: 55 "
        "high, 60 low. Every one is in the text, JSON and Markdown output"
    )
    assert {
        "descriptor": {"id": "gone-left-out"},
        "level": "warning",
        "message": {"text": note},
    } in run["invocations"][0]["toolExecutionNotifications"]
    assert f"flowaudit: note: {note}.\n" in result.stderr
    unbounded = run_gate(
        ["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF, "--format", "sarif"]
    )
    properties = json.loads(unbounded.stdout)["runs"][0]["properties"]
    assert len(properties["gone"]) == 120
    assert "goneLeftOut" not in properties


def test_a_legal_obligation_flow_repointed_or_widened_is_a_claim_to_review(
    tmp_path: Path,
) -> None:
    """Problem d, found in the attack: the shop's bookkeeping flow (legal_obligation, to the
    accountants) re-pointed to a data broker added in the change passed with PASS, exit 0
    and nothing to review; made to carry card details and newsletter subscribers, it passed
    too. Each makes the claim "a law requires this disclosure" of another disclosure."""
    repo, folder = _shop_repo(tmp_path)
    organisation = folder / "organisation.yaml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("parties:\n", "parties:\n" + BROKER, 1), "utf-8")
    repo.edit("flows.yaml", "    to: ledger-accountants", "    to: databroker")
    repo.commit("head")
    result = run_gate(["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert (
        "change to review: claim-changed:flows/bookkeeping: flows/bookkeeping now claims "
        "basis 'legal_obligation' for a flow now to databroker (was ledger-accountants): it "
        "can clear findings (the lawful basis one: Legal obligation"
    ) in " ".join(result.output.split())
    repo.edit("flows.yaml", "    to: databroker", "    to: ledger-accountants")
    repo.commit("back")
    repo.edit(
        "flows.yaml",
        "    categories: [contact.name, payment.invoice]\n    subjects: [customers]\n"
        "    purpose: bookkeeping",
        "    categories: [contact.name, payment.invoice, payment.card]\n"
        "    subjects: [customers, subscribers]\n    purpose: bookkeeping",
    )
    repo.edit(
        "agreements.yaml",
        "categories: [contact.name, payment.invoice]",
        "categories: [contact, payment]",
    )
    repo.commit("wider")
    result = run_gate(["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 1, result.output
    assert (
        "flows/bookkeeping now claims basis 'legal_obligation' for what the flow now carries "
        "too (payment.card, subscribers): it can clear findings"
    ) in " ".join(result.output.split())


def test_flows_deleted_with_their_stores_find_the_added_store_as_before(tmp_path: Path) -> None:
    """Found beside problem a: ``_taking_place`` read every added and kept store for each
    flow deleted with its store. Indexed once (``_Places``), 30 flows deleted with their 30
    stores beside 30 added stores give the verdict the loops gave: the one added store of
    the same owner and country declaring the flows' data takes each gone store's place."""
    require_tool("git")
    folder = tmp_path / "map"
    shutil.copytree(SHOP_EXAMPLE, folder)
    repo = GitRepo(tmp_path, folder)
    repo.git("init", "-q")
    common = (
        "retention_days: 30, retention_justification: x, encrypted_at_rest: true, "
        "notice: PN-RETENTION"
    )
    (folder / "gen-stores.yaml").write_text(
        "systems:\n"
        + "".join(
            f"  - {{id: s-{i}, name: S {i}, owner: shopwave, country: GB, categories: "
            f"[contact.name], subjects: [customers], {common}}}\n"
            for i in range(30)
        ),
        "utf-8",
    )
    _own_purposes(folder, 30)
    (folder / "gen-flows.yaml").write_text(
        "flows:\n"
        + "".join(
            f"  - {{id: f-{i}, from: shopwave, to: s-{i}, categories: [contact.name], "
            f"subjects: [customers], purpose: use-{i}, basis: legitimate_interests, "
            "encrypted_in_transit: true, notice: PN-RECIPIENTS}\n"
            for i in range(30)
        ),
        "utf-8",
    )
    repo.commit()
    (folder / "gen-flows.yaml").write_text("flows: []\n", "utf-8")
    (folder / "gen-stores.yaml").write_text("systems: []\n", "utf-8")
    (folder / "gen-added.yaml").write_text(
        "systems:\n"
        + "".join(
            f"  - {{id: a-{i}, name: A {i}, owner: {'storefront' if i % 2 else 'shopwave'}, "
            f"country: {'US' if i % 3 == 0 else 'GB'}, "
            f"categories: [{'contact' if i % 7 == 3 else 'payment.invoice'}], "
            f"subjects: [subscribers], {common}}}\n"
            for i in range(30)
        ),
        "utf-8",
    )
    repo.commit("head")
    result = run_gate(
        ["check", str(folder), "--base", "HEAD~1", "--as-of", AS_OF, "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    details = [
        change["detail"]
        for change in json.loads(result.stdout)["review"]
        if change["id"].startswith("removed-unconfirmed")
    ]
    assert len(details) == 30
    # a-10: the first added store of shopwave in GB declaring contact (a-3 and a-17 are
    # another owner's, a-24 is in the US)
    assert all(
        "systems/a-10 (GB)" in d and "same owner shopwave and country GB" in d for d in details
    ), details[0]


def test_a_map_made_a_submodule_is_refused_not_compared_with_its_own_history(
    tmp_path: Path,
) -> None:
    """Attack, git tricks: the pull request replaces the map folder with a submodule whose
    history ends with the new map twice (a flow to a US data broker: a CRITICAL transfer).
    Checked out with its submodules, git resolved ``HEAD~1`` (or ``origin/main``) in the
    submodule's own history: 3 findings "existing", PASS, exit 0. A map or policy folder in
    a submodule is an input error, exit 2."""
    require_tool("git")
    inner = tmp_path / "inner"
    shutil.copytree(SHOP_EXAMPLE, inner)
    _add_broker_flow(inner, "legitimate_interests")
    inner_repo = GitRepo(inner, inner)
    inner_repo.git("init", "-q")
    inner_repo.commit("the broker flow")
    inner_repo.git("commit", "-q", "--allow-empty", "-m", "again")
    outer = tmp_path / "outer"
    shutil.copytree(SHOP_EXAMPLE, outer / "map")
    repo = GitRepo(outer, outer / "map")
    repo.git("init", "-q")
    repo.commit()
    repo.git("rm", "-rq", "map")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "map")
    repo.commit("the map as a submodule")
    result = run_gate(["check", str(outer / "map"), "--base", "HEAD~1", "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    assert (
        f"(git):1:1: {outer / 'map'} is a git submodule of {outer}: a map or policy folder in "
        "a submodule is not read, since its base would come from the submodule's own history, "
        "which the change controls; keep it in the repository itself"
    ) in " ".join(result.output.split())
