"""The core's infrastructure: settings, database, languages, the plugin host."""
