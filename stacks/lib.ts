/**
 * The Pulumi half of mlscale as a library: the components, their argument types and checks, the
 * config parser and the platform program. Import from here (`mlscale/stacks`: the package's `exports` map it to this file), not from
 * `stacks/index.ts` (the program entry that `pulumi up` runs) and not from the package root
 * (constructs/index.ts stays free of @pulumi so `npm run synth` never loads it).
 */
export * from './addon-release';
export * from './charts-out';
export * from './config';
export * from './gitops-bootstrap';
export * from './gke-cluster';
export * from './onprem-cluster';
export * from './program';
