"""The sites to crawl: the pole_sites list (``{"cluster_id", "website"}`` per pôle, from the clusters
table, written by the same queries hook, ``spiders.pole_sites.sites:build_sites``); the bundled
sample has its own copy beside its pages."""

from common.paths import SNAPSHOTS_DIR

BUNDLED_SITES = SNAPSHOTS_DIR / "pole_members" / "sites.jsonl"
