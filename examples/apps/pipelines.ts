/**
 * Pipeline examples (charts `pipelines-*`, namespace team-a): notebooks mixed with the KFP XGBoost
 * train component, and a nightly S3 → parallel training → NFS → Slack pipeline.
 */
import { Chart } from 'cdk8s';
import {
  KfpComponent, MlscaleApp, NotebookSource, ObjectStore, Pipeline, PipelineStep, SecretRef,
} from '../../constructs';
import { TEAM_A_OBJECT_STORE } from './notebooks';
import type { PlatformTeams } from './teams';
import { ARTIFACT_BUCKET } from './platform';

const NAMESPACE = 'team-a';
/** Runtime image of the notebook steps (python, papermill, nbconvert, AWS CLI v2, pandas, xgboost). */
const NOTEBOOK_IMAGE = 'ghcr.io/acme/papermill-datascience:2025.01.2';

/** The data prep notebook both XGBoost pipelines start with: the `source_uri` parameter → the `clean` CSV. */
function prepStep(): PipelineStep {
  return PipelineStep.notebook('prep', {
    notebook: NotebookSource.fromFile('examples/apps/notebooks/prep.ipynb'),
    image: NOTEBOOK_IMAGE,
    parameters: { source_uri: Pipeline.parameter('source_uri') },
    outputs: { clean: { kind: 'artifact', type: 'CSV' } },
  });
}

