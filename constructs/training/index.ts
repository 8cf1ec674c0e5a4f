export * from './constants';
export * from './replica';
export * from './pytorch-job';
export * from './hyperparameter-sweep';
