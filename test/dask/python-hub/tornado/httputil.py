"""Stand-in of tornado.httputil (see ../README.md)."""
from urllib.parse import urlencode


def url_concat(url, args):
    return url + ("&" if "?" in url else "?") + urlencode(args)
