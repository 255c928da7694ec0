"""``flowaudit rules`` and ``flowaudit explain``: what is enforced, without reading Python."""

from __future__ import annotations

import click

from flowaudit import app
from flowaudit.common import echo_out
from flowaudit.policies.clauses import load_clauses
from flowaudit.reports.output import write_atomic
from flowaudit.reports.rules_doc import (
    render_clause_table,
    render_explain,
    render_rule_list,
    render_rules_markdown,
)

NOTICE_POLICY = "concero-notice"


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
    policy_set = app.all_policies(policy_paths)
    if clauses:
        text = render_clause_table(load_clauses(NOTICE_POLICY), policy_set)
    elif output_format == "md":
        text = render_rules_markdown(policy_set)
    else:
        text = render_rule_list(policy_set)
    if out:
        write_atomic(out, text)
    else:
        echo_out(text, nl=False)


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
    chosen, origin = app.rule(rule_id, policy_paths)
    echo_out(render_explain(chosen, origin), nl=False)
