import { createHash } from 'crypto';
import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../imports/k8s';
import type { WorkflowTemplateSpec } from '../imports/argo-workflows-argoproj.io';
import {
  ContainerOptions, EnvValue, Placement, Plain, PodSecurity, Problems, embedded, checkMountNamespaces, SecretKey, SecretLike, buildPodTemplate, checkName, formatValue, recommendedLabels, resolveRef, secretKeyName,
} from '../core';
import { NOTEBOOK_INPUTS_DIR, NOTEBOOK_OUTPUTS_DIR, NOTEBOOK_SOURCE_PATH, NOTEBOOK_WORK_DIR } from '../notebooks/constants';
import { resolveNotebookSource } from '../notebooks/notebook-source';
import { checkParameterName, checkUserEnv, papermillArgs, papermillCommand, papermillTyped, runnerEnv } from '../notebooks/papermill';
import { ObjectStore } from '../storage/object-store';
import { SharedVolumeMount } from '../storage/shared-volume';
import { ADDON_CATALOG } from '../platform/addons';
import {
  CRON_WORKFLOW_GVK, CURL_IMAGE, ENTRYPOINT, EXIT_TEMPLATE, NUMERIC_TYPES, WORKFLOW_TEMPLATE_GVK,
} from './constants';
import { argoExecutorRule } from './constants';
import { ancestors, findCycle } from './dag';
import { kfpInputPath, kfpOutputPath, kfpStr, resolveCommandLine } from './kfp-component';
import { addDiagram } from './mermaid';
import { KfpComponent } from './kfp-component';
import {
  ConditionOperator, FanOutItemRef, KfpStepOptions, PipelineParameterRef, PipelineStep, StepBinding, StepCondition, StepOutputRef, isRef,
} from './pipeline-step';

/** A schedule: the pipeline also becomes a CronWorkflow. */
export interface PipelineSchedule {
  /** Cron expression (5 fields), e.g. `0 2 * * *`. */
  readonly cron: string;
  /**
   * IANA time zone of the expression.
   * @default 'UTC'
   */
  readonly timezone?: string;
  /**
   * What happens when a run is still going at the next tick.
   * @default 'Forbid'
   */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
}

/**
 * The CronWorkflow fields a pipeline's schedule writes (argo-workflows v4.1.2
 * manifests/base/crds/full/argoproj.io_cronworkflows.yaml; the binding imports WorkflowTemplate only).
 */
interface CronWorkflowSpec {
  readonly schedules: readonly string[];
  readonly timezone: string;
  readonly concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace';
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
  readonly workflowSpec: { readonly workflowTemplateRef: { readonly name: string } };
}

/** A Slack notification at the end of every run (success or failure). */
export interface SlackNotification {
  /** Secret key holding the incoming-webhook URL (the URL is a credential: never inline it). */
  readonly webhookSecret: SecretKey;
}

/** Props of a Pipeline. */
export interface PipelineProps {
  /**
   * WorkflowTemplate name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace.
   * @default - the chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /** The steps; edges are exactly their `dependsOn`. */
  readonly steps: readonly PipelineStep[];
  /**
   * Object store: the Argo artifact repository, and where notebook steps upload executed notebooks.
   * Required when a step passes artifacts or runs a notebook.
   * @default - the controller's default artifact repository; no notebook steps
   */
  readonly objectStore?: ObjectStore;
  /**
   * Pipeline parameters with their default values (`Pipeline.parameter(name)` reads them).
   * @default - none
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Also run on a schedule (a CronWorkflow referencing the template).
   * @default - run on demand only
   */
  readonly schedule?: PipelineSchedule;
  /**
   * Notify Slack when a run ends (exit handler).
   * @default - no exit handler
   */
  readonly notifySlack?: SlackNotification;
  /**
   * Time limit of a whole run.
   * @default Duration.hours(24)
   */
  readonly timeout?: Duration;
  /** @default PodSecurity.restricted() */
  readonly podSecurity?: PodSecurity;
  /**
   * Secrets (type kubernetes.io/dockerconfigjson, in the pipeline's namespace) for pulling private
   * images; Argo's emissary executor also uses them to read the entrypoint of an image whose step
   * sets no command. Listed under "Provide before syncing".
   * @default - none
   */
  readonly imagePullSecrets?: readonly SecretLike[];
}

type Kind = 'parameter' | 'artifact';

interface Input {
  readonly name: string;
  readonly kind: Kind;
  readonly type?: string;
  readonly binding?: StepBinding;
  readonly default?: string;
  readonly path?: string;
  /** An artifact read from a fixed S3 location (a notebook in an object store). */
  readonly s3?: Record<string, unknown>;
}

interface Output {
  readonly name: string;
  readonly kind: Kind;
  readonly type?: string;
  readonly path: string;
  /** Argo saves it as the file itself (no tar.gz), and does not fail the step when it is missing. */
  readonly asFile?: { readonly optional: boolean };
  /**
   * An untyped KFP artifact output a consumer takes by value (KFP v1 passes any untyped output to
   * `inputValue`): the template also outputs the file's content as a parameter of the same name.
   */
  asValue?: boolean;
}

/** A step reduced to what every kind has: inputs, outputs, one container and its volumes. */
interface NormalStep {
  readonly step: PipelineStep;
  readonly field: string;
  readonly detail: string;
  readonly inputs: Input[];
  readonly outputs: Output[];
  readonly container: ContainerOptions;
  readonly volumes: k8s.Volume[];
  readonly configMap?: { readonly name: string; readonly data: Record<string, string> };
  /** A KFP graph component: its DAG template's tasks and outputs, and the templates of its tasks. */
  readonly graph?: { readonly tasks: Record<string, unknown>[]; readonly outputs: Record<string, unknown>; readonly templates: Record<string, unknown>[] };
}

const PARAM_NAME = /^[A-Za-z0-9_-]+$/;

/** The output artifacts of every notebook step: the executed notebook and its HTML export. */
const EXECUTED_NOTEBOOK = 'executed-notebook';
const EXECUTED_HTML = 'executed-html';

/** Argo name of a KFP input or output (Argo allows letters, digits, '_' and '-'). */
function argoName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-');
}

/**
 * A pipeline of notebook, container and KFP component steps as an Argo WorkflowTemplate (plus a
 * CronWorkflow when scheduled): explicit dependencies, parameters and artifacts flowing between
 * steps, fan-out, a Slack exit handler, a least-privilege service account, and a Mermaid diagram
 * beside the charts. Cycles, unknown or duplicate steps and mismatched connections fail at synth.
 */
export class Pipeline extends Construct {
  /** The output `output` of step `step`. */
  public static outputOf(step: PipelineStep | string, output: string): StepOutputRef {
    return { ref: 'output', step: typeof step === 'string' ? step : step.name, output };
  }

  /**
   * Fan-in: the output `output` of every copy of the fanned-out step `step`, as one JSON list (Argo
   * parameter aggregation, examples/parameter-aggregation-dag.yaml). Parameter outputs only.
   */
  public static collect(step: PipelineStep | string, output: string): StepOutputRef {
    return { ref: 'output', step: typeof step === 'string' ? step : step.name, output, collect: true };
  }

