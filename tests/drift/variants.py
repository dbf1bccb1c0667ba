"""Drift corpus: the same hand-written facts rendered in layouts the parsers were not tuned to.

Each variant is a transformation of the facts into a page: label synonyms (French, English,
"(s)" and plurals), reordering, extra wrappers, renamed classes, tables <-> definition lists
<-> cards, schema.org only (JSON-LD, microdata), icons instead of labels. The pages are
written here, from ``facts_<source>.yml``, never by the parser under test.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import yaml

HERE = Path(__file__).parent
POLES_URL = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles/"
CNCCEF = "https://www.cnccef.org"


def facts(source: str) -> list[dict]:
    return yaml.safe_load((HERE / f"facts_{source}.yml").read_text(encoding="utf-8"))


def e(text) -> str:
    return escape(str(text), quote=True)


# --- page shells (site chrome that must be ignored) ----------------------------------------------


def poles_page(title: str, main: str, head: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{e(title)}</title>{head}</head>
<body><header class="fr-header"><nav class="fr-nav"><ul><li><a href="/">Accueil</a></li>
<li><a href="https://www.economie.gouv.fr/">Ministère</a></li><li>Région : menu</li></ul></nav></header>
<main id="contenu"><div class="fr-container">
<nav class="fr-breadcrumb"><ol><li><a href="/">Accueil</a></li><li><a aria-current="page">{e(title)}</a></li></ol></nav>
{main}
<div class="fr-share"><a class="fr-share__link" href="https://www.linkedin.com/shareArticle?url=x">LinkedIn</a></div>
</div></main>
<footer class="fr-footer"><p>Site : competitivite.gouv.fr</p><a href="https://www.legifrance.gouv.fr">legifrance.gouv.fr</a></footer></body></html>"""


