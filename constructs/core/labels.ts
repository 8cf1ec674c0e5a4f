import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, LABEL_VERSION, MANAGED_BY } from './constants';

/** Inputs of the recommended `app.kubernetes.io/*` labels. */
export interface RecommendedLabelsOptions {
  /** app.kubernetes.io/name: the application, e.g. `pytorchjob`, `dask`. */
  readonly name: string;
  /** app.kubernetes.io/instance: this instance, usually the object name. */
  readonly instance: string;
  /**
   * app.kubernetes.io/component, e.g. `worker`, `scheduler`.
   * @default - no component label
   */
  readonly component?: string;
  /**
   * app.kubernetes.io/part-of.
   * @default 'mlscale'
   */
  readonly partOf?: string;
  /**
   * app.kubernetes.io/version.
   * @default - no version label
   */
  readonly version?: string;
}

/** The recommended labels, with managed-by=mlscale. Keys are emitted in a fixed order. */
export function recommendedLabels(o: RecommendedLabelsOptions): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_NAME]: o.name,
    [LABEL_INSTANCE]: o.instance,
  };
  if (o.component) labels[LABEL_COMPONENT] = o.component;
  labels[LABEL_PART_OF] = o.partOf ?? 'mlscale';
  labels[LABEL_MANAGED_BY] = MANAGED_BY;
  if (o.version) labels[LABEL_VERSION] = o.version;
  return labels;
}

/** The subset of labels that identifies pods of one instance/component (for selectors). */
export function selectorLabels(o: Pick<RecommendedLabelsOptions, 'name' | 'instance' | 'component'>): Record<string, string> {
  const labels: Record<string, string> = { [LABEL_NAME]: o.name, [LABEL_INSTANCE]: o.instance };
  if (o.component) labels[LABEL_COMPONENT] = o.component;
  return labels;
}
