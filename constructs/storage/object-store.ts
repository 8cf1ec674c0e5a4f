import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import { Externals } from '../cluster/externals';
import { EnvValue, ISecret, Problems, SecretLike, checkName, recommendedLabels, resolveRef } from '../core';

/** Where the access keys of an object store live: an existing Secret (mlscale never holds keys). */
export interface ObjectStoreCredentials {
  /** The Secret, in the namespace of the workloads: `SecretRef.fromName('minio-creds')` (provided before syncing) or a `kplus.Secret`. */
  readonly secret: SecretLike;
  /**
   * Key of the access key id in the Secret.
   * @default 'accessKey'
   */
  readonly accessKeyKey?: string;
  /**
   * Key of the secret access key in the Secret.
   * @default 'secretKey'
   */
  readonly secretKeyKey?: string;
}

/** Props of an ObjectStore. */
export interface ObjectStoreProps {
  /**
   * Namespace of the workloads that use the store (the Secret and the artifact repository ConfigMap live there).
   * @default - the chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /**
   * S3 endpoint URL: MinIO in the cluster (`http://minio.minio.svc:9000`), S3
   * (`https://s3.eu-west-1.amazonaws.com`) or GCS through its S3 API (`https://storage.googleapis.com`, HMAC keys).
   */
  readonly endpoint: string;
  /** Bucket name. */
  readonly bucket: string;
  /** Reference to the Secret with the access keys. */
  readonly credentials: ObjectStoreCredentials;
  /**
   * Region (S3 signs requests per region).
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Key prefix under which everything mlscale writes goes (no leading or trailing '/').
   * @default 'mlscale'
   */
  readonly prefix?: string;
  /**
   * Name of the Argo artifact repository ConfigMap this store writes.
   * @default - `<id>-artifact-repository`
   */
  readonly artifactRepositoryName?: string;
}

/** Key of the artifact repository inside the ConfigMap (referenced by `artifactRepositoryRef.key`). */
export const ARTIFACT_REPOSITORY_KEY = 'artifact-repository';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

/**
 * An S3-compatible object store (MinIO, S3, GCS via its S3 API) that notebook jobs write to and
 * that Argo uses as its artifact repository. It only references an existing credentials Secret;
 * it creates one ConfigMap: the Argo artifact repository (`artifactRepositoryRef`).
 */
export class ObjectStore extends Construct {
  /** Namespace of the store's Secret and ConfigMap. */
  public readonly namespace: string;
  /** Endpoint URL. */
  public readonly endpoint: string;
  /** Bucket. */
  public readonly bucket: string;
  /** Region. */
  public readonly region: string;
  /** Key prefix of everything mlscale writes. */
  public readonly prefix: string;
  /** The credentials: Secret name and keys. */
  public readonly credentials: { readonly secretName: string; readonly accessKeyKey: string; readonly secretKeyKey: string };
  /** `{ configMap, key }` for an Argo `artifactRepositoryRef`. */
  public readonly artifactRepositoryRef: { readonly configMap: string; readonly key: string };
  /** The artifact repository ConfigMap (escape hatch). */
  public readonly apiObject: ApiObject;
  /** The credentials Secret (resolved: in the store's namespace). */
  private readonly secret: ISecret;

  constructor(scope: Construct, id: string, props: ObjectStoreProps) {
    super(scope, id);
    const problems = new Problems(this);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (problems.check(namespace !== undefined, 'namespace', 'is required', namespace, "a namespace, from the props or the chart's namespace")) checkName(problems, 'namespace', namespace);
    problems.check(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/.test(props.endpoint), 'endpoint', 'is not an endpoint URL', props.endpoint,
      'http(s)://host[:port] without a path, e.g. "http://minio.minio.svc:9000"');
    problems.check(BUCKET.test(props.bucket), 'bucket', 'is not a valid bucket name', props.bucket, '3-63 characters of a-z, 0-9, \'.\' and \'-\'');
    const prefix = props.prefix ?? 'mlscale';
    problems.check(PREFIX.test(prefix), 'prefix', 'is not a valid key prefix', prefix, "key segments separated by '/', no leading or trailing '/'");
    const accessKeyKey = props.credentials.accessKeyKey ?? 'accessKey';
    const secretKeyKey = props.credentials.secretKeyKey ?? 'secretKey';
    // credentials never go to charts-out: an imported Secret is provided before syncing
    const secret = resolveRef(this, problems, 'credentials.secret', 'Secret', props.credentials.secret, namespace, {
      reason: `S3 credentials of bucket ${props.bucket} at ${props.endpoint.replace(/\/$/, '')} (ObjectStore ${this.node.path})`, keys: [accessKeyKey, secretKeyKey],
    });
    const repoName = props.artifactRepositoryName ?? `${id}-artifact-repository`;
    checkName(problems, 'artifactRepositoryName', repoName);
    problems.throwIfAny();

    this.namespace = namespace!;
    this.endpoint = props.endpoint.replace(/\/$/, '');
    this.bucket = props.bucket;
    this.region = props.region ?? 'us-east-1';
    this.prefix = prefix;
    this.credentials = { secretName: secret!.name, accessKeyKey, secretKeyKey };
    this.secret = { secretName: secret!.name, secretNamespace: this.namespace };
    this.artifactRepositoryRef = { configMap: repoName, key: ARTIFACT_REPOSITORY_KEY };
    Externals.declare(this, {
      kind: 'Bucket', name: `${this.endpoint}/${this.bucket}`,
      reason: `the bucket the steps read and write under ${this.prefix}/ (ObjectStore ${this.node.path}); the credentials in Secret ${this.credentials.secretName} need read and write on it`,
    });
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: repoName,
        namespace: this.namespace,
        labels: recommendedLabels({ name: 'object-store', instance: repoName }),
      },
      data: { [ARTIFACT_REPOSITORY_KEY]: JSON.stringify({ s3: this.s3Config(`${this.prefix}/artifacts/{{workflow.name}}/{{pod.name}}`) }, undefined, 2) },
    });
  }

  /** `s3://<bucket>/<prefix>/<key>`. */
  public uri(key: string): string {
    return `s3://${this.bucket}/${this.prefix}/${key.replace(/^\/+/, '')}`;
  }

  /**
   * Environment for the AWS CLI (v2.13 or later reads `AWS_ENDPOINT_URL`): endpoint, region and
   * the keys taken from the Secret by reference.
   */
  public awsEnv(): Record<string, EnvValue> {
    return {
      AWS_ACCESS_KEY_ID: { secret: this.secret, key: this.credentials.accessKeyKey },
      AWS_SECRET_ACCESS_KEY: { secret: this.secret, key: this.credentials.secretKeyKey },
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_DEFAULT_REGION: this.region,
    };
  }

  /** An Argo S3 artifact location of `key` (under the store's prefix), e.g. an input artifact read from this store. */
  public argoS3(key: string): Record<string, unknown> {
    const { keyFormat: _kf, ...s3 } = this.s3Config('');
    return { ...s3, key: `${this.prefix}/${key.replace(/^\/+/, '')}` };
  }

  /** The Argo S3 artifact repository config (`keyFormat` is where artifacts are written). */
  private s3Config(keyFormat: string): Record<string, unknown> {
    const url = new URL(this.endpoint);
    return {
      endpoint: url.host,
      bucket: this.bucket,
      region: this.region,
      insecure: url.protocol === 'http:',
      keyFormat,
      accessKeySecret: { name: this.credentials.secretName, key: this.credentials.accessKeyKey },
      secretKeySecret: { name: this.credentials.secretName, key: this.credentials.secretKeyKey },
    };
  }
}
