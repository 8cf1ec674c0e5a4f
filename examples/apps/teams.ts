/**
 * Teams and guard rails of the default platform app: the cluster-wide queue objects
 * (`platform-queues`: ResourceFlavors per GPU class, priority classes) and two teams
 * (`teams-team-a`, `teams-team-b`) with quotas, queues, network policy and RBAC.
 * It also turns on the synth-time guard rails for the whole app.
 */
import { Chart } from 'cdk8s';
import { GpuQueues, GuardRails, MlscaleApp, PRIVATE_GOOGLE_APIS_CIDR, PriorityClasses, SharedVolume, Team } from '../../constructs';
import { TEAM_A_SHARED_CLAIM } from './notebooks';
import { KUBERNETES_API_CIDR, teamArtifactServiceAccount } from './platform';

/** Cloud Storage through Private Google Access (the stack's private.googleapis.com zone), HTTPS. */
const GCS = { cidr: PRIVATE_GOOGLE_APIS_CIDR, port: 443 };

/** The example teams (other examples deploy into team-a). */
export const TEAMS = ['team-a', 'team-b'] as const;

/** The example teams, by namespace (the gateway maps JupyterHub groups to them), and team-a's shared RWX volume. */
export type PlatformTeams = Readonly<Record<(typeof TEAMS)[number], Team>> & { readonly teamAShared: SharedVolume };

/** Adds the queue objects and the teams, and enables the guard rails on `app`. */
export function addTeams(app: MlscaleApp): PlatformTeams {
  GuardRails.enable(app);

  const cluster = new Chart(app, 'platform-queues');
  new GpuQueues(cluster, 'gpu-flavors');
  new PriorityClasses(cluster, 'priorities');

  const teamA = new Chart(app, 'teams-team-a');
  const a = new Team(teamA, 'team-a', {
    members: { groups: ['team-a@example.com'] },
    quota: { cpu: 64, memory: '256Gi', gpus: { t4: 4, l4: 4, a100: 8 }, storage: '2Ti' },
    kubernetesApiCidr: KUBERNETES_API_CIDR,
    objectStore: GCS,
    googleServiceAccount: teamArtifactServiceAccount('team-a'),
    borrowingLimit: { cpu: 32, memory: '128Gi', gpus: { a100: 8, 'a100-80gb-spot': 16 } },
    // the Katib sweep example (training-katib) runs here: its trials need the metrics collector
    katibMetricsCollection: true,
  });
  // the team's shared RWX volume: notebooks, pipelines and the RAPIDS notebook server mount it
  const teamAShared = new SharedVolume(teamA, 'shared', { name: TEAM_A_SHARED_CLAIM, namespace: 'team-a', size: '500Gi' });
  const b = new Team(new Chart(app, 'teams-team-b'), 'team-b', {
    members: { groups: ['team-b@example.com'] },
    quota: { cpu: 32, memory: '128Gi', gpus: { t4: 4, 'a100-80gb-spot': 4 }, storage: '1Ti' },
    kubernetesApiCidr: KUBERNETES_API_CIDR,
    objectStore: GCS,
    googleServiceAccount: teamArtifactServiceAccount('team-b'),
  });
  return { 'team-a': a, 'team-b': b, teamAShared };
}
