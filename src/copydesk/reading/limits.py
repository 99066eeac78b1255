"""How much copydesk reads before refusing a file. Change these (or pass ``max_bytes``) to raise them."""

from __future__ import annotations

MAX_STORY_BYTES = 10 * 1024 * 1024
"""A story file larger than this is refused before it is read."""

MAX_SOURCE_BYTES = 20 * 1024 * 1024
"""Each source file (or upload) larger than this is refused before it is read."""

MAX_SOURCE_FILES = 2000
"""A source folder holding more files than this is refused (probably the wrong folder)."""

MAX_SOURCES_TOTAL_BYTES = 200 * 1024 * 1024
"""All sources of one story together."""

MAX_HTML_ELEMENTS = 20_000
"""Pages with more elements than this skip trafilatura (whose time grows faster than the page) for a
plain extraction of the article's text."""
