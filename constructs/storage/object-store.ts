import { Problems } from '../core/errors';
import { EnvValue } from '../core/pod';
import { checkName } from '../core/names';

/** Keys of the credentials Secret an ObjectStore references. */
export interface ObjectStoreCredentials {
  /** Name of an existing Secret in the workload's namespace (its values never enter charts-out). */
  readonly secretName: string;
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
  /** S3 API endpoint URL, e.g. `http://minio.minio.svc:9000`, `https://storage.googleapis.com`. */
  readonly endpoint: string;
  /** Bucket name. */
  readonly bucket: string;
  /** Reference to the credentials Secret. */
  readonly credentials: ObjectStoreCredentials;
  /**
   * Region.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Prefix under which mlscale writes (outputs, artifacts).
   * @default 'mlscale'
   */
  readonly prefix?: string;
}

/** The S3 artifact configuration Argo Workflows expects (for an artifact repository or an artifact). */
export interface ArgoS3Config {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly insecure: boolean;
  readonly accessKeySecret: { readonly name: string; readonly key: string };
  readonly secretKeySecret: { readonly name: string; readonly key: string };
}

/**
 * Where inputs and outputs live: an S3-compatible object store (MinIO in-cluster, AWS S3, or GCS
 * through its S3 API with HMAC keys). It holds only a reference to an existing credentials Secret.
 * Used by NotebookJob (executed notebooks) and Pipeline (the Argo artifact repository).
 */
export class ObjectStore {
  /** MinIO in the cluster (the on-prem default). */
  public static minio(props: Omit<ObjectStoreProps, 'endpoint'> & { readonly endpoint?: string }): ObjectStore {
    return new ObjectStore({ endpoint: 'http://minio.minio.svc.cluster.local:9000', ...props });
  }

  /** AWS S3 in a region. */
  public static s3(props: Omit<ObjectStoreProps, 'endpoint'> & { readonly region: string }): ObjectStore {
    return new ObjectStore({ ...props, endpoint: `https://s3.${props.region}.amazonaws.com` });
  }

  /** Google Cloud Storage through its S3-compatible XML API (HMAC keys in the Secret). */
  public static gcs(props: Omit<ObjectStoreProps, 'endpoint' | 'region'>): ObjectStore {
    return new ObjectStore({ ...props, endpoint: 'https://storage.googleapis.com', region: 'auto' });
  }

  public readonly endpoint: string;
  public readonly bucket: string;
  public readonly region: string;
  public readonly prefix: string;
  public readonly credentials: Required<ObjectStoreCredentials>;

  constructor(props: ObjectStoreProps) {
    const problems = new Problems('ObjectStore');
    problems.check(/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?\/?$/.test(props.endpoint), 'endpoint', 'is not an http(s) endpoint URL', props.endpoint,
      'a URL like "http://minio.minio.svc:9000" or "https://storage.googleapis.com" (no path)');
    problems.check(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucket), 'bucket', 'is not a valid bucket name', props.bucket,
      '3-63 characters of a-z, 0-9, "." and "-"');
    checkName(problems, 'credentials.secretName', props.credentials.secretName, 253);
    const prefix = props.prefix ?? 'mlscale';
    problems.check(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(prefix), 'prefix', 'is not a valid key prefix', prefix, 'path segments of A-Z, a-z, 0-9, ".", "_", "-" without leading or trailing "/"');
    problems.throwIfAny();
    this.endpoint = props.endpoint.replace(/\/$/, '');
    this.bucket = props.bucket;
    this.region = props.region ?? 'us-east-1';
    this.prefix = prefix;
    this.credentials = {
      secretName: props.credentials.secretName,
      accessKeyKey: props.credentials.accessKeyKey ?? 'accessKey',
      secretKeyKey: props.credentials.secretKeyKey ?? 'secretKey',
    };
  }

  /** `s3://<bucket>/<prefix>/<path>` */
  public uri(path: string): string {
    return `s3://${this.bucket}/${this.prefix}/${path.replace(/^\/+/, '')}`;
  }

  /** Environment of a container that talks to the store with an AWS SDK (boto3, s3fs, the AWS CLI). */
  public env(): Record<string, EnvValue> {
    return {
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: this.credentials.secretName, key: this.credentials.accessKeyKey } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: this.credentials.secretName, key: this.credentials.secretKeyKey } },
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_DEFAULT_REGION: this.region,
    };
  }

  /** The store as Argo Workflows S3 configuration (endpoint without scheme). */
  public argoS3(): ArgoS3Config {
    return {
      endpoint: this.endpoint.replace(/^https?:\/\//, ''),
      bucket: this.bucket,
      region: this.region,
      insecure: this.endpoint.startsWith('http://'),
      accessKeySecret: { name: this.credentials.secretName, key: this.credentials.accessKeyKey },
      secretKeySecret: { name: this.credentials.secretName, key: this.credentials.secretKeyKey },
    };
  }
}
