/**
 * Dashboards behind the JupyterHub login (issue 16, item 4): the committed charts-out's login check,
 * run by python3 against stand-ins of tornado and jupyterhub.services.auth (test/dask/python-hub:
 * written here, named as such), with the environment of its Deployment; and the objects that put
 * it in front of every dashboard route.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Chart } from 'cdk8s';
import { SecretRef, DaskCluster, DaskDashboardAuth, DaskGateway, DaskGatewayAuth, JupyterHubValues, packageRoot } from '../../constructs';
import { byKind, problemMessages, testChart } from '../util';

const HARNESS = path.join(__dirname, 'python-hub');
const docs = (file: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(packageRoot(), 'charts-out', file), 'utf8')).map((d) => d.toJS());
const gatewayDocs = docs('dask-gateway.k8s.yaml');
const find = (kind: string, name: string) => gatewayDocs.find((d) => d.kind === kind && d.metadata.name === name);

/** Runs the committed program with its Deployment's environment for `cases`. */
function run(cases: unknown[]): any {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-dashboard-auth-'));
  fs.writeFileSync(path.join(dir, 'dashboard_auth.py'), find('ConfigMap', 'dask-gateway-dashboard-auth').data['dashboard_auth.py']);
  fs.writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(cases));
  const container = find('Deployment', 'dask-gateway-dashboard-auth').spec.template.spec.containers[0];
  const env = Object.fromEntries(container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
  const out = execFileSync('python3', [path.join(HARNESS, 'run_dashboard_auth.py'), path.join(dir, 'dashboard_auth.py'), path.join(dir, 'cases.json')],
    { env: { PATH: process.env.PATH, PYTHONPATH: HARNESS, JUPYTERHUB_API_TOKEN: 'stand-in', ...env }, encoding: 'utf8' });
  return JSON.parse(out);
}

const SCOPE = 'access:services!service=dask-gateway-dashboards';
const alice = { name: 'alice', groups: ['team-a'], scopes: [SCOPE] };
const bob = { name: 'bob', groups: ['team-b'], scopes: [SCOPE] };
const admin = { name: 'root', admin: true, groups: [], scopes: [SCOPE] };
const dash = (uri: string, extra: Record<string, string> = {}) => ({ 'X-Forwarded-Uri': uri, 'X-Forwarded-Method': 'GET', ...extra });
const TEAM_A_CLUSTER = '/clusters/team-a.0f2c7e3a9b4d4c61a1e5f0c2d3b4a596/status';

