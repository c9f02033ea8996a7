"""The formgrader service's nbgrader config: the course root's own autograder/nbgrader_config.py.

The service runs in the course root (so formgrader's links to solutions/ and course/ resolve);
nbgrader reads config from the Jupyter config path and the working folder, so this file
loads the course's config from autograder/, where `mlsd grade ...` reads it too.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets
load_subconfig(  # noqa: F821 - provided by traitlets
    "nbgrader_config.py",
    path=os.path.join(os.environ.get("MLSD_HUB_SRV", "/srv/mlsd-hub"), "course", "autograder"),
)
