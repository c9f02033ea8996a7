"""No student HTML ever runs where an instructor or a student looks (issue 14, item 2).

Formgrader and the feedback pages are nbconvert renderings of the autograded notebook, served
from the instructor's Jupyter server: a script in them runs with the instructor's rights over
the Jupyter API (an audit's ``<img onerror=...>`` in a written answer rewrote
``nbgrader_config.py`` through it, and the next ``mlsd grade feedback`` ran that Python as
root). nbconvert's own ``sanitize_html`` switch is no help here: its allow-list escapes
``<p>``, headings and table parts, so every page would read as tag soup.

So the autograded notebook is cleaned before nbgrader writes it, by :class:`SanitizeSubmission`
(an nbgrader step right after the judge), and every page made from it inherits that:

- markdown the student wrote or changed (any markdown cell whose text is not one of the
  release's) is rendered to HTML by nbconvert's own renderer, cleaned against an allow-list
  (formatting tags only; links to http(s)/mailto; images from http(s), inline PNG/JPEG/GIF or
  attachments; a few harmless CSS properties; no ``id`` or ``name``, which could overwrite the
  page's own globals) and stored as one HTML block, so rendering it again cannot resurrect
  what was removed. When what went was active content, a note says so for the grader.
- outputs keep only text, PNG/JPEG/GIF (with checked base64 and numeric sizes: nbconvert puts
  both into the page unquoted), JSON, and cleaned HTML/Markdown; JavaScript, SVG, widget
  views, PDFs and anything else are replaced by their text form;
- widget state in the notebook's metadata is dropped (nbconvert would load a widget manager
  from the internet and render it); cell tags are reduced to plain words; raw cells lose
  their MIME type (nbconvert would paste them into the page).
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache
from pathlib import Path

import nbformat
import nh3
from nbgrader.preprocessors import NbGraderPreprocessor

# formatting only: no script, style, iframe, form, svg, math, object...
_TAG_WORDS = """a abbr b blockquote br caption code col colgroup dd del details div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span
    strong sub summary sup table tbody td tfoot th thead tr tt u ul"""
TAGS = frozenset(_TAG_WORDS.split())
# colours, spacing and type: no url(), position or content
_CSS_WORDS = """color background-color border border-left border-radius padding padding-left
    margin font-family font-size font-weight font-style line-height text-align white-space
    max-width overflow-wrap"""
CSS = _CSS_WORDS.split()
IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]+$")
SAFE_LINK = re.compile(r"^(https?:|mailto:|#|[^:]*$)", re.I)
SAFE_IMAGE = re.compile(r"^(https?:|attachment:)", re.I)
KEEP_OUTPUT = {"text/plain", "application/json"}
IMAGES = {"image/png", "image/jpeg", "image/gif"}
CLEANED_OUTPUT = {"text/html", "text/markdown"}
TAG_WORD = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


ATTRIBUTES = {
    "*": {"class", "title", "style"},  # no id or name: they could overwrite the page's globals
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
}
# What the cleaner removes silently; the grader is told when any of it was there.
ACTIVE = re.compile(
    r"<\s*(script|style|iframe|frame|object|embed|svg|math|form|input|button|link|meta|base)\b"
    r"|\son[a-z]+\s*=|javascript\s*:|vbscript\s*:|data\s*:\s*text/html",
    re.I,
)
REMOVED_NOTE = (
    '<p class="mlsd-cleaned"><em>[The grading views removed active content (a script, an '
    "event handler, an unsafe link or an embedded frame) from this part of the "
    "submission.]</em></p>"
)


def _allowed_value(tag: str, attribute: str, value: str) -> str | None:
    """Links go to the web or mail only; images come from the web, a notebook attachment or
    inline PNG/JPEG/GIF data; sizes are numbers."""
    value = value.strip()
    if tag == "a" and attribute == "href":
        return value if SAFE_LINK.match(value) else None
    if tag == "img" and attribute == "src":
        return value if SAFE_IMAGE.match(value) or IMAGE_DATA.match(value) else None
    if attribute in ("width", "height"):
        return value if value.isdigit() else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    attributes=ATTRIBUTES,
    attribute_filter=_allowed_value,
    url_schemes={"http", "https", "mailto", "data", "attachment"},
    clean_content_tags={"script", "style"},
    link_rel=None,
    strip_comments=True,
    filter_style_properties=set(CSS),
)


def clean_html(text: str) -> str:
    """``text`` with everything outside the allow-list removed (nh3, the Rust sanitizer
    ammonia: 13x faster than bleach on a check block here), and a note for the grader when
    what went was active content."""
    text = str(text)
    cleaned = _CLEANER.clean(text)
    return cleaned + REMOVED_NOTE if ACTIVE.search(text) else cleaned


def clean_markdown(source: str) -> str:
    """Untrusted markdown as one safe HTML block that renders the same way.

    Rendered with nbconvert's own renderer (what formgrader uses), cleaned, then wrapped in a
    single ``<div>`` with no blank line, so a second rendering passes it through verbatim
    instead of reading its text as markdown again."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    html = clean_html(markdown2html_mistune(source))
    html = re.sub(r"\n[ \t]*(?=\n)", "\n&#8203;", html.strip())  # no blank line inside
    return f'<div class="mlsd-student-markdown">\n{html}\n</div>'


