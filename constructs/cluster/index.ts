export * from './pod-security';
export * from './addon-facts';
export * from './environment';
export * from './kueue';
export * from './model';
export * from './cluster-model';
