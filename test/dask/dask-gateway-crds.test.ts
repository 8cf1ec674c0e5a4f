import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ADDON_CATALOG, DASK_GATEWAY_VERSION, DaskGatewayCrds, packageRoot } from '../../constructs';
import { testChart } from '../util';

describe('DaskGatewayCrds', () => {
  test('includes the pinned gateway and Traefik CRDs verbatim', () => {
    const chart = testChart();
    new DaskGatewayCrds(chart, 'crds');
    const docs = Testing.synth(chart);
    expect(docs.every((d) => d.kind === 'CustomResourceDefinition')).toBe(true);
    expect(docs.map((d) => d.metadata.name).sort()).toEqual([
      'daskclusters.gateway.dask.org', 'ingressroutes.traefik.io', 'ingressroutetcps.traefik.io', 'ingressrouteudps.traefik.io',
      'middlewares.traefik.io', 'middlewaretcps.traefik.io', 'serverstransports.traefik.io', 'serverstransporttcps.traefik.io',
      'tlsoptions.traefik.io', 'tlsstores.traefik.io', 'traefikservices.traefik.io',
    ]);
  });

  test('the gateway version is the one SOURCES.md pins, and the gateway is not also a Helm add-on', () => {
    const sources = fs.readFileSync(path.join(packageRoot(), 'constructs', 'crds', 'SOURCES.md'), 'utf-8');
    expect(sources).toMatch(new RegExp(`\\| Dask Gateway \\| dask/dask-gateway \\| ${DASK_GATEWAY_VERSION.replace(/\./g, '\\.')} \\|`));
    expect(Object.keys(ADDON_CATALOG)).not.toContain('dask-gateway');
  });
});
