"""Runs a generated dask_gateway_config.py against the stand-ins of this folder (see
dask_gateway_server/options.py) and prints, as JSON, what its options handler returns for each case.

usage: python3 run_gateway_config.py <config.py> <cases.json>
cases: [{"user": {"name": ..., "groups": [...]}, "options": {...}}, ...]
output: {"sections": {<class>: [<traits set>]}, "results": [{"config": {...}, "pods": {"scheduler": <pod spec>, "worker": <pod spec>}} | {"error": "<message>"}]}

The pods are what the controller would create from the file's KubeClusterConfig and the handler's
overrides, re-implemented here (not copied) from dask-gateway-server 2026.3.0: the base pod of
backends/kubernetes/controller.py `make_pod` (one container, the credentials volume), then its extra
pod and container configs merged as backends/kubernetes/utils.py `merge_json_objects` does (dicts
merged, the extra's values preferred; lists appended).
"""
import json
import sys
from types import SimpleNamespace

# The traits of KubeClusterConfig and ClusterConfig at dask-gateway-server 2026.3.0
# (backends/kubernetes/backend.py, backends/base.py): a handler key outside them is only warned about
# and dropped by traitlets, so the harness reports it.
CLUSTER_CONFIG_TRAITS = {
    "scheduler_cmd", "worker_cmd", "environment", "worker_memory", "worker_cores", "worker_threads",
    "scheduler_memory", "scheduler_cores", "adaptive_period", "idle_timeout", "cluster_max_memory",
    "cluster_max_cores", "cluster_max_workers", "namespace", "image", "image_pull_policy",
    "image_pull_secrets", "worker_cores_limit", "worker_memory_limit", "scheduler_cores_limit",
    "scheduler_memory_limit", "worker_extra_container_config", "scheduler_extra_container_config",
    "worker_extra_pod_config", "scheduler_extra_pod_config", "worker_extra_pod_annotations",
    "scheduler_extra_pod_annotations", "worker_extra_pod_labels", "scheduler_extra_pod_labels",
}


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


def _merge(a, b):
    """Dicts merged recursively (b's values preferred), lists appended, as merge_json_objects does."""
    if not b:
        return a
    out = dict(a)
    for key, b_val in b.items():
        a_val = out.get(key)
        if isinstance(a_val, dict) and isinstance(b_val, dict):
            out[key] = _merge(a_val, b_val)
        elif isinstance(a_val, list) and isinstance(b_val, list):
            out[key] = a_val + b_val
        else:
            out[key] = b_val
    return out


def _pods(kube, override):
    """The scheduler and worker pod specs of a cluster: the file's KubeClusterConfig with the handler's overrides."""
    cfg = dict(kube)
    cfg.update(override)
    pods = {}
    for role in ("scheduler", "worker"):
        container = {
            "name": "dask-" + role,
            "image": cfg.get("image"),
            "env": [],
            "volumeMounts": [{"name": "dask-credentials", "mountPath": "/etc/dask-credentials/", "readOnly": True}],
        }
        container = _merge(container, cfg.get(role + "_extra_container_config", {}))
        spec = {"containers": [container], "volumes": [{"name": "dask-credentials", "secret": {"secretName": "dask-credentials"}}]}
        pods[role] = _merge(spec, cfg.get(role + "_extra_pod_config", {}))
    return pods


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
            config = options.get_configuration(case.get("options", {}), user)
        except Exception as e:  # the gateway turns any handler error into a 422 with its message
            results.append({"error": str(e)})
            continue
        results.append({"config": config, "unknown": sorted(set(config) - CLUSTER_CONFIG_TRAITS),
                        "pods": _pods(c.get("KubeClusterConfig", {}), config)})
    sections = {name: sorted(section) for name, section in c.items()}
    print(json.dumps({"sections": sections, "results": results}, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
