export * from './sources';
export * from './store';
export { stripSchema, stripSchemaMap } from './strip';