def _valid_base64(data) -> bool:
    if not isinstance(data, str):
        return False
    try:
        base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _clean_metadata(metadata: dict) -> dict:
    """Only numeric image sizes survive: nbconvert writes them into an unquoted attribute."""
    out = {}
    for mime, meta in (metadata or {}).items():
        if mime in IMAGES and isinstance(meta, dict):
            sizes = {k: v for k, v in meta.items() if k in ("width", "height") and _number(v)}
            if sizes:
                out[mime] = sizes
    return out


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1e5


PLOTLY = "application/vnd.plotly.v1+json"
CHART_NOTE = "<p><em>[a plotly chart: drawn in JupyterLab, not in grading views]</em></p>"


def clean_output(output) -> None:
    """Make one code-cell output safe to render, in place."""
    if output.get("output_type") not in ("display_data", "execute_result"):
        return  # stream and error text is escaped by nbconvert (ansi2html)
    data = output.get("data", {})
    if PLOTLY in data:  # its text/html is a loader script: say what it was instead
        data = {"text/html": CHART_NOTE}
    kept = {}
    for mime, value in data.items():
        if mime in KEEP_OUTPUT or mime in IMAGES and _valid_base64(value):
            kept[mime] = value
        elif mime in CLEANED_OUTPUT:
            text = "".join(value) if isinstance(value, list) else str(value)
            kept[mime] = clean_html(text) if mime == "text/html" else clean_markdown(text)
    if not kept:
        dropped = ", ".join(sorted(data)) or "nothing"
        kept["text/plain"] = f"[an output of type {dropped} is not shown in grading views]"
    output["data"] = kept
    output["metadata"] = _clean_metadata(output.get("metadata", {}))


class SanitizeSubmission(NbGraderPreprocessor):
    """nbgrader step: make an autograded notebook safe for formgrader and feedback pages.

    (An nbgrader step, enabled by default: a plain nbconvert preprocessor is registered
    disabled and would silently do nothing.)"""

    def preprocess(self, nb, resources):
        self._trusted = self._release_markdown(resources)
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def _release_markdown(self, resources) -> set[str]:
        """The texts of the release's markdown cells: course prose, kept as it is."""
        info = (resources or {}).get("nbgrader", {})
        try:
            from nbgrader.coursedir import CourseDirectory

            coursedir = CourseDirectory(config=self.config)
            folder = coursedir.format_path(coursedir.release_directory, ".", info["assignment"])
            path = Path(folder) / f"{info['notebook']}.ipynb"
            return _markdown_of(path, path.stat().st_mtime_ns)
        except Exception:  # no release at hand: every markdown cell is cleaned
            return set()

    def preprocess_cell(self, cell, resources, index):
        tags = cell.get("metadata", {}).get("tags")
        if tags is not None:
            cell.metadata["tags"] = [t for t in tags if isinstance(t, str) and TAG_WORD.match(t)]
        if cell.cell_type == "markdown" and cell.source not in self._trusted:
            cell.source = clean_markdown(cell.source)
            if _unsafe_attachments(cell):
                cell.pop("attachments", None)
        elif cell.cell_type == "raw":
            cell.metadata.pop("raw_mimetype", None)
            cell.metadata.pop("format", None)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                clean_output(output)
        return cell, resources


@lru_cache(maxsize=32)
def _markdown_of(path: Path, _mtime_ns: int) -> frozenset[str]:
    """The markdown texts of a release notebook, read once per grading worker (and again
    only if the file changes)."""
    release = nbformat.read(path, as_version=4)
    return frozenset(c.source for c in release.cells if c.cell_type == "markdown")


def _unsafe_attachments(cell) -> bool:
    """Attachments become ``data:`` image sources: only real base64 images may stay."""
    for bundle in (cell.get("attachments") or {}).values():
        for mime, data in (bundle or {}).items():
            if mime not in IMAGES or not _valid_base64(data):
                return True
    return False
