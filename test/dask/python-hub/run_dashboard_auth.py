"""Runs the dashboards' login check (argv[1]) against the stand-ins, for the requests in argv[2] (JSON).

Prints JSON: the routes and listen settings main() gave tornado, decide() for each case, and the
ForwardAuth handler's answer (status, Location, headers, next URL recorded with the OAuth state).
"""
import importlib.util
import json
import sys

spec = importlib.util.spec_from_file_location("dashboard_auth", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
cases = json.load(open(sys.argv[2]))

from tornado import web  # noqa: E402  (the stand-in)
from jupyterhub.services.auth import HubOAuth  # noqa: E402

module.main()
app = web.Application.last
handlers = {path: cls for path, cls in app.handlers}
forward = handlers[module.PREFIX + "auth"]


class Request:
    def __init__(self, headers):
        self.headers = headers


answers = []
for case in cases:
    headers = dict(case.get("headers", {}))
    if case.get("user") is not None:
        headers["X-Test-User"] = json.dumps(case["user"])
    h = forward(app, Request(headers))
    try:
        h.get()
        answer = {"status": h.status}
    except web.HTTPError as e:
        answer = {"status": e.status_code, "reason": e.log_message}
    answer.update({"location": h.location, "headers": h.response_headers, "body": h.body})
    answers.append(answer)

print(json.dumps({
    "routes": sorted(handlers), "listening": app.listening, "cookieSecret": len(app.settings.get("cookie_secret", b"")),
    "states": HubOAuth.instance().states,
    "decide": [list(module.decide(c.get("user"), c.get("headers", {}).get("X-Forwarded-Method", "GET"), c.get("headers", {}).get("X-Forwarded-Uri", ""), module.TEAMS)) for c in cases],
    "answers": answers,
}))
