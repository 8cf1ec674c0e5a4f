import * as fs from 'fs';
import * as path from 'path';
import * as k8s from '../imports/k8s';
import { Problems, checkMountNamespace, checkName, projectRelative, projectRoot } from '../core';
import type { ISharedVolume } from '../storage/shared-volume';
import { ObjectStore } from '../storage/object-store';
import { CONFIGMAP_LIMIT_BYTES, NOTEBOOK_CONFIGMAP_KEY, NOTEBOOK_INPUT_DIR, NOTEBOOK_SOURCE_PATH, NOTEBOOK_VOLUME_DIR } from './constants';


/**
 * Where the input notebook of a notebook job or pipeline step comes from: a file in the
 * repository (packed into a ConfigMap at synth), a path on a volume, or an object store key.
 */
export class NotebookSource {
  /**
   * A notebook file in the repository, packed into a ConfigMap at synth (at most 1 MiB:
   * strip outputs with `jupyter nbconvert --clear-output` or use another source for larger ones).
   * @param file path of the .ipynb, relative to the project root (projectRoot(): the app's
   *   repository, found from the working directory) or absolute; charts-out names it relative to
   *   the project root, so synth gives the same bytes wherever it runs
   */
  public static fromFile(file: string): NotebookSource {
    return new NotebookSource({ kind: 'file', file });
  }

  /**
   * A notebook on a volume (a `SharedVolume`, or `SharedVolume.fromClaimName(...)`), mounted read-only;
   * the volume must be of the workload's namespace.
   * @param notebookPath path of the notebook inside the volume, e.g. `projects/churn/train.ipynb`
   */
  public static fromVolume(volume: ISharedVolume, notebookPath: string): NotebookSource {
    return new NotebookSource({ kind: 'volume', volume, path: notebookPath });
  }

  /** A notebook in an object store, downloaded by the runner before it runs (key relative to the store's prefix). */
  public static fromObjectStore(store: ObjectStore, key: string): NotebookSource {
    return new NotebookSource({ kind: 'object', store, key });
  }

  private constructor(public readonly spec:
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'volume'; readonly volume: ISharedVolume; readonly path: string }
  | { readonly kind: 'object'; readonly store: ObjectStore; readonly key: string }) {}

  /** A short description for diagrams and labels. */
  public get description(): string {
    switch (this.spec.kind) {
      case 'file': return projectRelative(this.spec.file);
      case 'volume': return `pvc/${this.spec.volume.claimName}/${this.spec.path}`;
      case 'object': return this.spec.store.uri(this.spec.key);
    }
  }
}

/** How a resolved source reaches the runner container. */
export interface ResolvedNotebookSource {
  /** Path of the notebook in the container (from an object store: NOTEBOOK_SOURCE_PATH, where it is placed first). */
  readonly notebookPath: string;
  /** Object store URI to download from, if any. */
  readonly inputUri?: string;
  /** The object store and key of an object-store source. */
  readonly store?: ObjectStore;
  readonly key?: string;
  /** Contents of the notebook ConfigMap (file sources only). */
  readonly configMapData?: Record<string, string>;
  /** Volumes the pod needs (the ConfigMap volume is named after `configMapName`). */
  readonly volumes: k8s.Volume[];
  /** Mounts the runner container needs. */
  readonly volumeMounts: k8s.VolumeMount[];
}

/**
 * Validates a source and works out its volumes. File sources are read here, once, at synth:
 * the file must exist, be a Jupyter notebook (JSON with `cells` and `nbformat`) and fit a ConfigMap.
 */
export function resolveNotebookSource(problems: Problems, field: string, source: NotebookSource, configMapName: string, namespace: string | undefined): ResolvedNotebookSource {
  const s = source.spec;
  if (s.kind === 'volume') {
    checkName(problems, `${field}.volume`, s.volume.claimName, 253);
    checkMountNamespace(problems, `${field}.volume`, s.volume.mount(NOTEBOOK_VOLUME_DIR), namespace);
    problems.check(isRelativePath(s.path), `${field}.path`, 'is not a relative path inside the volume', s.path, 'a path like "projects/x/train.ipynb" without ".." segments');
    return {
      notebookPath: path.posix.join(NOTEBOOK_VOLUME_DIR, s.path),
      volumes: [{ name: 'notebook', persistentVolumeClaim: { claimName: s.volume.claimName, readOnly: true } }],
      volumeMounts: [{ name: 'notebook', mountPath: NOTEBOOK_VOLUME_DIR, readOnly: true }],
    };
  }
  if (s.kind === 'object') {
    problems.check(isRelativePath(s.key), `${field}.key`, 'is not a valid object key', s.key, 'a key like "notebooks/train.ipynb" without ".." segments');
    return { notebookPath: NOTEBOOK_SOURCE_PATH, inputUri: s.store.uri(s.key), store: s.store, key: s.key, volumes: [], volumeMounts: [] };
  }
  const content = readNotebook(problems, `${field}.file`, s.file);
  return {
    notebookPath: path.posix.join(NOTEBOOK_INPUT_DIR, NOTEBOOK_CONFIGMAP_KEY),
    configMapData: { [NOTEBOOK_CONFIGMAP_KEY]: content ?? '' },
    volumes: [{ name: 'notebook', configMap: { name: configMapName } }],
    volumeMounts: [{ name: 'notebook', mountPath: NOTEBOOK_INPUT_DIR, readOnly: true }],
  };
}

function isRelativePath(p: string): boolean {
  return typeof p === 'string' && p.length > 0 && !p.startsWith('/') && !p.split('/').some((seg) => seg === '..' || seg === '');
}

/** Reads a notebook file; records a problem and returns undefined when it is unusable. */
function readNotebook(problems: Problems, field: string, file: string): string | undefined {
  const abs = path.resolve(projectRoot(), file);
  if (!problems.check(file.endsWith('.ipynb'), field, 'is not a notebook file', file, 'a path to an .ipynb file')) return undefined;
  if (!problems.check(fs.existsSync(abs) && fs.statSync(abs).isFile(), field, 'does not exist', file, `a notebook file, relative to the project root ${projectRoot()}`)) return undefined;
  const bytes = fs.readFileSync(abs);
  if (!problems.check(bytes.length <= CONFIGMAP_LIMIT_BYTES, field, `is too large for a ConfigMap (${bytes.length} bytes)`, file,
    `at most ${CONFIGMAP_LIMIT_BYTES} bytes (1 MiB): clear its outputs (jupyter nbconvert --clear-output) or use NotebookSource.fromVolume / fromObjectStore`)) {
    return undefined;
  }
  const text = bytes.toString('utf-8');
  let nb: { cells?: unknown; nbformat?: unknown } | undefined;
  try {
    nb = JSON.parse(text);
  } catch {
    nb = undefined;
  }
  if (!problems.check(nb !== undefined && Array.isArray(nb.cells) && typeof nb.nbformat === 'number', field, 'is not a Jupyter notebook', file,
    'a .ipynb JSON document with "cells" and "nbformat"')) {
    return undefined;
  }
  return text;
}
