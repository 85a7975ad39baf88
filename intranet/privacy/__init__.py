"""Data protection: retention rules and encrypted backups."""
