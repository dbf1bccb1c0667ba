"""Enrich: the clean tables completed from the company register (SIREN, coordinates, NAF)."""
