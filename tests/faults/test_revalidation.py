"""Live re-crawl through the HTTP cache: every page is revalidated (ETag / If-None-Match),
nothing is served from the cache without asking the site, and a changed page comes back whole."""

from tests.mirror import Fault, Mirror

from .conftest import crawl_live


def _sorted_lines(path):
    return sorted(path.read_text(encoding="utf-8").splitlines())


def test_second_crawl_revalidates_every_page_and_sees_a_change(tmp_path):
    with Mirror.from_snapshots("poles", validators=True) as mirror:
        first = crawl_live(mirror.proxy_url, tmp_path / "first")
        assert first.returncode == 0 and len(first.items) == 57
        pages = [u for u in mirror.counts if not u.endswith("/robots.txt")]
        assert not mirror.conditional  # an empty cache asks nothing conditionally

        first_bytes = mirror.body_bytes
        mirror.counts.clear()
        mirror.statuses.clear()
        mirror.body_bytes = 0
        # Same cache (data/cache/poles under the same data dir), same site.
        second = crawl_live(mirror.proxy_url, _same_data(tmp_path, "second"))
        assert second.returncode == 0
        assert _sorted_lines(second.out / "items.jsonl") == _sorted_lines(first.out / "items.jsonl")
        # Every page was asked again, conditionally, and answered 304.
        assert set(pages) <= set(mirror.counts)
        assert all(mirror.conditional[u] >= 1 for u in pages)
        assert mirror.statuses[304] == len(pages)
        assert mirror.body_bytes < 0.01 * first_bytes  # only robots.txt comes back whole

        # The site changes one detail page: the third crawl gets it whole and sees the change.
        changed = next(u for u in pages if u.endswith("/aerospace-valley"))
        mirror.add_fault(
            changed, Fault(transform=lambda body: body.replace(b"Aerospace Valley", b"Aerospace Valley Nouvelle"))
        )
        third = crawl_live(mirror.proxy_url, _same_data(tmp_path, "third"))
        names = {i["name"] for i in third.items}
        assert "Aerospace Valley Nouvelle" in names and "Aerospace Valley" not in names


def _same_data(tmp_path, name):
    """A new run folder that shares the first run's data dir (and so its HTTP cache)."""
    run_root = tmp_path / name
    run_root.mkdir()
    (run_root / "data").symlink_to(tmp_path / "first" / "data")
    return run_root
