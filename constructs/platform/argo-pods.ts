/**
 * The pod Argo Workflows (v4.1.2) runs for each template of a workflow spec, before the executor
 * containers are added: a single `container` or `script` (named `main`) plus `initContainers` and
 * `sidecars`, or a `containerSet`, with the workflow-level pod settings merged in (securityContext,
 * hostNetwork, volumes, scheduling), then the workflow's and the template's `podSpecPatch`
 * (workflow/controller/workflowpod.go). Used by GuardRails and the cluster model.
 */
import { applyPodSpecPatch, parsePodSpecPatch } from './pod-spec-patch';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One template's pod. */
export interface ArgoTemplatePod {
  /** `templates[<i>](<name>)`, relative to the workflow spec. */
  readonly path: string;
  /** The pod spec (patched). */
  readonly spec: Json;
  /** The pod spec before the podSpecPatches (undefined when none applied). */
  readonly unpatched?: Json;
  /** Pod annotations (workflow podMetadata, then the template's metadata). */
  readonly annotations: Json;
  /** Where an annotation is set, for messages. */
  readonly annotationField: (key: string) => string;
  /** The podSpecPatches that are not a PodSpec fragment: field (relative to the workflow spec) and text. */
  readonly badPatches: ReadonlyArray<{ readonly field: string; readonly text: unknown }>;
  /** The template's containerSet object, when it has one (its containers are the pod's). */
  readonly containerSet?: object;
}

/** The pods of a workflow spec's templates (templates that run no pod are skipped). */
export function argoTemplatePods(wf: Json): ArgoTemplatePod[] {
  const out: ArgoTemplatePod[] = [];
  (Array.isArray(wf?.templates) ? wf.templates as Json[] : []).forEach((t: Json, i: number) => {
    if (t === null || typeof t !== 'object') return;
    const main = t.container ?? t.script;
    const set = Array.isArray(t.containerSet?.containers) ? t.containerSet.containers : undefined;
    if (!set && (!main || typeof main !== 'object')) return;
    const path = `templates[${i}](${t.name})`;
    const base: Json = {
      initContainers: t.initContainers,
      containers: set ? set.map((c: Json) => ({ ...c, name: c?.name || 'main' })) : [{ ...main, name: 'main' }, ...(t.sidecars ?? [])],
      securityContext: t.securityContext ?? wf.securityContext,
      nodeSelector: { ...(wf.nodeSelector ?? {}), ...(t.nodeSelector ?? {}) },
      tolerations: [...(wf.tolerations ?? []), ...(t.tolerations ?? [])],
      volumes: [...(wf.volumes ?? []), ...(t.volumes ?? [])],
    };
    if (typeof wf.hostNetwork === 'boolean') base.hostNetwork = wf.hostNetwork;
    const serviceAccountName = t.serviceAccountName ?? wf.serviceAccountName;
    if (typeof serviceAccountName === 'string') base.serviceAccountName = serviceAccountName;
    let spec = base;
    const badPatches: Array<{ field: string; text: unknown }> = [];
    for (const [field, text] of [['podSpecPatch', wf.podSpecPatch], [`${path}.podSpecPatch`, t.podSpecPatch]] as const) {
      if (text === undefined || text === null || text === '') continue;
      const patch = typeof text === 'string' ? parsePodSpecPatch(text) : undefined;
      if (patch === undefined) badPatches.push({ field, text });
      else spec = applyPodSpecPatch(spec, patch);
    }
    const fromTemplate: Json = t.metadata?.annotations ?? {};
    out.push({
      path, spec, unpatched: spec === base ? undefined : base, badPatches,
      annotations: { ...(wf.podMetadata?.annotations ?? {}), ...fromTemplate },
      annotationField: (k) => `${k in fromTemplate ? `${path}.metadata` : 'podMetadata'}.annotations[${JSON.stringify(k)}]`,
      ...(set ? { containerSet: t.containerSet } : {}),
    });
  });
  return out;
}
