"""Rich text of materials: sanitised with nh3 when saved, so the stored HTML is safe to show."""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Dropped with their content, not just unwrapped: their text is code or styling, not prose.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "iframe",
    "object",
    "noscript",
    "svg",
    "math",
}

_TAG = re.compile(r"<[^>]+>")


def clean_html(text: str) -> str:
    """Only the tags above; links only to http(s) and mailto, opened without referrer."""
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(cleaned: str) -> str:
    """The words of sanitised HTML, for search."""
    return html.unescape(_TAG.sub(" ", cleaned or ""))