def cce_page(title: str, main: str, head: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{e(title)}</title>{head}</head>
<body><header id="masthead"><nav><ul><li><a href="/les-cce-en-france/">Les CCE en France</a></li>
<li><a href="/les-cce-dans-le-monde/">Les CCE dans le monde</a></li></ul></nav></header>
<main id="main">{main}</main>
<footer><p>CNCCEF, 22 avenue Franklin Roosevelt, 75008 Paris</p></footer></body></html>"""


# --- pôles ------------------------------------------------------------------------------------------


def _addr(p, sep="<br>"):
    return f"{e(p['street'])}{sep}{p['postcode']} {e(p['city'])}"


def _tags(items, cls="fr-tag"):
    return '<ul class="fr-tags-group">' + "".join(f'<li><p class="{cls}">{e(t)}</p></li>' for t in items) + "</ul>"


def _ul(items, cls=""):
    return f'<ul class="{cls}">' + "".join(f"<li>{e(t)}</li>" for t in items) + "</ul>"


def _regions_text(p, sep=", "):
    return sep.join([p["region"], *p["other_regions"]])


def _pole_rows(p, labels: dict) -> list[tuple[str, str]]:
    """(label, value html) per fact, in the facts' order, under the labels given."""
    rows = [
        (labels["short_name"], e(p["short_name"])),
        (labels["themes"], _tags(p["themes"])),
        (labels["region"], e(p["region"])),
    ]
    if p["other_regions"]:
        rows.append((labels["other_regions"], _ul(p["other_regions"])))
    rows += [
        (labels["website"], f'<a href="{e(p["website"])}">{e(p["website"])}</a>'),
        (labels["address"], _addr(p)),
        (labels["email"], f'<a href="mailto:{e(p["contact_email"])}">{e(p["contact_email"])}</a>'),
        (labels["phone"], e(p["contact_phone"])),
        (labels["label_status"], e(p["label_status"])),
        (labels["label_period"], e(p["label_period"])),
    ]
    return rows


FR = {
    "short_name": "Sigle",
    "themes": "Thématiques",
    "region": "Région du siège",
    "other_regions": "Autres régions",
    "website": "Site internet",
    "address": "Adresse",
    "email": "Courriel",
    "phone": "Téléphone",
    "label_status": "Statut",
    "label_period": "Période de labellisation",
}
EN = {
    "short_name": "Acronym",
    "themes": "Topics",
    "region": "Head office region",
    "other_regions": "Other regions",
    "website": "Website",
    "address": "Address",
    "email": "E-mail",
    "phone": "Phone",
    "label_status": "Label status",
    "label_period": "Label period",
}
SYN = {
    "short_name": "Acronyme :",
    "themes": "Domaines d'activité",
    "region": "RÉGION",
    "other_regions": "Régions couvertes",
    "website": "Site officiel",
    "address": "Adresse postale",
    "email": "Mél",
    "phone": "Tél.",
    "label_status": "Statut du label",
    "label_period": "Période",
}


def pole_dl(p):
    return f"<h1>{e(p['name'])}</h1><dl>" + "".join(f"<dt>{l}</dt><dd>{v}</dd>" for l, v in _pole_rows(p, FR)) + "</dl>"


def pole_table_synonyms(p):
    """The issue's DSFR table: "Siège", "Région(s)", "Secteur(s)", "Site web", "Label"."""
    rows = [
        ("Sigle", e(p["short_name"])),
        ("Siège", _addr(p)),
        ("Région(s)", "<br>".join(e(r) for r in [p["region"], *p["other_regions"]])),
        ("Secteur(s)", " ; ".join(e(t) for t in p["themes"])),
        ("Site web", f'<a href="{e(p["website"])}" title="Site du pôle - nouvelle fenêtre">Accéder au site</a>'),
        ("Contact", f'<a href="mailto:{e(p["contact_email"])}">{e(p["contact_email"])}</a><br>{e(p["contact_phone"])}'),
        ("Label", f"{e(p['label_status'])} {e(p['label_period'])}"),
    ]
    body = "".join(f'<tr><th scope="row">{l}</th><td>{v}</td></tr>' for l, v in rows)
    return f'<h1 class="fr-h1">{e(p["name"])}</h1><div class="fr-table"><table><tbody>{body}</tbody></table></div>'


def pole_strong_lines(p):
    return (
        f"<h1>{e(p['name'])}</h1>"
        + "".join(f"<p><strong>{l}&nbsp;:</strong> {v}</p>" for l, v in _pole_rows(p, SYN) if "<ul" not in v)
        + f"<p><strong>Thèmes :</strong> {e(', '.join(p['themes']))}</p>"
        + (
            f"<p><strong>Régions couvertes :</strong> {e(' et '.join(p['other_regions']))}</p>"
            if p["other_regions"]
            else ""
        )
    )


def pole_br_lines(p):
    lines = [
        f"Sigle : {e(p['short_name'])}",
        f"Thématiques : {e(' / '.join(p['themes']))}",
        f"Région(s) : {e(_regions_text(p))}",
        f"Adresse : {e(p['street'])}, {p['postcode']} {e(p['city'])}",
        f"Site : {e(p['website'])}",
        f"E-mail : {e(p['contact_email'])}",
        f"Tél : {e(p['contact_phone'])}",
        f"Label : {e(p['label_status'])} ({e(p['label_period'].replace('-', ' – '))})",
    ]
    return f"<h1>{e(p['name'])}</h1><p class='infos'>" + "<br>".join(lines) + "</p>"


def pole_english(p):
    return (
        f"<h1>{e(p['name'])}</h1><dl class='facts'>"
        + "".join(f"<dt>{l}:</dt><dd>{v}</dd>" for l, v in _pole_rows(p, EN))
        + "</dl>"
    )


def pole_drupal_reordered(p):
    fields = list(reversed(_pole_rows(p, FR)))
    body = "".join(
        f'<div class="wrap"><section><div class="field field--name-x"><div class="field__label">{l}</div>'
        f'<div class="field__item">{v}</div></div></section></div>'
        for l, v in fields
    )
    return f'<article><div><div class="layout"><h1><span>{e(p["name"])}</span></h1>{body}</div></div></article>'


def pole_class_renames(p):
    rows = _pole_rows(p, FR)
    rows[1] = (FR["themes"], _ul(p["themes"], "chips"))
    body = "".join(f'<div class="x1"><span class="x2">{l}</span> <span class="x3">{v}</span></div>' for l, v in rows)
    return f'<h1 class="t">{e(p["name"])}</h1><div class="x0">{body}</div>'


def pole_column_table(p):
    heads = ["Sigle", "Thématique(s)", "Région", "Autres régions", "Site", "Adresse", "Courriel", "Téléphone", "Label"]
    cells = [
        e(p["short_name"]),
        "<br>".join(e(t) for t in p["themes"]),
        e(p["region"]),
        ", ".join(e(r) for r in p["other_regions"]),
        f'<a href="{e(p["website"])}">{e(p["website"])}</a>',
        _addr(p, ", "),
        e(p["contact_email"]),
        e(p["contact_phone"]),
        f"{e(p['label_status'])} {e(p['label_period'])}",
    ]
    return (
        f"<h1>{e(p['name'])}</h1><table><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in heads)
        + "</tr></thead><tbody><tr>"
        + "".join(f"<td>{c}</td>" for c in cells)
        + "</tr></tbody></table>"
    )


def pole_card_icons(p):
    """The issue's DSFR card: icon-prefixed lines, "Régions : a, b, c", tags and a badge."""
    return f"""<h1 class="fr-h2">{e(p["name"])} ({e(p["short_name"])})</h1>
<div class="fr-card"><div class="fr-card__body"><div class="fr-card__content"><h2 class="fr-card__title">Coordonnées</h2>
<div class="fr-card__desc">
<p class="fr-icon-map-pin-2-line">{_addr(p)}</p>
<p><span class="fr-icon-global-line" aria-hidden="true"></span> <a href="{e(p["website"])}" target="_blank">Site internet</a></p>
<p class="fr-icon-mail-line"><a href="mailto:{e(p["contact_email"])}">Nous écrire</a></p>
<p class="fr-icon-phone-line">{e(p["contact_phone"])}</p>
<p>Régions : {e(_regions_text(p))}</p></div>
<div class="fr-card__start"><p class="fr-badge fr-badge--success">{e(p["label_status"])} {e(p["label_period"])}</p>
{_tags(p["themes"], "fr-tag fr-tag--sm")}</div></div></div></div>"""


def _pole_jsonld(p) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": p["name"],
        "alternateName": p["short_name"],
        "url": p["website"],
        "email": p["contact_email"],
        "telephone": p["contact_phone"],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": p["street"],
            "postalCode": p["postcode"],
            "addressLocality": p["city"],
            "addressRegion": p["region"],
        },
        "areaServed": [p["region"], *p["other_regions"]],
        "knowsAbout": p["themes"],
        "award": f"{p['label_status']} {p['label_period']}",
    }


