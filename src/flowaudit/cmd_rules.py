"""``flowaudit rules`` and ``flowaudit explain``: what is enforced, without reading Python."""

from __future__ import annotations

import sys

import click

from flowaudit.common import fail_input
from flowaudit.model.problems import InputError, did_you_mean
from flowaudit.policies.clauses import load_clauses
from flowaudit.policies.loader import LAW_POLICIES, PolicySet, load_policies, shipped_policy_names
from flowaudit.reports.output import write_atomic
from flowaudit.reports.rules_doc import (
    render_clause_table,
    render_explain,
    render_rule_list,
    render_rules_markdown,
)
from flowaudit.reports.sanitise import for_terminal

NOTICE_POLICY = "concero-notice"


def _shipped_and(user: tuple[str, ...]) -> PolicySet:
    names = [*LAW_POLICIES, *(n for n in shipped_policy_names() if n not in LAW_POLICIES)]
    try:
        return load_policies(names, user)
    except InputError as error:
        fail_input(error)


@click.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "md"]),
    default="text",
    show_default=True,
)
@click.option("--clauses", is_flag=True, help="The notice clause -> rules table instead.")
@click.option(
    "--policies",
    "policy_paths",
    multiple=True,
    type=click.Path(),
    help="Your own policy files or folders (repeatable).",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
def rules(
    output_format: str, clauses: bool, policy_paths: tuple[str, ...], out: str | None
) -> None:
    """List every rule: id, severity, title and references."""
    policy_set = _shipped_and(policy_paths)
    if clauses:
        text = render_clause_table(load_clauses(NOTICE_POLICY), policy_set)
    elif output_format == "md":
        text = render_rules_markdown(policy_set)
    else:
        text = render_rule_list(policy_set)
    if out:
        write_atomic(out, text)
    else:
        click.echo(text, nl=False)


@click.command()
@click.argument("rule_id")
@click.option(
    "--policies",
    "policy_paths",
    multiple=True,
    type=click.Path(),
    help="Your own policy files or folders (repeatable).",
)
def explain(rule_id: str, policy_paths: tuple[str, ...]) -> None:
    """Explain one rule: why, references, a compliant and a non-compliant example, the fix."""
    policy_set = _shipped_and(policy_paths)
    found = {rule.id: rule for rule in policy_set.rules}
    rule = found.get(rule_id.upper())
    if rule is None:
        hint = did_you_mean(rule_id.upper(), found)
        message = f"flowaudit: no rule {rule_id}{hint}; see `flowaudit rules`"
        click.echo(for_terminal(message), err=True)
        sys.exit(2)
    click.echo(render_explain(rule, policy_set.origin.get(rule.id, "?")), nl=False)
