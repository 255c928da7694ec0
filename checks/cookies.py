"""Cookies: every cookie (or similar technology) a website or app of the organisation sets,
other than a strictly necessary one, needs opt-in consent (PECR reg. 6), except where an
exemption in the legal table is in force for the regime on the audit date: in the UK from
2026-02-05, analytics cookies with clear information and a simple way to object (DUAA 2025
s.112). The duty is the site operator's, whoever hosts the files: a store serves the
organisation's website or app when the organisation owns it, or its owner is not recorded as a
controller or joint controller in its own right (its host or another processor, or a party of
unrecorded role: map-format.md makes the host the store's owner), or a policy names it
(``match.stores``). Such a store is a website or app to this check when the map records its
cookies (an empty list: none) or a policy names it (``match.stores``); a store a policy names whose
cookies are not recorded is reported, under any regime (the map cannot tell any other store
that sets cookies apart from one that sets none: name it, or record its cookies). An
organisation under a regime whose cookie law the table does not model (the EU's ePrivacy
Directive as each Member State enacted it) gets an info finding per cookie set without
consent: not judged, rather than a clean pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowaudit.checks.base import Check, Context, Outcome, summary_of
from flowaudit.model.schema import CookiePurpose, Role, System
from flowaudit.policies.schema import CookiesRule

SUMMARY = summary_of(__doc__)


def _websites(ctx: Context, rule: CookiesRule) -> Iterator[System]:
    """The matched stores that serve the organisation's website or app, whoever owns them:
    its own; one a policy names in ``match.stores``; one that records its cookies whose
    owner is not recorded as a controller or joint controller in its own right (its host or
    another processor, the store's owner as map-format.md tells a user to map it: auditor
    review 2026-12-03r, problem 1). Not a store of an independent or joint controller: its
    cookies are its own site's. Which stores are judged follows from the store's owner and
    that party's role, which the gate reviews when they change, never from the flows into
    the store: a PR that deleted the organisation's flow into its host's store, or re-pointed
    it to start at the host, took an advertising cookie set without consent out of the rule
    and the gate passed it as fixed (attack review 2026-12-03s, problem 1). A map records
    cookies on the stores of the websites and apps it accounts for; a processor's own
    marketing site is not the organisation's store and has no place in its map."""
    index = ctx.index
    ours = index.organisation.id
    named = set(rule.match.stores)
    for system in ctx.matching_systems(rule):
        owner = system.owner
        if owner == ours or system.id in named:
            yield system
            continue
        party = index.parties.get(owner)
        if party is None or party.role in (Role.CONTROLLER, Role.JOINT_CONTROLLER):
            continue
        if system.cookies is not None:
            yield system


def evaluate(ctx: Context, rule: CookiesRule) -> Outcome:
    outcome = Outcome()
    legal = ctx.legal
    regime = ctx.index.organisation.regime.value  # duties follow the organisation's own law
    duty = legal.duties.get("cookie_consent")
    if duty is None:
        return outcome
    if regime not in duty.regimes:
        return _not_judged(ctx, rule, duty.regimes)
    if not duty.applies(regime, ctx.as_of):
        return outcome
    exemption = legal.duties.get("cookie_analytics_exemption")
    exempt = exemption is not None and exemption.applies(regime, ctx.as_of)
    # a verdict that rests on the exemption (or its date) says so when the row is unconfirmed
    relies = (
        (f"{exemption.id} ({exemption.source})",)
        if exemption is not None and exemption.unconfirmed and regime in exemption.regimes
        else ()
    )
    for system in _websites(ctx, rule):
        element = ("systems", system.id)
        if system.cookies is None:
            if rule.match.stores:
                outcome.evaluated.append(element)
                outcome.fail(
                    element,
                    "not-recorded",
                    "the cookies this website sets are not recorded, so consent cannot be "
                    "judged (PECR reg. 6)",
                )
            continue
        outcome.evaluated.append(element)
        for i, cookie in enumerate(system.cookies):
            where = ("cookies", i)
            if cookie.purpose is CookiePurpose.STRICTLY_NECESSARY or cookie.consent:
                continue
            if cookie.purpose is CookiePurpose.ANALYTICS and exempt:
                assert exemption is not None
                if cookie.clear_information and cookie.opt_out:
                    if relies:
                        outcome.relied[element] = relies
                    continue
                outcome.fail(
                    element,
                    "exemption-conditions",
                    f"analytics cookie '{cookie.id}' is exempt from consent since "
                    f"{exemption.valid_from} only with clear information and a simple way to "
                    f"object; not both are recorded ({exemption.source})",
                    where,
                    unconfirmed=relies,
                )
                continue
            since = (
                f"; from {exemption.valid_from}"
                + (" (commencement date UNCONFIRMED)" if exemption.unconfirmed else "")
                + " an analytics cookie needs none if visitors get clear information about it "
                "and a simple way to object"
                if exemption is not None
                and exemption.valid_from is not None
                and regime in exemption.regimes
                and not exempt
                and cookie.purpose is CookiePurpose.ANALYTICS
                else ""
            )
            outcome.fail(
                element,
                "no-consent",
                f"{cookie.purpose.value} cookie '{cookie.id}' is set without opt-in consent "
                f"({duty.source}){since}",
                where,
                unconfirmed=relies if since else (),
            )
    return outcome


def _not_judged(ctx: Context, rule: CookiesRule, modelled: list[str]) -> Outcome:
    """The cookies of an organisation whose regime's cookie law is not modelled: each one set
    without consent (other than a strictly necessary one) is named, so the user knows it was
    not judged instead of reading a pass."""
    outcome = Outcome()
    regime = ctx.index.organisation.regime.value
    law = (
        "the ePrivacy Directive Art. 5(3) as its Member State enacted it"
        if regime == "EU"
        else "its own law on cookies"
    )
    article = "an" if regime == "EU" else "a"
    # what no finding names is not judged either, and said so: the card of an EU shop whose
    # cookies all had consent read "n/a: no such store records a cookie ... list each cookie"
    # (auditor review 2026-12-03u, problem 8)
    reason = (
        f"websites and apps whose recorded cookies are strictly necessary or set with consent: "
        f"{article} {regime} organisation follows {law}, which flowaudit does not model (it "
        f"judges cookies for {', '.join(modelled)} organisations only)"
    )
    for system in _websites(ctx, rule):
        element = ("systems", system.id)
        if system.cookies is None:
            if rule.match.stores:  # a website the rule names: what it sets is a map fact
                outcome.evaluated.append(element)
                outcome.fail(
                    element,
                    "not-recorded",
                    f"the cookies this website sets are not recorded, so they cannot be "
                    f"checked against {law}",
                )
            continue
        if all(c.purpose is CookiePurpose.STRICTLY_NECESSARY or c.consent for c in system.cookies):
            outcome.skip(reason)
        for i, cookie in enumerate(system.cookies):
            if cookie.purpose is CookiePurpose.STRICTLY_NECESSARY or cookie.consent:
                continue
            if element not in outcome.evaluated:  # evaluated, never passed: nothing judged
                outcome.evaluated.append(element)
            outcome.fail(
                element,
                "not-judged",
                f"{cookie.purpose.value} cookie '{cookie.id}' is set without opt-in consent "
                f"and was not judged: {article} {regime} organisation follows {law}, which "
                f"flowaudit does not model (it judges cookies for {', '.join(modelled)} "
                "organisations only); check it against that law",
                ("cookies", i),
            )
    return outcome


CHECK = Check(
    CookiesRule, SUMMARY, evaluate, duties=("cookie_consent", "cookie_analytics_exemption")
)
