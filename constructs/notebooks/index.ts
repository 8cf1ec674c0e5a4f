export * from './papermill';