  /** A condition for a step's `when`: `Pipeline.when(Pipeline.outputOf('check', 'ok'), '==', true)`. */
  public static when(value: StepOutputRef | PipelineParameterRef, operator: ConditionOperator, to: string | number | boolean): StepCondition {
    return { value, operator, to };
  }

  /** A pipeline parameter. */
  public static parameter(name: string): PipelineParameterRef {
    return { ref: 'parameter', name };
  }

  /** The current fan-out item, or one field of it. */
  public static item(field?: string): FanOutItemRef {
    return { ref: 'item', field };
  }

  /** WorkflowTemplate name. */
  public readonly name: string;
  /** The WorkflowTemplate (escape hatch). */
  public readonly apiObject: ApiObject;
  /** The CronWorkflow, when scheduled. */
  public readonly cronWorkflow?: ApiObject;
  /** Name of the service account the workflow pods run as. */
  public readonly serviceAccountName: string;

  private readonly problems: Problems;
  private readonly props: PipelineProps & { readonly namespace: string };

  constructor(scope: Construct, id: string, pipelineProps: PipelineProps) {
    super(scope, id);
    const problems = this.problems = new Problems(this);
    // the prop, else the chart's: a pipeline's objects all live in one namespace
    const ns = pipelineProps.namespace ?? Chart.of(this).namespace;
    problems.check(ns !== undefined, 'namespace', 'is required', ns, "a namespace, from the props or the chart's namespace");
    const props = this.props = { ...pipelineProps, namespace: ns ?? '' };
    const name = props.name ?? id;
    checkName(problems, 'name', name);
    if (ns !== undefined) checkName(problems, 'namespace', props.namespace);
    for (const p of Object.keys(props.parameters ?? {})) problems.check(PARAM_NAME.test(p), `parameters.${p}`, 'is not a valid parameter name', p, 'letters, digits, \'_\' and \'-\'');
    const pullSecrets = (props.imagePullSecrets ?? []).map((secret, i) => resolveRef(this, problems, `imagePullSecrets[${i}]`, 'Secret', secret, props.namespace,
      { reason: `pulling the private images of pipeline ${props.name ?? id}`, keys: ['.dockerconfigjson'] })?.name ?? '');
    if (props.schedule) this.checkSchedule(props.schedule);
    const steps = this.checkGraph(props.steps);
    const normal = steps.map((s) => this.normalize(name, s));
    const byName = new Map(normal.map((n) => [n.step.name, n]));
    normal.forEach((n) => this.checkBindings(n, byName));
    const podSecurity = props.podSecurity ?? PodSecurity.restricted();
    const templates = normal.flatMap((n) => [this.template(n, podSecurity), ...(n.graph?.templates ?? [])]);
    const names = templates.map((t) => t.name as string).filter((x) => x !== undefined);
    const dup = names.find((x, i) => names.indexOf(x) !== i || x === ENTRYPOINT || x === EXIT_TEMPLATE);
    problems.check(dup === undefined, 'steps', 'give two Argo templates one name', dup, 'step names that do not collide with the templates of graph components (<step>-<task>)');
    const exit = props.notifySlack ? this.exitTemplate(props.notifySlack, podSecurity) : undefined;
    const timeout = (props.timeout ?? Duration.hours(24)).toSeconds();
    problems.check(Number.isInteger(timeout) && timeout >= 1, 'timeout', 'must be at least one second', timeout, 'a whole number of seconds ≥ 1');
    problems.throwIfAny();

    this.name = name;
    this.serviceAccountName = `${name}-workflow`;
    const labels = recommendedLabels({ name: 'pipeline', instance: name });
    this.rbac(labels);
    for (const n of normal) {
      if (n.configMap) {
        new k8s.KubeConfigMap(this, `${n.step.name}-notebook`, {
          metadata: { name: n.configMap.name, namespace: props.namespace, labels: { ...labels, 'app.kubernetes.io/component': n.step.name } },
          data: n.configMap.data,
        });
      }
    }
    for (const m of this.literalMaps) {
      new k8s.KubeConfigMap(this, `${m.step}-literals`, {
        metadata: { name: m.name, namespace: props.namespace, labels: { ...labels, 'app.kubernetes.io/component': m.step } },
        data: m.data,
      });
    }
    // typed with the Argo binding (type-only import: the 9 MB module never loads); the templates and the
    // security context are built and checked by this construct's own code and buildPodTemplate
    const spec: Plain<WorkflowTemplateSpec> = {
      entrypoint: ENTRYPOINT,
      serviceAccountName: this.serviceAccountName,
      securityContext: embedded(podSecurity.podSecurityContext()),
      activeDeadlineSeconds: timeout,
      podGC: { strategy: 'OnPodSuccess' },
      ttlStrategy: { secondsAfterCompletion: 7 * 24 * 3600 },
      // the exemption annotation of PodSecurity.exempt(...) reaches every pod of the workflow
      podMetadata: { labels, ...(Object.keys(podSecurity.annotations()).length > 0 ? { annotations: podSecurity.annotations() } : {}) },
      arguments: Object.keys(props.parameters ?? {}).length
        ? { parameters: Object.entries(props.parameters ?? {}).map(([k, v]) => ({ name: k, value: String(v) })) }
        : undefined,
      artifactRepositoryRef: props.objectStore?.artifactRepositoryRef,
      imagePullSecrets: pullSecrets.length ? pullSecrets.map((secretName) => ({ name: secretName })) : undefined,
      onExit: exit ? EXIT_TEMPLATE : undefined,
      templates: embedded([{ name: ENTRYPOINT, dag: { tasks: normal.map((n) => this.task(n)) } }, ...templates, ...(exit ? [exit] : [])]),
    };
    this.apiObject = new ApiObject(this, 'Resource', { ...WORKFLOW_TEMPLATE_GVK, metadata: { name, namespace: props.namespace, labels }, spec });
    if (props.schedule) {
      const cron: CronWorkflowSpec = {
        schedules: [props.schedule.cron],
        timezone: props.schedule.timezone ?? 'UTC',
        concurrencyPolicy: props.schedule.concurrencyPolicy ?? 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        workflowSpec: { workflowTemplateRef: { name } },
      };
      this.cronWorkflow = new ApiObject(this, 'Schedule', { ...CRON_WORKFLOW_GVK, metadata: { name, namespace: props.namespace, labels }, spec: cron });
    }
    addDiagram(this, {
      name,
      namespace: props.namespace,
      schedule: props.schedule ? `${props.schedule.cron} (${props.schedule.timezone ?? 'UTC'})` : undefined,
      exitHandler: props.notifySlack ? 'notify Slack' : undefined,
      nodes: normal.map((n) => ({ name: n.step.name, detail: n.detail, dependsOn: n.step.dependsOn, fanOut: fanOutLabel(n.step) })),
    });
  }

