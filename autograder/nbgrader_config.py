"""nbgrader configuration of the workbook (nbgrader >= 0.9.6).

Paths are built from this file's own location, so commands work from any clone:
``solutions/`` is the source (with solutions and hidden tests), ``course/`` the release.
Run nbgrader from this folder (``cd autograder``) or use ``mlsd`` commands, which do.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "ml-system-design"
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = os.path.join(REPO, "solutions")
c.CourseDirectory.release_directory = os.path.join(REPO, "course")
c.CourseDirectory.db_url = os.environ.get(
    "MLSD_GRADEBOOK_URL", "sqlite:///" + os.path.join(HERE, "gradebook.db")
)
# Only notebooks are part of an assignment; helper files never leak into course/.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]

# A learner's stub: a friendly placeholder the checks recognise as "not attempted".
c.ClearSolutions.code_stub = {
    "python": (
        "# ✏️ YOUR CODE HERE: replace this line and the next with your answer.\n"
        'raise NotImplementedError("not attempted yet: write your code here")'
    )
}
c.ClearSolutions.text_stub = "✏️ YOUR ANSWER HERE"

# Grading: a runaway cell is stopped, later cells still run; a deleted test cell comes back
# from the gradebook and scores 0 instead of silently becoming "needs manual grading".
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
# FigureWidgets would save their whole widget state, plotly.js included (about 15 MB per
# autograded notebook and feedback page); grading needs none of it.
c.Execute.store_widget_state = False
c.OverwriteCells.add_missing_cells = True
# Test cells are run by the grading judge, outside the student's kernel, and every kernel works
# in a fresh folder of its own (mlsd/grading/judged.py): what a student's code prints, patches
# or leaves behind cannot change a score or reach the folders nbgrader writes.
from mlsd.grading.judged import autograde_preprocessors  # noqa: E402

c.Autograde.autograde_preprocessors = autograde_preprocessors()

# Feedback must never show hidden tests. They live in test cells only; nbgrader's own
# ClearHiddenTests also parses learners' cells and stops the whole run when one contains the
# marker, so the workbook's variant clears test cells only.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "mlsd.grading.preprocessors.ClearHiddenTestsInTestCells",
]

# LMS file names for `mlsd grade collect --from ...` (autograder/README.md, step 3): a regular
# expression over each file's path in the download, with the groups (?P<student_id>...) and
# optionally (?P<file_id>...) and (?P<timestamp>...). Unset: <student>/<file> layouts and
# <student>_<anything>.ipynb. Example for "<id>--<ISO time>--<file>":
# c.MlsdCollect.name_pattern = r"(?P<student_id>[^/]+?)--(?P<timestamp>[0-9T:.-]+)--(?P<file_id>.+)"
