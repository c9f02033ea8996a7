"""A course server: JupyterHub with the nbgrader exchange for one class (``mlsd hub ...``).

- :mod:`mlsd.hub.settings`: every path, name and limit of a course server, from ``MLSD_HUB_*``
  environment variables (the hub's config file, the CLI and the tests read the same ones);
- :mod:`mlsd.hub.accounts`: system users and groups from the nbgrader roster;
- :mod:`mlsd.hub.layout`: the course root (grader only), the exchange, the hub's state folder;
- :mod:`mlsd.hub.config`: what ``deploy/jupyterhub/jupyterhub_config.py`` applies;
- :mod:`mlsd.hub.auth`: the fixed-password authenticator of the test suite (never the default);
- :mod:`mlsd.hub.pull`: the ``/mlsd/update`` page an nbgitpuller link ends on;
- :mod:`mlsd.hub.cli`: ``mlsd hub setup | add-students | add-instructor | start | link``.

Like ``mlsd.cli``, this package is a command: it stands beside the notebooks in the layers.
"""
