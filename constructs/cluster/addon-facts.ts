/**
 * What each add-on installs, as the cluster model needs it: the upstream projects whose CRDs it
 * applies (so their kinds are served) and the kinds its controllers act on. Facts of the pinned
 * versions (constructs/upstream/sources.ts); each entry cites where it comes from.
 */
import type { AddonName, ManifestAddonName } from '../platform/addons';
import type { UpstreamProjectId } from '../upstream/sources';

/** What one add-on provides. */
export interface AddonFacts {
  /** Projects whose CRDs the add-on applies: every kind those CRDs define is served. */
  readonly crdProjects: readonly UpstreamProjectId[];
  /** `group/Kind` (or `group/*`) of the objects its controllers reconcile. */
  readonly controls: readonly string[];
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
  'kueue': { crdProjects: ['kueue'], controls: ['kueue.x-k8s.io/*'] },
  // kubeflow/trainer v2.3.0 charts/kubeflow-trainer: trainer CRDs plus the bundled JobSet (go.mod: v0.12.0)
  'kubeflow-trainer': { crdProjects: ['kubeflow-trainer', 'jobset'], controls: ['trainer.kubeflow.org/*', 'jobset.x-k8s.io/*'] },
  // kubeflow/trainer v1.9.4 manifests/overlays/standalone
  'kubeflow-training-operator': { crdProjects: ['kubeflow-training-operator'], controls: ['kubeflow.org/PyTorchJob', 'kubeflow.org/TFJob', 'kubeflow.org/MPIJob', 'kubeflow.org/XGBoostJob', 'kubeflow.org/PaddleJob', 'kubeflow.org/JAXJob'] },
  'dask-kubernetes-operator': { crdProjects: ['dask-kubernetes'], controls: ['kubernetes.dask.org/*'] },
  // the CRDs only: a DaskGateway in charts-out runs their controller and proxy (annotation mlscale.io/controller-for)
  'dask-gateway-crds': { crdProjects: ['dask-gateway'], controls: [] },
  'katib': { crdProjects: ['katib'], controls: ['kubeflow.org/Experiment', 'kubeflow.org/Trial', 'kubeflow.org/Suggestion'] },
  'kubeflow-notebook-controller': { crdProjects: ['kubeflow-notebooks'], controls: ['kubeflow.org/Notebook'] },
  'jupyterhub': { crdProjects: [], controls: [] },
  'nfs-subdir-external-provisioner': { crdProjects: [], controls: [] },
  'metrics-server': { crdProjects: [], controls: [] },
  'nvidia-gpu-operator': { crdProjects: [], controls: [] },
  'minio': { crdProjects: [], controls: [] },
  'cluster-autoscaler': { crdProjects: [], controls: [] },
};

/** True when `controls` covers `group/Kind`. */
export function controlsKind(controls: readonly string[], group: string, kind: string): boolean {
  return controls.some((c) => c === `${group}/${kind}` || c === `${group}/*`);
}
