export * from './jupyter-hub-values';
export * from './kubeflow-notebook';
export * from './notebook-job';
export * from './notebook-source';
export * from './papermill';
