export * from './addons';
