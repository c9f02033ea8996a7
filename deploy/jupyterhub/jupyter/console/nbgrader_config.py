"""The grading console's nbgrader config: the course root's own autograder/nbgrader_config.py
(as in the formgrader service), for nbgrader commands typed in the console's terminal.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets
load_subconfig(  # noqa: F821 - provided by traitlets
    "nbgrader_config.py",
    path=os.path.join(os.environ.get("MLSD_HUB_SRV", "/srv/mlsd-hub"), "course", "autograder"),
)
