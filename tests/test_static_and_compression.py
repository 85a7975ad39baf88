"""Static files under fingerprinted names, cached for a year; compressed responses; and
the polled fragments' 304 with the compressed ETag."""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

from flask import url_for

from intranet.web.static_files import fingerprint, fingerprinted_name

GZIP = {"Accept-Encoding": "gzip, deflate"}
STATIC = Path(__file__).resolve().parent.parent / "intranet" / "static"


def test_url_for_names_a_file_by_its_content(app):
    with app.test_request_context():
        url = url_for("static", filename="css/fonts.css")
    digest = fingerprint(str(STATIC / "css" / "fonts.css"))
    assert url == f"/static/css/fonts.{digest}.css"
    assert re.fullmatch(r"[0-9a-f]{10}", digest)


def test_a_fingerprinted_name_is_the_file_cached_for_a_year(app):
    client = app.test_client()
    with app.test_request_context():
        url = url_for("static", filename="css/app.css")
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == (STATIC / "css" / "app.css").read_bytes()
    cache = response.cache_control
    assert (cache.public, cache.max_age, cache.immutable, cache.no_cache) == (
        True, 365 * 24 * 3600, True, None)


def test_plain_and_outdated_names_are_served_but_revalidated(app):
    client = app.test_client()
    plain = client.get("/static/css/app.css")
    outdated = client.get("/static/css/app.0123456789.css")
    for response in (plain, outdated):
        assert response.status_code == 200
        assert response.data == (STATIC / "css" / "app.css").read_bytes()
        assert not response.cache_control.immutable
        assert response.cache_control.max_age is None
    assert client.get("/static/css/nothing.0123456789.css").status_code == 404


def test_a_stylesheet_points_at_its_fonts_by_their_fingerprints(app):
    client = app.test_client()
    with app.test_request_context():
        url = url_for("static", filename="css/fonts.css")
    sheet = client.get(url)
    assert sheet.cache_control.immutable and sheet.mimetype == "text/css"
    fonts = re.findall(r'url\("([^"]+)"\)', sheet.get_data(as_text=True))
    assert len(fonts) == 2
    for font in fonts:
        assert re.fullmatch(r"\.\./vendor/fonts/noto-sans-arabic-arabic-\d00-normal"
                            r"\.[0-9a-f]{10}\.woff2", font)
        served = client.get("/static/vendor/fonts/" + font.rsplit("/", 1)[1])
        assert served.status_code == 200 and served.cache_control.immutable
    plain = client.get("/static/css/fonts.css")  # the plain name carries them too
    assert plain.get_data(as_text=True) == sheet.get_data(as_text=True)
    assert client.get("/static/css/fonts.css", headers={
        "If-None-Match": plain.headers["ETag"]}).status_code == 304


def test_a_blueprints_static_files_are_fingerprinted_too(app):
    client = app.test_client()
    with app.test_request_context():
        url = url_for("kiosk.static", filename="kiosk.css")
    assert re.fullmatch(r"/kiosk/static/kiosk\.[0-9a-f]{10}\.css", url)
    assert client.get(url).cache_control.immutable


def test_a_changed_file_gets_a_new_fingerprint(tmp_path):
    path = tmp_path / "app.css"
    path.write_text("body { color: black }")
    first = fingerprint(str(path))
    path.write_text("body { color: navy; }")
    assert fingerprint(str(path)) != first
    assert fingerprinted_name("css/app.css", "abc") == "css/app.abc.css"
    assert fingerprinted_name("LICENSE", "abc") == "LICENSE.abc"


def test_pages_and_static_files_are_compressed_when_the_browser_accepts_it(app):
    client = app.test_client()
    page = client.get("/login", headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    assert "<form" in gzip.decompress(page.data).decode()
    assert "Content-Encoding" not in client.get("/login").headers  # not asked for
    with app.test_request_context():
        url = url_for("static", filename="vendor/htmx.min.js")
    script = client.get(url, headers=GZIP)
    original = (STATIC / "vendor" / "htmx.min.js").read_bytes()
    assert script.headers["Content-Encoding"] == "deflate"
    assert zlib.decompress(script.data) == original
    assert len(script.data) < len(original) / 2


def test_a_compressed_static_file_is_revalidated_with_304(app):
    client = app.test_client()
    first = client.get("/static/vendor/htmx.min.js", headers=GZIP)
    again = client.get("/static/vendor/htmx.min.js",
                       headers={**GZIP, "If-None-Match": first.headers["ETag"]})
    assert first.headers["ETag"].endswith(':deflate"')
    assert (again.status_code, again.data) == (304, b"")


def test_a_polled_fragment_answers_304_to_its_compressed_etag(make_app, pair_kiosk):
    # The empty board is smaller than the 500 bytes worth compressing: compress it anyway.
    kiosk = pair_kiosk(make_app(COMPRESS_MIN_SIZE=0))
    headers = {**GZIP, "HX-Request": "true"}
    first = kiosk.get("/kiosk/board/calls", headers=headers)
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    compressed_tag = first.headers["ETag"]
    assert compressed_tag.endswith(':gzip"')
    for tag in (compressed_tag, compressed_tag.replace(":gzip", "")):
        again = kiosk.get("/kiosk/board/calls", headers={**headers, "If-None-Match": tag})
        assert (again.status_code, again.data) == (304, b"")
    other = kiosk.get("/kiosk/board/calls", headers={**headers, "If-None-Match": '"x"'})
    assert other.status_code == 200
