import * as path from 'path';
import { Include } from 'cdk8s';
import { Construct } from 'constructs';
import { packageRoot } from '../core/paths';

/** The pinned CRD files of dask-gateway (under constructs/crds/). */
export const DASK_GATEWAY_CRD_FILES: readonly string[] = ['dask-gateway/daskclusters.yaml', 'dask-gateway/traefik.yaml'];

/**
 * The CustomResourceDefinitions a native `DaskGateway` needs: gateway.dask.org DaskCluster and the
 * Traefik v3.3.5 CRDs (IngressRoute, Middleware, ...), included verbatim from the files pinned in
 * constructs/crds/dask-gateway/ (the upstream chart's crds/ folder of dask-gateway 2026.3.0).
 *
 * mlscale delivers the gateway as native manifests instead of the upstream Helm chart, so the
 * chart is not installed as an add-on (it would run a second gateway); its CRDs come from here.
 * Put them in their own chart so GitOps applies them in an earlier sync wave.
 */
export class DaskGatewayCrds extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const file of DASK_GATEWAY_CRD_FILES) {
      new Include(this, path.basename(file, '.yaml'), { url: path.join(packageRoot(), 'constructs', 'crds', file) });
    }
  }
}
