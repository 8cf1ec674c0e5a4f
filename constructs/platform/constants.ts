/** Constants of the platform area (teams, queues, guard rails): one place, no magic strings. */

/** Pod Security admission label keys (https://kubernetes.io/docs/concepts/security/pod-security-admission/). */
export const PSA_PREFIX = 'pod-security.kubernetes.io';
/** The Kubernetes version the Pod Security admission labels are pinned to (the platform targets 1.32). */
export const PSA_VERSION = 'v1.32';

/** Name of the empty (CPU/memory) Kueue ResourceFlavor. */
export const CPU_FLAVOR = 'cpu';
/** Default Kueue cohort of the team ClusterQueues: teams lend idle quota to each other. */
export const DEFAULT_COHORT = 'mlscale';

/** PriorityClass / WorkloadPriorityClass of interactive work (notebooks, Dask clusters a person waits on). */
export const PRIORITY_INTERACTIVE = 'mlscale-interactive';
/** PriorityClass / WorkloadPriorityClass of batch work (training, pipelines, sweeps). */
export const PRIORITY_BATCH = 'mlscale-batch';
/** PriorityClass of long-running platform services (gateways, TensorBoard, model servers). */
export const PRIORITY_SERVICE = 'mlscale-service';

/** Dask (dask-kubernetes operator) pod label naming the component: `scheduler` or `worker`. */
export const DASK_COMPONENT_LABEL = 'dask.org/component';
/** Dask scheduler comm port. */
export const DASK_SCHEDULER_PORT = 8786;
/** Dask scheduler dashboard port. */
export const DASK_DASHBOARD_PORT = 8787;
/**
 * Dask workers listen on random unprivileged ports (comm, nanny, dashboard 8788) unless pinned;
 * the NetworkPolicy opens this range between the team's Dask pods.
 */
export const DASK_WORKER_PORT_RANGE = { from: 1024, to: 65535 } as const;

/** Argo Workflows labels every workflow pod with the workflow's name. */
export const ARGO_WORKFLOW_LABEL = 'workflows.argoproj.io/workflow';
/** Kubeflow training-operator labels the pods of a PyTorchJob/TFJob with the job's name. */
export const TRAINING_OPERATOR_JOB_LABEL = 'training.kubeflow.org/job-name';
/** JobSet (Kubeflow Trainer v2 TrainJobs) labels its pods with the JobSet's name. */
export const JOBSET_NAME_LABEL = 'jobset.sigs.k8s.io/jobset-name';

/** Ports of the Kubernetes API server (GKE: 443; kubeadm/kubespray: 6443). */
export const KUBERNETES_API_PORTS: readonly number[] = [443, 6443];
/** The cluster DNS (kube-dns / CoreDNS) label, same on GKE and kubeadm clusters. */
export const KUBE_DNS_LABEL = { 'k8s-app': 'kube-dns' } as const;
/** The namespace label the API server sets on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The label dask-gateway-server's KubeBackend puts on the pods of gateway clusters (values dask-scheduler, dask-worker). */
export const GATEWAY_DASK_COMPONENT_LABEL = 'app.kubernetes.io/component';
/** The Dask Gateway API port (schedulers heartbeat to it). */
export const DASK_GATEWAY_API_PORT = 8000;

/** A port in the range Dask workers listen on (they bind random ports 1024-65535). */
export const DASK_WORKER_SAMPLE_PORT = 40000;
/** The PyTorchJob master port the training operator v1.9.4 sets (pytorchjob-port 23456). */
export const PYTORCH_MASTER_PORT = 23456;
/** The torchrun rendezvous port Trainer v2.3.0's torch plugin sets (PET_MASTER_PORT). */
export const TORCHRUN_PORT = 29500;
