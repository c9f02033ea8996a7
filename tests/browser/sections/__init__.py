"""One module per section (``sNN_topic.py``), each calling ``registry.register``."""
