"""Spider for the ``cce_appointments`` source: CCE appointment decrees on Légifrance.

Live source: Légifrance text pages (``/jorf/id/JORFTEXT…``), one per decree, listed by
hand as ``start_urls`` in ``sources/cce_appointments.yml``. Chosen over the DILA JORF
open-data dumps because those are whole-Journal tar.gz archives (a multi-GB base plus
daily increments) for one or two decrees a year, which fit neither a polite crawl nor
the one-response-per-URL replay archive; Légifrance search needs an API key (PISTE),
hence the hand-kept list. No pagination: each page is one decree.
"""

from __future__ import annotations

from spiders.core.spider import SourceSpider

from .routes import ROUTES


class AppointmentsSpider(SourceSpider):
    name = "cce_appointments"
    source_name = "cce_appointments"
    required_fields = (
        "family_name",
        "given_names",
        "display_name",
        "appointment_ref",
        "appointment_date",
        "source_url",
    )
    routes = ROUTES
