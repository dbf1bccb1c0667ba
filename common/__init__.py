"""Code shared by the spiders and the pipelines: places, countries, paths, the issue log, the source registry."""
