/** Names, paths and images of the Argo pipelines (one place, no magic strings). */

/** argoproj.io/v1alpha1 kinds (as the `GVK`s of imports/argo-workflows-argoproj.io.ts; kept here to avoid loading the 9 MB binding). */
export const WORKFLOW_TEMPLATE_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate' } as const;
export const CRON_WORKFLOW_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow' } as const;

/** Where KFP components read input artifacts and write outputs (KFP v1's Argo convention). */
export const KFP_INPUTS_DIR = '/tmp/inputs';
export const KFP_OUTPUTS_DIR = '/tmp/outputs';
/** KFP types passed by value (Argo parameters); other types are files (Argo artifacts). */
export const KFP_PARAMETER_TYPES: readonly string[] = ['String', 'Integer', 'Float', 'Bool', 'Boolean', 'JsonObject', 'JsonArray'];
/** KFP types that papermill receives typed (`-p`), not as raw strings. */
export const NUMERIC_TYPES: readonly string[] = ['Integer', 'Float', 'Bool', 'Boolean'];

/** Name of the DAG template every pipeline starts at. */
export const ENTRYPOINT = 'main';
/** Name of the exit handler template. */
export const EXIT_TEMPLATE = 'exit-handler';
/** Image of the Slack notifier (curl). */
export const CURL_IMAGE = 'curlimages/curl:8.11.1';
/** Argo's API group (RBAC of the executor). */
export const ARGO_GROUP = 'argoproj.io';

/**
 * What the service account of a workflow's pods needs: the emissary executor (its `wait` container)
 * reports each step's outputs as a WorkflowTaskResult: create and patch (argo-workflows v4.1.2
 * docs/workflow-rbac.md, "the minimum for the executor", and
 * manifests/quick-start/base/executor/emissary/executor-role.yaml). Used by every Pipeline's own account and by a
 * Team's `argo-workflow` account.
 */
export function argoExecutorRule(): { apiGroups: string[]; resources: string[]; verbs: string[] } {
  return { apiGroups: [ARGO_GROUP], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] };
}
