export * from './kfp-component';
export * from './pipeline';
export * from './pipeline-step';
