"""Scale benchmark: times load, check, grouped diagram and report separately, with peak RSS.

Each map size runs in a fresh subprocess (so peak RSS is that size's alone), and the
end-to-end figure is the real command, ``flowaudit check MAP``, timed from outside.

    nox -s bench                                    # 1k, 10k, 100k flows, YAML and JSON
    python bench/run.py --sizes 1000 10000 --formats yaml
    python bench/run.py --worker MAP                # one size, stages as JSON (internal)

Targets (docs/performance.md): 100,000 flows checked end to end in <= 10 s, peak RSS
<= 2 GB, and 10k -> 100k at most about 11x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

AS_OF = date(2026, 11, 25)


def _diagram(result: Any) -> tuple[float | str, str | None]:
    """Seconds to draw the country-grouped diagram as SVG (DOT only without Graphviz)."""
    from flowaudit.reports import diagram

    started = time.perf_counter()
    source = diagram.diagram_dot(result, diagram.View(group_by="country"))
    try:
        svg = diagram.render(source, "svg").decode("utf-8")
    except diagram.GraphvizMissing:
        return time.perf_counter() - started, None
    return time.perf_counter() - started, svg


def _report(result: Any, svg: str | None) -> float:
    """Seconds to render the self-contained HTML report (with the grouped diagram)."""
    from flowaudit.policies.schema import Severity
    from flowaudit.reports.html import render_html

    started = time.perf_counter()
    render_html(result, Severity.LOW, svg)
    return time.perf_counter() - started


def worker(path: str) -> dict[str, Any]:
    """Run every stage on one map in this process; returns seconds per stage and peak RSS."""
    started = time.perf_counter()
    from flowaudit.checks.engine import run_audit
    from flowaudit.model.loader import load_map
    from flowaudit.policies.legal import load_legal_table
    from flowaudit.policies.loader import LAW_POLICIES, load_policies
    from flowaudit.policies.schema import Severity
    from flowaudit.reports.text import render_text

    figures: dict[str, Any] = {"import": time.perf_counter() - started}
    started = time.perf_counter()
    loaded = load_map([path])
    figures["load"] = time.perf_counter() - started
    started = time.perf_counter()
    names = [*LAW_POLICIES, *(n for n in loaded.organisation.policies if n not in LAW_POLICIES)]
    result = run_audit(loaded, load_policies(names, []), load_legal_table(), AS_OF)
    figures["check"] = time.perf_counter() - started
    started = time.perf_counter()
    render_text(result, Severity.LOW)
    figures["text"] = time.perf_counter() - started
    figures["diagram"], svg = _diagram(result)
    figures["report"] = _report(result, svg)
    figures["findings"] = len(result.findings)
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def end_to_end(path: str) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of `flowaudit check MAP` as a user runs it."""
    command = [sys.executable, "-m", "flowaudit", "check", path, "--as-of", AS_OF.isoformat()]
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=sink)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def _fmt(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--formats", nargs="+", default=["yaml", "json"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--maps", default=os.path.join(tempfile.gettempdir(), "flowaudit-bench"))
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="end-to-end runs per map; the table shows their median (this VM's timings vary)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    from generate import write_maps

    rows = []
    for size in args.sizes:
        for fmt in args.formats:
            path = os.path.join(args.maps, f"map_{size}.{fmt}")
            if not os.path.exists(path):
                write_maps(size, args.maps, args.seed, (fmt,))
            out = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "--worker", path],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            runs = [end_to_end(path) for _ in range(max(1, args.repeat))]
            times = sorted(run[0] for run in runs)
            seconds = statistics.median(times)
            figures.update(size=size, fmt=fmt, mb=os.path.getsize(path) / 1e6)
            figures.update(e2e=seconds, e2e_rss=max(run[1] for run in runs), exit=runs[0][2])
            figures.update(e2e_range=f"{times[0]:.2f}-{times[-1]:.2f}")
            rows.append(figures)
            print(
                f"  measured {size} flows ({fmt}): {seconds:.2f} s end to end "
                f"(median of {len(times)}: {figures['e2e_range']} s)",
                file=sys.stderr,
            )
    header = (
        "| flows | format | MB | load s | check s | text s | diagram s | report s "
        "| findings | peak RSS MB | `flowaudit check` s (median) | its runs s | its RSS MB |"
    )
    print(header)
    print("|" + "---|" * 13)
    for row in rows:
        cells = [
            f"{row['size']:,}",
            row["fmt"],
            f"{row['mb']:.1f}",
            *(_fmt(row[k]) for k in ("load", "check", "text", "diagram", "report")),
            f"{row['findings']:,}",
            f"{row['rss_mb']:.0f}",
            f"{row['e2e']:.2f}",
            row["e2e_range"],
            f"{row['e2e_rss']:.0f}",
        ]
        print("| " + " | ".join(cells) + " |")
    _verdict(rows)


def _verdict(rows: list[dict[str, Any]]) -> None:
    """Print each target and whether it is met."""
    for fmt in sorted({r["fmt"] for r in rows}):
        by_size = {r["size"]: r for r in rows if r["fmt"] == fmt}
        if 100000 in by_size:
            big = by_size[100000]
            print(
                f"{fmt}: 100k flows end to end {big['e2e']:.2f} s (target <= 10 s: "
                f"{'met' if big['e2e'] <= 10 else 'MISSED'}); peak RSS {big['e2e_rss']:.0f} MB "
                f"(target <= 2048 MB: {'met' if big['e2e_rss'] <= 2048 else 'MISSED'})"
            )
        if 10000 in by_size and 100000 in by_size:
            ratio = by_size[100000]["e2e"] / by_size[10000]["e2e"]
            work = (by_size[100000]["load"] + by_size[100000]["check"]) / (
                by_size[10000]["load"] + by_size[10000]["check"]
            )
            print(
                f"{fmt}: 10k -> 100k end to end {ratio:.1f}x, load+check {work:.1f}x "
                f"(target about 11x: {'met' if work <= 11.5 else 'MISSED'})"
            )


if __name__ == "__main__":
    main()
