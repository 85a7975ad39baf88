"""The lobby kiosk: language choice, self check-in with a waiting number, today's offers.

Visitor-facing strings of the kiosk belong to the core catalog in
``translations/``; the kiosk uses the core's public face in
:mod:`intranet.plugin` like every plugin does.
"""