def pole_jsonld_only(p):
    return f"<h1>{e(p['name'])}</h1><div id='app'></div>", (
        f'<script type="application/ld+json">{json.dumps(_pole_jsonld(p), ensure_ascii=False)}</script>'
    )


def pole_microdata(p):
    areas = "".join(f'<span itemprop="areaServed">{e(r)}</span> ' for r in [p["region"], *p["other_regions"]])
    topics = "".join(f'<li itemprop="knowsAbout">{e(t)}</li>' for t in p["themes"])
    return f"""<div itemscope itemtype="https://schema.org/Organization"><h1 itemprop="name">{e(p["name"])}</h1>
<p>(<span itemprop="alternateName">{e(p["short_name"])}</span>)</p><ul class="k">{topics}</ul><p class="z">{areas}</p>
<div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress"><span itemprop="streetAddress">{e(p["street"])}</span>,
<span itemprop="postalCode">{p["postcode"]}</span> <span itemprop="addressLocality">{e(p["city"])}</span>
(<span itemprop="addressRegion">{e(p["region"])}</span>)</div>
<a itemprop="url" href="{e(p["website"])}">web</a> <span itemprop="email">{e(p["contact_email"])}</span>
<span itemprop="telephone">{e(p["contact_phone"])}</span> <span itemprop="award">{e(p["label_status"])} {e(p["label_period"])}</span></div>"""


