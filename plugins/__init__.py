"""Namespace of the built-in service-area plugins."""
