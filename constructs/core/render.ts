/**
 * Rendering charts once per synth.
 *
 * cdk8s 2.x renders a chart with `Chart.toJson()`, which calls `App._synthChart` (cdk8s
 * lib/app.js): that validates every construct of the whole app and resolves the whole app's
 * dependencies again, for every chart it renders. `App.synth` renders each chart that way, and so
 * did mlscale's GitOps Applications, the charts-out index, the guard rails and the cluster model,
 * each rendering every object again: the default app's 33 charts cost ~100 whole-app passes and
 * 4-5 renderings of each of its 258 objects per synth.
 *
 * `renderCharts` gives what `toJson()` gives each chart with one whole-app pass per app, and
 * `frozenRendering` makes every `toJson()` of an object or chart of a finished tree (after the synth
 * hooks ran) compute once during the synth that asked for it.
 */
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * What `chart.toJson()` returns for each of `charts`, with the app's validation and dependency
 * resolution done once per app instead of once per chart. The first chart of each app is rendered by
 * its own `toJson()` (which validates the app and resolves its dependencies); each other chart is
 * the objects of its dependency graph's topology whose closest chart it is, rendered, which is
 * what cdk8s's `chartToKube` (lib/app.js) selects once the dependencies are resolved.
 */
export function renderCharts(charts: readonly Chart[]): Map<Chart, any[]> {
  const resolved = new Set<App>();
  return new Map(charts.map((chart) => [chart, renderChart(chart, resolved)]));
}

/**
 * One chart as its `toJson()` renders it: by the class's own `toJson()` for the first chart of its
 * app (the whole-app pass) and for a chart class that overrides `toJson()`; otherwise its objects,
 * rendered. The class's method is called, not the chart's property, so this also serves a chart whose
 * `toJson` is memoized by `frozenRendering`.
 */
function renderChart(chart: Chart, resolved: Set<App>): any[] {
  const app = App.of(chart);
  const own = Object.getPrototypeOf(chart).toJson as () => any[];
  if (resolved.has(app) && own === Chart.prototype.toJson) return chartObjects(chart).map((o) => o.toJson());
  resolved.add(app);
  return own.call(chart);
}

/** The API objects a chart renders, in cdk8s's order (dependencies first). */
function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart);
}

/**
 * Runs `fn` with the `toJson()` of every chart and API object under `roots` memoized: each renders
 * once, however many checks, indexes and writers read it. Only for a finished tree (no construct
 * added or changed while `fn` runs): the memo ends with `fn`. With `freeze` (tests), every rendered
 * document is deep-frozen, so a reader that changes a shared document fails instead of corrupting
 * what the next reader (or the writer) sees.
 */
export function frozenRendering<T>(roots: readonly IConstruct[], fn: () => T, freeze = process.env.JEST_WORKER_ID !== undefined): T {
  const restore: Array<() => void> = [];
  const resolved = new Set<App>();
  const memo = <R>(target: any, render: () => R) => {
    let done = false;
    let value: R;
    const own = Object.getOwnPropertyDescriptor(target, 'toJson');
    Object.defineProperty(target, 'toJson', {
      configurable: true,
      writable: true,
      value: () => {
        if (!done) {
          value = render();
          if (freeze) deepFreeze(value);
          done = true;
        }
        return value;
      },
    });
    restore.push(() => (own ? Object.defineProperty(target, 'toJson', own) : delete target.toJson));
  };
  try {
    for (const root of roots) {
      for (const c of root.node.findAll()) {
        if (ApiObject.isApiObject(c)) {
          const render = c.toJson.bind(c);
          memo(c, render);
        } else if (Chart.isChart(c)) {
          const chart = c;
          memo(chart, () => renderChart(chart, resolved));
        }
      }
    }
    return fn();
  } finally {
    for (const r of restore.reverse()) r();
  }
}

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}
