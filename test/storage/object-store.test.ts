import { Testing } from 'cdk8s';
import { SecretRef, ObjectStore } from '../../constructs';
import { problemMessages, testChart } from '../util';

describe('ObjectStore', () => {
  const make = () => {
    const chart = testChart();
    const store = new ObjectStore(chart, 'results', {
      namespace: 'team-a', endpoint: 'http://minio.minio.svc:9000', bucket: 'team-a', credentials: { secret: SecretRef.fromName('team-a-minio') },
    });
    return { chart, store };
  };

  test('an Argo artifact repository that references the Secret, never holds keys', () => {
    const { chart, store } = make();
    const [cm] = Testing.synth(chart);
    expect(cm).toMatchSnapshot();
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata).toMatchObject({ name: 'results-artifact-repository', namespace: 'team-a' });
    expect(JSON.parse(cm.data['artifact-repository'])).toEqual({
      s3: {
        endpoint: 'minio.minio.svc:9000', bucket: 'team-a', region: 'us-east-1', insecure: true,
        keyFormat: 'mlscale/artifacts/{{workflow.name}}/{{pod.name}}',
        accessKeySecret: { name: 'team-a-minio', key: 'accessKey' },
        secretKeySecret: { name: 'team-a-minio', key: 'secretKey' },
      },
    });
    expect(store.artifactRepositoryRef).toEqual({ configMap: 'results-artifact-repository', key: 'artifact-repository' });
  });

  test('uri and AWS CLI environment (keys by reference)', () => {
    const { store } = make();
    expect(store.uri('/notebooks/x')).toBe('s3://team-a/mlscale/notebooks/x');
    expect(store.awsEnv()).toEqual({
      AWS_ACCESS_KEY_ID: { secret: { secretName: 'team-a-minio', secretNamespace: 'team-a' }, key: 'accessKey' },
      AWS_SECRET_ACCESS_KEY: { secret: { secretName: 'team-a-minio', secretNamespace: 'team-a' }, key: 'secretKey' },
      AWS_ENDPOINT_URL: 'http://minio.minio.svc:9000',
      AWS_DEFAULT_REGION: 'us-east-1',
    });
  });

  test('https endpoints (S3, GCS) are secure', () => {
    const chart = testChart();
    new ObjectStore(chart, 'gcs', { namespace: 'team-a', endpoint: 'https://storage.googleapis.com', bucket: 'acme-ml', credentials: { secret: SecretRef.fromName('gcs-hmac') } });
    expect(JSON.parse(Testing.synth(chart)[0].data['artifact-repository']).s3).toMatchObject({ endpoint: 'storage.googleapis.com', insecure: false });
  });

  test('bad endpoint, bucket and prefix are reported together', () => {
    expect(problemMessages(() => new ObjectStore(testChart(), 's', {
      namespace: 'team-a', endpoint: 'minio:9000', bucket: 'Team_A', prefix: '/x/', credentials: { secret: SecretRef.fromName('creds') },
    }))).toEqual([
      'test/s: endpoint is not an endpoint URL; got "minio:9000", expected http(s)://host[:port] without a path, e.g. "http://minio.minio.svc:9000"',
      'test/s: bucket is not a valid bucket name; got "Team_A", expected 3-63 characters of a-z, 0-9, \'.\' and \'-\'',
      'test/s: prefix is not a valid key prefix; got "/x/", expected key segments separated by \'/\', no leading or trailing \'/\'',
    ]);
  });
});