  /** Names, duplicates, unknown dependencies and cycles; returns the steps that can be translated. */
  private checkGraph(steps: readonly PipelineStep[]): PipelineStep[] {
    const p = this.problems;
    p.check(steps.length > 0, 'steps', 'must not be empty', steps.length, 'at least one step');
    const names = [...new Set(steps.map((s) => s.name))];
    const seen = new Set<string>();
    for (const s of steps) {
      checkName(p, `steps.${s.name}.name`, s.name);
      p.check(s.name !== ENTRYPOINT && s.name !== EXIT_TEMPLATE, `steps.${s.name}.name`, 'is reserved', s.name, `a name other than "${ENTRYPOINT}" and "${EXIT_TEMPLATE}"`);
      // Argo v4.1.2 workflow/validate/validate.go: "name cannot begin with a digit when using either 'depends' or 'dependencies'"
      p.check(!/^[0-9]/.test(s.name), `steps.${s.name}.name`, 'starts with a digit, which Argo refuses for DAG tasks with dependencies', s.name, 'a name starting with a letter');
      p.check(!seen.has(s.name), `steps.${s.name}.name`, 'is used by two steps', s.name, 'unique step names');
      seen.add(s.name);
      for (const d of s.spec.dependsOn ?? []) {
        // a step given itself must be one of this pipeline's (another pipeline's step of the same name is not)
        if (typeof d !== 'string') p.check(steps.includes(d), `steps.${s.name}.dependsOn`, 'is a step of another pipeline', d.name, 'a step of this pipeline');
      }
      for (const d of s.dependsOn) {
        p.check(names.includes(d), `steps.${s.name}.dependsOn`, 'names an unknown step', d, `one of ${names.map((n) => JSON.stringify(n)).join(', ')}`);
        p.check(d !== s.name, `steps.${s.name}.dependsOn`, 'names the step itself', d, 'other steps');
      }
    }
    const deps = new Map<string, readonly string[]>();
    for (const s of steps) if (!deps.has(s.name)) deps.set(s.name, s.dependsOn.filter((d) => names.includes(d) && d !== s.name));
    const cycle = findCycle(names, deps);
    if (cycle) p.add('steps', `have a dependency cycle: ${cycle.join(' → ')}`, cycle.slice(0, -1), 'dependencies that form a DAG (no cycles)');
    this.deps = deps;
    this.acyclic = cycle === undefined;
    return names.map((n) => steps.find((s) => s.name === n)!);
  }

  private deps = new Map<string, readonly string[]>();
  /** ConfigMaps of literal text with `{{` in KFP command lines (created with the pipeline). */
  private readonly literalMaps: Array<{ name: string; step: string; data: Record<string, string> }> = [];
  private acyclic = true;

  private checkSchedule(s: PipelineSchedule): void {
    const field = /^(\S+\s+){4}\S+$/.test(s.cron.trim()) && s.cron.trim().split(/\s+/).every((f) => /^[\d*/,\-A-Za-z?]+$/.test(f));
    this.problems.check(field, 'schedule.cron', 'is not a cron expression', s.cron, 'five fields, e.g. "0 2 * * *"');
    if (s.timezone !== undefined) {
      this.problems.check(s.timezone === 'UTC' || isTimeZone(s.timezone), 'schedule.timezone', 'is not a known time zone', s.timezone, 'an IANA time zone, e.g. "Europe/Berlin"');
    }
  }

  /** Reduces a step of any kind to inputs, outputs and a container. */
  private normalize(pipeline: string, step: PipelineStep): NormalStep {
    const field = `steps.${step.name}`;
    const s = step.spec;
    const common = { env: s.env, resources: s.resources, name: 'main' };
    const { mounts, volumes } = this.stepMounts(field, s.mounts ?? []);
    if (s.kind === 'container') {
      const inputs = Object.entries(s.inputs ?? {}).map(([name, i]): Input => ({
        name, kind: i.kind, type: i.type, binding: i.value, path: i.kind === 'artifact' ? (i.path ?? `/tmp/inputs/${name}`) : undefined,
      }));
      const outputs = Object.entries(s.outputs ?? {}).map(([name, o]): Output => ({ name, kind: o.kind, type: o.type, path: o.path }));
      [...inputs, ...outputs].forEach((io) => this.problems.check(PARAM_NAME.test(io.name), `${field}.${io.name}`, 'is not a valid input or output name', io.name, 'letters, digits, \'_\' and \'-\''));
      return {
        step, field, detail: `container: ${s.image}`, inputs, outputs, volumes,
        container: { ...common, image: s.image, command: s.command, args: s.args, volumeMounts: mounts },
      };
    }
    if (s.kind === 'kfp') return this.normalizeKfp(step, field, common, mounts, volumes);
    return this.normalizeNotebook(pipeline, step, field, common, mounts, volumes);
  }

  private normalizeKfp(step: PipelineStep, field: string, common: Partial<ContainerOptions>, mounts: k8s.VolumeMount[], volumes: k8s.Volume[]): NormalStep {
    const p = this.problems;
    const s = step.spec as Extract<PipelineStep['spec'], { kind: 'kfp' }>;
    const c = s.component;
    const args = s.arguments ?? {};
    const empty = { step, field, detail: `KFP: ${c.name}`, inputs: [], outputs: [], volumes, container: { ...common, name: 'main', image: s.image ?? '' } };
    const real = c.inputs.map((i) => JSON.stringify(i.name)).join(', ');
    for (const a of Object.keys(args)) {
      p.check(c.input(a) !== undefined, `${field}.arguments.${a}`, `is not an input of component "${c.name}"`, a, `one of ${real}`);
    }
    const missing = c.requiredInputs.filter((i) => args[i.name] === undefined).map((i) => i.name);
    if (missing.length) {
      p.add(`${field}.arguments`, `misses required inputs of component "${c.name}": ${missing.map((m) => JSON.stringify(m)).join(', ')}`,
        Object.keys(args), 'every input without a default bound');
    }
    const present = new Set(c.inputs.filter((i) => args[i.name] !== undefined || i.default !== undefined).map((i) => i.name));
    if (!c.container) {
      p.check(s.image === undefined, `${field}.image`, 'is set on a graph component (its tasks run their own components\' images)', s.image, 'no image (`images` replaces the tasks\' images)');
      p.check(s.command === undefined, `${field}.command`, 'is set on a graph component', s.command, 'no command (its tasks\' components have their own)');
      p.check(s.memoize === undefined, `${field}.memoize`, 'is set on a graph component, which Argo does not memoize as a whole', s.memoize?.key, 'memoize on container steps');
      const inputs = c.inputs.filter((i) => present.has(i.name)).map((i): Input => {
        const kind = c.inputKind(i.name);
        return { name: argoName(i.name), kind, type: i.type, binding: args[i.name], default: i.default, path: kind === 'artifact' ? kfpInputPath(argoName(i.name)) : undefined };
      });
      const outputs = c.outputs.filter((o) => c.graphOutputs?.[o.name]).map((o): Output => ({ name: argoName(o.name), kind: c.outputKind(o.name), type: o.type, path: '' }));
      return { ...empty, detail: `KFP graph: ${c.name} (${c.graph?.length ?? 0} tasks)`, inputs, outputs, graph: this.graphTemplates(step, field, c, step.name, present, new Map()) };
    }
    const literal = (name: string): string | undefined => {
      const v = args[name];
      if (v === undefined) return c.input(name)?.default;
      return isRef(v) ? undefined : Array.isArray(v) ? JSON.stringify(v) : String(v);
    };
    // literal text with `{{` (e.g. Python or Jinja inside a component's code) reaches the container through an
    // environment variable from a ConfigMap, which the kubelet expands in command and args (`$(VAR)`): Argo never sees it
    const literalTexts: string[] = [];
    const keepLiteral = (text: string): string => {
      if (!literalTexts.includes(text)) literalTexts.push(text);
      return `$(MLSCALE_LITERAL_${literalTexts.indexOf(text)})`;
    };
    const ctx = { present, argoName, literal, keepLiteral };
    const command = resolveCommandLine(p, `${field}.component.implementation.container.command`, c.container.command, ctx);
    const cargs = resolveCommandLine(p, `${field}.component.implementation.container.args`, c.container.args, ctx);
    p.check(s.command === undefined || command.length === 0, `${field}.command`, 'is set for a component that has a command', s.command,
      'no command (only components without one need the image\'s entrypoint named)');
    const inputs = c.inputs.filter((i) => present.has(i.name)).map((i): Input => {
      const kind = c.inputKind(i.name);
      return { name: argoName(i.name), kind, type: i.type, binding: args[i.name], default: i.default, path: kind === 'artifact' ? kfpInputPath(argoName(i.name)) : undefined };
    });
    // an output the program writes to a fixed path (fileOutputs) is collected from there, as KFP does
    const outputs = c.outputs.map((o): Output => ({
      name: argoName(o.name), kind: c.outputKind(o.name), type: o.type, path: c.container!.fileOutputs[o.name] ?? kfpOutputPath(argoName(o.name)),
    }));
    const literalsMap = `${this.props.name ?? this.node.id}-${step.name}-literals`;
    if (literalTexts.length) this.literalMaps.push({ name: literalsMap, step: step.name, data: Object.fromEntries(literalTexts.map((t, i) => [`literal-${i}`, t])) });
    const literalEnv = Object.fromEntries(literalTexts.map((_, i) => [`MLSCALE_LITERAL_${i}`, { configMap: { configMapName: literalsMap }, key: `literal-${i}` }]));
    for (const [name, v] of Object.entries(args)) {
      if (typeof v === 'string') p.check(!v.includes('{{'), `${field}.arguments.${name}`, 'contains "{{", which Argo would expand', v, 'a literal without "{{" (or pass it in the component\'s code)');
    }
    return {
      ...empty,
      inputs,
      outputs,
      container: {
        ...common,
        name: 'main',
        image: s.image ?? c.container.image,
        // no command: the image's entrypoint runs (KFP's meaning; Argo's emissary looks it up), unless the step names it
        command: command.length ? command : s.command?.length ? [...s.command] : undefined,
        args: cargs.length ? cargs : undefined,
        // KFP images install packages with `pip --user`: give the non-root user a writable home
        env: { ...c.container.env, HOME: '/tmp', ...(s.env ?? {}), ...literalEnv },
        volumeMounts: mounts,
      },
    };
  }

