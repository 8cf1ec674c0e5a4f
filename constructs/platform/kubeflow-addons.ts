/**
 * How mlscale configures the kustomize-installed Kubeflow operators so that the pods they create
 * in `restricted` team namespaces are admitted. Each patch is applied by Argo CD to the pinned
 * upstream kustomization (`spec.source.kustomize.patches`); the cluster model reads the same
 * patches back to know which containers the operators inject.
 */
import * as YAML from 'yaml';
import { UPSTREAM_PROJECTS } from '../upstream/sources';
import { cachedParse } from '../core/parse-cache';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One Argo CD kustomize patch (Application `spec.source.kustomize.patches[]`). */
export interface KustomizePatch {
  readonly target: { readonly group?: string; readonly version: string; readonly kind: string; readonly name: string };
  /** A strategic merge patch, as YAML. */
  readonly patch: string;
}

/** The container securityContext every operator-injected container gets from mlscale (meets `restricted`). */
export const RESTRICTED_CONTAINER_SECURITY = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

// ---------------------------------------------------------------------------------------------
// Training Operator v1.9.4

/**
 * Pod annotation of the training-operator Deployment that carries mlscale's init-container
 * template; a downwardAPI volume turns it into the file the operator reads.
 */
export const ANNOTATION_PYTORCH_INIT_TEMPLATE = 'mlscale.io/pytorch-init-container-template';
/** Where the operator reads the template (flag `--pytorch-init-container-template-file`). */
export const PYTORCH_INIT_TEMPLATE_FILE = '/etc/mlscale/pytorch-init/initContainer.yaml';
/** The image of the init container (flag `--pytorch-init-container-image`; upstream's default is alpine:3.10). */
export const PYTORCH_INIT_IMAGE = 'docker.io/library/alpine:3.21.3';

/**
 * The init container the operator adds to every PyTorchJob Worker pod when the job has a Master
 * (kubeflow/trainer v1.9.4 pkg/controller.v1/pytorch/initcontainer.go: a YAML list of Containers
 * rendered with `.InitContainerImage`, `.MasterAddr`, `.MaxTries`). Upstream's built-in template
 * has no securityContext, so `restricted` namespaces reject every Worker; this one meets it.
 * alpine runs as root unless told otherwise: the explicit UID lets `runAsNonRoot` start it.
 */
export const PYTORCH_INIT_CONTAINERS: readonly Json[] = [{
  name: 'init-pytorch',
  image: '{{.InitContainerImage}}',
  imagePullPolicy: 'IfNotPresent',
  command: ['sh', '-c', 'n=0; until nslookup {{.MasterAddr}}; do n=$((n+1)); if [ "$n" -ge {{.MaxTries}} ]; then echo "master {{.MasterAddr}} not resolvable"; exit 1; fi; sleep 2; done'],
  resources: { requests: { cpu: '50m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
  securityContext: { ...RESTRICTED_CONTAINER_SECURITY, runAsUser: 65534, runAsGroup: 65534, readOnlyRootFilesystem: true },
}];

/** `$patch: delete` of the `kubeflow` Namespace an overlay ships (Argo CD creates it; two overlays ship it). */
function deleteNamespacePatch(name: string): KustomizePatch {
  return { target: { version: 'v1', kind: 'Namespace', name }, patch: YAML.stringify({ $patch: 'delete', apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) };
}

/**
 * Patches of the training-operator standalone overlay (manifests/overlays/standalone at v1.9.4):
 * the Deployment `training-operator` gets the init-container template (annotation → downwardAPI
 * file → flag) and a pinned init image; the overlay's Namespace is left to Argo CD (Katib's overlay
 * ships the same `kubeflow` Namespace).
 */
export function trainingOperatorPatches(): KustomizePatch[] {
  const volume = 'mlscale-pytorch-init';
  const dir = PYTORCH_INIT_TEMPLATE_FILE.slice(0, PYTORCH_INIT_TEMPLATE_FILE.lastIndexOf('/'));
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'training-operator' },
    spec: {
      template: {
        metadata: { annotations: { [ANNOTATION_PYTORCH_INIT_TEMPLATE]: YAML.stringify(PYTORCH_INIT_CONTAINERS) } },
        spec: {
          containers: [{
            name: 'training-operator',
            args: [`--pytorch-init-container-template-file=${PYTORCH_INIT_TEMPLATE_FILE}`, `--pytorch-init-container-image=${PYTORCH_INIT_IMAGE}`],
            volumeMounts: [{ name: volume, mountPath: dir, readOnly: true }],
          }],
          volumes: [{
            name: volume,
            downwardAPI: { items: [{ path: PYTORCH_INIT_TEMPLATE_FILE.slice(dir.length + 1), fieldRef: { fieldPath: `metadata.annotations['${ANNOTATION_PYTORCH_INIT_TEMPLATE}']` } }] },
          }],
        },
      },
    },
  };
  return [
    { target: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'training-operator' }, patch: YAML.stringify(deployment) },
    deleteNamespacePatch('kubeflow'),
  ];
}

