"""nbgrader settings every account of the course server shares (installed into the shared
environment's etc/jupyter/ by `make hub-install`): the course id and the exchange folder.

Values come from the environment the hub gives each server (see mlsd.hub.config), so one
installed environment serves a real course server and a test hub with its own folders.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets
c.CourseDirectory.course_id = os.environ.get("MLSD_HUB_COURSE_ID", "ml-system-design")
c.Exchange.root = os.path.join(os.environ.get("MLSD_HUB_SRV", "/srv/mlsd-hub"), "exchange")
