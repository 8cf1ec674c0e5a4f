export * from './object-store';
export * from './shared-volume';
