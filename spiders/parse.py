"""Run a source's parser on one saved page: ``python -m spiders.parse SOURCE PATH [--url URL]``.

PATH is a saved page (any encoding the site could declare), a URL of the source's
bundled snapshot, or a run's ``responses.warc.gz`` (with ``--url`` to pick the record).
The page is parsed as if fetched from URL: ``--url``, else the URL the snapshot manifest
or the page itself (``<link rel=canonical>``) or its file name gives, else the example
URL of the page kind. The kind (listing, detail, …) is a route of the source's routing table,
``spiders/<source>/routes.py``, the one its spider reads, found the way the crawl finds it (from
the URL, else from the content; ``--kind`` forces it) and parsed by the same function, with the
context the crawl would carry in the request (``Route.context``). Never touches the network.

Output, one JSON object per line on stdout: ``{"type": "item", …}`` per item (the fields
the spider emits), ``{"type": "link", "url", "kind"}`` per link of a listing page,
``{"type": "issue", …}`` per issue-log record; then a one-line summary on stderr.

Exit status: 0 when something came out (an item; a link, for a listing page) and no
required field was missing, nor a field the source's YAML asserts at 95 % fill or more
(what a run would say); 1 otherwise; 2 when the command itself cannot run (unknown
source or kind, unreadable file, URL not in the archive).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
import zlib
from pathlib import Path

from parsel import Selector
from scrapy.http import Request, TextResponse
from scrapy.responsetypes import responsetypes

from common.cli import DEBUG_FLAG, DEBUG_HELP, CliError, run_main
from common.issues import ERROR, Issue, ParseError, missing
from common.sources import load_source
from spiders.core.archive import ArchivedResponse, open_archive, read_manifest
from spiders.core.pipelines import scrub_output
from spiders.core.routing import Link, NoRoute, Route, route_for
from spiders.core.runner import load_spider_class

MISSING = "missing_required_field"


PROG = "python -m spiders.parse"


class UsageError(CliError):
    """The command cannot run (exit 2): the message says why."""


def main(argv: list[str] | None = None, out=None, err=None) -> int:
    """Any problem running the command (a file missing or unreadable, a corrupt archive, an
    invalid manifest or source file) is one line on stderr and exit 2; --debug adds the traceback."""
    out = out or sys.stdout
    err = err or sys.stderr
    return run_main(lambda args: _main(args, out, err), PROG, argv, err)


def main_from_env() -> int:
    """``make parse``: SOURCE, PAGE and URL from the environment (no shell ever sees them)."""
    env = os.environ
    source, page, url = (env.get(f"POLES_CCE_PARSE_{k}", "") for k in ("SOURCE", "PAGE", "URL"))
    if not source or not page:
        print(
            "make parse: error: usage: make parse SOURCE=<source> PAGE=<file, snapshot URL or .warc.gz> [URL=<url>]",
            file=sys.stderr,
        )
        return 2
    return main([source, page, *(["--url", url] if url else [])])


def _main(argv: list[str], out, err) -> int:
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    ap.add_argument("source", help="source name, as in sources/<source>.yml")
    ap.add_argument("path", metavar="PATH", help="saved page, snapshot URL, or .warc[.gz] file")
    ap.add_argument("--url", help="URL the page was fetched from")
    ap.add_argument("--kind", help="page kind to parse it as (default: from the URL, else the content)")
    ap.add_argument(
        "--encoding", help="decode the page with this encoding (default: BOM, <meta charset>, header, sniffing)"
    )
    ap.add_argument(
        "--content-type", help="Content-Type header the page was served with, e.g. 'text/html; charset=iso-8859-1'"
    )
    ap.add_argument(DEBUG_FLAG, action="store_true", help=DEBUG_HELP)
    ns = ap.parse_args(argv)
    return run(ns, out, err)


def run(ns, out, err) -> int:
    source = load_source(ns.source)
    spider_class = load_spider_class(source)
    kinds = spider_class.routes
    if not kinds:
        raise UsageError(f"source '{source.name}' has no routes (spiders/<source>/routes.py, the spider's `routes`)")
    forced = None
    if ns.kind:
        forced = next((k for k in kinds if k.kind == ns.kind), None)
        if forced is None:
            raise UsageError(f"unknown kind '{ns.kind}' for {source.name} (kinds: {', '.join(k.kind for k in kinds)})")

    page, origin = load_page(source, ns.path, ns.url)
    page.body = decoded_body(page, origin or ns.path, source.max_response_bytes)
    headers = {k: v for k, v in page.headers.items() if k.lower() != "content-encoding"}
    if ns.content_type:
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        headers["Content-Type"] = ns.content_type
    url = page.url
    if url is None:
        probe = build_response(page.body, headers, "file:///saved-page", ns.encoding)
        url = _url_in_page(probe) or _url_from_path(kinds, origin)
    kind = forced or route_of(kinds, url, build_response(page.body, headers, url or "file:///saved-page", ns.encoding))
    if kind is None:
        raise UsageError(
            f"cannot tell which {source.name} page this is (kinds: {', '.join(k.kind for k in kinds)}): pass --kind or --url"
        )
    url = url or kind.example_url
    response = build_response(page.body, headers, url, ns.encoding, page.status)
    required = kind.required if kind.required is not None else spider_class.required_fields
    keep = getattr(spider_class, "organisation_contact_fields", ())
    counts = parse_page(
        source.name, kind, response, origin, required, out, err, keep, ns.debug, asserted_fields(source, required)
    )
    return summarise(source.name, kind, url, counts, err)


def route_of(routes, url: str | None, response) -> Route | None:
    """The route the crawl would read this page with (:func:`spiders.core.routing.route_for`)."""
    try:
        return route_for(routes, url, response)
    except NoRoute:
        return None


def asserted_fields(source, required) -> tuple[str, ...]:
    """Fields sources/<source>.yml asserts at >= 95 % fill: a page without one fails the check."""
    return tuple(f for f, rate in source.assertions.fill_rates.items() if rate >= 0.95 and f not in required)


def load_page(source, path_arg: str, url: str | None) -> tuple[ArchivedResponse, Path | None]:
    """The page's body, headers and URL (None when unknown), and the file it came from.
    Files and archive records above the source's ``max_response_bytes`` are refused unread."""
    limit = source.max_response_bytes
    if path_arg.startswith(("http://", "https://")):
        rec = open_archive(source.snapshot_path, limit).get(path_arg)
        if rec is None:
            raise UsageError(f"{path_arg} is not in the {source.name} snapshot ({source.snapshot})")
        rec.url = url or path_arg
        return rec, Path(rec.meta["file"])
    path = Path(path_arg)
    if path.is_dir():
        raise UsageError(f"{path}: is a directory, not a saved page or archive")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if path.name.endswith((".warc", ".warc.gz")):
        archive = open_archive(path, limit)
        if url:
            rec = archive.get(url)
            if rec is None:
                raise UsageError(f"{url} is not in {path} ({len(archive)} records; without --url they are listed)")
        else:
            pages = [u for u in archive.urls() if not u.endswith("/robots.txt")]
            if len(pages) != 1:
                listing = "\n  ".join(pages[:50]) + ("\n  …" if len(pages) > 50 else "")
                raise UsageError(f"{path} holds {len(pages)} pages; pick one with --url:\n  {listing}")
            rec = archive.get(pages[0])
        return rec, path
    size = path.stat().st_size
    if size > limit:
        raise UsageError(f"{path}: {size:,} bytes, above {source.name}'s max_response_bytes ({limit:,})")
    body = path.read_bytes()
    entry = _manifest_entry(path)
    headers = dict(entry.get("headers") or {}) if entry else {}
    return ArchivedResponse(
        url or (entry or {}).get("url"), int((entry or {}).get("status", 200)), headers, body, ""
    ), path


