"""Administration of the core: users, rooms, settings, plugins, the audit log."""
