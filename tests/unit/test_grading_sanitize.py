"""The cleaner of autograded notebooks (browser proof: tests/browser/test_grading_views.py)."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from mlsd.grading.sanitize import SanitizeSubmission, clean_html, clean_markdown, clean_output

PNG = "iVBORw0KGgo="


def _display(data, metadata=None):
    return new_output("display_data", data=data, metadata=metadata or {})


def test_markdown_keeps_its_look_and_loses_its_scripts():
    html = clean_markdown("# Title\n\n*x* < 5, [ok](https://a.org) [bad](javascript:alert(1))\n")
    assert "<h1>" in html and "<em>x</em>" in html and 'href="https://a.org"' in html
    assert "javascript:" not in html and "&lt; 5" in html
    assert "\n\n" not in html  # one HTML block: a second rendering passes it through
    assert "removed active content" in clean_markdown("<script>alert(1)</script>")  # noted
    assert "alert" not in clean_markdown("<script>alert(1)</script>")
    assert "removed" not in clean_markdown("*plain* words")


def test_html_keeps_formatting_and_drops_handlers_ids_and_urls_in_css():
    html = clean_html(
        '<div id="x" style="color:red;background:url(http://e/x)" onclick="a()">'
        '<img src="x" onerror="a()"><img src="data:image/png;base64,' + PNG + '"></div>'
    )
    assert 'style="color:red"' in html and "onclick" not in html and "id=" not in html
    assert "onerror" not in html and f"base64,{PNG}" in html


def test_outputs_keep_safe_types_only():
    outputs = [
        _display({"application/javascript": "alert(1)", "text/plain": "js"}),
        _display({"image/svg+xml": "<svg onload='a()'/>"}),
        _display({"image/png": 'x" onerror="a()'}),
        _display({"image/png": PNG}, {"image/png": {"width": "1 onerror=a()", "height": 20}}),
        _display({"text/html": "<b>ok</b><script>a()</script>"}),
        _display({"application/vnd.jupyter.widget-view+json": {"model_id": "m"}}),
    ]
    for output in outputs:
        clean_output(output)
    assert outputs[0].data == {"text/plain": "js"}
    assert outputs[1].data == {
        "text/plain": "[an output of type image/svg+xml is not shown in grading views]"
    }
    assert "image/png" not in outputs[2].data
    assert outputs[3].data == {"image/png": PNG}
    assert outputs[3].metadata == {"image/png": {"height": 20}}
    assert outputs[4].data["text/html"].startswith('<b>ok</b><p class="mlsd-cleaned">')
    assert "a()" not in outputs[4].data["text/html"]
    assert list(outputs[5].data) == ["text/plain"]


def test_a_plotly_chart_becomes_a_sentence():
    output = _display(
        {
            "application/vnd.plotly.v1+json": {"data": []},
            "text/html": "<div></div><script>x</script>",
        }
    )
    clean_output(output)
    assert output.data == {
        "text/html": "<p><em>[a plotly chart: drawn in JupyterLab, not in grading views]</em></p>"
    }


def test_the_notebook_loses_widget_state_unsafe_tags_and_raw_html():
    code = new_code_cell("1", metadata={"tags": ['"><img src=x onerror=a()>', "ok-tag"]})
    raw = new_raw_cell("<script>a()</script>", metadata={"raw_mimetype": "text/html"})
    nb = new_notebook(cells=[new_markdown_cell("<img src=x onerror=a()>"), code, raw])
    nb.metadata["widgets"] = {"state": {}}
    clean, _ = SanitizeSubmission().preprocess(nb, {})
    assert "widgets" not in clean.metadata
    assert clean.cells[1].metadata["tags"] == ["ok-tag"]
    assert "raw_mimetype" not in clean.cells[2].metadata
    assert "onerror" not in clean.cells[0].source


def test_release_prose_is_left_as_written(tmp_path):
    import nbformat

    prose = "Course text with <details><summary>a fold</summary>x</details>"
    release = tmp_path / "release" / "sec" / "nb.ipynb"
    release.parent.mkdir(parents=True)
    nbformat.write(new_notebook(cells=[new_markdown_cell(prose)]), release)
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.release_directory = str(tmp_path / "release")
    config.CourseDirectory.root = str(tmp_path)
    nb = new_notebook(cells=[new_markdown_cell(prose), new_markdown_cell(prose + " edited")])
    resources = {"nbgrader": {"assignment": "sec", "notebook": "nb"}}
    clean, _ = SanitizeSubmission(config=config).preprocess(nb, resources)
    assert clean.cells[0].source == prose
    assert clean.cells[1].source.startswith('<div class="mlsd-student-markdown">')