/** Adds the pipeline example charts. */
export function addPipelines(app: MlscaleApp, teams: PlatformTeams): void {
  const shared = new Chart(app, 'pipelines-team-a');
  const artifacts = new ObjectStore(shared, 'pipeline-artifacts', TEAM_A_OBJECT_STORE);

  // data prep notebook → feature notebook → KFP "mlscale-xgboost-train" (the trainer image's entrypoint) → evaluation notebook
  const xgboostTrain = KfpComponent.fromFile('examples/apps/pipelines/components/xgboost-train/component.yaml');
  new Pipeline(new Chart(app, 'pipelines-xgboost'), 'tips-xgboost', {
    namespace: NAMESPACE,
    objectStore: artifacts,
    parameters: { source_uri: `s3://${ARTIFACT_BUCKET}/team-a/datasets/tips.csv` },
    steps: [
      prepStep(),
      PipelineStep.notebook('features', {
        dependsOn: ['prep'],
        notebook: NotebookSource.fromFile('examples/apps/notebooks/features.ipynb'),
        image: NOTEBOOK_IMAGE,
        resources: { cpu: 2, memory: '8Gi' },
        parameters: { clean: Pipeline.outputOf('prep', 'clean'), label: 'tip' },
        outputs: { training_data: { kind: 'artifact', type: 'CSV' } },
      }),
      PipelineStep.kfp('train', xgboostTrain, {
        dependsOn: ['features'],
        resources: { cpu: 4, memory: '16Gi' },
        arguments: { training_data: Pipeline.outputOf('features', 'training_data'), label_column: 0, num_iterations: 300, objective: 'reg:squarederror' },
      }),
      PipelineStep.notebook('evaluate', {
        dependsOn: ['train'],
        notebook: NotebookSource.fromFile('examples/apps/notebooks/evaluate.ipynb'),
        image: NOTEBOOK_IMAGE,
        parameters: { model: Pipeline.outputOf('train', 'model'), test_data: Pipeline.outputOf('features', 'training_data') },
        outputs: { report: { kind: 'artifact', type: 'JsonObject' } },
      }),
    ],
  });

  // the same data prep, then a KFP *graph* component (train on all rows + 3-fold cross-validation:
  // split → train → predict → metrics → aggregate, 12 tasks) as one nested Argo DAG, then the evaluation notebook
  const crossValidate = KfpComponent.fromFile('examples/apps/pipelines/components/xgboost-cross-validate/component.yaml');
  // typed step references: dependsOn and outputOf take the steps themselves
  const cvPrep = prepStep();
  const cv = PipelineStep.kfp('cross-validate', crossValidate, {
    dependsOn: [cvPrep],
    resources: { cpu: 2, memory: '8Gi' }, // every task of the graph
    arguments: { data: Pipeline.outputOf(cvPrep, 'clean'), num_iterations: 300 },
  });
  new Pipeline(new Chart(app, 'pipelines-cross-validate'), 'tips-cross-validate', {
    namespace: NAMESPACE,
    objectStore: artifacts,
    parameters: { source_uri: `s3://${ARTIFACT_BUCKET}/team-a/datasets/tips.csv` },
    steps: [
      cvPrep,
      cv,
      PipelineStep.notebook('evaluate', {
        dependsOn: [cv],
        notebook: NotebookSource.fromFile('examples/apps/notebooks/evaluate.ipynb'),
        image: NOTEBOOK_IMAGE,
        parameters: {
          model: Pipeline.outputOf(cv, 'model'),
          test_data: Pipeline.outputOf(cvPrep, 'clean'),
          cv_rmse: Pipeline.outputOf(cv, 'cv_rmse'),
        },
        outputs: { report: { kind: 'artifact', type: 'JsonObject' } },
      }),
    ],
  });

  // S3 → parallel training of three models → models saved on NFS → Slack, every night
  new Pipeline(new Chart(app, 'pipelines-nightly'), 'nightly-retrain', {
    namespace: NAMESPACE,
    objectStore: artifacts,
    parameters: { dataset: `s3://${ARTIFACT_BUCKET}/team-a/datasets/tips.csv` },
    schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin', concurrencyPolicy: 'Forbid' },
    notifySlack: { webhookSecret: SecretRef.fromName('team-a-slack').key('webhook-url') },
    steps: [
      PipelineStep.container('fetch', {
        image: 'amazon/aws-cli:2.22.35',
        command: ['aws', 's3', 'cp', '{{inputs.parameters.dataset}}', '/tmp/data/dataset.csv'],
        env: artifacts.awsEnv(),
        inputs: { dataset: { kind: 'parameter', value: Pipeline.parameter('dataset') } },
        outputs: { dataset: { kind: 'artifact', type: 'CSV', path: '/tmp/data/dataset.csv' } },
        resources: { cpu: 0.5, memory: '512Mi' },
      }),
      PipelineStep.container('train', {
        dependsOn: ['fetch'],
        image: 'ghcr.io/acme/trainers:1.4.0',
        command: ['python', '-m', 'trainers.fit', '--model', '{{inputs.parameters.model}}', '--data', '/tmp/inputs/dataset.csv',
          '--out', '/mnt/shared/models/{{workflow.name}}/{{inputs.parameters.model}}', '--rmse-out', '/tmp/rmse'],
        fanOut: { items: ['xgboost', 'lightgbm', 'random-forest'] },
        inputs: {
          model: { kind: 'parameter', value: Pipeline.item() },
          dataset: { kind: 'artifact', type: 'CSV', value: Pipeline.outputOf('fetch', 'dataset'), path: '/tmp/inputs/dataset.csv' },
        },
        outputs: { rmse: { kind: 'parameter', type: 'Float', path: '/tmp/rmse' } },
        mounts: [teams.teamAShared.mount('/mnt/shared')],
        resources: { cpu: 4, memory: '16Gi' },
      }),
      // fan-in: the three models' RMSEs as one JSON list, in the fan-out's item order
      PipelineStep.container('compare', {
        dependsOn: ['train'],
        image: 'ghcr.io/acme/trainers:1.4.0',
        command: ['python', '-m', 'trainers.compare', '/mnt/shared/models/{{workflow.name}}', '--rmse', '{{inputs.parameters.rmse}}', '--best-out', '/tmp/best', '--improved-out', '/tmp/improved'],
        inputs: { rmse: { kind: 'parameter', type: 'JsonArray', value: Pipeline.collect('train', 'rmse') } },
        outputs: { best: { kind: 'parameter', type: 'String', path: '/tmp/best' }, improved: { kind: 'parameter', type: 'Boolean', path: '/tmp/improved' } },
        mounts: [teams.teamAShared.mount('/mnt/shared', { readOnly: true })],
        resources: { cpu: 1, memory: '2Gi' },
      }),
      // only when the best model beats the one in use (Argo `when`), with retries for the shared volume
      PipelineStep.container('promote', {
        dependsOn: ['compare'],
        when: Pipeline.when(Pipeline.outputOf('compare', 'improved'), '==', true),
        image: 'ghcr.io/acme/trainers:1.4.0',
        command: ['python', '-m', 'trainers.promote', '/mnt/shared/models/{{workflow.name}}/{{inputs.parameters.best}}', '/mnt/shared/models/current'],
        inputs: { best: { kind: 'parameter', value: Pipeline.outputOf('compare', 'best') } },
        retries: 3,
        mounts: [teams.teamAShared.mount('/mnt/shared')],
        resources: { cpu: 0.5, memory: '512Mi' },
      }),
    ],
  });
}
