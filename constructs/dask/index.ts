export * from './constants';
export * from './python';
export * from './cluster-options';
export * from './cluster-spec';
export * from './scheduler-network-policy';
export * from './dask-gateway';
export * from './dask-cluster';
export * from './dask-job';