describe('the login check, run in python3 (the default app\'s)', () => {
  const r = run([
    { headers: dash(TEAM_A_CLUSTER) }, // 0: not logged in
    { user: alice, headers: dash(TEAM_A_CLUSTER) }, // 1: team-a member
    { user: bob, headers: dash(TEAM_A_CLUSTER) }, // 2: team-b member
    { user: admin, headers: dash(TEAM_A_CLUSTER) }, // 3: hub admin
    { user: alice, headers: dash(TEAM_A_CLUSTER, { 'X-Forwarded-Method': 'POST' }) }, // 4: unsafe method
    { user: alice, headers: dash('/api/v1/clusters/') }, // 5: not a dashboard
    { user: alice, headers: dash('/dask/team-a/static-cpu/status') }, // 6: an operator cluster of team-a
    { user: { ...alice, scopes: [] }, headers: dash(TEAM_A_CLUSTER) }, // 7: a token without the service's scope
    { user: alice, headers: dash(`${TEAM_A_CLUSTER}/../../../api`) }, // 8: still team-a's prefix: Traefik routes by it
    { user: alice, headers: dash('/clusters/team-a.x/status', { 'Sec-Fetch-Mode': 'cors' }) }, // 9: the dashboard's own fetch() calls
  ]);

  test('tornado gets the three routes under the prefix, one port, proxy headers trusted, a random cookie secret', () => {
    expect(r.routes).toEqual(['/dashboard-auth/auth', '/dashboard-auth/health', '/dashboard-auth/oauth_callback']);
    expect(r.listening).toEqual({ port: 8000, xheaders: true });
    expect(r.cookieSecret).toBe(32);
  });

  test('not logged in: a redirect to the hub\'s public authorize URL, the dashboard path kept as the next URL', () => {
    const a = r.answers[0];
    expect(a.status).toBe(302);
    const url = new URL(a.location);
    expect(`${url.origin}${url.pathname}`).toBe('https://jupyter.ml.acme.example/hub/api/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('service-dask-gateway-dashboards');
    expect(url.searchParams.get('redirect_uri')).toBe('https://dask.ml.acme.example/dashboard-auth/oauth_callback');
    expect(r.states[url.searchParams.get('state')!]).toBe(TEAM_A_CLUSTER);
    expect(a.headers['Set-Cookie']).toMatch(/^service-dask-gateway-dashboards-oauth-state=/);
  });

  test('a team-a member and a hub admin get in (the user name goes to the dashboard); a team-b member is refused', () => {
    expect(r.answers[1]).toMatchObject({ status: 200, headers: { 'X-Forwarded-User': 'alice' } });
    expect(r.answers[3]).toMatchObject({ status: 200, headers: { 'X-Forwarded-User': 'root' } });
    expect(r.answers[2]).toMatchObject({ status: 403, reason: 'bob is in no group of the team of namespace team-a (team-a)' });
    expect(r.answers[6]).toMatchObject({ status: 200 });
    expect(r.decide[1]).toEqual(['allow', 'alice is in team-a, a group of the team of team-a']);
  });

  test('refused: unsafe methods, paths that are no dashboard; a token without the scope must log in again', () => {
    expect(r.answers[4]).toMatchObject({ status: 403, reason: 'POST requests are not allowed on dashboards' });
    expect(r.answers[5]).toMatchObject({ status: 403, reason: '\'/api/v1/clusters/\' is not a cluster dashboard' });
    expect(r.answers[7].status).toBe(302);
    expect(r.answers[8].status).toBe(200);
    expect(r.answers[9]).toMatchObject({ status: 200 }); // check_xsrf_cookie: the dashboard request's method is a GET
  });
});

describe('the objects around it', () => {
  test('every dashboard route checks the login first: the controller\'s middlewares, and operator clusters\' routes', () => {
    const controller = find('ConfigMap', 'dask-gateway-controller').data['dask_gateway_config.py'];
    expect(controller).toContain('c.KubeController.proxy_web_middlewares = [{"name": "dask-gateway-dashboard-auth", "namespace": "dask-gateway"}, {"name": "dask-gateway-clusters-prefix", "namespace": "dask-gateway"}]');
    for (const file of ['dask-static-cluster.k8s.yaml', 'dask-rapids-gpu.k8s.yaml']) {
      const route = docs(file).find((d) => d.kind === 'IngressRoute');
      expect(route.spec.routes[0].middlewares[0]).toEqual({ name: 'dask-gateway-dashboard-auth', namespace: 'dask-gateway' });
      expect(route.spec.routes[0].middlewares).toHaveLength(2);
    }
    expect(find('Middleware', 'dask-gateway-dashboard-auth').spec.forwardAuth).toEqual({
      address: 'http://dask-gateway-dashboard-auth.dask-gateway:8000/dashboard-auth/auth', authResponseHeaders: ['X-Forwarded-User'], preserveLocationHeader: true,
    });
    expect(find('IngressRoute', 'dask-gateway-dashboard-auth').spec.routes[0].match).toBe('PathPrefix(`/dashboard-auth/`)');
    expect(find('Middleware', 'dask-gateway-dashboard-auth').metadata.labels['gateway.dask.org/instance']).toBe('dask-gateway'); // Traefik's label selector
  });

  test('network: only the proxy reaches the check, which reaches only DNS and the hub API', () => {
    const policy = find('NetworkPolicy', 'dask-gateway-allow-dashboard-auth').spec;
    expect(policy.ingress).toEqual([{ from: [{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'proxy' }) } }], ports: [{ protocol: 'TCP', port: 8000 }] }]);
    expect(policy.egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jupyterhub' } } }], ports: [{ protocol: 'TCP', port: 8081 }] }]);
    const proxy = find('NetworkPolicy', 'dask-gateway-allow-proxy').spec;
    expect(proxy.egress).toContainEqual({ to: [{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'dashboard-auth' }) } }], ports: [{ protocol: 'TCP', port: 8000 }] });
    const externals = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'charts-out', 'externals.json'), 'utf8'));
    expect(JSON.stringify(externals)).toContain('dask-gateway-dashboards-jupyterhub');
  });

  const build = (props: Partial<ConstructorParameters<typeof DaskGateway>[2]>, chart: Chart = testChart()) => new DaskGateway(chart, 'gw', {
    auth: DaskGatewayAuth.jupyterHub({ apiUrl: 'http://hub.jupyterhub:8081/hub/api', apiTokenSecret: SecretRef.fromName('gw-hub').key('token') }),
    publicAddress: { host: 'dask.example.com', tlsSecret: SecretRef.fromName('dask-tls') }, ...props,
  });
  const hubAuth = DaskDashboardAuth.jupyterHub({ hubUrl: 'https://hub.example.com', apiTokenSecret: SecretRef.fromName('dash-hub').key('token') });

  test('without teams every hub user may open the dashboards; JupyterHubValues registers the OAuth client', () => {
    const chart = testChart();
    const gw = build({ dashboardAuth: hubAuth, clusterNamespace: 'ml' }, chart);
    const env = byKind(chart).Deployment.find((d) => d.metadata.name === 'gw-dashboard-auth').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'MLSCALE_DASHBOARD_TEAMS').value).toBe('{"ml":["*"]}');
    const values = new JupyterHubValues(chart, 'hub', {
      profiles: [{ displayName: 'cpu', image: 'ghcr.io/acme/nb:1', contents: { dask: '2026.3.0', daskGateway: '2026.3.0' }, default: true }],
      daskGateway: { address: gw.address, serviceName: gw.jupyterHubServiceName, dashboardService: gw.dashboardService },
    }).values as any;
    expect(values.hub.services['dask-gateway-dashboards']).toEqual({ display: false, oauth_no_confirm: true, oauth_redirect_uri: 'https://dask.example.com/dashboard-auth/oauth_callback' });
    expect(values.hub.loadRoles.user.scopes).toContain('access:services!service=dask-gateway-dashboards');
  });

  test('DaskDashboardAuth.none(): no check, nothing added; in-cluster gateways need none', () => {
    const chart = testChart();
    const gw = build({ dashboardAuth: DaskDashboardAuth.none() }, chart);
    expect(gw.dashboardMiddlewares).toEqual([]);
    expect(gw.dashboardService).toBeUndefined();
    expect(byKind(chart).Deployment.map((d) => d.metadata.name)).not.toContain('gw-dashboard-auth');
    new DaskCluster(chart, 'c', { namespace: 'ml', dashboardProxy: gw });
    expect(byKind(chart).IngressRoute.find((d) => d.metadata.name === 'c-dashboard').spec.routes[0].middlewares).toEqual([{ name: 'c-dashboard-prefix', namespace: 'ml' }]);
  });

  test('bad input: a public address without dashboardAuth, the hub login with simple auth, a hub URL with a path', () => {
    expect(problemMessages(() => build({}))).toEqual([
      'test/gw: dashboardAuth is missing: dask-gateway does not authenticate dashboards, and publicAddress exposes them; got nothing, expected DaskDashboardAuth.jupyterHub({ hubUrl, apiTokenSecret }) (the hub login and the cluster\'s team), or DaskDashboardAuth.none() deliberately',
    ]);
    expect(problemMessages(() => build({ auth: DaskGatewayAuth.simple(), dashboardAuth: hubAuth }))).toEqual([
      'test/gw: dashboardAuth needs JupyterHub authentication of the gateway (the service checks logins against the same hub API); got "simple", expected auth: DaskGatewayAuth.jupyterHub(...)',
    ]);
    expect(problemMessages(() => build({ dashboardAuth: DaskDashboardAuth.jupyterHub({ hubUrl: 'https://hub.example.com/hub/', apiTokenSecret: SecretRef.fromName('x').key('y') }) }))).toEqual([
      'test/gw: dashboardAuth.hubUrl is not the https URL of a host; got "https://hub.example.com/hub/", expected e.g. "https://jupyter.ml.example.com" (no path: the hub serves /hub/)',
    ]);
  });
});
