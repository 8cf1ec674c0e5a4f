/**
 * Pulumi unit-test mocks (no CLI, no cloud): import this module FIRST in a test file, before any
 * stack code, so `pulumi.runtime.setMocks` is in place when resources are declared. Every
 * registered resource is recorded with its inputs.
 */
import * as pulumi from '@pulumi/pulumi';

/** A resource the program registered. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
  /** Provider reference (`<provider urn>::<id>`), when the resource has an explicit provider. */
  readonly provider?: string;
}

/** Every resource registered so far in this test file, in registration order. */
export const recorded: RecordedResource[] = [];

/** Outputs the real providers would compute, so dependent outputs resolve. */
function computedState(type: string, inputs: any): Record<string, unknown> {
  switch (type) {
    case 'gcp:container/cluster:Cluster':
      return { endpoint: '203.0.113.10', masterAuth: { clusterCaCertificate: 'Q0EtREFUQQ==' } };
    case 'gcp:serviceaccount/account:Account':
      return {
        email: `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`,
        name: `projects/${inputs.project}/serviceAccounts/${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`,
      };
    case 'kubernetes:helm.sh/v3:Release':
      return { status: { status: 'deployed', version: inputs.version } };
    default:
      return {};
  }
}

pulumi.runtime.setMocks({
  newResource(args: pulumi.runtime.MockResourceArgs) {
    recorded.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
    return { id: `${args.name}-id`, state: { ...args.inputs, ...computedState(args.type, args.inputs) } };
  },
  call(args: pulumi.runtime.MockCallArgs) {
    return args.inputs;
  },
}, 'mlscale', 'test', false);

/** The resolved value of an Output. */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((v) => {
    done(v);
    return v;
  }));
}

/** Whether an Output is a secret. */
export function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** Waits until registrations stop arriving (the mocks answer asynchronously). */
export async function settle(): Promise<void> {
  let last = -1;
  let stable = 0;
  while (stable < 4) {
    await new Promise((r) => setTimeout(r, 5));
    if (recorded.length === last) {
      stable++;
    } else {
      stable = 0;
      last = recorded.length;
    }
  }
}

/** Recorded resources of a type whose name starts with `prefix`. */
export function ofType(type: string, prefix = ''): RecordedResource[] {
  return recorded.filter((r) => r.type === type && r.name.startsWith(prefix));
}

/** The one recorded resource of a type and name (fails the test otherwise). */
export function one(type: string, name: string): RecordedResource {
  const found = recorded.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${recorded.map((r) => `${r.type} ${r.name}`).join(', ')}`);
  return found[0];
}

/** A transformation that records the options (parent, dependsOn) of a component's children. */
export interface RecordedOptions {
  readonly type: string;
  readonly name: string;
  readonly opts: pulumi.ResourceOptions;
}
export function optionsRecorder(into: RecordedOptions[]): pulumi.ResourceTransformation {
  return (a) => {
    into.push({ type: a.type, name: a.name, opts: a.opts });
    return undefined;
  };
}
