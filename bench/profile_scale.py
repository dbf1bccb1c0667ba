"""Profile the steps at one scale with pyinstrument: ``python -m bench.profile_scale --base DIR --factor 10 [--html F]``.

How the figures of bench/results.md "before / after" were found."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from pyinstrument import Profiler

from bench import steps
from bench.synthetic import load_base, scaled_inputs
from pipelines.checks.gx_suite import _context


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--html", type=Path)
    ns = ap.parse_args(argv)
    inputs = scaled_inputs(load_base(ns.base), ns.factor)
    _context()
    t = steps.Timings()
    profiler = Profiler(interval=0.005)
    with profiler:
        directory, committees, merged, issues = steps.clean_directory(inputs, t)
        clusters, advisors, companies, more = steps.enrich(directory, merged, inputs, t)
        tables = steps.join(clusters, committees, advisors, t, advisor_companies=companies)
        checks = steps.table_checks(tables, t)
        steps.publish(tables, Path(tempfile.mkdtemp()), {}, issues + more, checks, t)
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    if ns.html:
        ns.html.write_text(profiler.output_html())
    print(dict(t))


if __name__ == "__main__":
    main()
