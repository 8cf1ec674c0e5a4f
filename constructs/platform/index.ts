export * from './addons';
export * from './argocd-health';
