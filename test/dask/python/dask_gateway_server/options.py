"""Stand-ins for dask_gateway_server.options (dask-gateway-server 2026.3.0), written for mlscale's tests.

Only the behaviour the generated configuration relies on is modelled, after the upstream module
(dask-gateway-server/dask_gateway_server/options.py at 2026.3.0): fields validate a requested value
or fall back to their default; Options.get_configuration parses the request (unknown fields are an
error), then calls the handler with an attribute-access mapping keyed by each field's target and
the user. Errors are ValueErrors, which the gateway returns to the client (HTTP 422).
"""


class _AttrDict(dict):
    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


class _Field:
    def __init__(self, field, default=None, label=None, target=None):
        self.field = field
        self.default = default
        self.label = label
        self.target = target or field

    def validate(self, value):
        return value


class Integer(_Field):
    def __init__(self, field, default=0, min=None, max=None, label=None, target=None):
        super().__init__(field, default, label, target)
        self.min, self.max = min, max

    def validate(self, value):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("%s must be an integer, got %r" % (self.field, value))
        return self._bounds(value)

    def _bounds(self, value):
        if self.min is not None and value < self.min:
            raise ValueError("%s must be >= %s, got %s" % (self.field, self.min, value))
        if self.max is not None and value > self.max:
            raise ValueError("%s must be <= %s, got %s" % (self.field, self.max, value))
        return value


class Float(Integer):
    def validate(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, float):
            raise TypeError("%s must be a number, got %r" % (self.field, value))
        return self._bounds(value)


class Select(_Field):
    def __init__(self, field, options, default=None, label=None, target=None):
        super().__init__(field, default if default is not None else options[0], label, target)
        self.options = list(options)

    def validate(self, value):
        if value not in self.options:
            raise ValueError("%r is not a valid option for %s" % (value, self.field))
        return value


class Mapping(_Field):
    def __init__(self, field, default=None, label=None, target=None):
        super().__init__(field, dict(default or {}), label, target)

    def validate(self, value):
        if not isinstance(value, dict):
            raise TypeError("%s must be a mapping" % self.field)
        return dict(value)


class Options:
    def __init__(self, *fields, handler=None):
        self.fields = fields
        self.handler = handler

    def get_configuration(self, requested, user):
        known = {f.field for f in self.fields}
        unknown = sorted(set(requested) - known)
        if unknown:
            raise ValueError("Unknown fields %s" % ", ".join(unknown))
        values = _AttrDict()
        for f in self.fields:
            values[f.target] = f.validate(requested[f.field]) if f.field in requested else f.default
        if self.handler is None:
            return dict(values)
        return self.handler(values, user)
