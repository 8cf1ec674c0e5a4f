"""Runs a generated dask_gateway_config.py against the stand-ins of this folder (see
dask_gateway_server/options.py) and prints, as JSON, what its options handler returns for each case.

usage: python3 run_gateway_config.py <config.py> <cases.json>
cases: [{"user": {"name": ..., "groups": [...]}, "options": {...}}, ...]
output: {"sections": {<class>: [<traits set>]}, "results": [{"config": {...}} | {"error": "<message>"}]}
"""
import json
import sys
from types import SimpleNamespace


class _Section(dict):
    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value


class _Config(dict):
    """Like traitlets' config object: `c.Section.trait = value` records the value."""

    def __getattr__(self, key):
        return self.setdefault(key, _Section())


def main(config_path, cases_path):
    c = _Config()
    with open(config_path) as f:
        exec(compile(f.read(), config_path, "exec"), {"c": c, "__name__": "dask_gateway_config"})
    options = c.get("Backend", {}).get("cluster_options")
    results = []
    with open(cases_path) as f:
        cases = json.load(f)
    for case in cases:
        user = SimpleNamespace(name=case["user"]["name"], groups=set(case["user"].get("groups", [])), admin=False)
        try:
            results.append({"config": options.get_configuration(case.get("options", {}), user)})
        except Exception as e:  # the gateway turns any handler error into a 422 with its message
            results.append({"error": str(e)})
    sections = {name: sorted(section) for name, section in c.items()}
    print(json.dumps({"sections": sections, "results": results}, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
