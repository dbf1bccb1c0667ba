"""bench/results.md from the results dict of bench/run_all.py."""

from __future__ import annotations

# Floors missed while building the harness: the cause found by profiling, the fix, and the
# figures measured before it (the "after" figures are this run's, in the tables above them).
FIXES = [
    {
        "part": "3. Scale",
        "symptom": "merged_advisors took 0.8 s at 1x and 73 s at 10x (x90 for x10 rows): quadratic",
        "profile": "pyinstrument (bench/profile_scale.py, 5x): 34 of 41 s in advisors._find, a scan of every "
        "person of the committee per decree record (_Person.matches -> _given_compatible)",
        "fix": "pipelines/clean/advisors.py: per-committee indexes (_Bucket) by family name and by first given "
        "name / initial / compound; fuzzy family matching only among people with a compatible first "
        "given name, scored by rapidfuzz.process.extract in C. Same matches (identical frame and issues "
        "on 9,800 records with injected typos, initials and missing given names; tests pass)",
        "before": "10x: merged_advisors 73.0 s, whole pipeline 116.5 s; 100x would have taken hours",
    },
    {
        "part": "3. Scale",
        "symptom": "checks of cluster_advisor_candidates: 0.9 s at 1x, 17 s at 10x; a GX run with a 20,000-value "
        "value_set alone took 15.7 s",
        "profile": "pyinstrument: all of it inside GX's get_validation_dependencies, re-serialising the "
        "expectation's kwargs (pydantic .dict() over the value_set) for every metric",
        "fix": "pipelines/checks/gx_suite.py foreign_key_suite (used by pipelines/checks/assets.py "
        "foreign_key_check): the keys missing from the parent are found with pandas isin and GX checks "
        "expect_column_values_to_not_be_in_set against that short list (empty when all is well). Same "
        "pass/fail and the same unexpected values",
        "before": "10x: checks/cluster_advisor_candidates 17.3 s; at 100x (450,000 advisor ids) minutes",
    },
    {
        "part": "3. Scale",
        "symptom": "after the two fixes above, 100x still took 401.5 s (clean 254, publish 87, checks 41; load "
        "average ~4 from other sessions), then 171.7 s after the first two fixes below",
        "profile": "py-spy record of the 100x clean + enrich (2,836 samples): places.fold 787 samples (the same "
        "names folded again and again, re.sub recompiling its pattern lookups), pandas 3 Arrow string "
        "iteration in frames.conform; pyinstrument at 30x: publish in per-cell Python (csv_text twice per "
        "table, to_arrow's _missing through numpy), checks in validation_view's Series.map per column",
        "fix": "common/places.py fold memoised (lru_cache) with compiled patterns; pipelines/publish/files.py "
        "csv_text built column by column (type tested once; byte-identical); pipelines/publish/validate.py "
        "_missing answers str/list/date cells without numpy (pd.NaT still missing); pipelines/clean/frames.py "
        "conform and pipelines/checks/gx_suite.py validation_view read columns with tolist(), the latter only "
        "object columns and stopping at the first list. All linear-constant work: same outputs",
        "before": "100x: 401.5 s, then 171.7 s (merged_advisors 53.6, release 55.6, checks 24.8, enrich 21.1, join 15.6)",
    },
    {
        "part": "1. Crawl overhead",
        "symptom": "1,000 pages: ours 103.4 pages/s against bare 136.5 (0.76x; 0.75x again on a rerun); 10,000 pages 0.84x",
        "profile": "py-spy record of our 1,000-page crawl (1,192 samples): parse_detail 276 (labelled_values 216, "
        "node_text 111), the spider middlewares' async output chain ~315 (Scrapy's own), the WARC writer 61",
        "fix": "spiders/core/extract.py labelled_values: each <p>/<li> node's text read once (it was read up to three "
        "times: the <strong> label twice and the paragraph twice when it held no value); same fields",
        "before": "1,000 pages 0.76x (make bench), 0.75x (rerun); after the fix, a standalone rerun gave 0.81x",
    },
    {
        "part": "4. Incremental re-crawl",
        "symptom": "second crawl of an unchanged 1,000-page mirror re-downloaded 20.2% of the body bytes",
        "profile": "mirror request counts: the 1,001 detail pages were served from the HTTP cache, but the 84 "
        "listing pages (18 KB each: DSFR pagination lists every page) were fetched whole, because "
        "listings were marked dont_cache",
        "fix": "spiders/core/spider.py SourceSpider.request: every page (listings included) is cached and "
        "revalidated on every crawl (request header Cache-Control: max-age=0): nothing is served from the "
        "cache without asking the site, and an unchanged page costs a 304. Not no-cache: Scrapy's "
        "RFC2616Policy sends no If-None-Match with a no-cache request",
        "before": "second crawl: 84 requests, 1,520,778 body bytes of 7,510,090 (20.25%), 0 conditional requests",
    },
    {
        "part": "3. Scale",
        "symptom": "100x took 159.6 s (+3.6 s GX start): release 53.7 s, merged_advisors 51.3 s",
        "profile": "pyinstrument (bench/profile_scale.py, 100x): the release writer built each table's CSV text "
        "twice (file and content checksum) and compared releases row by row; the advisors merge called "
        "rapidfuzz extract once per record on growing groups, and full GC passes over the live records",
        "fix": "pipelines/publish/: CSV fields built once in Arrow (file and checksum from the same cells), change "
        "list by a key join and column-wise comparison; pipelines/clean/advisors.py: fuzzy pairs scored "
        "once per committee group with rapidfuzz.process.cdist, GC paused during the merge. Byte-identical "
        "outputs (tests/test_release_vectorised.py against the cell-by-cell writer)",
        "before": "100x 159.6 s (make bench); release 53.7 s, merged_advisors 51.3 s",
    },
    {
        "part": "1. Crawl overhead",
        "symptom": "after the first fix: 1,000 pages 0.72x, 10,000 pages 0.76x (make bench)",
        "profile": "py-spy: labelled_values' several XPath passes per page; the WARC writer (warcio gzip level 9) "
        "on the crawl's thread; an ablation (crawl with one component off) then showed the WARC "
        "middleware alone cost a quarter of the rate even on a writer thread (GIL contention)",
        "fix": "spiders/core/extract.py: one lxml walk per page; spiders/core/archive.py: records serialised, "
        "digested and gzipped (one member per record, level 1) in a writer process; spiders/core/cache.py: "
        "HTTP cache gzipped at level 1; spiders/poles/parse.py: next-page link by class before text. "
        "bench/site.py's listings now paginate with the DSFR window (first, last, current +-3) instead of "
        "linking every page (80 KB listings at 10,000 pages); both spiders crawl the same site",
        "before": "1,000 pages 0.72x, 10,000 pages 0.76x; after the parser and thread fixes 0.87x / 0.71-0.81x; "
        "with archiving on, 116 pages/s against 144 with the WARC middleware off",
    },
]


