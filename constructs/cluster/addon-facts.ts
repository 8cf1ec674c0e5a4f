/**
 * What each add-on installs, as the cluster model needs it: the upstream projects whose CRDs it
 * applies (so their kinds are served) and the kinds its controllers act on. Facts of the pinned
 * versions (constructs/upstream/sources.ts); each entry cites where it comes from.
 */
import type { AddonName, ManifestAddonName } from '../platform/addons';
import type { UpstreamProjectId } from '../upstream/sources';
import { jupyterhubPolicies } from './chart-policies';
import type { ExternalObject } from './externals';

/** What one add-on provides. */
export interface AddonFacts {
  /** Projects whose CRDs the add-on applies: every kind those CRDs define is served. */
  readonly crdProjects: readonly UpstreamProjectId[];
  /** `group/Kind` (or `group/*`) of the objects its controllers reconcile. */
  readonly controls: readonly string[];
  /**
   * Its manifests include the Namespace it runs in.
   * @default false
   */
  readonly shipsNamespace?: boolean;
  /**
   * Objects its Helm values make it use that nobody else creates (e.g. a Secret named in the values):
   * GitOpsApplication declares them external, and the model checks they are provided.
   * @default - none
   */
  readonly requires?: (values: any, namespace: string) => ExternalObject[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * Objects its chart creates from its Helm values that charts may reference (`namespace` unset for
   * cluster-scoped kinds).
   * @default - none
   */
  readonly creates?: (values: any, namespace: string) => Array<{ readonly kind: string; readonly name: string; readonly namespace?: string }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * Claims its pods mount, from its Helm values (they must exist in its namespace).
   * @default - none
   */
  readonly claims?: (values: any) => Array<{ readonly field: string; readonly claimName: string }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * The NetworkPolicies the chart renders from its values (so flows to and from its pods can be proven).
   * @default - none
   */
  readonly networkPolicies?: (values: any, namespace: string) => any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * Pod ports the Kubernetes API server connects to: the targetPorts of its admission and CRD
   * conversion webhooks and aggregated APIServices. A private GKE control plane reaches nodes only
   * on 443 and 10250 by default, so the GKE stack opens these from the control-plane range.
   * @default [] (no webhook, no APIService)
   */
  readonly controlPlanePorts?: readonly number[];
}

/** Facts by add-on name (Helm catalog entries and manifest add-ons). */
export const ADDON_FACTS: Readonly<Record<AddonName | ManifestAddonName, AddonFacts>> = {
  // argo-helm argo-cd 10.3.3 templates/crds: Application, ApplicationSet, AppProject
  'argo-cd': { crdProjects: ['argo-cd'], controls: ['argoproj.io/Application', 'argoproj.io/ApplicationSet', 'argoproj.io/AppProject'] },
  // argo-helm argo-workflows 2.0.1 installs the "full" CRDs of argo-workflows v4.1.2
  'argo-workflows': {
    crdProjects: ['argo-workflows'],
    controls: ['argoproj.io/Workflow', 'argoproj.io/WorkflowTemplate', 'argoproj.io/CronWorkflow', 'argoproj.io/ClusterWorkflowTemplate',
      'argoproj.io/WorkflowEventBinding', 'argoproj.io/WorkflowTaskResult'],
  },
  // kubernetes-sigs/kueue v0.19.2 charts/kueue/templates/webhook/{manifests,service}.yaml: webhooks (and the CRD
  // conversion webhooks) → 9443; templates/visibility/{service,apiservice_v1beta1,apiservice_v1beta2}.yaml → 8082
  'kueue': { crdProjects: ['kueue'], controls: ['kueue.x-k8s.io/*'], controlPlanePorts: [8082, 9443] },
  // kubeflow/trainer v2.3.0 charts/kubeflow-trainer: trainer CRDs plus the bundled JobSet (go.mod: v0.12.0)
  // webhooks: charts/kubeflow-trainer/templates/manager/service.yaml (webhook-server → 9443, failurePolicy Fail), and the
  // bundled JobSet chart 0.12.0 (jobset.install: true; kubernetes-sigs/jobset charts/jobset/templates/webhook/service.yaml → 9443)
  'kubeflow-trainer': { crdProjects: ['kubeflow-trainer', 'jobset'], controls: ['trainer.kubeflow.org/*', 'jobset.x-k8s.io/*'], controlPlanePorts: [9443] },
  // kubeflow/trainer v1.9.4 manifests/overlays/standalone
  // manifests/base/webhook/manifests.yaml + base/service.yaml: validator.training-operator.kubeflow.org → 9443
  'kubeflow-training-operator': { crdProjects: ['kubeflow-training-operator'], controlPlanePorts: [9443], controls: ['kubeflow.org/PyTorchJob', 'kubeflow.org/TFJob', 'kubeflow.org/MPIJob', 'kubeflow.org/XGBoostJob', 'kubeflow.org/PaddleJob', 'kubeflow.org/JAXJob'] },
  'dask-kubernetes-operator': { crdProjects: ['dask-kubernetes'], controls: ['kubernetes.dask.org/*'] },
  // the CRDs only: a DaskGateway in charts-out runs their controller and proxy (annotation mlscale.io/controller-for)
  'dask-gateway-crds': { crdProjects: ['dask-gateway'], controls: [] },
  // kubeflow/katib v0.19.0 manifests/v1beta1/components/webhook/webhooks.yaml and controller/service.yaml: webhook → 8443
  'katib': { crdProjects: ['katib'], controls: ['kubeflow.org/Experiment', 'kubeflow.org/Trial', 'kubeflow.org/Suggestion'], controlPlanePorts: [8443] },
  // components/notebook-controller/config/overlays/standalone ships Namespace notebook-controller-system
  'kubeflow-notebook-controller': { crdProjects: ['kubeflow-notebooks'], controls: ['kubeflow.org/Notebook'], shipsNamespace: true },
  // jupyterhub chart 4.3.3: singleuser.storage.extraVolumes are added to every server pod (in the hub's namespace)
  'jupyterhub': {
    crdProjects: [], controls: [],
    networkPolicies: (v, namespace) => jupyterhubPolicies(v, namespace),
    claims: (v) => (v?.singleuser?.storage?.extraVolumes ?? []).map((x: { persistentVolumeClaim?: { claimName?: string } }, i: number) => ({
      field: `spec.source.helm.valuesObject.singleuser.storage.extraVolumes[${i}].persistentVolumeClaim.claimName`, claimName: x?.persistentVolumeClaim?.claimName ?? '',
    })).filter((c: { claimName: string }) => c.claimName !== ''),
  },
  // nfs-subdir-external-provisioner chart 4.0.18 templates/storageclass.yaml: storageClass.create (default true), storageClass.name (default nfs-client)
  'nfs-subdir-external-provisioner': {
    crdProjects: [], controls: [],
    creates: (v) => (v?.storageClass?.create === false ? [] : [{ kind: 'StorageClass', name: v?.storageClass?.name ?? 'nfs-client' }]),
  },
  // metrics-server chart 3.13.0 templates/apiservice.yaml: v1beta1.metrics.k8s.io → containerPort 10250
  'metrics-server': { crdProjects: [], controls: [], controlPlanePorts: [10250] },
  'nvidia-gpu-operator': { crdProjects: [], controls: [] },
  // minio chart 5.4.0: `existingSecret` holds the root credentials (keys rootUser, rootPassword)
  'minio': {
    crdProjects: [], controls: [],
    requires: (v, namespace) => (typeof v?.existingSecret === 'string' ? [{
      kind: 'Secret' as const, name: v.existingSecret, namespace, keys: ['rootPassword', 'rootUser'], reason: 'root credentials of the minio add-on (Helm value existingSecret)',
    }] : []),
  },
  'cluster-autoscaler': { crdProjects: [], controls: [] },
};

/** True when `controls` covers `group/Kind`. */
export function controlsKind(controls: readonly string[], group: string, kind: string): boolean {
  return controls.some((c) => c === `${group}/${kind}` || c === `${group}/*`);
}
