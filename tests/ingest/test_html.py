"""extract_html on small hand-written pages: what is kept, what is dropped, what is refused."""

from __future__ import annotations

import pytest

from newsprism.errors import ExtractionError
from newsprism.ingest.html import ExtractedPage, extract_html

BRIDGE = [
    "The city council voted on Tuesday to approve a new bridge across the river, ending a "
    "debate that lasted more than ten years.",
    "The bridge will connect the old town with the northern districts and is expected to cut "
    "commuting times by a quarter, officials said.",
    "Construction is due to begin next spring and should take about three years, according to "
    "the city's planning department.",
    "Opponents argued that the money would be better spent on public transport, but the motion "
    "passed with a clear majority.",
]

BRIDGE_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council approves new bridge | Example Times</title>
<meta property="og:site_name" content="Example Times">
<meta property="og:title" content="Council approves new bridge">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2022-05-25T10:00:00+00:00">
<link rel="canonical" href="https://example.org/news/council-approves-bridge">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Council approves new bridge</h1>
<p class="byline">By Jane Doe</p>
<p>{BRIDGE[0]}</p><p>{BRIDGE[1]}</p>
<p>Read more: Mayor opens new library in the old town</p>
<p>{BRIDGE[2]}</p><p>{BRIDGE[3]}</p>
<div class="share"><a href="#">Share this article</a> <a href="#">Facebook</a></div>
<p>Sign up for our morning newsletter to get the day's news in your inbox.</p>
</article></main>
<footer><p>© 2022 Example Times. All rights reserved.</p><a href="/contact">Contact us</a></footer>
</body></html>"""


def test_article_text_without_navigation_teasers_and_prompts() -> None:
    page = extract_html(BRIDGE_PAGE, url="https://example.org/?utm=feed")
    assert isinstance(page, ExtractedPage)
    assert page.text.split("\n") == BRIDGE
    for residue in ("Home", "Read more", "newsletter", "Share this", "All rights reserved"):
        assert residue not in page.text


def test_headline_is_metadata_not_body() -> None:
    page = extract_html(BRIDGE_PAGE)
    assert page.title == "Council approves new bridge"
    assert not page.text.startswith("Council approves")


def test_metadata_from_meta_tags() -> None:
    page = extract_html(BRIDGE_PAGE, url="https://example.org/?utm=feed")
    assert page.author == "Jane Doe"
    assert page.date is not None and page.date.startswith("2022-05-25")
    assert page.site_name == "Example Times"
    # The canonical URL the page declares wins over the URL it was fetched from.
    assert page.url == "https://example.org/news/council-approves-bridge"
    assert page.lang == "en"


def test_metadata_from_json_ld() -> None:
    html = """<html><head><title>Rail strike ends</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Rail strike ends after two weeks",
 "author": {"@type": "Person", "name": "Li Wei"}, "datePublished": "2021-03-04T08:30:00Z",
 "publisher": {"@type": "Organization", "name": "Daily Planet"}}</script>
</head><body><article>
<p>Train drivers returned to work on Thursday after union leaders accepted a pay offer that
ends a two-week strike across the network.</p>
<p>The agreement gives drivers a raise of four percent this year and three percent next year,
the union said in a statement.</p></article></body></html>"""
    page = extract_html(html, url="https://planet.example/rail-strike")
    assert page.title == "Rail strike ends after two weeks"
    assert page.author == "Li Wei"
    assert page.date is not None and page.date.startswith("2021-03-04")
    assert page.site_name == "Daily Planet"
    # No canonical link: the URL passed in is kept.
    assert page.url == "https://planet.example/rail-strike"
    assert page.text.startswith("Train drivers returned to work")
    assert page.lang is None


REGULATORS = [
    "Regulators in three countries opened an inquiry on Monday into how the company handles the "
    "personal data of its younger users.",
    "The company said it would cooperate fully and that it had already changed several default "
    "settings for accounts of teenagers.",
    "Critics said the changes came too late and did not address the way the service recommends "
    "content to children at night.",
    "A spokesperson for one of the regulators said the inquiry could last several months and "
    "might end with a substantial fine.",
]


def test_article_split_into_containers_between_ads_is_read_whole() -> None:
    def chunk(first: str, second: str) -> str:
        return (
            '<div class="grid"><div class="body article__body">'
            f"<p>{first}</p><p>{second}</p></div><div class='aside'></div></div>"
        )

    ad = '<div class="row full-bleed-ad"><span class="ad-label">Advertisement</span></div>'
    html = (
        "<html><head><title>Regulators open inquiry</title></head><body><main><article>"
        "<h1>Regulators open inquiry</h1><div class='article__chunks'>"
        f"{chunk(REGULATORS[0], REGULATORS[1])}{ad}{chunk(REGULATORS[2], REGULATORS[3])}"
        "</div></article></main></body></html>"
    )
    assert extract_html(html).text.split("\n") == REGULATORS


def test_non_english_page_keeps_its_language_tag() -> None:
    html = """<html lang="de-DE"><head><title>Neue Brücke beschlossen</title></head><body>
<article><h1>Neue Brücke beschlossen</h1>
<p>Der Stadtrat hat am Dienstag den Bau einer neuen Brücke über den Fluss beschlossen und damit
eine jahrelange Debatte beendet.</p>
<p>Die Brücke soll die Altstadt mit den nördlichen Stadtteilen verbinden und die Fahrzeiten
deutlich verkürzen, teilte die Verwaltung mit.</p></article></body></html>"""
    page = extract_html(html)
    assert page.lang == "de-DE"
    assert page.title == "Neue Brücke beschlossen"
    assert page.text.startswith("Der Stadtrat hat am Dienstag")
    assert "Fahrzeiten deutlich verkürzen" in page.text


def test_truncated_page_keeps_what_arrived() -> None:
    html = (
        "<html lang='en'><head><title>Floods</title></head><body><article>"
        "<p>Heavy rain flooded dozens of streets in the capital overnight, and emergency "
        "services rescued several drivers trapped in their cars.</p>"
        "<p>Forecasters expect more rain on Friday, and the authorities have asked residents "
        "to avoid unnecessary trav"
    )
    page = extract_html(html)
    assert page.text.startswith("Heavy rain flooded dozens of streets")
    assert page.text.endswith("avoid unnecessary trav")


def test_fragment_without_document_is_read() -> None:
    html = (
        "<p>Heavy rain flooded dozens of streets in the capital overnight, and emergency "
        "services rescued several drivers trapped in their cars.</p>"
    )
    assert extract_html(html).text.startswith("Heavy rain flooded")


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n  ",
        "<html><head><title>Story</title><scr",
        "<html><head><title>Story</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/news'>News</a></nav></body></html>",
    ],
    ids=["empty", "whitespace", "truncated-before-body", "navigation-only"],
)
def test_page_without_article_text_raises_with_where(html: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_html(html, where="feeds/story.html")
    assert caught.value.where == "feeds/story.html"
    assert str(caught.value).startswith("feeds/story.html: ")
    assert caught.value.hint


def test_script_rendered_page_falls_back_to_json_ld_article_body() -> None:
    body = (
        "A winter storm closed schools across the region on Wednesday as snow and ice made many "
        "roads impassable."
    )
    html = (
        '<html><head><title>Storm</title><script type="application/ld+json">'
        f'{{"@type": "NewsArticle", "articleBody": "{body}"}}</script></head>'
        '<body><div id="app"></div><noscript>Please enable JavaScript</noscript></body></html>'
    )
    assert extract_html(html).text == body