def pole_headings(p):
    rows = _pole_rows(p, FR)
    body = "".join(f"<h3>{l}</h3>" + (v if v.startswith("<ul") else f"<p>{v}</p>") for l, v in rows)
    return f"<h1>{e(p['name'])}</h1><section class='s'>{body}</section>"


def pole_link_titles(p):
    rows = [(l, v) for l, v in _pole_rows(p, FR) if l not in (FR["website"], FR["email"])]
    return (
        f"<h1>{e(p['name'])}</h1><dl>" + "".join(f"<dt>{l}</dt><dd>{v}</dd>" for l, v in rows) + "</dl>"
        f'<p><a href="{e(p["website"])}" aria-label="Site web du pôle (nouvelle fenêtre)" class="fr-btn">Visiter</a> '
        f'<a href="mailto:{e(p["contact_email"])}" title="Courriel">Écrire</a></p>'
    )


def pole_mixed_free_text(p):
    regions = ", ".join([f"{p['region']} (siège)", *p["other_regions"]][::-1])
    return f"""<h1>{e(p["name"])}</h1><div class="intro"><p>Sigle : {e(p["short_name"])}</p></div>
<div class="bloc"><h2>Implantation</h2><p>Régions : {e(regions)}</p>
<address>{e(p["street"])}<br>{p["postcode"]} {e(p["city"])}</address></div>
<div class="bloc"><h2>Domaines</h2><p>{e(" ; ".join(p["themes"]))}</p></div>
<div class="bloc"><p>{e(p["label_status"])} — {e(p["label_period"])}</p>
<p><a href="{e(p["website"])}">{e(p["website"].split("//")[1].rstrip("/"))}</a> · <a href="mailto:{e(p["contact_email"])}">{e(p["contact_email"])}</a> · <a href="tel:{e(p["contact_phone"].replace(" ", ""))}">{e(p["contact_phone"])}</a></p></div>"""


POLE_VARIANTS = {
    "definition list": pole_dl,
    "DSFR table, issue-14 labels": pole_table_synonyms,
    "`<strong>` labels, synonyms": pole_strong_lines,
    "`<br>` lines in one paragraph": pole_br_lines,
    "English labels": pole_english,
    "Drupal fields, reordered, wrapped": pole_drupal_reordered,
    "renamed classes, span pairs": pole_class_renames,
    "header row + one data row": pole_column_table,
    "DSFR card, icons, badge": pole_card_icons,
    "JSON-LD only": pole_jsonld_only,
    "microdata only": pole_microdata,
    "headings + values": pole_headings,
    "link aria-label / title": pole_link_titles,
    "unlabelled shapes, (siège) marker": pole_mixed_free_text,
}


def pole_pages():
    """(variant, url, html, facts) for every variant of every pôle."""
    for variant, render in POLE_VARIANTS.items():
        for p in facts("poles"):
            out = render(p)
            main, head = out if isinstance(out, tuple) else (out, "")
            yield variant, POLES_URL + p["slug"], poles_page(p["name"], main, head), p


# --- committees and sections ------------------------------------------------------------------


def _place_rows(c, fr=True):
    if c["kind"] == "section":
        return [("Pays" if fr else "Country", e(c["country"])), ("Zone" if fr else "Area", "Europe")]
    return [("Territoire" if fr else "Territory", e(c["territory"])), ("Région" if fr else "Region", e(c["region"]))]


def _count_text(c):
    what = "La section" if c["kind"] == "section" else "Le comité"
    return f"<p>{what} compte aujourd'hui {c['member_count']} conseillers du commerce extérieur de la France.</p>"


