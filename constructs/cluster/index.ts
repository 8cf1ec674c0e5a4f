export * from './pod-security';