def _yes(v: bool) -> str:
    return "**holds**" if v else "**MISSED**"


def _table(headers: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join("" if c is None else str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def markdown(r: dict) -> str:
    m = r["machine"]
    p = r["parts"]
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `make bench` (`python -m bench.run_all`) at {r['started_at']}, commit `{r['git_commit']}`, "
        f"in {r['total_seconds']} s. Raw figures: `bench/results.json`.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gb']} GB; {m['os']}",
        f"- Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
        "- Load average (1, 5, 15 min) before each part: "
        + "; ".join(f"{k}: {v}" for k, v in r["load_average"].items())
        + ". Other work on the same 2 cores (other sessions' tests) slows every figure; both sides of each "
        "comparison run back to back in the same run.",
        "",
        "## Floors",
        "",
        _table(["floor", "result"], [[k, _yes(v)] for k, v in r["floors"].items()]),
        "",
    ]

    e = p["end_to_end"]
    d, s = e["dagster"], e["plain"]
    lines += [
        "## 2. End to end: `make run`'s pipeline against a plain script",
        "",
        "Commands: `python -m pipelines.run` (what `make run` runs once .venv exists) and "
        "`python -m bench.plain_pipeline` (same `python -m spiders.crawl` subprocesses, clean and join "
        "functions, GX suites and release writer, no Dagster), each with its own DAGSTER_HOME and "
        "POLES_CCE_DATA_DIR in a temporary folder. Peak memory: summed RSS of the whole process tree "
        "(Pipes crawl subprocesses included), sampled from /proc every 50 ms; `ru_maxrss` of the parent beside it.",
        "",
        _table(
            ["run", "wall (s)", "peak tree RSS (MB)", "parent ru_maxrss (MB)", "exit"],
            [
                [
                    "Dagster (`pipelines.run`)",
                    d["wall_s"],
                    d["peak_tree_rss_mb"],
                    d["parent_maxrss_mb"],
                    d["returncode"],
                ],
                ["plain script", s["wall_s"], s["peak_tree_rss_mb"], s["parent_maxrss_mb"], s["returncode"]],
            ],
        ),
        "",
        f"Ratio Dagster / plain: **{e['ratio']}x** (floor ≤ 3x); Dagster wall {d['wall_s']} s (floor ≤ 60 s).",
        "",
    ]
    if "no_network" in e:
        n = e["no_network"]
        lines += [
            f"Without a network (`{e['commands']['no_network']}`, the fault suite's no-network scenario): "
            f"exit {n['exit_status']} in {n['wall_s']} s (floor: fails, exit 1, in ≤ 60 s).",
            "",
        ]
    lines += [
        "Per step, from the run's STEP_START / STEP_SUCCESS events (peak = largest tree sample inside the step); "
        f"the steps add up to {round(sum(x['seconds'] for x in d.get('steps', [])), 1)} s of the {d['wall_s']} s, "
        "the rest is Python and Dagster start-up, definitions and run bookkeeping:",
        "",
        _table(
            ["step", "seconds", "peak tree RSS (MB)"],
            [[x["step"], x["seconds"], x["peak_tree_rss_mb"]] for x in d.get("steps", [])],
        ),
        "",
        "Plain script, per step (s): " + ", ".join(f"{k} {v}" for k, v in s.get("steps", {}).items()),
        "",
    ]

    sc = p["scale"]
    rows = []
    for x in sc["sizes"]:
        if "error" in x:
            rows.append([f"{x['factor']}x", "error", x["error"][-200:], "", "", "", "", "", ""])
            continue
        rows.append(
            [
                f"{x['factor']}x",
                x["rows"]["clusters"],
                x["rows"]["advisors"],
                x["rows"]["cluster_advisor_candidates"],
                x["stages_s"]["clean"],
                x["stages_s"]["join"],
                x["stages_s"]["checks"],
                x["stages_s"]["publish"],
                x["pipeline_s"],
                x["gx_start_s"],
                x["peak_rss_mb"],
            ]
        )
    lines += [
        "## 3. Scale: clean, join, checks and publish at 1x, 10x, 100x",
        "",
        f"Command: `{sc['command']}`. Inputs grown from the replay crawl of part 2 (bench/synthetic.py): "
        "pôles copied under new names, ~4,500 advisors per 1x from invented names (decree appointees placed "
        "on the regional committees and country sections), one company-register answer per query. Committees "
        "stay the real 70 (one per territory or country: bounded by geography). Each size in its own process; "
        "peak = `ru_maxrss` of that process (inputs included). GX is imported before the clock (`GX start`).",
        "",
        _table(
            [
                "size",
                "clusters",
                "advisors",
                "candidates",
                "clean (s)",
                "join (s)",
                "checks (s)",
                "publish (s)",
                "total (s)",
                "GX start (s)",
                "peak RSS (MB)",
            ],
            rows,
        ),
        "",
        f"Growth of the total from 10x to 100x: **{sc['growth_10x_to_100x']}x** (floor ≤ 12x; linear would be 10x)."
        if sc["growth_10x_to_100x"] is not None
        else "",
        "",
        "Per step at each size (s):",
        "",
    ]
    ok = [x for x in sc["sizes"] if "steps_s" in x]
    if ok:
        names = list(ok[0]["steps_s"])
        lines += [
            _table(
                ["step"] + [f"{x['factor']}x" for x in ok], [[n] + [x["steps_s"].get(n) for x in ok] for n in names]
            ),
            "",
        ]

    ti = p.get("ties")
    if ti and "error" not in ti:
        lines += [
            "## 5. Ties: seats against advisors without pairwise comparison",
            "",
            f"Command: `{ti['command']}` (bench/ties.py: synthetic invented names, advisors on the French committees "
            "and five country sections, seats that are advisors in printed variants, homonyms and strangers). "
            "`comparisons`: (seat name reading, advisor) pairs the matcher looked at, through its index by folded family name.",
            "",
            _table(
                [
                    "seats",
                    "advisors",
                    "match (s)",
                    "comparisons",
                    "N x N pairs",
                    "share",
                    "ties",
                    "confirmed precision",
                    "confirmed recall",
                    "peak RSS (MB)",
                ],
                [
                    [
                        ti["seats"],
                        ti["advisors"],
                        ti["match_s"],
                        ti["comparisons"],
                        ti["pairwise"],
                        ti["comparison_share"],
                        ", ".join(f"{k} {v}" for k, v in ti["ties"].items()),
                        ti.get("confirmed_precision"),
                        ti.get("confirmed_recall"),
                        ti["peak_rss_mb"],
                    ]
                ],
            ),
            "",
            "Precision and recall of the confirmed ties against the generator's truth (the advisor each seat was printed "
            "from; 30% of the seats): synthetic names come from a small pool, so chance homonyms are far more frequent "
            "than among real names.",
            "",
        ]
    elif ti:
        lines += ["## 5. Ties", "", f"Failed: {ti['error'][-300:]}", ""]

    ps = p.get("pole_sites_crawl")
    if ps and "error" not in ps:
        lines += [
            "## 6. Crawl of the pôles' sites against bare Scrapy",
            "",
            f"Command: `python -m bench.pole_sites_crawl {ps['sites']} {ps['pages_per_site']}` (bench/pole_sites_site.py: "
            "synthetic sites replayed from one snapshot folder; ours is `python -m spiders.crawl pole_sites --replay` with "
            "every middleware, the WARC, the issue log and seat extraction; bare is bench/pole_sites_bare.py). "
            "Rates: responses / Scrapy's elapsed time; CPU: pages per CPU second of the crawl process.",
            "",
            _table(
                ["crawl", "pages/s", "pages per CPU s"],
                [
                    ["ours", ps["ours"].get("pages_per_s"), ps["ours"].get("pages_per_cpu_s")],
                    ["bare Scrapy", ps["bare"].get("pages_per_s"), ps["bare"].get("pages_per_cpu_s")],
                    ["ratio", ps["ratio"], ps["cpu_ratio"]],
                ],
            ),
            "",
        ]

    lines += _members(p.get("members"))

    inc = p["incremental"]
    f1, f2 = inc["first"], inc["second"]
    lines += [
        "## 4. Incremental re-crawl",
        "",
        f"Command: `python -m spiders.crawl poles --live` twice, through tests.mirror (validators on: ETag and "
        f"Last-Modified on every page, 304 to a matching conditional request) serving {inc['detail_pages']} detail "
        "pages and their listings, both crawls with the same POLES_CCE_DATA_DIR (the HTTP cache under "
        "data/cache/poles). Body bytes: counted by the mirror (a conditional request of an unchanged page is a 304).",
        "",
        _table(
            ["crawl", "requests to the mirror", "conditional", "body bytes", "items", "pages/s", "HTTP cache stats"],
            [
                ["first", f1["requests"], 0, f1["body_bytes"], f1["items"], f1["pages_per_s"], f1["httpcache"]],
                [
                    "second",
                    f2["requests"],
                    f2["conditional_requests"],
                    f2["body_bytes"],
                    f2["items"],
                    f2["pages_per_s"],
                    f2["httpcache"],
                ],
            ],
        ),
        "",
        f"Re-downloaded: **{inc['re_downloaded_share']:.2%}** of the first crawl's body bytes (floor ≤ 10%). "
        "Detail pages are served from the cache without a request while RFC 2616's heuristic freshness lasts "
        "(a tenth of the time since Last-Modified), then revalidated; listings are revalidated every time.",
        "",
    ]

    co = p["crawl_overhead"]
    rows = []
    for x in co["sizes"]:
        for who in ("ours", "bare"):
            y = x[who]
            rows.append(
                [
                    x["detail_pages"],
                    who,
                    y["pages"],
                    y["items"],
                    y["elapsed_s"],
                    y["pages_per_s"],
                    x["ratio"] if who == "ours" else "",
                    _yes(x["floor_holds"]) if who == "ours" else "",
                ]
            )
    lines += [
        "## 1. Crawl overhead: our spider against a bare Scrapy spider",
        "",
        "The synthetic directory (bench/site.py: the snapshot generator's DSFR pages, 12 pôles per listing page) "
        "served by tests.mirror on 127.0.0.1 and reached as in live mode through its proxy (https_proxy, TLS "
        "terminated by the mirror). Ours: `python -m spiders.crawl poles --live -s DOWNLOAD_DELAY=0 -s "
        "AUTOTHROTTLE_ENABLED=false -s CONCURRENT_REQUESTS=16 -s CONCURRENT_REQUESTS_PER_DOMAIN=8` (every "
        "middleware, WARC archive, HTTP cache store, item validation, feeds). Bare: `python -m bench.bare_spider` "
        "(plain scrapy.Spider, same concurrency, same links and fields by plain CSS/XPath, a JSON Lines feed). "
        "Back to back against the same mirror; rate = responses / Scrapy's elapsed_time_seconds.",
        "",
        _table(
            ["detail pages", "spider", "responses", "items", "elapsed (s)", "pages/s", "ours / bare", "floor ≥ 0.8x"],
            rows,
        ),
        "",
        "## Floors missed on the way, and fixed",
        "",
    ]
    for fx in FIXES:
        lines += [
            f"### {fx['part']}: {fx['symptom']}",
            "",
            f"- Profile: {fx['profile']}.",
            f"- Fix: {fx['fix']}.",
            f"- Before: {fx['before']}.",
            "- After: the tables above (this run).",
            "",
        ]
    return "\n".join(lines) + "\n"


def _members(me: dict | None) -> list[str]:
    """Section 7: pôle members resolved in stock mode, and the weekly API run through the lookup cache."""
    if not me:
        return []
    lines = ["## 7. Members resolved to SIREN: SIRENE stock in DuckDB, and the weekly API run", ""]
    st = me.get("stock") or {}
    lines.append(f"Command: `{me['command']}` (bench/members.py).")
    lines.append("")
    if "error" in st:
        lines += [f"Stock part failed: {st['error'][-300:]}", ""]
    else:
        lines += [
            "(a) Synthetic stock files (Parquet, the columns stock mode reads; invented names: three-syllable brand, "
            "trade word, legal form; one head office per unit), members drawn from it (90%, title case, their head "
            "office's postcode) or new (10%). Time: from opening the files to the resolved frame (DuckDB load and "
            "blocking, then the matcher in Python); peak: ru_maxrss of the child process (DuckDB runs in it).",
            "",
            _table(
                [
                    "units",
                    "members",
                    "load (s)",
                    "blocking (s)",
                    "matcher (s)",
                    "total (s)",
                    "candidates",
                    "confidence",
                    "confirmed right / members in stock",
                    "confirmed wrong",
                    "peak RSS (MB)",
                ],
                [
                    [
                        st["units"],
                        st["members"],
                        st["load_s"],
                        st["answer_s"],
                        st["match_s"],
                        st["total_s"],
                        st["candidates"],
                        ", ".join(f"{k} {v}" for k, v in st["confidence"].items()),
                        st["confirmed_right_share_of_members_in_stock"],
                        st["confirmed_wrong"],
                        st["peak_rss_mb"],
                    ]
                ],
            ),  # fmt: skip
            "",
        ]
    wk = me.get("weekly") or {}
    if wk:
        lines += [
            "(b) The company-register crawl replayed twice from a synthetic archive with the lookup cache on "
            f"(`-s LOOKUP_CACHE_ENABLED=true`, one SQLite file): {wk['members']} members, then the same list with "
            f"{wk['new_members']} replaced by new ones (2%). Asked: lookups that passed the cache "
            "(`lookup_cache/asked`); from cache: answers served by it, still parsed into items.",
            "",
            _table(
                ["run", "queries", "asked", "from cache", "items", "wall (s)"],
                [
                    [name, r["queries"], r["asked"], r["from_cache"], r["items"], r["wall_s"]]
                    for name, r in (("first", wk["first"]), ("second (2% new)", wk["second"]))
                ],
            ),  # fmt: skip
            "",
            f"Second run's lookups / first run's: **{wk['asked_share']:.1%}** (floor ≤ 3%).",
            "",
        ]
    return lines
