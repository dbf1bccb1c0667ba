"""The company register (recherche-entreprises.api.gouv.fr): queries, parsing, matching."""