  private normalizeNotebook(pipeline: string, step: PipelineStep, field: string, common: Partial<ContainerOptions>, mounts: k8s.VolumeMount[], volumes: k8s.Volume[]): NormalStep {
    const p = this.problems;
    const s = step.spec as Extract<PipelineStep['spec'], { kind: 'notebook' }>;
    const store = this.props.objectStore;
    p.check(store !== undefined, `${field}.notebook`, 'needs an object store for the executed notebook', undefined, 'the pipeline\'s objectStore prop');
    const configMapName = `${pipeline}-${step.name}-notebook`;
    const source = resolveNotebookSource(p, `${field}.notebook`, s.notebook, configMapName, this.props.namespace);
    const literals: Record<string, Exclude<StepBinding, { ref: string }>> = {};
    const inputs: Input[] = [];
    const runtimeArgs: string[] = [];
    for (const [name, v] of Object.entries(s.parameters ?? {})) {
      if (!isRef(v)) {
        literals[name] = v as Exclude<StepBinding, { ref: string }>;
        if (typeof v === 'string') p.check(!v.includes('{{'), `${field}.parameters.${name}`, 'contains "{{", which Argo would expand', v, 'a literal without "{{"');
        continue;
      }
      if (!checkParameterName(p, `${field}.parameters.${name}`, name)) continue;
      const source_ = this.sourceOf(v);
      if (source_?.kind === 'artifact') {
        const path = `${NOTEBOOK_INPUTS_DIR}/${name}`;
        inputs.push({ name, kind: 'artifact', binding: v, path });
        runtimeArgs.push('-r', name, path);
      } else {
        inputs.push({ name, kind: 'parameter', binding: v });
        const expr = `{{inputs.parameters.${name}}}`;
        runtimeArgs.push(...(source_?.type && NUMERIC_TYPES.includes(source_.type) ? papermillTyped(name, expr) : ['-r', name, expr]));
      }
    }
    const outputs = Object.entries(s.outputs ?? {}).map(([name, o]): Output => {
      checkParameterName(p, `${field}.outputs.${name}`, name);
      p.check(!(s.parameters ?? {})[name], `${field}.outputs.${name}`, 'has the name of a parameter', name, 'output names distinct from parameter names');
      return { name, kind: o.kind, type: o.type, path: `${NOTEBOOK_OUTPUTS_DIR}/${name}` };
    });
    const outputArgs = outputs.flatMap((o) => ['-r', o.name, o.path]);
    checkUserEnv(p, `${field}.env`, s.env ?? {});
    // the executed notebook and its HTML are the step's Argo output artifacts (saved whatever papermill's
    // exit status; in the artifact repository, shown in the Argo UI); a notebook in an object store is an
    // input artifact: the user's container gets no storage credentials
    const executed = [
      { name: EXECUTED_NOTEBOOK, kind: 'artifact' as Kind, path: `${NOTEBOOK_WORK_DIR}/out/${step.name}.ipynb`, asFile: { optional: false } },
      { name: EXECUTED_HTML, kind: 'artifact' as Kind, path: `${NOTEBOOK_WORK_DIR}/out/${step.name}.html`, asFile: { optional: true } },
    ];
    if (source.store) inputs.push({ name: 'notebook-source', kind: 'artifact', path: NOTEBOOK_SOURCE_PATH, s3: source.store.argoS3(source.key!) });
    const env: Record<string, EnvValue> = { ...(s.env ?? {}), ...runnerEnv({ notebookPath: source.notebookPath, outputName: step.name }) };
    return {
      step, field, detail: `notebook: ${s.notebook.description}`, inputs, outputs: [...outputs, ...executed],
      configMap: source.configMapData ? { name: configMapName, data: source.configMapData } : undefined,
      volumes: [...volumes, ...source.volumes, { name: 'work', emptyDir: {} }, ...(outputs.length ? [{ name: 'outputs', emptyDir: {} }] : [])],
      container: {
        ...common,
        name: 'main',
        image: s.image,
        command: papermillCommand(),
        args: [...papermillArgs(p, `${field}.parameters`, literals), ...runtimeArgs, ...outputArgs],
        env,
        volumeMounts: [...mounts, ...source.volumeMounts, { name: 'work', mountPath: NOTEBOOK_WORK_DIR },
          ...(outputs.length ? [{ name: 'outputs', mountPath: NOTEBOOK_OUTPUTS_DIR }] : [])],
      },
    };
  }