def cce_list(c):
    infos = "".join(f"<p><strong>{l} :</strong> {v}</p>" for l, v in _place_rows(c))
    offs = "".join(
        f'<li><span class="fonction">{e(r)}</span> : {e(n)}, <em>{e(co)}</em></li>' for r, n, co in c["officers"]
    )
    return f'<article><h1 class="entry-title">{e(c["name"])}</h1><div class="infos">{infos}</div>{_count_text(c)}<h2>Le bureau</h2><ul class="bureau">{offs}</ul></article>'


def cce_table(c):
    infos = "".join(f"<dt>{l}</dt><dd>{v}</dd>" for l, v in _place_rows(c))
    rows = "".join(f"<tr><td>{e(r)}</td><td>{e(n)}</td><td>{e(co)}</td></tr>" for r, n, co in c["officers"])
    return (
        f"<h1>{e(c['name'])}</h1><dl>{infos}<dt>Nombre de conseillers</dt><dd>{c['member_count']}</dd></dl>"
        f"<table><thead><tr><th>Fonction</th><th>Nom</th><th>Entreprise</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def cce_english(c):
    infos = "".join(f"<li>{l}: {v}</li>" for l, v in _place_rows(c, fr=False))
    rows = "".join(f"<tr><td>{e(n)}</td><td>{e(r)}</td><td>{e(co)}</td></tr>" for r, n, co in c["officers"])
    return (
        f'<h1>{e(c["name"])}</h1><ul class="meta">{infos}<li>Members: {c["member_count"]}</li></ul>'
        f"<table><tr><th>Name</th><th>Role</th><th>Company</th></tr>{rows}</table>"
    )


def cce_class_renames(c):
    infos = "".join(f'<div class="a1"><b>{l}</b> : {v}</div>' for l, v in _place_rows(c))
    offs = "".join(f"<li>{e(r)} : {e(n)}, <i>{e(co)}</i></li>" for r, n, co in c["officers"])
    return f'<div class="p0"><h1 class="h">{e(c["name"])}</h1>{infos}{_count_text(c)}<ul class="z9">{offs}</ul></div>'


def cce_cards(c):
    infos = "".join(f"<p><strong>{l} :</strong> {v}</p>" for l, v in _place_rows(c))
    cards = "".join(
        f'<div class="card"><div class="card-body"><p class="card-role">{e(r)}</p><p class="card-name">{e(n)}</p>'
        f'<p class="card-org">{e(co)}</p></div></div>'
        for r, n, co in c["officers"]
    )
    stat = f'<div class="chiffres"><div class="chiffre"><span class="valeur">{c["member_count"]}</span> <span class="libelle">conseillers</span></div></div>'
    return f'<h1>{e(c["name"])}</h1>{infos}{stat}<div class="grid">{cards}</div>'


def cce_headings(c):
    infos = "".join(f"<h4>{l}</h4><p>{v}</p>" for l, v in _place_rows(c))
    offs = "".join(f"<h3>{e(r)}</h3><p>{e(n)}</p><p>{e(co)}</p>" for r, n, co in c["officers"])
    return f"<h1>{e(c['name'])}</h1>{infos}{_count_text(c)}<section>{offs}</section>"


def cce_dl_officers(c):
    infos = "".join(f"<tr><th>{l}</th><td>{v}</td></tr>" for l, v in _place_rows(c))
    offs = "".join(f"<dt>{e(r)}</dt><dd>{e(n)}, {e(co)}</dd>" for r, n, co in c["officers"])
    return f'<h1>{e(c["name"])}</h1><table>{infos}</table>{_count_text(c)}<dl class="o">{offs}</dl>'


def cce_wrappers_reordered(c):
    offs = "".join(
        f'<div><div><li><span class="fonction">{e(r)}</span> : {e(n)}, <em>{e(co)}</em></li></div></div>'
        for r, n, co in c["officers"]
    )
    infos = "".join(
        f"<div><div><p><strong>{l}&nbsp;:</strong>&nbsp;{v}</p></div></div>" for l, v in reversed(_place_rows(c))
    )
    return f'<div class="outer"><div class="inner"><h1>{e(c["name"])}</h1><ul class="bureau">{offs}</ul>{infos}{_count_text(c)}</div></div>'


def cce_br_lines(c):
    infos = "<br>".join(f"{l} : {v}" for l, v in _place_rows(c))
    offs = "<br>".join(f"{e(r)} – {e(n)} ({e(co)})" for r, n, co in c["officers"])
    return f"<h1>{e(c['name'])}</h1><p>{infos}<br>Effectif : {c['member_count']} conseillers</p><h2>Bureau</h2><p>{offs}</p>"


def _cce_jsonld(c) -> dict:
    place = (
        {"areaServed": c["country"], "address": {"@type": "PostalAddress", "addressCountry": c["country"]}}
        if c["kind"] == "section"
        else {"areaServed": c["territory"], "address": {"@type": "PostalAddress", "addressRegion": c["region"]}}
    )
    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": c["name"],
        **place,
        "description": f"{c['member_count']} conseillers du commerce extérieur de la France.",
        "member": [
            {
                "@type": "OrganizationRole",
                "roleName": r,
                "member": {"@type": "Person", "name": n, "worksFor": {"@type": "Organization", "name": co}},
            }
            for r, n, co in c["officers"]
        ],
    }


