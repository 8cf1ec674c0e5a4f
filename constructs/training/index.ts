export * from './constants';
export * from './replica';
export * from './pytorch-job';
