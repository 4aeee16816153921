"""Our own format module (settings.FORMAT_MODULE_PATH): the dates and times people type."""
