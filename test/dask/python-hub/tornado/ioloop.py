"""Stand-in of tornado.ioloop (see ../README.md): start() returns at once."""


class IOLoop:
    @staticmethod
    def current():
        return IOLoop()

    def start(self):
        pass
