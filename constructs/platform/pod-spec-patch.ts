/**
 * Argo Workflows' `podSpecPatch`: a JSON or YAML string that the controller applies to each
 * workflow pod spec as a Kubernetes strategic merge patch, the workflow-level patch first, then
 * the template's (argo-workflows workflow/controller/workflowpod.go processPodSpecPatch and
 * workflow/util ApplyPodSpecPatch). Used by the guard rails to check the pod Argo will create.
 *
 * The merge follows the patch strategies of core/v1 PodSpec (k8s.io/api 1.32 struct tags): lists
 * with a merge key (containers, initContainers, ephemeralContainers, volumes, … by name; a
 * container's ports by containerPort, env by name, volumeMounts by mountPath) merge item by item;
 * every other list is replaced; maps merge recursively; `null` deletes a key; the directives
 * `$patch: replace` (map or list) and `$patch: delete` (list item) are honoured, other `$…`
 * directives are ignored.
 */
import * as YAML from 'yaml';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

type Scope = 'pod' | 'container' | 'other';

const POD_MERGE_KEYS: Record<string, string> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name', imagePullSecrets: 'name', hostAliases: 'ip',
  resourceClaims: 'name', schedulingGates: 'name', topologySpreadConstraints: 'topologyKey',
};
const CONTAINER_MERGE_KEYS: Record<string, string> = { ports: 'containerPort', env: 'name', volumeMounts: 'mountPath', volumeDevices: 'devicePath' };
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

function isObj(v: Json): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function mergeKey(scope: Scope, field: string): string | undefined {
  if (scope === 'pod') return POD_MERGE_KEYS[field];
  if (scope === 'container') return CONTAINER_MERGE_KEYS[field];
  return undefined;
}

function childScope(scope: Scope, field: string): Scope {
  return scope === 'pod' && CONTAINER_LISTS.has(field) ? 'container' : 'other';
}

function withoutDirectives(v: Json): Json {
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('$')));
}

function mergeList(orig: Json[], patch: Json[], key: string, itemScope: Scope): Json[] {
  if (patch.some((p) => isObj(p) && p.$patch === 'replace')) return patch.filter((p) => !(isObj(p) && p.$patch === 'replace')).map(withoutDirectives);
  const out = [...orig];
  for (const item of patch) {
    if (!isObj(item)) { out.push(item); continue; }
    const at = out.findIndex((o) => isObj(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) {
      out[at] = mergeMap(out[at], item, itemScope);
    } else {
      out.push(mergeMap({}, item, itemScope));
    }
  }
  return out;
}

function mergeMap(orig: Json, patch: Json, scope: Scope): Json {
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  const out: Json = isObj(orig) ? { ...orig } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      const key = mergeKey(scope, k);
      out[k] = key && Array.isArray(out[k]) ? mergeList(out[k], v, key, childScope(scope, k)) : key ? mergeList([], v, key, childScope(scope, k)) : v;
    } else if (isObj(v)) {
      out[k] = mergeMap(out[k], v, childScope(scope, k));
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Parses a podSpecPatch (JSON or YAML, as Argo accepts); undefined when it is not a mapping. */
export function parsePodSpecPatch(text: string): Json | undefined {
  try {
    const v = YAML.parse(text);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Applies one strategic merge patch to a PodSpec (JSON); returns a new object. */
export function applyPodSpecPatch(spec: Json, patch: Json): Json {
  return mergeMap(spec, patch, 'pod');
}
