"""Stand-in of jupyterhub.services.auth 5.4.4 (see ../../README.md).

HubOAuth reads the same environment variables as the real class; the user a request carries is the
JSON of its X-Test-User header (the real class looks the login cookie's token up in the hub API).
"""
import json
import os
from urllib.parse import urlencode


class HubOAuth:
    _instance = None

    def __init__(self):
        self.client_id = os.environ["JUPYTERHUB_CLIENT_ID"]
        self.redirect_uri = os.environ["JUPYTERHUB_OAUTH_CALLBACK_URL"]
        self.hub_host = os.environ.get("JUPYTERHUB_HOST", "")
        self.hub_prefix = os.environ.get("JUPYTERHUB_BASE_URL", "/").rstrip("/") + "/hub/"
        self.access_scopes = set(json.loads(os.environ.get("JUPYTERHUB_OAUTH_ACCESS_SCOPES", "[]")))
        self.cookie_options = json.loads(os.environ.get("JUPYTERHUB_COOKIE_OPTIONS", "{}"))
        self.states = {}
        # as the real login_url: the authorize URL with client_id, redirect_uri, response_type
        self.login_url = self.hub_host + self.hub_prefix + "api/oauth2/authorize?" + urlencode(
            {"client_id": self.client_id, "redirect_uri": self.redirect_uri, "response_type": "code"})

    @classmethod
    def instance(cls):
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def set_state_cookie(self, handler, next_url=None):
        state = "state-%d" % (len(self.states) + 1)
        self.states[state] = next_url
        handler.response_headers["Set-Cookie"] = "%s-oauth-state=%s" % (self.client_id, state)
        return state


class HubOAuthenticated:
    @property
    def hub_auth(self):
        return HubOAuth.instance()

    def get_current_user(self):
        raw = self.request.headers.get("X-Test-User")
        if not raw:
            return None
        # as _get_user_cookie: a cookie-authenticated request that is not a page view checks xsrf first
        if self.request.headers.get("Sec-Fetch-Mode", "unspecified") not in ("navigate", "unspecified", "websocket", "no-cors"):
            try:
                self.check_xsrf_cookie()
            except Exception:
                return None
        user = json.loads(raw)
        # as check_hub_user: the token must hold one of the access scopes
        if not self.hub_auth.access_scopes & set(user.get("scopes", [])):
            return None
        return user


class HubOAuthCallbackHandler(HubOAuthenticated):
    pass
