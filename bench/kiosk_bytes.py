"""Bytes a kiosk screen transfers for its start page, the first time (empty cache) and the
next time (the visitor after, same cache), in German and Arabic, in headless Chromium.

    .venv/bin/python bench/kiosk_bytes.py BASE_URL "COOKIE HEADER"

Prints one JSON line: {"de": [first, next], "ar": [first, next]}. Counts what reached
the browser over the network (``encodedDataLength``: headers and bodies, compressed
as sent), the way a kiosk on a slow line pays for it.
"""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def main() -> None:
    base, cookies = sys.argv[1], sys.argv[2]
    host = urlsplit(base).hostname
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for lang in ("de", "ar"):
            context = browser.new_context(viewport={"width": 1080, "height": 1920})
            context.add_cookies([{"name": name, "value": value, "domain": host, "path": "/"}
                                 for name, _, value in (part.partition("=")
                                                        for part in cookies.split("; ") if part)])
            page = context.new_page()
            loads: list[dict[str, float]] = []
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.on("Network.loadingFinished",
                   lambda event, loads=loads: loads[-1].__setitem__(
                       event["requestId"], event["encodedDataLength"]))
            for _visit in range(2):  # the first visitor, then the next one
                loads.append({})
                page.goto(f"{base}/kiosk/?lang={lang}", wait_until="networkidle")
                page.wait_for_timeout(500)
            found[lang] = [int(sum(load.values())) for load in loads]
            context.close()
        browser.close()
    print(json.dumps(found))


if __name__ == "__main__":
    main()
