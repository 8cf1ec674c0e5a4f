/**
 * Rendering once per synth (constructs/core/render.ts): cdk8s's Chart.toJson() re-validates and
 * re-resolves the whole app for every chart (cdk8s lib/app.js App._synthChart), and every reader of
 * the tree (GitOps, guard rails, cluster model, index, writer) used to render every object again.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { buildApp } from '../../examples/apps/main';
import { MlscaleApp, k8s } from '../../constructs';
import { frozenRendering, renderCharts } from '../../constructs/core/render';

const tmpOut = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlscale-render-')), 'charts-out');

/** an app of `n` charts, each with a ConfigMap, chart i depending on chart i-1, and a validation counter */
function chainApp(n: number): { app: App; charts: Chart[]; validations: () => number } {
  const app = new App({ outdir: tmpOut() });
  let count = 0;
  const charts: Chart[] = [];
  for (let i = 0; i < n; i++) {
    const chart = new Chart(app, `c${i}`);
    new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: `cm-${i}` }, data: { i: String(i) } });
    new k8s.KubeConfigMap(chart, 'second', { metadata: { name: `second-${i}` } });
    if (i > 0) chart.addDependency(charts[i - 1]);
    charts.push(chart);
  }
  const probe = new Construct(app, 'probe');
  probe.node.addValidation({ validate: () => (count++, []) });
  return { app, charts, validations: () => count };
}

describe('renderCharts', () => {
  test('gives every chart what chart.toJson() gives, with one whole-app validation instead of one per chart', () => {
    const a = chainApp(12);
    const one = a.validations();
    const expected = a.charts.map((c) => c.toJson());
    const perChart = a.validations() - one;
    expect(perChart).toBe(12); // the failure: toJson() validates the whole app for each chart

    const b = chainApp(12);
    const rendered = renderCharts(b.charts);
    expect(b.validations()).toBe(1);
    expect(b.charts.map((c) => rendered.get(c))).toEqual(expected);
  });

  test('a chart class with its own toJson() is rendered by it, also after the first chart of its app', () => {
    class Extra extends Chart {
      public toJson(): any[] {
        return [...super.toJson(), { kind: 'Extra' }];
      }
    }
    const app = new App({ outdir: tmpOut() });
    const first = new Chart(app, 'first');
    new k8s.KubeConfigMap(first, 'a', { metadata: { name: 'a' } });
    const extra = new Extra(app, 'extra');
    new k8s.KubeConfigMap(extra, 'b', { metadata: { name: 'b' } });
    expect(renderCharts([first, extra]).get(extra)!.map((d) => d.kind)).toEqual(['ConfigMap', 'Extra']);
    expect(frozenRendering([app], () => (first.toJson(), extra.toJson())).map((d: any) => d.kind)).toEqual(['ConfigMap', 'Extra']);
  });

  test('objects in a chart come in the dependency order toJson() gives', () => {
    const app = new App({ outdir: tmpOut() });
    const other = new Chart(app, 'first');
    new k8s.KubeConfigMap(other, 'x', { metadata: { name: 'x' } });
    const chart = new Chart(app, 'ordered');
    const late = new k8s.KubeConfigMap(chart, 'late', { metadata: { name: 'late' } });
    const early = new k8s.KubeConfigMap(chart, 'early', { metadata: { name: 'early' } });
    late.addDependency(early);
    const names = renderCharts([other, chart]).get(chart)!.map((d) => d.metadata.name);
    expect(names).toEqual(['early', 'late']);
    expect(names).toEqual(chart.toJson().map((d: any) => d.metadata.name));
  });
});

describe('frozenRendering', () => {
  test('each object and chart renders once inside, afresh after (the memo ends with the call)', () => {
    const { app, charts } = chainApp(3);
    const cm = charts[0].node.findChild('cm') as ApiObject;
    let renders = 0;
    const original = ApiObject.prototype.toJson;
    const spy = jest.spyOn(ApiObject.prototype, 'toJson').mockImplementation(function (this: ApiObject) {
      renders++;
      return original.call(this);
    });
    try {
      frozenRendering([app], () => {
        expect(cm.toJson()).toBe(cm.toJson());
        charts.forEach((c) => c.toJson());
        charts.forEach((c) => c.toJson());
      });
      expect(renders).toBe(6); // 3 charts × 2 objects, each once
      expect(Object.prototype.hasOwnProperty.call(cm, 'toJson')).toBe(false);
      cm.toJson();
      expect(renders).toBe(7);
    } finally {
      spy.mockRestore();
    }
  });

  test('a reader that changes a shared rendered document fails (documents are frozen under test)', () => {
    const { app, charts } = chainApp(1);
    const cm = charts[0].node.findChild('cm') as ApiObject;
    expect(() => frozenRendering([app], () => {
      cm.toJson().data.i = 'changed';
    })).toThrow(TypeError);
    expect(cm.toJson().data.i).toBe('0');
  });

  test('the default app: each of its objects is rendered at most twice per synth (GitOps\' sync-wave hook, then once for checks, index and files)', () => {
    const app = new MlscaleApp({ outdir: tmpOut() });
    buildApp(app);
    const counts = new Map<ApiObject, number>();
    const original = ApiObject.prototype.toJson;
    const spy = jest.spyOn(ApiObject.prototype, 'toJson').mockImplementation(function (this: ApiObject) {
      counts.set(this, (counts.get(this) ?? 0) + 1);
      return original.call(this);
    });
    try {
      const objects = app.synth();
      expect(objects).toBeGreaterThan(200);
      expect(counts.size).toBe(objects);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    } finally {
      spy.mockRestore();
    }
  });
});