def decoded_body(page: ArchivedResponse, origin, limit: int) -> bytes:
    """The body without its Content-Encoding (a live run's WARC keeps bodies as received),
    decompressed by Scrapy's own helpers with the source's ``max_response_bytes`` as a cap."""
    encoding = next((v for k, v in page.headers.items() if k.lower() == "content-encoding"), "").strip().lower()
    if encoding in ("", "identity"):
        return page.body
    from scrapy.utils._compression import _DecompressionMaxSizeExceeded, _inflate
    from scrapy.utils.gz import gunzip

    decoders = {"gzip": gunzip, "x-gzip": gunzip, "deflate": _inflate}
    if encoding not in decoders:
        raise UsageError(f"{origin}: Content-Encoding {encoding!r} of {page.url} is not supported here (gzip, deflate)")
    try:
        return decoders[encoding](page.body, max_size=limit)
    except _DecompressionMaxSizeExceeded:
        raise UsageError(
            f"{origin}: {page.url} decompresses to more than max_response_bytes ({limit:,} bytes)"
        ) from None
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise UsageError(f"{origin}: {page.url}: corrupt {encoding} body: {exc}") from None


def _manifest_entry(path: Path) -> dict | None:
    """The snapshot manifest entry of a file inside a snapshot folder (its URL and headers).
    The nearest ``manifest.json`` decides; one that is not a snapshot manifest is ignored,
    one that is not JSON is an error naming it."""
    for folder in path.resolve().parents:
        manifest = folder / "manifest.json"
        if manifest.is_file():
            data = read_manifest(manifest)
            if data is None:
                return None
            rel = path.resolve().relative_to(folder).as_posix()
            return next((e for e in data["responses"] if e.get("file") == rel), None)
    return None