  /** Kind and type of what a reference points at (undefined when it points nowhere). */
  private sourceOf(ref: StepBinding): { kind: Kind; type?: string } | undefined {
    if (!isRef(ref)) return { kind: 'parameter' };
    if (ref.ref !== 'output') return { kind: 'parameter' };
    if (ref.collect) return { kind: 'parameter', type: 'JsonArray' }; // a JSON list of every copy's value
    const step = this.props.steps.find((s) => s.name === ref.step);
    if (!step) return undefined;
    const s = step.spec;
    if (s.kind === 'kfp') {
      const o = s.component.outputs.find((x) => argoName(x.name) === argoName(ref.output));
      return o ? { kind: s.component.outputKind(o.name), type: o.type } : undefined;
    }
    if (s.kind === 'notebook' && (ref.output === EXECUTED_NOTEBOOK || ref.output === EXECUTED_HTML)) return { kind: 'artifact' };
    const o = s.outputs?.[ref.output];
    return o ? { kind: o.kind, type: o.type } : undefined;
  }

  /** Every binding points at something that exists, that the step depends on, of the right kind and type. */
  private checkBindings(n: NormalStep, byName: Map<string, NormalStep>): void {
    const p = this.problems;
    const params = Object.keys(this.props.parameters ?? {});
    const upstream = this.acyclic ? ancestors(n.step.name, this.deps) : new Set<string>();
    const fan = n.step.spec.fanOut;
    const fanInput: Input[] = fan && 'param' in fan ? [{ name: 'fanOut', kind: 'parameter', binding: fan.param }] : [];
    const when = n.step.spec.when;
    const whenInput: Input[] = when ? [{ name: 'when', kind: 'parameter', binding: when.value }] : [];
    if (when) {
      const ops: readonly ConditionOperator[] = ['==', '!=', '<', '<=', '>', '>='];
      this.problems.check(ops.includes(when.operator), `${n.field}.when.operator`, 'is not a comparison', when.operator, ops.join(', '));
      this.problems.check(typeof when.to !== 'string' || /^[^'{}]*$/.test(when.to), `${n.field}.when.to`, 'contains a quote or a brace', when.to, 'a plain string');
      this.problems.check(typeof when.to !== 'number' || Number.isFinite(when.to), `${n.field}.when.to`, 'is not a finite number', when.to, 'a finite number');
    }
    for (const input of [...n.inputs, ...fanInput, ...whenInput]) {
      const b = input.binding;
      const f = input === fanInput[0] ? `${n.field}.fanOut.param` : input === whenInput[0] ? `${n.field}.when.value` : `${n.field}.inputs.${input.name}`;
      if (!isRef(b)) continue;
      if (b.ref === 'parameter') {
        p.check(params.includes(b.name), f, 'refers to an unknown pipeline parameter', b.name, params.length ? `one of ${params.map((x) => JSON.stringify(x)).join(', ')}` : 'a parameter declared in the pipeline\'s parameters');
        continue;
      }
      if (b.ref === 'item') {
        p.check(n.step.spec.fanOut !== undefined, f, 'uses the fan-out item but the step has no fanOut', 'item', 'a step with fanOut');
        continue;
      }
      const from = byName.get(b.step);
      if (!p.check(from !== undefined, f, 'refers to an unknown step', b.step, `one of ${[...byName.keys()].map((x) => JSON.stringify(x)).join(', ')}`)) continue;
      const out = from!.outputs.find((o) => o.name === argoName(b.output));
      if (!p.check(out !== undefined, f, `refers to an unknown output of step "${b.step}"`, b.output,
        from!.outputs.length ? `one of ${from!.outputs.map((o) => JSON.stringify(o.name)).join(', ')}` : 'a step with outputs')) continue;
      p.check(!this.acyclic || upstream.has(b.step), f, `uses an output of step "${b.step}" but does not depend on it`, n.step.dependsOn,
        `"${b.step}" among the step's dependencies (directly or through other steps)`);
      if (b.collect) {
        // fan-in: Argo aggregates a fanned-out task's parameter outputs into a JSON list
        p.check(from!.step.spec.fanOut !== undefined, f, `collects the output of step "${b.step}", which is not fanned out`, b.output, 'Pipeline.outputOf for a step without fanOut');
        p.check(out!.kind === 'parameter', f, `collects the artifact output "${b.step}.${b.output}"`, out!.type ?? 'artifact', 'a parameter output (Argo aggregates parameters only)');
        p.check(input.kind === 'parameter' && (input.type === undefined || input.type === 'JsonArray'), f, 'receives a JSON list but is not an untyped or JsonArray parameter', input.type ?? input.kind,
          'an untyped or JsonArray parameter input');
        continue;
      }
      p.check(from!.step.spec.fanOut === undefined, f, `uses an output of the fanned-out step "${b.step}"`, b.output, `Pipeline.collect("${b.step}", "${b.output}") for the list of every copy's value, or a step without fanOut`);
      if (out!.kind === 'artifact' && input.kind === 'parameter' && out!.type === undefined && from!.step.spec.kind === 'kfp' && from!.graph === undefined) {
        out!.asValue = true; // KFP v1 accepts an untyped output for inputValue (_components.py: no type, no check)
      } else if (out!.kind === 'artifact' && input.kind === 'parameter') {
        p.add(f, `is a parameter but is connected to the artifact output "${b.step}.${b.output}"`, out!.type ?? 'artifact', 'a parameter output (or make the input a file)');
      } else if (input.type !== undefined && out!.type !== undefined && input.type !== out!.type) {
        p.add(f, `has type "${input.type}" but is connected to output "${b.step}.${b.output}" of another type`, out!.type, `an output of type "${input.type}" (or an untyped one)`);
      }
    }
  }

  /** The Argo expression or literal of a binding. */
  private value(b: StepBinding, as?: Kind): string {
    if (!isRef(b)) return Array.isArray(b) ? JSON.stringify(b) : String(b);
    if (b.ref === 'parameter') return `{{workflow.parameters.${b.name}}}`;
    if (b.ref === 'item') return b.field ? `{{item.${b.field}}}` : '{{item}}';
    const kind = as ?? this.sourceOf(b)?.kind;
    return `{{tasks.${b.step}.outputs.${kind === 'artifact' ? 'artifacts' : 'parameters'}.${argoName(b.output)}}}`;
  }

  /**
   * An Argo `when` expression (govaluate after substitution): strings quoted on both sides,
   * numbers and booleans as they are.
   */
  private condition(c: StepCondition): string {
    const quoted = typeof c.to === 'string';
    const value = this.value(c.value, 'parameter');
    return quoted ? `'${value}' ${c.operator} '${c.to}'` : `${value} ${c.operator} ${String(c.to)}`;
  }

  /** The DAG task of a step: template, dependencies, arguments and fan-out. */
  private task(n: NormalStep): Record<string, unknown> {
    const bound = n.inputs.filter((i) => i.binding !== undefined);
    const params = bound.filter((i) => i.kind === 'parameter').map((i) => ({ name: i.name, value: this.value(i.binding!, 'parameter') }));
    const artifacts = bound.filter((i) => i.kind === 'artifact').map((i) => {
      const b = i.binding!;
      return isRef(b) && b.ref === 'output' && this.sourceOf(b)?.kind === 'artifact' ? { name: i.name, from: this.value(b) } : { name: i.name, raw: { data: this.value(b) } };
    });
    const fan = n.step.spec.fanOut;
    return {
      name: n.step.name,
      template: n.step.name,
      dependencies: n.step.dependsOn.length ? [...n.step.dependsOn] : undefined,
      arguments: params.length || artifacts.length ? { parameters: params.length ? params : undefined, artifacts: artifacts.length ? artifacts : undefined } : undefined,
      when: n.step.spec.when ? this.condition(n.step.spec.when) : undefined,
      withItems: fan && 'items' in fan ? fan.items.map((x) => (typeof x === 'object' ? { ...x } : x)) : undefined,
      withParam: fan && 'param' in fan ? this.value(fan.param) : undefined,
    };
  }

  /** The container template of a step: pod settings from buildPodTemplate (requests+limits, PSS, GPU placement). */
  private template(n: NormalStep, podSecurity: PodSecurity): Record<string, unknown> {
    const s = n.step.spec;
    const retries = s.retries ?? (s.memoize ? 0 : 1);
    this.problems.check(Number.isInteger(retries) && retries >= 0 && retries <= 10, `${n.field}.retries`, 'is out of range', retries, 'an integer from 0 to 10');
    const memoize = s.memoize ? this.memoization(n, s.memoize, retries) : undefined;
    const timeout = (s.timeout ?? Duration.hours(6)).toSeconds();
    this.problems.check(Number.isInteger(timeout) && timeout >= 1, `${n.field}.timeout`, 'must be at least one second', timeout, 'a whole number of seconds ≥ 1');
    if (n.graph) {
      return {
        name: n.step.name,
        inputs: this.templateInputs(n),
        outputs: Object.keys(n.graph.outputs).length ? n.graph.outputs : undefined,
        dag: { tasks: n.graph.tasks },
      };
    }
    if (s.kind === 'kfp' && !n.container.image) return {};
    const pod = this.pod(n.field, n.container, n.volumes, podSecurity, s.placement);
    return {
      name: n.step.name,
      metadata: { labels: { 'app.kubernetes.io/component': n.step.name } },
      inputs: this.templateInputs(n),
      outputs: ioOf(n.outputs.flatMap((o) => (o.kind === 'parameter'
        ? [{ kind: o.kind, v: { name: o.name, valueFrom: { path: o.path } } }]
        : [{ kind: o.kind, v: { name: o.name, path: o.path, ...(o.asFile ? { archive: { none: {} }, ...(o.asFile.optional ? { optional: true } : {}) } : {}) } },
          ...(o.asValue ? [{ kind: 'parameter' as Kind, v: { name: o.name, valueFrom: { path: o.path } } }] : [])]))),
      retryStrategy: retries > 0 ? { limit: retries, retryPolicy: 'OnFailure' } : undefined,
      memoize,
      activeDeadlineSeconds: timeout,
      ...pod,
    };
  }

  /**
   * The `memoize` of a step's template. The cache is a ConfigMap the workflow controller creates and
   * updates in the pipeline's namespace (label workflows.argoproj.io/configmap-type: Cache); the
   * argo-workflows chart grants that only cluster-wide (`controller.rbac.writeConfigMaps`, argo-helm
   * charts/argo-workflows templates/controller/workflow-controller-cluster-roles.yaml), so the pipeline
   * grants it in its namespace instead (rbac()). Not with retries: Argo does not memoize templates
   * that retry (argoproj/argo-workflows issue 10426).
   */
  private memoization(n: NormalStep, m: { key: string; maxAge: Duration }, retries: number): Record<string, unknown> {
    const p = this.problems;
    p.check(retries === 0, `${n.field}.retries`, 'is set on a memoized step, which Argo does not memoize (argo-workflows issue 10426)', retries, '0 (the default with memoize)');
    const inputs = n.inputs.filter((i) => i.kind === 'parameter').map((i) => i.name);
    const refs = [...m.key.matchAll(/\{\{([^}]*)\}\}/g)].map((x) => x[1]);
    for (const r of refs) {
      p.check(/^inputs\.parameters\./.test(r) && inputs.includes(r.slice('inputs.parameters.'.length)), `${n.field}.memoize.key`, 'refers to something other than an input parameter of the step', `{{${r}}}`,
        inputs.length ? `{{inputs.parameters.<one of ${inputs.join(', ')}>}}` : 'a constant (the step has no input parameters)');
    }
    p.check(/^[-._a-zA-Z0-9]+$/.test(m.key.replace(/\{\{[^}]*\}\}/g, 'x')), `${n.field}.memoize.key`, 'is not a ConfigMap key', m.key, "letters, digits, '-', '_' and '.' around {{inputs.parameters.<name>}}");
    const age = m.maxAge.toSeconds();
    p.check(Number.isInteger(age) && age >= 1, `${n.field}.memoize.maxAge`, 'must be at least one second', age, 'a whole number of seconds ≥ 1');
    return { key: m.key, maxAge: `${age}s`, cache: { configMap: { name: this.cacheName() } } };
  }