/**
 * The init containers a training-operator installed with these kustomize options injects into a
 * PyTorchJob Worker: mlscale's template when the patch carries it, else upstream's built-in one
 * (kubeflow/trainer v1.9.4 initcontainer.go: image alpine:3.10, requests 50m/10Mi, limits
 * 100m/20Mi, no securityContext).
 */
export function pytorchInitContainers(kustomize: Json, masterAddr: string): Json[] {
  const deployment = (kustomize?.patches ?? []).map((p: Json) => safeYaml(p?.patch)).find((d: Json) => d?.kind === 'Deployment' && d?.metadata?.name === 'training-operator');
  const container = deployment?.spec?.template?.spec?.containers?.find((c: Json) => c?.name === 'training-operator');
  const args: string[] = container?.args ?? [];
  const template = deployment?.spec?.template?.metadata?.annotations?.[ANNOTATION_PYTORCH_INIT_TEMPLATE];
  const image = args.find((a) => a.startsWith('--pytorch-init-container-image='))?.split('=')[1] ?? 'alpine:3.10';
  // the operator reads the file the flag names, and silently falls back to its built-in template when it
  // cannot (initcontainer.go): follow the flag through the volume mount to the downwardAPI item
  const file = args.find((a) => a.startsWith('--pytorch-init-container-template-file='))?.split('=')[1];
  const delivered = file !== undefined && (container?.volumeMounts ?? []).some((m: Json) => {
    const volume = (deployment?.spec?.template?.spec?.volumes ?? []).find((v: Json) => v?.name === m?.name);
    return (volume?.downwardAPI?.items ?? []).some((it: Json) => `${m.mountPath}/${it?.path}` === file
      && it?.fieldRef?.fieldPath === `metadata.annotations['${ANNOTATION_PYTORCH_INIT_TEMPLATE}']`);
  });
  if (typeof template === 'string' && delivered) {
    const text = template.replace(/\{\{\.InitContainerImage\}\}/g, image).replace(/\{\{\.MasterAddr\}\}/g, masterAddr).replace(/\{\{\.MaxTries\}\}/g, '100');
    return (safeYaml(text) as Json[] | undefined) ?? [];
  }
  return [{
    name: 'init-pytorch', image, imagePullPolicy: 'IfNotPresent',
    resources: { limits: { cpu: '100m', memory: '20Mi' }, requests: { cpu: '50m', memory: '10Mi' } },
    command: ['sh', '-c', `nslookup ${masterAddr}`],
  }];
}

// ---------------------------------------------------------------------------------------------
// Katib v0.19.0

/** Katib's release tag: its images are tagged with it. */
const KATIB_TAG = UPSTREAM_PROJECTS.katib.version;

