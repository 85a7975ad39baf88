# Settings of this installation: copy to instance/config.py and change what you need.
# Environment variables MITTELPUNKT_<NAME> override what is set here.

# PostgreSQL instead of the SQLite file in this folder:
# DATABASE_URL = "postgresql+psycopg://mittelpunkt:secret@localhost/mittelpunkt"

SITE_NAME = "Mittelpunkt Hüttenstraße"

# Staff sessions end after this many minutes without activity.
SESSION_IDLE_MINUTES = 30

# Behind HTTPS (recommended outside the local network):
# SESSION_COOKIE_SECURE = True

# Load only some of the installed plugins (default: all of them):
# PLUGINS = ["consultations", "womens_courses", "job_orientation", "school_guidance"]

# Settings a plugin declares are set here too, under their names; an admin's value on
# the settings page (Verwaltung → Einstellungen) wins. The kiosk's, for example:
# KIOSK_IDLE_SECONDS = 60
# KIOSK_LANGUAGES = ["de", "tr", "ar", "uk"]