  private cacheName(): string {
    return `${this.props.name ?? this.node.id}-cache`;
  }

  /** A template's inputs: a default for what the task does not bind (a DAG template's artifacts have no path). */
  private templateInputs(n: NormalStep): Record<string, unknown> | undefined {
    return ioOf(n.inputs.map((i) => (i.kind === 'parameter'
      ? { kind: i.kind, v: { name: i.name, default: i.binding === undefined ? i.default : undefined } }
      : { kind: i.kind, v: { name: i.name, path: n.graph ? undefined : i.path, raw: i.binding === undefined && i.default !== undefined ? { data: i.default } : undefined, s3: i.s3 } })));
  }

  /**
   * A KFP graph component as an Argo DAG template of its own (nested in the pipeline's DAG, as KFP
   * v1 resolves it: sdk/python/kfp/components/_components.py `_resolve_graph_task` at 1.8.22, which
   * flattens; here the graph stays one node). Each task becomes a DAG task of the template: its
   * arguments are the graph's inputs (`graphInput` → `{{inputs.…}}`), other tasks' outputs
   * (`taskOutput` → `{{tasks.<task>.outputs.…}}`, which are also its dependencies) or constants; the
   * graph's `outputValues` become the template's outputs. A task's component is a container
   * template (shared by tasks with the same component and the same bound inputs) or, for a nested
   * graph, another DAG template. Every task runs with the step's resources, retries, timeout, env and volumes.
   */
  private graphTemplates(step: PipelineStep, field: string, c: KfpComponent, name: string, present: ReadonlySet<string>,
    shared: Map<string, string>, templates: Record<string, unknown>[] = []): NonNullable<NormalStep['graph']> {
    const p = this.problems;
    const taskNames = uniqueArgoNames(c.graph!.map((t) => t.id));
    const byId = new Map(c.graph!.map((t) => [t.id, t]));
    // untyped artifact outputs some task takes by value: their producers also output them as parameters
    const asValue = new Set<string>();
    for (const t of c.graph!) {
      for (const [arg, v] of Object.entries<any>(t.arguments)) {
        const producer = v?.taskOutput ? byId.get(v.taskOutput.taskId) : undefined;
        const out = producer?.component.outputs.find((o) => o.name === v.taskOutput.outputName);
        if (out && out.type === undefined && producer!.component.outputKind(out.name) === 'artifact' && t.component.input(arg) && t.component.inputKind(arg) === 'parameter') {
          asValue.add(`${producer!.id}\u0000${out.name}`);
        }
      }
    }
    const tasks: Record<string, unknown>[] = [];
    for (const t of c.graph!) {
      const f = `${field}.component.implementation.graph.tasks[${JSON.stringify(t.id)}]`;
      const sub = t.component;
      p.check(t.isEnabled === undefined, `${f}.isEnabled`, 'is a run-time condition of a graph task, which mlscale does not translate', t.isEnabled, 'a graph without isEnabled (KFP v1 itself ignores it inside graphs)');
      p.check(t.executionOptions === undefined, `${f}.executionOptions`, 'sets retries or caching of one graph task, which mlscale does not translate', t.executionOptions, 'the step\'s retries (they apply to every task of the graph)');
      for (const a of Object.keys(t.arguments)) {
        p.check(sub.input(a) !== undefined, `${f}.arguments.${a}`, `is not an input of component "${sub.name}"`, a, `one of ${sub.inputs.map((i) => JSON.stringify(i.name)).join(', ')}`);
      }
      const bound = new Map<string, { expr: string; kind: Kind; type?: string; dependsOn?: string; literal?: string }>();
      for (const i of sub.inputs) {
        const v = t.arguments[i.name] as any;
        if (v === undefined || v === null) continue;
        if (typeof v === 'object' && v.graphInput) {
          const gi = v.graphInput.inputName;
          if (!present.has(gi)) continue; // an unbound optional input of the graph: the task's input is unbound too
          const kind = c.inputKind(gi);
          bound.set(i.name, { expr: `{{inputs.${kind === 'artifact' ? 'artifacts' : 'parameters'}.${argoName(gi)}}}`, kind, type: c.input(gi)?.type });
        } else if (typeof v === 'object' && v.taskOutput) {
          const producer = byId.get(v.taskOutput.taskId);
          if (!producer) continue; // reported by KfpComponent
          const out = producer.component.outputs.find((o) => o.name === v.taskOutput.outputName);
          if (!p.check(out !== undefined, `${f}.arguments.${i.name}`, `is an output task "${v.taskOutput.taskId}" does not have`, v.taskOutput.outputName,
            `one of ${producer.component.outputs.map((o) => JSON.stringify(o.name)).join(', ')}`)) continue;
          const valueOf = asValue.has(`${producer.id}\u0000${out!.name}`) && sub.inputKind(i.name) === 'parameter';
          const kind = valueOf ? 'parameter' : producer.component.outputKind(out!.name);
          const task = taskNames.get(producer.id)!;
          bound.set(i.name, { expr: `{{tasks.${task}.outputs.${kind === 'artifact' ? 'artifacts' : 'parameters'}.${argoName(out!.name)}}}`, kind, type: out!.type, dependsOn: task });
        } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
          bound.set(i.name, { expr: kfpStr(v), kind: 'parameter', literal: kfpStr(v) });
        } else {
          p.add(`${f}.arguments.${i.name}`, 'is not a KFP argument', v, 'a constant, {graphInput: {inputName}} or {taskOutput: {taskId, outputName}}');
        }
      }
      const missing = sub.requiredInputs.filter((i) => !bound.has(i.name)).map((i) => JSON.stringify(i.name));
      p.check(missing.length === 0, `${f}.arguments`, `misses required inputs of component "${sub.name}": ${missing.join(', ')}`, Object.keys(t.arguments), 'every input without a default bound');
      const parameters: Array<{ name: string; value: string }> = [];
      const artifacts: Array<Record<string, unknown>> = [];
      for (const [input, b] of bound) {
        const kind = sub.inputKind(input);
        const subType = sub.input(input)?.type;
        if (b.type !== undefined && subType !== undefined && b.type !== subType) {
          p.add(`${f}.arguments.${input}`, `has type "${subType}" but is given a value of type "${b.type}"`, b.type, `a value of type "${subType}" (or an untyped one), as KFP v1 requires`);
        }
        if (kind === 'parameter' && b.kind === 'artifact') {
          p.add(`${f}.arguments.${input}`, 'is a value but is given a file (artifact)', b.expr, 'a parameter output or a constant');
        } else if (kind === 'parameter') {
          parameters.push({ name: argoName(input), value: b.expr });
        } else {
          artifacts.push(b.kind === 'artifact' ? { name: argoName(input), from: b.expr } : { name: argoName(input), raw: { data: b.expr } });
        }
      }
      const subPresent = new Set([...bound.keys(), ...sub.inputs.filter((i) => i.default !== undefined).map((i) => i.name)]);
      let template: string;
      if (sub.graph) {
        template = shortName(`${name}-${taskNames.get(t.id)}`);
        const nested = this.graphTemplates(step, f, sub, template, subPresent, shared, templates);
        const inputs = sub.inputs.filter((i) => subPresent.has(i.name)).map((i): Input => ({ name: argoName(i.name), kind: sub.inputKind(i.name), binding: bound.has(i.name) ? 'bound' : undefined, default: i.default }));
        templates.push({ name: template, inputs: this.templateInputs({ inputs, graph: nested } as unknown as NormalStep), outputs: Object.keys(nested.outputs).length ? nested.outputs : undefined, dag: { tasks: nested.tasks } });
      } else {
        // the constants are in the key: an `if` of the component may test them at synth
        const values = sub.outputs.filter((o) => asValue.has(`${t.id}\u0000${o.name}`)).map((o) => o.name);
        const key = `${sub.digest}:${JSON.stringify([...bound.entries()].map(([k, b]) => [k, b.literal ?? null]).sort())}:${values.join(',')}`;
        template = shared.get(key) ?? '';
        if (!template) {
          template = uniqueTemplateName(shortName(`${step.name}-${slug(sub.name)}`, 59), new Set([...shared.values(), ...this.props.steps.map((x) => x.name)]));
          shared.set(key, template);
          // (a missing required input is reported above, once per task)
          // constants as themselves, the rest as run-time values (graph inputs and task outputs)
          const runtime = Pipeline.parameter('graph');
          const args: Record<string, StepBinding> = Object.fromEntries(sub.requiredInputs.map((i) => [i.name, runtime]));
          for (const [k, b] of bound) args[k] = b.literal ?? runtime;
          const { resources, retries, timeout, env, mounts: stepMounts, placement } = step.spec;
          const image = (step.spec as KfpStepOptions).images?.[sub.container!.image];
          const inner = PipelineStep.kfp(template, sub, { resources, retries, timeout, env, mounts: stepMounts, placement, image, arguments: args } as KfpStepOptions);
          const m = this.stepMounts(field, stepMounts ?? []);
          const n = this.normalizeKfp(inner, f, { env: step.spec.env, resources: step.spec.resources, name: 'main' }, m.mounts, m.volumes);
          for (const o of n.outputs) if (values.map(argoName).includes(o.name)) o.asValue = true;
          templates.push(this.template(n, this.props.podSecurity ?? PodSecurity.restricted()));
        }
      }
      const deps = [...new Set([...bound.values()].map((b) => b.dependsOn).filter((d): d is string => d !== undefined))].sort();
      tasks.push({
        name: taskNames.get(t.id),
        template,
        dependencies: deps.length ? deps : undefined,
        arguments: parameters.length || artifacts.length ? { parameters: parameters.length ? parameters : undefined, artifacts: artifacts.length ? artifacts : undefined } : undefined,
      });
    }
    const parameters: Array<Record<string, unknown>> = [];
    const artifacts: Array<Record<string, unknown>> = [];
    for (const [out, ref] of Object.entries(c.graphOutputs ?? {})) {
      const producer = byId.get(ref.taskId);
      if (!producer) continue;
      const kind = producer.component.outputKind(ref.outputName);
      const expr = `{{tasks.${taskNames.get(ref.taskId)}.outputs.${kind === 'artifact' ? 'artifacts' : 'parameters'}.${argoName(ref.outputName)}}}`;
      if (kind === 'artifact') artifacts.push({ name: argoName(out), from: expr });
      else parameters.push({ name: argoName(out), valueFrom: { parameter: expr } });
    }
    const outputs = { ...(parameters.length ? { parameters } : {}), ...(artifacts.length ? { artifacts } : {}) };
    return { tasks, outputs, templates };
  }

  /**
   * A step's pod volumes and container mounts (`volume-<i>`, one per mount), checking that every
   * claim is of the pipeline's namespace (a pod cannot mount another namespace's claim).
   */
  private stepMounts(field: string, mounts: readonly SharedVolumeMount[]): { mounts: k8s.VolumeMount[]; volumes: k8s.Volume[] } {
    checkMountNamespaces(this.problems, `${field}.mounts`, mounts, this.props.namespace);
    return {
      mounts: mounts.map((m, i) => ({ name: `volume-${i}`, mountPath: m.volumeMount.mountPath, readOnly: m.volumeMount.readOnly, subPath: m.volumeMount.subPath })),
      volumes: mounts.map((m, i) => ({ name: `volume-${i}`, persistentVolumeClaim: { claimName: m.volume.persistentVolumeClaim!.claimName, readOnly: m.volumeMount.readOnly } })),
    };
  }

  /** Container, security context, placement and volumes of one template. */
  private pod(field: string, container: ContainerOptions, volumes: k8s.Volume[], podSecurity: PodSecurity, placement?: Placement): Record<string, unknown> {
    const built = buildPodTemplate(this, this.problems, `${field}.pod`, { namespace: this.props.namespace, containers: [container], volumes, podSecurity, placement });
    const spec = (built.json as { spec: Record<string, any> }).spec;
    return {
      container: spec.containers[0],
      securityContext: spec.securityContext,
      nodeSelector: spec.nodeSelector,
      tolerations: spec.tolerations,
      volumes: spec.volumes,
    };
  }

  /** The exit handler: posts the run's name and status to a Slack webhook taken from a Secret. */
  private exitTemplate(slack: SlackNotification, podSecurity: PodSecurity): Record<string, unknown> {
    secretKeyName(this, this.problems, 'notifySlack.webhookSecret', slack.webhookSecret, this.props.namespace, `the Slack incoming-webhook URL of pipeline ${this.node.id}`);
    return {
      name: EXIT_TEMPLATE,
      ...this.pod('notifySlack', {
        name: 'main',
        image: CURL_IMAGE,
        command: ['/bin/sh', '-c', 'curl -fsS --retry 3 -X POST -H "Content-Type: application/json" --data "{\\"text\\": \\"$MESSAGE\\"}" "$SLACK_WEBHOOK_URL"'],
        env: {
          SLACK_WEBHOOK_URL: slack.webhookSecret,
          MESSAGE: 'Pipeline {{workflow.name}} in {{workflow.namespace}} finished: {{workflow.status}}',
        },
        resources: { cpu: '100m', memory: '64Mi' },
      }, [], podSecurity),
    };
  }

  /** The workflow's service account and the only permission Argo's executor needs: writing task results. */
  private rbac(labels: Record<string, string>): void {
    if (this.props.steps.some((s) => s.spec.memoize !== undefined)) {
      // the workflow controller writes the memoization cache ConfigMap of this namespace (argo-helm names the
      // controller's ServiceAccount <release>-workflow-controller; the release is the argo-workflows add-on's)
      const name = `${this.cacheName()}-writer`;
      const argo = ADDON_CATALOG['argo-workflows']!;
      new k8s.KubeRole(this, 'CacheRole', {
        metadata: { name, namespace: this.props.namespace, labels },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }, { apiGroups: [''], resources: ['configmaps'], resourceNames: [this.cacheName()], verbs: ['get', 'update'] }],
      });
      new k8s.KubeRoleBinding(this, 'CacheRoleBinding', {
        metadata: { name, namespace: this.props.namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name: `${argo.name}-workflow-controller`, namespace: argo.namespace }],
      });
    }
    const metadata = { name: this.serviceAccountName, namespace: this.props.namespace, labels };
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata });
    new k8s.KubeRole(this, 'Role', {
      metadata,
      rules: [argoExecutorRule()],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.serviceAccountName },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.props.namespace }],
    });
  }
}

