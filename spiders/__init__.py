"""Scrapy project: one spider per source, parsing in small pure functions.

Layout: ``spiders/<source>/`` holds ``parse.py`` (pure functions over a response)
and ``spider.py`` (requests and pagination only); ``spiders/core/`` holds what
every source shares (archives, replay, issue log, source metadata).
"""
