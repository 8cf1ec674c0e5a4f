import { Problems } from './errors';

// distribution/reference grammar (simplified, anchored)
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)';
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`);

/** A parsed container image reference. */
export interface ImageReference {
  /** The full reference as given. */
  readonly ref: string;
  /** Registry host (and port), if given. */
  readonly registry?: string;
  /** Repository path, e.g. `pytorch/pytorch`. */
  readonly repository: string;
  /** Tag, if given. */
  readonly tag?: string;
  /** Digest (`sha256:…`), if given. */
  readonly digest?: string;
}

/** Parses an image reference; undefined when it is not a valid reference. */
export function parseImage(ref: string): ImageReference | undefined {
  const m = REFERENCE.exec(ref);
  if (!m) return undefined;
  let [, registry, repository] = m;
  const tag = m[3];
  const digest = m[4];
  // "host/x" where host has no dot/port and is not localhost is a path component (Docker rules)
  if (registry && !/[.:]/.test(registry) && registry !== 'localhost') {
    repository = `${registry}/${repository}`;
    registry = undefined as unknown as string;
  }
  return { ref, registry: registry || undefined, repository, tag, digest };
}

/**
 * Checks that an image is pinned: a valid reference with a tag other than `latest`, or a digest.
 * Returns the parsed reference when valid.
 */
export function checkImage(problems: Problems, field: string, value: unknown): ImageReference | undefined {
  const expected = 'a pinned image: "repo/name:tag" (not :latest) or "repo/name@sha256:<64 hex>"';
  if (typeof value !== 'string' || value.length === 0) {
    problems.add(field, 'must be an image reference', value, expected);
    return undefined;
  }
  const parsed = parseImage(value);
  if (!parsed) {
    problems.add(field, 'is not a valid image reference', value, expected);
    return undefined;
  }
  if (!parsed.tag && !parsed.digest) {
    problems.add(field, 'is not pinned (no tag or digest)', value, expected);
    return undefined;
  }
  if (parsed.tag === 'latest' && !parsed.digest) {
    problems.add(field, 'uses the mutable tag "latest"', value, expected);
    return undefined;
  }
  return parsed;
}