def _url_in_page(response) -> str | None:
    if not isinstance(response, TextResponse):
        return None
    try:
        sel = Selector(text=response.text[:200_000])
        found = sel.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content").get()
    except Exception:  # not markup (JSON, plain text)
        return None
    return found.strip() if found and found.strip().startswith(("http://", "https://")) else None


def _url_from_path(kinds, path: Path | None) -> str | None:
    for kind in kinds:
        if path is not None and kind.url_from_path and (url := kind.url_from_path(path)):
            return url
    return None


def build_response(body: bytes, headers: dict, url: str, encoding: str | None = None, status: int = 200):
    """A Scrapy response as the downloader would build it; text even when the type is unclear."""
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    if not issubclass(cls, TextResponse):
        cls = TextResponse
    kwargs = {"encoding": encoding} if encoding else {}
    return cls(url=url, status=status, headers=headers, body=body, request=Request(url), **kwargs)


def parse_page(
    source: str, kind: Route, response, origin, required, out, err, keep=(), debug: bool = False, asserted=()
) -> dict:
    counts = {"items": 0, "links": 0, "issues": 0, "errors": 0, "missing": [], "unasserted": []}

    def emit(record: dict):
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")

    def emit_issue(issue: Issue):
        counts["issues"] += 1
        counts["errors"] += issue.severity == ERROR
        if issue.code == MISSING:
            counts["missing"].append(issue.field)
        emit({"type": "issue", **issue.to_dict()})

    try:
        # The crawl's PersonalDataGuard, so the page check shows the item the crawl keeps.
        context = kind.context(response, origin) if kind.context else {}
        for rec in (
            out_rec for parsed in kind.parse(response, **context) for out_rec in scrub_output(source, parsed, keep)
        ):
            if isinstance(rec, Issue):
                emit_issue(rec)
            elif isinstance(rec, Link):
                counts["links"] += 1
                emit({"type": "link", "url": rec.url, "kind": rec.kind, **rec.shown})
            else:
                # The spider's RequiredFieldsPipeline would drop this item: say so, by field.
                empty = [f for f in required if rec.get(f) in (None, "", [])]
                for f in empty:
                    emit_issue(missing(source, response.url, f, "the parser emitted the item without it (dropped)"))
                if not empty:
                    counts["items"] += 1
                    emit({"type": "item", **rec})
                    counts["unasserted"] += [f for f in asserted if rec.get(f) in (None, "", [])]
    except ParseError as exc:
        emit_issue(exc.issue)
    except Exception as exc:  # a parser crash is a finding too: name it (the traceback with --debug)
        if debug:
            traceback.print_exc(file=err)
        emit_issue(Issue(source, response.url, "page", "parser_crashed", f"{type(exc).__name__}: {exc}"))
    return counts


def summarise(source: str, kind: Route, url: str, counts: dict, err) -> int:
    produced = counts["items"] + (counts["links"] if kind.listing else 0)
    ok = produced > 0 and not counts["missing"] and not counts["unasserted"]
    if counts["missing"]:
        verdict = "FAILED: missing required field " + ", ".join(dict.fromkeys(counts["missing"]))
    elif counts["unasserted"]:
        verdict = (
            f"FAILED: missing field {', '.join(dict.fromkeys(counts['unasserted']))}, asserted at >= 95 % fill "
            f"in sources/{source}.yml"
        )
    elif not produced:
        verdict = "FAILED: nothing extracted"
    else:
        verdict = "ok"
    print(
        f"[{source}] {kind.kind} {url}: {counts['items']} items, {counts['links']} links, "
        f"{counts['issues']} issues ({counts['errors']} errors) -> {verdict}",
        file=err,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
