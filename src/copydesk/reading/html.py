"""Article text, title and date out of an HTML page, through trafilatura.

The input is already size-limited by the caller; lxml (under trafilatura) caps nesting depth and
does not expand custom entities, so hostile pages end quickly instead of hanging.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from configparser import ConfigParser
from dataclasses import dataclass
from typing import TYPE_CHECKING

from copydesk.errors import InputError
from copydesk.reading import layout, limits

if TYPE_CHECKING:
    from lxml.html import HtmlElement

log = logging.getLogger("copydesk.reading")

_HEADLINE_MAX = 160  # an untitled page's first line longer than this is a paragraph, not a headline


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    published: dt.date | None


@functools.cache
def _config() -> ConfigParser:
    from trafilatura.settings import use_config

    config = use_config()
    # Our own limits apply before this point; trafilatura's default (20,000,000 bytes) is lower
    # than a source may be.
    config.set("DEFAULT", "MAX_FILE_SIZE", str(max(limits.MAX_STORY_BYTES, limits.MAX_SOURCE_BYTES) * 2))
    config.set("DEFAULT", "MIN_FILE_SIZE", "1")
    # Dates only from the page's metadata, never guessed from dates mentioned in the article text.
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


def extract_article(name: str, html: str) -> Article:
    """The main text of ``html`` with its title and publication date; raise when there is no text.

    trafilatura's cost grows faster than the page (about 3 s for 20,000 elements, 15 s for 40,000
    on 2 cores), so pages with more than ``limits.MAX_HTML_ELEMENTS`` elements get a plain,
    linear extraction instead: the text of ``<article>`` (or ``<main>``, or ``<body>``) without
    scripts, styles, navigation, headers, footers and forms.
    """
    import trafilatura

    try:
        tree = _load(html)
        if tree is None:
            raise InputError(f"{name}: no article text found in the HTML; save the story as .txt or .md")
        elements = sum(1 for _ in tree.iter())
        if elements > limits.MAX_HTML_ELEMENTS:
            log.warning(
                "%s: a large page (%d elements); its text was read without boilerplate detection",
                name,
                elements,
            )
            return _plain_article(name, tree)
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_config(),
        )
        # (a dict comes back only with as_dict=True, which is not asked for)
        if document is None or isinstance(document, dict) or not (document.text or "").strip():
            # Very short pages fall below trafilatura's notion of an article: take the visible text.
            return _plain_article(name, _load(html))  # trafilatura has changed the first tree
        text = document.text or ""
    except (ValueError, TypeError, LookupError, RecursionError) as exc:  # lxml's errors are ValueErrors
        raise InputError(
            f"{name}: the HTML could not be parsed ({exc}); save the story as .txt or .md"
        ) from None
    text = text.strip()
    if not text:
        raise InputError(f"{name}: no article text found in the HTML; save the story as .txt or .md")
    return Article(_one_line(document.title), text, _date(document.date))


def _load(html: str) -> HtmlElement | None:
    from trafilatura.utils import load_html

    tree = load_html(html)
    # A bare fragment ("<p>...</p>") is not a document to trafilatura's loader: wrap it.
    return tree if tree is not None else load_html(f"<html><body>{html}</body></html>")


# fmt: off
_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
         "svg", "button", "select", "head")
_BLOCKS = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
                     "ol", "dl", "dt", "dd", "tr", "table", "blockquote", "pre", "br", "hr", "figcaption",
                     "figure"})
# fmt: on
_DATE_META = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='date' or @name='pubdate' or @name='publish-date' or @itemprop='datePublished']/@content",
    "//time[@datetime]/@datetime",
)


def _plain_article(name: str, tree: HtmlElement | None) -> Article:
    """The visible text of the page's article, one line per block, in time linear in the page."""
    from lxml import etree

    if tree is None:
        raise InputError(f"{name}: no article text found in the HTML; save the story as .txt or .md")
    headings = tree.xpath("//h1") or tree.xpath("//title")
    title = _one_line(headings[0].text_content()) if headings else ""
    published = next(
        (
            found
            for path in _DATE_META
            for value in tree.xpath(path)[:1]
            if (found := _date(str(value))) is not None
        ),
        None,
    )
    etree.strip_elements(tree, *_DROP, with_tail=False)
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    root = next(iter(tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")), tree)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    lines = (re.sub(r"\s+", " ", line).strip() for line in root.text_content().split("\n"))
    text = "\n".join(line for line in lines if line)
    if not text:
        raise InputError(f"{name}: no article text found in the HTML; save the story as .txt or .md")
    return Article(title, text, published)


def split_headline(article: Article) -> tuple[str, str, dt.date | None]:
    """Headline, body and date of an extracted article.

    trafilatura repeats the page's ``<h1>`` as the first line of the text; that line is the headline,
    not body. A dateline ("Published 29 August 2025") just under it gives the date and is dropped.
    """
    text = article.text
    headline = article.title
    start = 0
    first = layout.first_content(text)
    if first is not None and (_same(first.text, headline) if headline else len(first.text) <= _HEADLINE_MAX):
        headline = headline or first.text.strip()
        start = layout.skip_blank(text, first.next)
    date, start = layout.take_dateline(text, start)
    return headline, text[start:], article.published or date


def _same(a: str, b: str) -> bool:
    return _squash(a) == _squash(b)


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def _one_line(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _date(value: str | None) -> dt.date | None:
    return layout.english_date(value) if value else None
