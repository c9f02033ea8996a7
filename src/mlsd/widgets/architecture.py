"""Show an architecture spec as a Mermaid diagram (JupyterLab 4 renders it natively)."""

from __future__ import annotations

import html

from IPython.display import Markdown

from mlsd.architecture import GUIDE_SPEC, review, to_mermaid


def review_markdown(spec) -> str:
    """The reviewer's findings as Markdown: each missing part with why it matters."""
    findings = review(spec)
    if not findings:
        return (
            "**A reviewer finds every part drawn**: entry point, serving, training, "
            "evaluation, data, shared features, monitoring with a model signal, a fallback, "
            "and the loop from serving back to data."
        )
    items = "\n".join(f"- **{f.role}**: {html.escape(f.why)}" for f in findings)
    return f"**A reviewer would flag {len(findings)} gap(s):**\n\n{items}"


def architecture_diagram(spec=GUIDE_SPEC, check: bool = True) -> Markdown:
    """A Markdown display object: the diagram, then what a reviewer flags and why."""
    text = f"```mermaid\n{to_mermaid(spec)}\n```\n"
    if check:
        text += "\n" + review_markdown(spec)
    return Markdown(text)
