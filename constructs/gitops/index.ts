export { ANNOTATION_SYNC_WAVE } from './constants';
export * from './git-ops-application';
export * from './charts-out-index';
export * from './manifest-diff';
