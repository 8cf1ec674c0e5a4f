import { k8sObject } from '../core/pod';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as traefik from '../imports/traefik-traefik.io';
import { LABEL_GATEWAY_INSTANCE } from './constants';

/** A Traefik route from a path prefix of the gateway's proxy to a Service port. */
export interface TraefikRouteOptions {
  readonly name: string;
  readonly namespace?: string;
  /** The dask-gateway instance whose Traefik serves the route (Traefik only watches objects labelled with it). */
  readonly instance: string;
  /** Labels of the objects (the instance label is added). */
  readonly labels: Readonly<Record<string, string>>;
  /** The path prefix, e.g. `/dask/team-a/etl`. */
  readonly pathPrefix: string;
  readonly serviceName: string;
  readonly servicePort: number;
  /**
   * Strip the path prefix before forwarding (the Dask dashboard serves at `/`).
   * @default false
   */
  readonly stripPrefix?: boolean;
  /**
   * Middlewares applied first (e.g. the gateway's dashboard login check).
   * @default - none
   */
  readonly middlewares?: ReadonlyArray<{ readonly name: string; readonly namespace: string }>;
}

/**
 * A Traefik `forwardAuth` Middleware: Traefik v3.3.5 sends the auth server a GET with the request's
 * headers (Cookie included) and X-Forwarded-Method/-Uri/-Host; a non-2xx answer, headers and body,
 * goes to the browser as it is (pkg/middlewares/auth/forward.go).
 */
export function forwardAuthMiddleware(scope: Construct, id: string, o: {
  readonly name: string; readonly namespace: string; readonly instance: string; readonly labels: Readonly<Record<string, string>>; readonly address: string;
}): ApiObject {
  return k8sObject(scope, id, traefik.Middleware, {
    metadata: { name: o.name, namespace: o.namespace, labels: proxyLabels(o.instance, o.labels) },
    // the login redirect is absolute (the hub's URL): keep it as the service wrote it
    spec: { forwardAuth: { address: o.address, authResponseHeaders: ['X-Forwarded-User'], preserveLocationHeader: true } },
  });
}

/** Labels of a Traefik object that the gateway's Traefik (label selector on the instance) picks up. */
export function proxyLabels(instance: string, labels: Readonly<Record<string, string>>): Record<string, string> {
  return { ...labels, [LABEL_GATEWAY_INSTANCE]: instance };
}

/** A Traefik `stripPrefix` or `stripPrefixRegex` Middleware. */
export function stripPrefixMiddleware(scope: Construct, id: string, o: {
  readonly name: string; readonly namespace?: string; readonly instance: string; readonly labels: Readonly<Record<string, string>>;
  readonly prefix?: string; readonly regex?: string;
}): ApiObject {
  return k8sObject(scope, id, traefik.Middleware, {
    metadata: { name: o.name, namespace: o.namespace, labels: proxyLabels(o.instance, o.labels) },
    spec: o.regex !== undefined ? { stripPrefixRegex: { regex: [o.regex] } } : { stripPrefix: { prefixes: [o.prefix ?? '/'] } },
  });
}

/** An IngressRoute on the proxy's `web` entrypoint (plus its strip-prefix Middleware when asked). */
export function traefikRoute(scope: Construct, id: string, o: TraefikRouteOptions): ApiObject {
  const middleware = o.stripPrefix
    ? stripPrefixMiddleware(scope, `${id}Prefix`, { name: `${o.name}-prefix`, namespace: o.namespace, instance: o.instance, labels: o.labels, prefix: o.pathPrefix })
    : undefined;
  return k8sObject(scope, id, traefik.IngressRoute, {
    metadata: { name: o.name, namespace: o.namespace, labels: proxyLabels(o.instance, o.labels) },
    spec: {
      entryPoints: ['web'],
      routes: [{
        kind: traefik.IngressRouteSpecRoutesKind.RULE,
        match: `PathPrefix(\`${o.pathPrefix}\`)`,
        middlewares: middleware || o.middlewares?.length
          ? [...(o.middlewares ?? []).map((m) => ({ name: m.name, namespace: m.namespace })), ...(middleware ? [{ name: middleware.name, namespace: o.namespace }] : [])]
          : undefined,
        services: [{ name: o.serviceName, namespace: o.namespace, port: traefik.IngressRouteSpecRoutesServicesPort.fromNumber(o.servicePort) }],
      }],
    },
  });
}
