/** Argo CD names and the GitOps defaults of mlscale (one place, no magic strings). */

/** Argo CD v3.5.1 is the pinned version (constructs/upstream/sources.ts). */
export const ARGOCD_NAMESPACE = 'argocd';
/** Annotation that orders resources of one sync: lower waves are applied (and healthy) first. */
export const ANNOTATION_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/** Finalizer that makes deleting an Application delete its resources (cascade). */
export const FINALIZER_CASCADE = 'resources-finalizer.argocd.argoproj.io';
/** Argo CD's name for the cluster it runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Argo CD's built-in project, which always exists (the root Application lives there). */
export const DEFAULT_PROJECT = 'default';

/** Sync options of chart Applications. */
export const CHART_SYNC_OPTIONS = ['ServerSideApply=true', 'RespectIgnoreDifferences=true', 'PruneLast=true'];
/**
 * Sync options of add-on Applications: server-side apply (client-side apply fails on CRDs larger
 * than the 256 KiB last-applied annotation, e.g. Argo Workflows) and namespace creation.
 */
export const ADDON_SYNC_OPTIONS = ['ServerSideApply=true', 'CreateNamespace=true'];

/** Retry of a failed sync (e.g. a webhook of a just-installed operator not ready yet). */
export const SYNC_RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } };

/**
 * Cluster-scoped kinds mlscale charts may contain (by group): they go into the charts project's
 * clusterResourceWhitelist, and a chart that has any is synced in the earlier "foundation" wave.
 */
export const CLUSTER_SCOPED_KINDS: Readonly<Record<string, readonly string[]>> = {
  '': ['Namespace', 'PersistentVolume'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'scheduling.k8s.io': ['PriorityClass'],
  'storage.k8s.io': ['StorageClass'],
  'node.k8s.io': ['RuntimeClass'],
  'networking.k8s.io': ['IngressClass'],
  'admissionregistration.k8s.io': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
  'kueue.x-k8s.io': ['ClusterQueue', 'ResourceFlavor', 'WorkloadPriorityClass', 'Cohort', 'AdmissionCheck', 'Topology', 'ProvisioningRequestConfig'],
  'argoproj.io': ['ClusterWorkflowTemplate'],
  'trainer.kubeflow.org': ['ClusterTrainingRuntime'],
};

/**
 * Fields Kueue changes on the objects it admits: without ignoring them, self-heal would suspend
 * an admitted job again. Keyed by `group/Kind`.
 */
export const KUEUE_MANAGED_FIELDS: Readonly<Record<string, string>> = {
  'batch/Job': '/spec/suspend',
  'jobset.x-k8s.io/JobSet': '/spec/suspend',
  'kubeflow.org/PyTorchJob': '/spec/runPolicy/suspend',
  'kubeflow.org/TFJob': '/spec/runPolicy/suspend',
  'kubeflow.org/MPIJob': '/spec/runPolicy/suspend',
  'kubeflow.org/XGBoostJob': '/spec/runPolicy/suspend',
  'kubeflow.org/PaddleJob': '/spec/runPolicy/suspend',
  'kubeflow.org/JAXJob': '/spec/runPolicy/suspend',
  'trainer.kubeflow.org/TrainJob': '/spec/suspend',
};

/** Per-resource sync options (Argo CD v3.5.1 docs/user-guide/sync-options.md). */
export const ANNOTATION_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/**
 * Run-to-completion workloads whose spec a cluster does not take as an edit: an Argo CD sync of a
 * changed one would fail or change nothing, so they carry `Force=true,Replace=true` (gitops-engine
 * pkg/sync/sync_context.go: replace with force = `kubectl replace --force`, delete then create) and
 * a commit that changes one re-runs it with the new spec. Keyed by `group/Kind`, with the rule that
 * makes the edit fail.
 */
export const RECREATE_ON_CHANGE: Readonly<Record<string, string>> = {
  'batch/Job': 'spec.template is immutable (kubernetes pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate)',
  'kubeflow.org/PyTorchJob': 'running pods keep their template: the controller only creates missing pods (trainer v1.9.4 pkg/controller.v1/common/pod.go ReconcilePods)',
  'kubeflow.org/TFJob': 'running pods keep their template: the controller only creates missing pods (trainer v1.9.4 pkg/controller.v1/common/pod.go ReconcilePods)',
  'trainer.kubeflow.org/TrainJob': 'runtimeRef, trainer, initializer are "self == oldSelf" (trainer v2.3.0 pkg/apis/trainer/v1alpha1/trainjob_types.go)',
  'kubeflow.org/Experiment': 'only parallelTrialCount, maxTrialCount and maxFailedTrialCount are editable (katib v0.19.0 pkg/webhook/v1beta1/experiment/validator/validator.go)',
};
/** The sync options of RECREATE_ON_CHANGE kinds. */
export const RECREATE_SYNC_OPTIONS = 'Force=true,Replace=true';

// The Application health check lives with the add-on catalog, which sets it in argo-cd's values.
export { APPLICATION_HEALTH_LUA } from '../platform/argocd-health';
