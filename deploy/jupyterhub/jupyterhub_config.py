"""JupyterHub configuration of the workbook's course server (see README, "Run a course server").

Started by `make hub` (as root) through `mlsd hub start`, which sets up the accounts, folders
and state first. Every value comes from MLSD_HUB_* environment variables (mlsd.hub.settings:
paths, address, names, culler timeout; test mode only with MLSD_HUB_TEST_PASSWORDS on a
loopback address); what is configured, and why, is in mlsd.hub.config.

To change something for your course, prefer the variables; settings added below the
apply() call override it (e.g. c.Spawner.default_url = "/lab/tree/work").
"""

from mlsd.hub.config import apply
from mlsd.hub.settings import HubSettings

c = get_config()  # noqa: F821 - provided by traitlets when JupyterHub loads this file
apply(c, HubSettings.from_env())
