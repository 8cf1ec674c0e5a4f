"""Stand-in of tornado.web (see ../README.md)."""


class HTTPError(Exception):
    def __init__(self, status_code=500, log_message=None, *args):
        super().__init__(log_message)
        self.status_code = status_code
        self.log_message = log_message


class RequestHandler:
    def __init__(self, application, request):
        self.application = application
        self.request = request
        self.status = 200
        self.response_headers = {}
        self.body = ""
        self.location = None

    def set_header(self, name, value):
        self.response_headers[name] = value

    def write(self, chunk):
        self.body += chunk

    def redirect(self, url):
        self.status = 302
        self.location = url


class Application:
    last = None

    def __init__(self, handlers, **settings):
        self.handlers = handlers
        self.settings = settings
        self.listening = None
        Application.last = self

    def listen(self, port, **kwargs):
        self.listening = {"port": port, **kwargs}