/** The suggestion images by algorithm (manifests/v1beta1/installs/katib-standalone/katib-config.yaml at v0.19.0). */
const KATIB_SUGGESTION_IMAGES: Readonly<Record<string, string>> = {
  'random': 'suggestion-hyperopt', 'tpe': 'suggestion-hyperopt', 'grid': 'suggestion-optuna', 'hyperband': 'suggestion-hyperband',
  'bayesianoptimization': 'suggestion-skopt', 'cmaes': 'suggestion-goptuna', 'sobol': 'suggestion-goptuna', 'multivariate-tpe': 'suggestion-optuna',
};

/**
 * mlscale's KatibConfig (config.kubeflow.org/v1beta1, pkg/apis/config/v1beta1/types.go):
 * - `init.controller.injectSecurityContext: true`: the metrics-collector sidecar copies the trial's
 *   first container's securityContext (pkg/webhook/v1beta1/pod/inject_webhook.go), so it meets
 *   `restricted` when the trial does (mlscale's trials do); without it the sidecar has none.
 * - each suggestion container gets a `restricted` securityContext (the Suggestion Deployment has no
 *   pod-level one: suggestion/composer/composer.go). The images chgrp their files to group 0, so
 *   any non-root UID works. Early stopping is left out: its container cannot be given one.
 */
export function katibConfig(): Json {
  const image = (name: string) => `ghcr.io/kubeflow/katib/${name}:${KATIB_TAG}`;
  return {
    apiVersion: 'config.kubeflow.org/v1beta1',
    kind: 'KatibConfig',
    init: {
      certGenerator: { enable: true },
      controller: {
        webhookPort: 8443,
        injectSecurityContext: true,
        trialResources: ['TrainJob.v1alpha1.trainer.kubeflow.org', 'Job.v1.batch', 'TFJob.v1.kubeflow.org', 'PyTorchJob.v1.kubeflow.org', 'MPIJob.v1.kubeflow.org', 'XGBoostJob.v1.kubeflow.org'],
      },
    },
    runtime: {
      metricsCollectors: [
        { kind: 'StdOut', image: image('file-metrics-collector') },
        { kind: 'File', image: image('file-metrics-collector') },
        { kind: 'TensorFlowEvent', image: image('tfevent-metrics-collector'), resources: { limits: { memory: '1Gi' } } },
      ],
      suggestions: Object.entries(KATIB_SUGGESTION_IMAGES).map(([algorithmName, img]) => ({
        algorithmName, image: image(img), securityContext: { ...RESTRICTED_CONTAINER_SECURITY, runAsUser: 1000 },
      })),
    },
  };
}

/** Patches of the katib-standalone install (manifests/v1beta1/installs/katib-standalone at v0.19.0). */
export function katibPatches(): KustomizePatch[] {
  const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'katib-config' }, data: { 'katib-config.yaml': YAML.stringify(katibConfig()) } };
  return [
    { target: { version: 'v1', kind: 'ConfigMap', name: 'katib-config' }, patch: YAML.stringify(config) },
    deleteNamespacePatch('kubeflow'),
  ];
}

/** The KatibConfig a Katib installed with these kustomize options runs with (mlscale's patch, else upstream's defaults). */
export function katibConfigOf(kustomize: Json): Json {
  const cm = (kustomize?.patches ?? []).map((p: Json) => safeYaml(p?.patch)).find((d: Json) => d?.kind === 'ConfigMap' && d?.metadata?.name === 'katib-config');
  const text = cm?.data?.['katib-config.yaml'];
  // upstream's standalone config: no injectSecurityContext, suggestion containers without securityContext
  return (typeof text === 'string' ? safeYaml(text) : undefined) ?? { init: { controller: {} }, runtime: { suggestions: [] } };
}

/** the embedded YAML of the upstream facts, parsed once (core/parse-cache) */
const FACT_YAML = { name: 'yaml-default', sources: [] };

function safeYaml(text: unknown): Json {
  if (typeof text !== 'string') return undefined;
  try {
    return cachedParse(FACT_YAML, text, (t) => YAML.parse(t));
  } catch {
    return undefined;
  }
}
