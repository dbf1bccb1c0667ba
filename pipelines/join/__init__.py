"""Join marts: clusters x CCE committees x advisors, as pure functions over DataFrames.

- ``territory``: régions, départements, committee territories, cluster places.
- ``themes``: cluster themes -> NAF sections and position keywords (reference/theme_naf_sections.csv).
- ``coverage.cluster_committee_coverage``
- ``candidates.cluster_advisor_candidates`` (scoring explained in docs/scoring.md)
- ``region_summary.region_summary``
"""
