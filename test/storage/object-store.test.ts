import { ObjectStore } from '../../constructs';
import { problemMessages } from '../util';

describe('ObjectStore', () => {
  const minio = ObjectStore.minio({ bucket: 'ml-outputs', credentials: { secretName: 'minio-creds' } });

  test('references the credentials Secret, never holds keys', () => {
    expect(minio.env()).toEqual({
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: 'minio-creds', key: 'accessKey' } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: 'minio-creds', key: 'secretKey' } },
      AWS_ENDPOINT_URL: 'http://minio.minio.svc.cluster.local:9000',
      AWS_DEFAULT_REGION: 'us-east-1',
    });
    expect(minio.uri('/notebooks/x')).toBe('s3://ml-outputs/mlscale/notebooks/x');
  });

  test('Argo S3 config: endpoint without scheme, insecure only for http', () => {
    expect(minio.argoS3()).toMatchObject({ endpoint: 'minio.minio.svc.cluster.local:9000', insecure: true, bucket: 'ml-outputs' });
    const gcs = ObjectStore.gcs({ bucket: 'acme-ml', credentials: { secretName: 'gcs-hmac', accessKeyKey: 'id', secretKeyKey: 'secret' } });
    expect(gcs.argoS3()).toMatchObject({ endpoint: 'storage.googleapis.com', insecure: false, region: 'auto', accessKeySecret: { name: 'gcs-hmac', key: 'id' } });
    expect(ObjectStore.s3({ bucket: 'acme', region: 'eu-west-1', credentials: { secretName: 'aws' } }).endpoint).toBe('https://s3.eu-west-1.amazonaws.com');
  });

  test('bad endpoint, bucket, secret name and prefix are reported together', () => {
    expect(problemMessages(() => new ObjectStore({ endpoint: 'minio:9000', bucket: 'A', credentials: { secretName: 'Creds' }, prefix: '/x/' }))).toEqual([
      'ObjectStore: endpoint is not an http(s) endpoint URL; got "minio:9000", expected a URL like "http://minio.minio.svc:9000" or "https://storage.googleapis.com" (no path)',
      'ObjectStore: bucket is not a valid bucket name; got "A", expected 3-63 characters of a-z, 0-9, "." and "-"',
      'ObjectStore: credentials.secretName is not a valid Kubernetes name; got "Creds", expected a DNS-1123 label: at most 253 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
      'ObjectStore: prefix is not a valid key prefix; got "/x/", expected path segments of A-Z, a-z, 0-9, ".", "_", "-" without leading or trailing "/"',
    ]);
  });
});
