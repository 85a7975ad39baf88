"""``flask --app intranet ...`` commands."""
