import { Duration } from 'cdk8s';
import { Resources, WorkloadPodProps } from '../core';
import { NotebookSource } from '../notebooks/notebook-source';
import { NotebookParameterValue } from '../notebooks/papermill';
import { KfpComponent } from './kfp-component';

/** The output `output` of step `step` (a parameter or an artifact). */
export interface StepOutputRef {
  readonly ref: 'output';
  readonly step: string;
  readonly output: string;
  /**
   * Fan-in: the output of every copy of a fanned-out step, as one JSON list (Argo's parameter
   * aggregation). Made by `Pipeline.collect`.
   * @default false
   */
  readonly collect?: boolean;
}

/** Memoization of a step. */
export interface StepMemoization {
  /**
   * The cache key: what makes two runs the same, usually built from the step's inputs, e.g.
   * `'model-{{inputs.parameters.model}}'`. It becomes a ConfigMap key: letters, digits, '-', '_' and
   * '.' once expanded.
   */
  readonly key: string;
  /** How long an entry stays valid. */
  readonly maxAge: Duration;
}

/** A comparison operator of a step condition. */
export type ConditionOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * Run a step only when a run-time value compares so (Argo `when`); it is skipped otherwise. Steps
 * that depend on it still run (Argo's `dependencies` count a skipped task as done), so a step that
 * must not run either needs its own `when`.
 */
export interface StepCondition {
  /** The value tested: another step's parameter output, or a pipeline parameter. */
  readonly value: StepOutputRef | PipelineParameterRef;
  readonly operator: ConditionOperator;
  /** What it is compared with. */
  readonly to: string | number | boolean;
}

/** A pipeline parameter (`{{workflow.parameters.x}}`). */
export interface PipelineParameterRef {
  readonly ref: 'parameter';
  readonly name: string;
}

/** The current item of a fan-out (`{{item}}` or `{{item.<field>}}`). */
export interface FanOutItemRef {
  readonly ref: 'item';
  readonly field?: string;
}

/** A run-time value: another step's output, a pipeline parameter or the fan-out item. */
export type PipelineRef = StepOutputRef | PipelineParameterRef | FanOutItemRef;

/** What an input is bound to: a literal or a run-time value. */
export type StepBinding = NotebookParameterValue | PipelineRef;

/** A fan-out item: a scalar or a flat object (`{{item.field}}`). */
export type FanOutItem = string | number | boolean | Readonly<Record<string, string | number | boolean>>;

/** Parallel copies of a step: one per item of a literal list, or of a JSON list produced at run time. */
export type FanOut =
  | { readonly items: readonly FanOutItem[] }
  | { readonly param: StepOutputRef | PipelineParameterRef };

/** A declared output of a notebook or container step. */
export interface StepOutput {
  /** `parameter` (a small value read from a file) or `artifact` (a file or folder kept in the artifact repository). */
  readonly kind: 'parameter' | 'artifact';
  /**
   * Type name, checked against the inputs it is connected to (KFP names: `CSV`, `Float`, …).
   * @default - untyped: connects to anything of the same kind
   */
  readonly type?: string;
}

/** A declared output of a container step: where the container writes it. */
export interface ContainerStepOutput extends StepOutput {
  /** File (or folder, for artifacts) the container writes. */
  readonly path: string;
}

/** An input of a container step. */
export interface ContainerStepInput {
  /** `parameter` (use it as `{{inputs.parameters.<name>}}` in command, args or env) or `artifact` (a file at `path`). */
  readonly kind: 'parameter' | 'artifact';
  /** What it is bound to. */
  readonly value: StepBinding;
  /** Where an artifact is placed (artifacts only). @default - `/tmp/inputs/<name>` */
  readonly path?: string;
  /** Type name checked against the connected output. @default - untyped */
  readonly type?: string;
}

/** What every step has. */
export interface StepOptions extends WorkloadPodProps {
  /**
   * Steps that must finish first: the DAG edges, exactly. Give the steps themselves (typed: a step
   * of the pipeline), or their names.
   * @default - none: the step starts at once
   */
  readonly dependsOn?: ReadonlyArray<PipelineStep | string>;
  /**
   * CPU, memory and GPUs of the step.
   * @default { cpu: 1, memory: '2Gi' }
   */
  readonly resources?: Resources;
  /**
   * Run one copy per item, in parallel (`withItems` / `withParam`); bind `Pipeline.item()`.
   * @default - one copy
   */
  readonly fanOut?: FanOut;
  /**
   * Run only when this holds (Argo `when`; the tested step must be among the step's dependencies).
   * @default - always
   */
  readonly when?: StepCondition;
  /**
   * Reuse the outputs of an earlier run with the same key (Argo memoization, docs/memoization.md): the
   * step is skipped and its recorded outputs used while the entry is younger than `maxAge`.
   * @default - always run
   */
  readonly memoize?: StepMemoization;
  /**
   * Retries of a failed step.
   * @default 1 (0 with `memoize`)
   */
  readonly retries?: number;
  /**
   * Time limit of one attempt.
   * @default Duration.hours(6)
   */
  readonly timeout?: Duration;
}

/** A notebook step: papermill in the step's image, parameters and input artifacts injected as notebook parameters. */
export interface NotebookStepOptions extends StepOptions {
  /** The notebook. */
  readonly notebook: NotebookSource;
  /** Pinned image with python, papermill, nbconvert and the AWS CLI v2 (see papermill.ts). */
  readonly image: string;
  /**
   * Notebook parameters: literals, or run-time values (an artifact arrives as a file and the parameter holds its path).
   * @default - none
   */
  readonly parameters?: Readonly<Record<string, StepBinding>>;
  /**
   * Outputs the notebook writes; the notebook receives a parameter of the same name holding the path to write to.
   * @default - none
   */
  readonly outputs?: Readonly<Record<string, StepOutput>>;
}

/** A container step. */
export interface ContainerStepOptions extends StepOptions {
  /** Pinned image. */
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's cmd */
  readonly args?: readonly string[];
  /** @default - none */
  readonly inputs?: Readonly<Record<string, ContainerStepInput>>;
  /** @default - none */
  readonly outputs?: Readonly<Record<string, ContainerStepOutput>>;
}

/** A step running a KFP component. */
export interface KfpStepOptions extends StepOptions {
  /**
   * Values of the component's inputs, by input name (required inputs must be bound).
   * @default - none
   */
  readonly arguments?: Readonly<Record<string, StepBinding>>;
  /**
   * Replaces the component's image (e.g. to pin an unpinned one, or use a mirror). Container components only.
   * @default - the component's image
   */
  readonly image?: string;
  /**
   * The entrypoint of the component's image, for a component without `command` (container
   * components only). Without it Argo's emissary executor reads the entrypoint from the image's
   * registry at run time, which a private image only allows with the pipeline's `imagePullSecrets`.
   * @default - the image's entrypoint, looked up by Argo
   */
  readonly command?: readonly string[];
  /**
   * For a graph component: replacements of its tasks' images, by the image a component names (e.g.
   * `{ alpine: 'alpine:3.20.3' }` pins every task whose component runs `alpine`).
   * @default - the components' images
   */
  readonly images?: Readonly<Record<string, string>>;
}

/** One step of a Pipeline. Create with `PipelineStep.notebook`, `.container` or `.kfp`. */
export class PipelineStep {
  /** A notebook run with papermill. */
  public static notebook(name: string, options: NotebookStepOptions): PipelineStep {
    return new PipelineStep(name, { kind: 'notebook', ...options });
  }

  /** A container. */
  public static container(name: string, options: ContainerStepOptions): PipelineStep {
    return new PipelineStep(name, { kind: 'container', ...options });
  }

  /** A KFP component. */
  public static kfp(name: string, component: KfpComponent, options: KfpStepOptions = {}): PipelineStep {
    return new PipelineStep(name, { kind: 'kfp', component, ...options });
  }

  private constructor(
    /** Step name (the DAG task and template name). */
    public readonly name: string,
    /** The step's definition. */
    public readonly spec:
    | ({ readonly kind: 'notebook' } & NotebookStepOptions)
    | ({ readonly kind: 'container' } & ContainerStepOptions)
    | ({ readonly kind: 'kfp'; readonly component: KfpComponent } & KfpStepOptions),
  ) {}

  /** Names of the steps this one depends on. */
  public get dependsOn(): readonly string[] {
    return (this.spec.dependsOn ?? []).map((d) => (typeof d === 'string' ? d : d.name));
  }
}

/** True for a run-time reference (not a literal). */
export function isRef(v: unknown): v is PipelineRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { ref?: unknown }).ref === 'string';
}
