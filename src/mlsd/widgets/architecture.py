"""Show an architecture spec as a Mermaid diagram (JupyterLab 4 renders it natively)."""

from __future__ import annotations

from IPython.display import Markdown

from mlsd.architecture import GUIDE_SPEC, missing_roles, to_mermaid


def architecture_diagram(spec=GUIDE_SPEC, check: bool = True) -> Markdown:
    """A Markdown display object: the diagram, then what the guide expects and is missing."""
    text = f"```mermaid\n{to_mermaid(spec)}\n```\n"
    if check:
        missing = missing_roles(spec)
        text += (
            "\n**Missing:** " + ", ".join(missing) + " (the guide expects each one)."
            if missing
            else "\n**Every role the guide expects is drawn**: entry point, serving, "
            "training, evaluation, data and the loop from serving back to data."
        )
    return Markdown(text)