def cce_jsonld_only(c):
    return f"<h1>{e(c['name'])}</h1><div id='root'></div>", (
        f'<script type="application/ld+json">{json.dumps(_cce_jsonld(c), ensure_ascii=False)}</script>'
    )


def cce_microdata(c):
    place = (
        f'<span itemprop="areaServed">{e(c["country"])}</span>'
        if c["kind"] == "section"
        else f'<span itemprop="areaServed">{e(c["territory"])}</span> <span itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">'
        f'<span itemprop="addressRegion">{e(c["region"])}</span></span>'
    )
    people = "".join(
        f'<div itemprop="member" itemscope itemtype="https://schema.org/Person"><span itemprop="jobTitle">{e(r)}</span> '
        f'<span itemprop="name">{e(n)}</span> <span itemprop="worksFor">{e(co)}</span></div>'
        for r, n, co in c["officers"]
    )
    return (
        f'<div itemscope itemtype="https://schema.org/Organization"><h1 itemprop="name">{e(c["name"])}</h1>{place}'
        f'<p itemprop="description">{c["member_count"]} conseillers</p>{people}</div>'
    )


def cce_column_table(c):
    heads = [l for l, _ in _place_rows(c)] + ["Conseillers"]
    vals = [v for _, v in _place_rows(c)] + [str(c["member_count"])]
    rows = "".join(f"<tr><td>{e(r)}</td><td>{e(n)}</td><td>{e(co)}</td></tr>" for r, n, co in c["officers"])
    return (
        f"<h1>{e(c['name'])}</h1><table><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in heads)
        + "</tr></thead><tbody><tr>"
        + "".join(f"<td>{v}</td>" for v in vals)
        + "</tr></tbody></table>"
        f"<table><tr><td>Rôle</td><td>Nom et prénom</td><td>Société</td></tr>{rows}</table>"
    )


CCE_VARIANTS = {
    "labels + bureau list": cce_list,
    "definition list + officers table": cce_table,
    "English labels, reordered columns": cce_english,
    "renamed classes": cce_class_renames,
    "officer cards + stat block": cce_cards,
    "headings + values": cce_headings,
    "table rows + officers in `<dl>`": cce_dl_officers,
    "wrappers, reordered": cce_wrappers_reordered,
    "`<br>` lines, 'role – name (company)'": cce_br_lines,
    "JSON-LD only": cce_jsonld_only,
    "microdata only": cce_microdata,
    "header row + `<td>` header": cce_column_table,
}


def cce_url(c) -> str:
    folder = "/les-cce-dans-le-monde/" if c["kind"] == "section" else "/les-cce-en-france/"
    return f"{CNCCEF}{folder}{c['slug']}/"


def cce_pages():
    for variant, render in CCE_VARIANTS.items():
        for c in facts("cce_committees"):
            out = render(c)
            main, head = out if isinstance(out, tuple) else (out, "")
            yield variant, cce_url(c), cce_page(c["name"], main, head), c
