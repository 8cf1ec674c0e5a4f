/**
 * mlscale: scale-out for data scientists on Kubernetes.
 * This is the only public entry point of the construct library.
 */
export * from './core';
export * from './schema';
export * from './platform';
export * from './storage';
export * from './training';
export * from './notebooks';
export * from './pipelines';
export * from './dask';
export * from './gitops';
export * from './upstream';
export * from './cluster';
export * as k8s from './imports/k8s';
