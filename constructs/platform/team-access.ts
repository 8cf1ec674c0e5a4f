import { Construct } from 'constructs';
import { ClusterProfile, LABEL_MANAGED_BY, LABEL_TEAM, MANAGED_BY, Problems, checkName } from '../core';
import * as k8s from '../imports/k8s';
import { argoExecutorRule } from '../pipelines/constants';

/** Who belongs to a team (identities as the cluster's authenticator names them). */
export interface TeamMembers {
  /**
   * User names, e.g. `alice@example.com` (GKE: Google accounts).
   * @default - none
   */
  readonly users?: readonly string[];
  /**
   * Group names, e.g. `team-a@example.com` (GKE: Google Groups for RBAC).
   * @default - none
   */
  readonly groups?: readonly string[];
}

/** Props of TeamAccess. */
export interface TeamAccessProps {
  /** The team namespace. */
  readonly namespace: string;
  /**
   * The team's members: bound to the `team-member` Role.
   * @default - nobody (bind the Role yourself)
   */
  readonly members?: TeamMembers;
  /**
   * GKE Workload Identity: the Google service account the team's ServiceAccounts act as (annotation
   * `iam.gke.io/gcp-service-account`; the GKE stack grants them `roles/iam.workloadIdentityUser`
   * on it through `gke.artifactBucket.workloadServiceAccounts`, and its preview fails when one listed
   * there is missing or annotated otherwise).
   * @default - none: the pods have no Google identity
   */
  readonly googleServiceAccount?: string;
}

/** The annotation of Workload Identity Federation for GKE (GKE docs, how-to/workload-identity). */
export const GKE_SERVICE_ACCOUNT_ANNOTATION = 'iam.gke.io/gcp-service-account';

/** Names of the per-workload ServiceAccounts every team namespace has. */
export const TEAM_SERVICE_ACCOUNTS = {
  /** Plain workloads (jobs, notebook jobs, training, Dask pods): no Kubernetes API access at all. */
  workload: 'workload',
  /** Argo workflow pods: the executor reports step results (workflowtaskresults). */
  workflow: 'argo-workflow',
  /** Clients that create Dask clusters from code (KubeCluster in a notebook or DaskJob). */
  daskClient: 'dask-client',
} as const;

const rule = (apiGroups: string[], resources: string[], verbs: string[]): k8s.PolicyRule => ({ apiGroups, resources, verbs });
const READ = ['get', 'list', 'watch'];
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * RBAC of a team namespace: a `team-member` Role (run jobs, training jobs, pipelines and Dask
 * clusters; read pods, logs, events and queue state; no Secrets, no exec) bound to the members,
 * and per-workload ServiceAccounts with only what each needs (token mounted only where needed).
 */
export class TeamAccess extends Construct {
  /** Name of the members' Role. */
  public readonly memberRole = 'team-member';
  /** The ServiceAccount names. */
  public readonly serviceAccounts = TEAM_SERVICE_ACCOUNTS;

  constructor(scope: Construct, id: string, props: TeamAccessProps) {
    super(scope, id);
    const problems = new Problems(this);
    checkName(problems, 'namespace', props.namespace);
    for (const kind of ['users', 'groups'] as const) {
      (props.members?.[kind] ?? []).forEach((m, i) => problems.check(typeof m === 'string' && m.trim().length > 0 && m.length <= 253,
        `members.${kind}[${i}]`, 'is not a valid identity', m, 'a non-empty name of at most 253 characters'));
    }
    if (props.googleServiceAccount !== undefined) {
      problems.check(/^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9.:]*\.iam\.gserviceaccount\.com$/.test(props.googleServiceAccount), 'googleServiceAccount',
        'is not a Google service account email', props.googleServiceAccount, '"<name>@<project>.iam.gserviceaccount.com"');
      problems.check(ClusterProfile.of(this).provider === 'gke', 'googleServiceAccount', 'is GKE Workload Identity, but the cluster is not GKE', ClusterProfile.of(this).provider, 'a GKE ClusterProfile');
    }
    problems.throwIfAny();

    const namespace = props.namespace;
    const labels = { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_TEAM]: namespace };
    const role = (name: string, rules: k8s.PolicyRule[]) => new k8s.KubeRole(this, `role-${name}`, { metadata: { name, namespace, labels }, rules });
    const bind = (name: string, subjects: k8s.Subject[]) => new k8s.KubeRoleBinding(this, `binding-${name}`, {
      metadata: { name, namespace, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects,
    });
    const annotations = props.googleServiceAccount ? { [GKE_SERVICE_ACCOUNT_ANNOTATION]: props.googleServiceAccount } : undefined;
    const account = (name: string, automount: boolean) => new k8s.KubeServiceAccount(this, `sa-${name}`, {
      metadata: { name, namespace, labels, annotations }, automountServiceAccountToken: automount,
    });
    const daskClusters = rule(['kubernetes.dask.org'], ['daskclusters', 'daskworkergroups', 'daskjobs', 'daskautoscalers'], WRITE);

    role(this.memberRole, [
      rule(['batch'], ['jobs', 'cronjobs'], WRITE),
      rule(['kubeflow.org'], ['pytorchjobs', 'tfjobs', 'mpijobs', 'xgboostjobs', 'jaxjobs', 'paddlejobs', 'experiments', 'notebooks'], WRITE),
      rule(['trainer.kubeflow.org'], ['trainjobs'], WRITE),
      rule(['argoproj.io'], ['workflows', 'workflowtemplates', 'cronworkflows'], WRITE),
      daskClusters,
      rule([''], ['configmaps', 'persistentvolumeclaims'], WRITE),
      rule([''], ['pods', 'pods/log', 'services', 'events'], READ),
      rule(['kubeflow.org'], ['trials', 'suggestions'], READ),
      rule(['kueue.x-k8s.io'], ['localqueues', 'workloads'], READ),
      rule([''], ['pods/portforward'], ['create']),
    ]);
    const subjects: k8s.Subject[] = [
      ...(props.members?.users ?? []).map((name) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name })),
      ...(props.members?.groups ?? []).map((name) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name })),
    ];
    if (subjects.length > 0) bind(this.memberRole, subjects);

    account(TEAM_SERVICE_ACCOUNTS.workload, false);
    account(TEAM_SERVICE_ACCOUNTS.workflow, true);
    role(TEAM_SERVICE_ACCOUNTS.workflow, [argoExecutorRule()]);
    bind(TEAM_SERVICE_ACCOUNTS.workflow, [{ kind: 'ServiceAccount', name: TEAM_SERVICE_ACCOUNTS.workflow, namespace }]);
    account(TEAM_SERVICE_ACCOUNTS.daskClient, true);
    role(TEAM_SERVICE_ACCOUNTS.daskClient, [daskClusters, rule([''], ['pods', 'services'], READ)]);
    bind(TEAM_SERVICE_ACCOUNTS.daskClient, [{ kind: 'ServiceAccount', name: TEAM_SERVICE_ACCOUNTS.daskClient, namespace }]);
  }
}