/** An Argo template or task name from free text (Argo v4.1.2 workflow/validate: `[a-zA-Z0-9][-a-zA-Z0-9]*`, at most 128). */
function slug(text: string): string {
  const s = text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();
  // Argo refuses a task name starting with a digit when it has dependencies (workflow/validate/validate.go)
  return (/^[0-9]/.test(s) ? `t-${s}` : s || 'task').slice(0, 60).replace(/-+$/, '');
}

/**
 * A template name that is also a valid label value (templates label their pods
 * app.kubernetes.io/component with it): at most `max` characters, the rest replaced by a hash.
 */
function shortName(name: string, max = 63): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - 9).replace(/-+$/, '')}-${hash}`;
}

/** Distinct Argo names for `ids` (KFP task ids like "a b" and "a-b" would otherwise collide): `-2`, `-3`… on repeats. */
function uniqueArgoNames(ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    const name = uniqueTemplateName(slug(id), used);
    used.add(name);
    out.set(id, name);
  }
  return out;
}

function uniqueTemplateName(base: string, used: ReadonlySet<string>): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  return name;
}

function ioOf(items: { kind: Kind; v: Record<string, unknown> }[]): Record<string, unknown> | undefined {
  const parameters = items.filter((i) => i.kind === 'parameter').map((i) => i.v);
  const artifacts = items.filter((i) => i.kind === 'artifact').map((i) => i.v);
  if (!parameters.length && !artifacts.length) return undefined;
  return { parameters: parameters.length ? parameters : undefined, artifacts: artifacts.length ? artifacts : undefined };
}

function fanOutLabel(step: PipelineStep): string | undefined {
  const fan = step.spec.fanOut;
  if (!fan) return undefined;
  return 'items' in fan ? `fan-out × ${fan.items.length}: ${formatValue(fan.items)}` : `fan-out over ${fan.param.ref === 'output' ? `${fan.param.step}.${fan.param.output}` : fan.param.name}`;
}

let canonicalZones: ReadonlySet<string> | undefined;

/**
 * True for a time zone the runtime knows (IANA names). The canonical names are looked up in
 * `Intl.supportedValuesOf('timeZone')` (~1.5 ms once); only other names (aliases such as
 * "US/Pacific", which Go's time.LoadLocation behind Argo's timezone also accepts, or typos) build a
 * DateTimeFormat, whose first construction loads ICU's locale data (~15-25 ms).
 */
function isTimeZone(tz: string): boolean {
  canonicalZones ??= new Set((Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? []);
  if (canonicalZones.has(tz)) return tz.includes('/');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/');
  } catch {
    return false;
  }
}
