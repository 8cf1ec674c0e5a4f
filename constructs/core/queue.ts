import { IConstruct } from 'constructs';
import { Problems } from './errors';
import { checkName } from './names';
import { declareImported } from './refs';

/**
 * A Kueue LocalQueue a workload is submitted to: a `Team` or `TeamQueue` of the app (typed, so it
 * exists), or one created elsewhere, imported with `LocalQueueRef.fromName`.
 */
export interface ILocalQueue {
  /** The LocalQueue's name (the `kueue.x-k8s.io/queue-name` label). */
  readonly queueName: string;
  /** Its namespace: a LocalQueue admits workloads of its own namespace only. */
  readonly queueNamespace: string;
  /** @internal A queue made by fromName: declared external (provided by someone else). */
  readonly _imported?: boolean;
}

/** A LocalQueue not created by this app. */
export class LocalQueueRef implements ILocalQueue {
  /**
   * Imports an existing LocalQueue by name: the cluster model lists it under the externals to
   * provide (it does not exist in charts-out).
   */
  public static fromName(namespace: string, name: string): LocalQueueRef {
    return new LocalQueueRef(name, namespace);
  }

  /** @internal */
  public readonly _imported = true;

  private constructor(public readonly queueName: string, public readonly queueNamespace: string) {}
}

/**
 * The queue label value of a workload in `namespace`: records a problem for a queue of another
 * namespace (Kueue would never admit it) or an invalid name; declares an imported queue external.
 */
export function queueLabel(scope: IConstruct, problems: Problems, field: string, queue: ILocalQueue | undefined, namespace: string | undefined): string | undefined {
  if (queue === undefined) return undefined;
  if (!checkName(problems, field, queue.queueName) || !checkName(problems, `${field}.namespace`, queue.queueNamespace)) return undefined;
  if (namespace !== undefined && !problems.check(queue.queueNamespace === namespace, field, `is the queue ${queue.queueName} of namespace ${queue.queueNamespace}`,
    queue.queueName, `a LocalQueue of namespace ${namespace} (a LocalQueue admits its own namespace's workloads only)`)) return undefined;
  if (queue._imported) {
    declareImported(scope, 'LocalQueue', queue.queueName, queue.queueNamespace,
      `the Kueue LocalQueue ${scope.node.path} is submitted to, imported with LocalQueueRef.fromName`);
  }
  return queue.queueName;
}
