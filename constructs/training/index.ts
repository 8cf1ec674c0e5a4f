export * from './constants';
export * from './replica';
export * from './pytorch-job';
export * from './hyperparameter-sweep';
export * from './tf-job';
export * from './served-deployment';
export * from './tensorboard';
export * from './model-server';
