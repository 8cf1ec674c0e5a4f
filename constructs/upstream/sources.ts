/**
 * The pinned-sources manifest: every upstream artifact mlscale reads, by reference. For each, the
 * project, version, commit, the path in the project's repository at that commit (so an HTTPS URL)
 * and the sha256 of the file's bytes. Nothing of these files is kept in the repository: `npm run
 * import` resolves each source from a local mirror (`MLSCALE_UPSTREAM_MIRROR`, laid out as
 * `mirror` says) or downloads it from its URL, verifies the sha256, and writes the fact-only schemas
 * (constructs/upstream/schemas/) and the typed bindings (constructs/imports/).
 *
 * Upgrading an operator: change its `version` and `commit` in UPSTREAM_PROJECTS (one line), then
 * `npm run import -- --pin` (records the new checksums here, then regenerates). A plain
 * `npm run import` refuses any file whose sha256 differs from this manifest.
 */

/** One upstream project at a pinned commit. */
export interface UpstreamProject {
  /** Human-readable name. */
  readonly name: string;
  /** GitHub repository, `owner/name`. */
  readonly repo: string;
  /** Release tag (or branch for projects without releases) the commit belongs to. */
  readonly version: string;
  /** The pinned commit (40 hex digits). */
  readonly commit: string;
  /**
   * What is read from it, and why this source.
   * @default - none
   */
  readonly notes?: string;
}

/** What mlscale does with a file. */
export type UpstreamRole =
  /** CustomResourceDefinition(s): served kinds, structural schemas, bindings. */
  | 'crd'
  /** A JSON6902 patch list that the project's kustomization applies to its CRD on install. */
  | 'crd-patch'
  /** A Kubernetes OpenAPI v3 document of one group/version (built-in kinds). */
  | 'k8s-openapi-v3'
  /** The Kubernetes swagger.json (Swagger 2.0): source of the built-in bindings (k8s.ts). */
  | 'k8s-swagger'
  /** An OpenAPI document that substitutes for a CRD that carries no schema (Katib). */
  | 'openapi-substitute'
  /** A KFP v1 component.yaml: test data, read from the mirror only, never generated into the repo. */
  | 'kfp-component';

/** One upstream file. */
export interface UpstreamFile {
  /** Key in UPSTREAM_PROJECTS. */
  readonly project: UpstreamProjectId;
  /** What it is used for. */
  readonly role: UpstreamRole;
  /** Path of the file in the mirror folder (`MLSCALE_UPSTREAM_MIRROR`). */
  readonly mirror: string;
  /** Path of the file in the project's repository at the commit. */
  readonly path: string;
  /**
   * The commit, when this file is pinned apart from its project (KFP sub-components pinned by digest).
   * @default - the project's commit
   */
  readonly commit?: string;
  /** sha256 of the file's bytes (hex). */
  readonly sha256: string;
}

/** The pinned projects. */
export const UPSTREAM_PROJECTS = {
  'argo-cd': { name: 'Argo CD', repo: 'argoproj/argo-cd', version: 'v3.5.1', commit: '109ca7ca71139e514114499d294a492e7910a965', notes: 'the Application/AppProject/ApplicationSet CRDs' },
  'argo-workflows': { name: 'Argo Workflows', repo: 'argoproj/argo-workflows', version: 'v4.1.2', commit: '16a52d67daf2f4a8a76fa8bec02a76a46aa46257', notes: '"full" CRDs (apply server-side)' },
  'dask-gateway': { name: 'Dask Gateway', repo: 'dask/dask-gateway', version: '2026.3.0', commit: '82efdfabf723b0ff382255898a2671ebc57583be', notes: 'the chart\'s crds/ folder: gateway.dask.org DaskCluster and the Traefik CRDs it bundles' },
  'dask-kubernetes': { name: 'Dask Kubernetes operator', repo: 'dask/dask-kubernetes', version: '2025.4.3', commit: '547c911efc58fa003d4cb8d49fcd58a7536fa7e7', notes: 'resolved Helm-chart CRDs' },
  jobset: { name: 'JobSet', repo: 'kubernetes-sigs/jobset', version: 'v0.12.0', commit: 'f22e565ac3cc3265c7c45ef67ecffdc689af5d77', notes: 'the version Kubeflow Trainer v2.3.0 depends on (go.mod)' },
  katib: { name: 'Katib', repo: 'kubeflow/katib', version: 'v0.19.0', commit: '578e60f1ce83dbb5e7151026a3bdc4de233947fc', notes: 'CRDs without schema, so its OpenAPI document substitutes' },
  kfp: { name: 'Kubeflow Pipelines v1 components', repo: 'kubeflow/pipelines', version: '2.14.4', commit: '417091dceddb1f35f26203f9779cb18ee260d6ad', notes: 'test data only: components/contrib was removed after 2.14.4' },
  'kubeflow-notebooks': { name: 'Kubeflow Notebooks (v1)', repo: 'kubeflow/notebooks', version: 'v1.11.0', commit: '3454bb75696a6f76efe0b483fc44f577c9596807', notes: 'CRD plus the kustomize validation patch it is installed with' },
  'kubeflow-trainer': { name: 'Kubeflow Trainer v2', repo: 'kubeflow/trainer', version: 'v2.3.0', commit: '658725bdae5c7e3a0854d93ac6ff492e109a22ab' },
  'kubeflow-training-operator': { name: 'Kubeflow Training Operator v1', repo: 'kubeflow/trainer', version: 'v1.9.4', commit: '4445c12aa62e4345b0c2c6ac9b215a70eca46ed7', notes: 'v1.9.1+ live in kubeflow/trainer, branch release-1.9' },
  'kubernetes-openapi': { name: 'Kubernetes 1.32 OpenAPI v3', repo: 'kubernetes-sigs/kubectl-validate', version: 'main', commit: '231e3efa7409321bb60dc20ef766be3fc59a9759', notes: 'kubectl-validate\'s copy of kubernetes/kubernetes release-1.32 api/openapi-spec/v3 (2024-12-13)' },
  'kubernetes-swagger': { name: 'Kubernetes 1.32 swagger.json', repo: 'kubernetes-sigs/reference-docs', version: 'main', commit: '96d09dcf979ac44cdbf0790dc1b536e41a729d64', notes: 'reference-docs\' copy of kubernetes/kubernetes release-1.32 api/openapi-spec/swagger.json' },
  kueue: { name: 'Kueue', repo: 'kubernetes-sigs/kueue', version: 'v0.19.2', commit: '8eab68778fc1b52affe165fdf5af29d1e9b4f3cb' },
} as const satisfies Record<string, UpstreamProject>;

/** The pinned files (all roles). */
export const UPSTREAM_FILES: readonly UpstreamFile[] = [
  { project: 'argo-cd', role: 'crd', mirror: 'argo-cd/application-crd.yaml', path: 'manifests/crds/application-crd.yaml', sha256: '5dde0e229249b6b707beb98674c1deae3949d5c319a6c45b9f5a80c99618e40c' },
  { project: 'argo-cd', role: 'crd', mirror: 'argo-cd/applicationset-crd.yaml', path: 'manifests/crds/applicationset-crd.yaml', sha256: '7d282054f41ca2b71a22bab04a8caf0000e07e53a62432e6ea292dae5ab4f07d' },
  { project: 'argo-cd', role: 'crd', mirror: 'argo-cd/appproject-crd.yaml', path: 'manifests/crds/appproject-crd.yaml', sha256: 'ab225266944322750136f1198d93786e4a79a0e43c8d149abfba44da30a3eac8' },
  { project: 'argo-workflows', role: 'crd', mirror: 'argo-workflows/argoproj.io_clusterworkflowtemplates.yaml', path: 'manifests/base/crds/full/argoproj.io_clusterworkflowtemplates.yaml', sha256: '1a1e40dca1a544c44b382ff9f50d44a4b6a6a7ff76c0a2d8e6a929c2ddb13749' },
  { project: 'argo-workflows', role: 'crd', mirror: 'argo-workflows/argoproj.io_cronworkflows.yaml', path: 'manifests/base/crds/full/argoproj.io_cronworkflows.yaml', sha256: '31abde1c89c6c11cf1c97753676327e02b2f8dc47827e49383732ac6b1d828c6' },
  { project: 'argo-workflows', role: 'crd', mirror: 'argo-workflows/argoproj.io_workfloweventbindings.yaml', path: 'manifests/base/crds/full/argoproj.io_workfloweventbindings.yaml', sha256: '533f6cf376c8b2b3c4f29adb54dd1b2da0a593c646c6b511fedf28c707609746' },
  { project: 'argo-workflows', role: 'crd', mirror: 'argo-workflows/argoproj.io_workflows.yaml', path: 'manifests/base/crds/full/argoproj.io_workflows.yaml', sha256: '35ffc0d16c9c71db69ae113e562d90057eac75a60e7371aa3012a3171ccd8c39' },
  { project: 'argo-workflows', role: 'crd', mirror: 'argo-workflows/argoproj.io_workflowtaskresults.yaml', path: 'manifests/base/crds/full/argoproj.io_workflowtaskresults.yaml', sha256: '69490cddb4dcc71a6d0464e0db39b9e0d71315859d63d2bccbeeec4e947e88cc' },
  { project: 'argo-workflows', role: 'crd', mirror: 'argo-workflows/argoproj.io_workflowtemplates.yaml', path: 'manifests/base/crds/full/argoproj.io_workflowtemplates.yaml', sha256: 'e932631a04a0f3a226b2ca8c68d43214c071c5d8aa6961b23298b81cbea3d9a5' },
  { project: 'dask-gateway', role: 'crd', mirror: 'dask-gateway/daskclusters.yaml', path: 'resources/helm/dask-gateway/crds/daskclusters.yaml', sha256: 'ad5bc89ba7670fc1a64397cfba648fdfae6043c20274a6a833d35592568f1be9' },
  { project: 'dask-gateway', role: 'crd', mirror: 'dask-gateway/traefik.yaml', path: 'resources/helm/dask-gateway/crds/traefik.yaml', sha256: 'f78b68047cf8e7be5501d3eeefcae1e25b97eb1295ecea11800aa8e574a80474' },
  { project: 'dask-kubernetes', role: 'crd', mirror: 'dask-kubernetes/daskautoscaler.yaml', path: 'dask_kubernetes/operator/deployment/helm/dask-kubernetes-operator/crds/daskautoscaler.yaml', sha256: '6fc12217a5524db35aaa45204677fcea74f0b22b9b3b94522505be47fc51aa1f' },
  { project: 'dask-kubernetes', role: 'crd', mirror: 'dask-kubernetes/daskcluster.yaml', path: 'dask_kubernetes/operator/deployment/helm/dask-kubernetes-operator/crds/daskcluster.yaml', sha256: '2da8d66739b4c98c8aadb2d1653b6ae6171d35f4e6c17db14d5ab0873943b9c6' },
  { project: 'dask-kubernetes', role: 'crd', mirror: 'dask-kubernetes/daskjob.yaml', path: 'dask_kubernetes/operator/deployment/helm/dask-kubernetes-operator/crds/daskjob.yaml', sha256: 'f81511cbbdd0d8421301b9b4499dfe51eee66e5e514a878d188801d36d7a668e' },
  { project: 'dask-kubernetes', role: 'crd', mirror: 'dask-kubernetes/daskworkergroup.yaml', path: 'dask_kubernetes/operator/deployment/helm/dask-kubernetes-operator/crds/daskworkergroup.yaml', sha256: '842ed584b27c0f6dd847e7061451223ca4849eda718aed1e9e2b45162bf73eda' },
  { project: 'jobset', role: 'crd', mirror: 'jobset/jobset.x-k8s.io_jobsets.yaml', path: 'config/components/crd/bases/jobset.x-k8s.io_jobsets.yaml', sha256: 'd022b87624512cf0b6741b31b24a2bea9945b5a838b50713af29332c878bb6fe' },
  { project: 'katib', role: 'crd', mirror: 'katib/experiment.yaml', path: 'manifests/v1beta1/components/crd/experiment.yaml', sha256: 'c7f8a989368dcc87bcbb2739efa3b3e6f78d31f156857e0284e56c8bd6bf98db' },
  { project: 'katib', role: 'openapi-substitute', mirror: 'katib/openapi/api_openapi-spec_swagger.json', path: 'api/openapi-spec/swagger.json', sha256: '0bfcfec03e1d857001ab7e8ee88d2e861252c4291ae70d92413c910af3e71263' },
  { project: 'katib', role: 'crd', mirror: 'katib/suggestion.yaml', path: 'manifests/v1beta1/components/crd/suggestion.yaml', sha256: '779b50ccf5a60da5e79bac8ff37a0f1adbecfb77b366645d1db79709c6eb2922' },
  { project: 'katib', role: 'crd', mirror: 'katib/trial.yaml', path: 'manifests/v1beta1/components/crd/trial.yaml', sha256: '207d14cdfad2921ccebf4aba97c1e55bd238dd2a16e4e7f49cedcba046b6c3cf' },
  { project: 'kfp', role: 'kfp-component', mirror: 'kfp-components/nuclio-delete/component.yaml', path: 'components/contrib/nuclio/delete/component.yaml', sha256: '2d0be7964ca910687290daee517a6d5e7bd293791421ef5927046fba796eae9f' },
  { project: 'kfp', role: 'kfp-component', mirror: 'kfp-components/ref-02c96382-tables-remove-header/component.yaml', path: 'components/tables/Remove_header/component.yaml', commit: '02c9638287468c849632cf9f7885b51de4c66f86', sha256: 'ba35ffea863855b956c3c50aefa0420ba3823949a6c059e6e3971cde960dc5a3' },
  { project: 'kfp', role: 'kfp-component', mirror: 'kfp-components/ref-567c04c5-xgboost-predict/component.yaml', path: 'components/XGBoost/Predict/component.yaml', commit: '567c04c51ff00a1ee525b3458425b17adbe3df61', sha256: 'ecdfaf32cff15b6abc3d0dd80365ce00577f1a19a058fbe201f515431cea1357' },
  { project: 'kfp', role: 'kfp-component', mirror: 'kfp-components/ref-567c04c5-xgboost-train/component.yaml', path: 'components/XGBoost/Train/component.yaml', commit: '567c04c51ff00a1ee525b3458425b17adbe3df61', sha256: '09b80053da29f8f51575b42e5d2e8ad4b7bdcc92a02c3744e189b1f597006b38' },
  { project: 'kfp', role: 'kfp-component', mirror: 'kfp-components/ref-6162d559-pandas-transform-dataframe-in-csv/component.yaml', path: 'components/pandas/Transform_DataFrame/in_CSV_format/component.yaml', commit: '6162d55998b176b50267d351241100bb0ee715bc', sha256: '58dc88349157bf128021708c316ce4eb60bc1de0a5a7dd3af45fabac3276d510' },
  { project: 'kfp', role: 'kfp-component', mirror: 'kfp-components/ref-7da1ac94-ml-metrics-calculate-regression-metrics-from-csv/component.yaml', path: 'components/ml_metrics/Calculate_regression_metrics/from_CSV/component.yaml', commit: '7da1ac9464b4b3e7d95919faa2f1107a9635b7e4', sha256: 'e3ecbfeb18032820edfee4255e2fb6d15d15ed224e166519d5e528e12053a995' },
  { project: 'kfp', role: 'kfp-component', mirror: 'kfp-components/ref-e9b4b29b-split-data-into-folds-in-csv/component.yaml', path: 'components/dataset_manipulation/split_data_into_folds/in_CSV/component.yaml', commit: 'e9b4b29b22a5120daf95b581b0392cd461a906f0', sha256: '9956223bcecc7294ca1afac39b60ada4a935a571d817c3dfbf2ea4a211afe3d1' },
  { project: 'kfp', role: 'kfp-component', mirror: 'kfp-components/tables-remove-header/component.yaml', path: 'components/contrib/tables/Remove_header/component.yaml', sha256: '5e8bc75d0817daeaa25e15ae866a7483946fcfac7ce1d5f998a2c77d6fa1836b' },
  { project: 'kfp', role: 'kfp-component', mirror: 'kfp-components/xgboost-train-and-cross-validate-regression-from-csv/component.yaml', path: 'components/contrib/XGBoost/Train_and_cross-validate_regression/from_CSV/component.yaml', sha256: '2d4a01eaf55558dc107ed32e7c1f15608360c98ced69f99d5e637cbacdb07fba' },
  { project: 'kubeflow-notebooks', role: 'crd', mirror: 'kubeflow-notebooks/kubeflow.org_notebooks.yaml', path: 'components/notebook-controller/config/crd/bases/kubeflow.org_notebooks.yaml', sha256: '1312f2b27462f8d4b5c9cedf4e78eabbadf25f1be175c938f4cd694a62844a8b' },
  { project: 'kubeflow-notebooks', role: 'crd-patch', mirror: 'kubeflow-notebooks/kustomize/validation_patches.yaml', path: 'components/notebook-controller/config/crd/patches/validation_patches.yaml', sha256: '740b15102b3732d2ea83e0b495fe2340079b068e49dca755c2a2e27b5dcbecda' },
  { project: 'kubeflow-trainer', role: 'crd', mirror: 'kubeflow-trainer/trainer.kubeflow.org_clustertrainingruntimes.yaml', path: 'manifests/base/crds/trainer.kubeflow.org_clustertrainingruntimes.yaml', sha256: 'ec84dc3388fcdbe8c61d3c247a773d14458dd9438e995bea8e50d2a18080eef9' },
  { project: 'kubeflow-trainer', role: 'crd', mirror: 'kubeflow-trainer/trainer.kubeflow.org_trainingruntimes.yaml', path: 'manifests/base/crds/trainer.kubeflow.org_trainingruntimes.yaml', sha256: '69b8dbdf60a18e28cddcc2b8dfc4ce72a943e14b531b9389d593118faee4919f' },
  { project: 'kubeflow-trainer', role: 'crd', mirror: 'kubeflow-trainer/trainer.kubeflow.org_trainjobs.yaml', path: 'manifests/base/crds/trainer.kubeflow.org_trainjobs.yaml', sha256: 'a742cafc5b5582640c7e0b7467c024fc237256fbca5ba0a9f0531dfb66d64416' },
  { project: 'kubeflow-training-operator', role: 'crd', mirror: 'kubeflow-training-operator/kubeflow.org_jaxjobs.yaml', path: 'manifests/base/crds/kubeflow.org_jaxjobs.yaml', sha256: 'f976e7550e66a0e8e771baa6f43851b5ba9e532917cb63e2af003dc2c40804fd' },
  { project: 'kubeflow-training-operator', role: 'crd', mirror: 'kubeflow-training-operator/kubeflow.org_mpijobs.yaml', path: 'manifests/base/crds/kubeflow.org_mpijobs.yaml', sha256: '4657bf247b1eb2ba3bafc2f46eb09925db4a9889591662f4e1cca5cc01288e39' },
  { project: 'kubeflow-training-operator', role: 'crd', mirror: 'kubeflow-training-operator/kubeflow.org_paddlejobs.yaml', path: 'manifests/base/crds/kubeflow.org_paddlejobs.yaml', sha256: '084d0d3e427f309c9b9e91322f6f02786648ccc0b8eadedc3d5ece46ef5a55ce' },
  { project: 'kubeflow-training-operator', role: 'crd', mirror: 'kubeflow-training-operator/kubeflow.org_pytorchjobs.yaml', path: 'manifests/base/crds/kubeflow.org_pytorchjobs.yaml', sha256: '8b8a8a719cc94173169290251e817f7ac2bb425c20b6c2fa813397bcf4e932ed' },
  { project: 'kubeflow-training-operator', role: 'crd', mirror: 'kubeflow-training-operator/kubeflow.org_tfjobs.yaml', path: 'manifests/base/crds/kubeflow.org_tfjobs.yaml', sha256: '6028ab677922ee558d279c9cc2028500372875eec327ed6819fc4dc2796cda9e' },
  { project: 'kubeflow-training-operator', role: 'crd', mirror: 'kubeflow-training-operator/kubeflow.org_xgboostjobs.yaml', path: 'manifests/base/crds/kubeflow.org_xgboostjobs.yaml', sha256: 'b5dfbe6e93ed51e71f5b93ba89a279086e2f2d396f0fed2686a0fbe3e535a7a6' },
  { project: 'kubernetes-swagger', role: 'k8s-swagger', mirror: 'kubernetes-openapi/v1.32/swagger.json', path: 'gen-resourcesdocs/api/v1.32/swagger.json', sha256: '0ba99bb42a1cf0bd35959fe82965f4eec50d404221ca299e9ef79b900e15dc00' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/api__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/api/v1.json', sha256: 'e70786b2b36d53fa99dd72910f2ef82a12384abc8d28ce144ebc9899c32b109c' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__admissionregistration.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/admissionregistration.k8s.io/v1.json', sha256: '3c3dbc0a05ac303bb29ba00f3ac6e108f563fc8647c38289919790b8981a8126' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__admissionregistration.k8s.io__v1alpha1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/admissionregistration.k8s.io/v1alpha1.json', sha256: 'e300c698e703fdcccb2776da5ea8b4cacd0d17a49a9275e6892da4e4dbda9bf4' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__admissionregistration.k8s.io__v1beta1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/admissionregistration.k8s.io/v1beta1.json', sha256: 'af923b0f4f81965a49df3638b1f62f53ec6398abb643da2f53ea15d96ca7d199' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__apiextensions.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/apiextensions.k8s.io/v1.json', sha256: '53683c23f111cc794ee4a7045a48c749ceea54290e15af00d1c6ab6190e6da2e' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__apiregistration.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/apiregistration.k8s.io/v1.json', sha256: 'b2939c60c574227d3668c00acd4a775cb08c00d1884530e068e8de3a40d53ad8' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__apps__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/apps/v1.json', sha256: 'ca3e54d3c12821353fa4c8aea2704d29ad1a216a142dbaefbab6ecea69457375' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__authentication.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/authentication.k8s.io/v1.json', sha256: 'cdeaa12db780e0b50d1edc547952997b2afc6c03087fa26c9b9e0da03ab49e8e' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__authentication.k8s.io__v1beta1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/authentication.k8s.io/v1beta1.json', sha256: 'b836b588f37e069e9115a1a22ae4ce6f4bb23d28ecb203cc89ff7ff097344c23' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__authorization.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/authorization.k8s.io/v1.json', sha256: '12dd2152d3a24d5c3b7227a4b0d20e4308f8deb121368939b8f98affff7c5e92' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__autoscaling__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/autoscaling/v1.json', sha256: '4eef107675046b9d39bfe36b8a84afc18f376f36ac562e82526506240902b183' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__autoscaling__v2_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/autoscaling/v2.json', sha256: '56e5be885071fa09dbc915513fc2550b8c07305cfd222edeff689adbe15a1b37' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__batch__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/batch/v1.json', sha256: '5f09687551d11cc84567d8cc5f97b65465512c81d496c8c63f712a5e34352447' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__certificates.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/certificates.k8s.io/v1.json', sha256: '8eb26a08f4700b58d8156a9e605c575fa543a479f277583873a9c981fa74bbf0' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__certificates.k8s.io__v1alpha1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/certificates.k8s.io/v1alpha1.json', sha256: 'a71be793a74ccce26d8a4baeb63c8d1feb2e47976627bb5353cf6cac787383e8' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__coordination.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/coordination.k8s.io/v1.json', sha256: '503bb5bb7acd8cd03666428710e010b680cfd8fa3368bc729b23975cf2cbbf8d' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__coordination.k8s.io__v1alpha2_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/coordination.k8s.io/v1alpha2.json', sha256: '91602f03d917f6653c9760320605adc6a39b84c5b0616d48382212398bdad423' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__discovery.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/discovery.k8s.io/v1.json', sha256: '89c718eac1f1db2d49e6029c5dedefdeca2fb5fee470a9f96f2951f08e5190f2' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__events.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/events.k8s.io/v1.json', sha256: '7aee17d2a6df52171498c42c078d3db180b43e88f8a3b54648996de350166228' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__flowcontrol.apiserver.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/flowcontrol.apiserver.k8s.io/v1.json', sha256: '0976a7175f5579e1ed780c5e9c73f99e92fc3f1820001313bab08579e7d545f7' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__internal.apiserver.k8s.io__v1alpha1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/internal.apiserver.k8s.io/v1alpha1.json', sha256: '87896f323f48b195c5a02f2ca982b53ce997cfa67ab83eb00088b5d2876a4348' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__networking.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/networking.k8s.io/v1.json', sha256: '215fb8d4007896a5e8c413cc7fd55235e4749ffaed0aeecbcbfd264a31d9e84c' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__networking.k8s.io__v1beta1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/networking.k8s.io/v1beta1.json', sha256: 'ed396be3b98c186d689edcd62961769449db70cff5ae6a29e970c9b14cd00916' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__node.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/node.k8s.io/v1.json', sha256: '93df193868b3d77aa76e768c4afadfd846036a4dc8b16a290026058818f22403' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__policy__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/policy/v1.json', sha256: '67d39994828e99e249a930a28a694333b640ea81aecd7a2093927ea2143061ec' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__rbac.authorization.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/rbac.authorization.k8s.io/v1.json', sha256: 'cb328e53ccb31d9bf0c070dcf135f7404ddd51d9621e0ca22b76463022e44a6e' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__resource.k8s.io__v1alpha3_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/resource.k8s.io/v1alpha3.json', sha256: '3c8c70f34a30a0fe2fa1bed50352e396c64c1e54fd444aec45fa121d73194764' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__resource.k8s.io__v1beta1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/resource.k8s.io/v1beta1.json', sha256: '9813295e12e85073a1b36e5ed920286f4a9698b2ba5110dc975a0228ec4adc94' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__scheduling.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/scheduling.k8s.io/v1.json', sha256: 'ae9a1e1df8c3b61cc6338d34a4b57ee54e95c63c93c7f2ccb3d176afd0cb52e2' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__storage.k8s.io__v1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/storage.k8s.io/v1.json', sha256: 'eb37f206e8b9e097e6e16faf8c4778cbe1c77a2a4d6f21d8f5ec723564e2bb4d' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__storage.k8s.io__v1alpha1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/storage.k8s.io/v1alpha1.json', sha256: '861d1fd55fa6a93eef49c95ee9890e29eb6bee7a1af4493293ab433d334b4821' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__storage.k8s.io__v1beta1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/storage.k8s.io/v1beta1.json', sha256: 'a30d8b16abebb043d2fd4abfd9cf8e633b75c5a620d05158a09f91b12cc129f2' },
  { project: 'kubernetes-openapi', role: 'k8s-openapi-v3', mirror: 'kubernetes-openapi/v1.32/v3/apis__storagemigration.k8s.io__v1alpha1_openapi.json', path: 'pkg/openapiclient/builtins/1.32/apis/storagemigration.k8s.io/v1alpha1.json', sha256: '3edde0b47b45039eeba12df867c24437865c8fa04ec6c26628e404586cdd5eb8' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_admissionchecks.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_admissionchecks.yaml', sha256: '2bf4003c0a3ea3d6ceab940c7a271ad211372dab59d2739acfa8b2bdb0724acb' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_clusterqueues.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_clusterqueues.yaml', sha256: 'e0a5fc9b370c70f3d993d4f599865817338ecf94187b30b15b12ff33c579bd55' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_cohorts.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_cohorts.yaml', sha256: '61fbe5ec55d45e7fae2d65321fb32517b197257ab78ad55316673183aac911c2' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_localqueues.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_localqueues.yaml', sha256: 'dd10ef8d3578e7212fa52763549e7b6be0949793a5b924495fcd293330109fed' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_multikueueclusters.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_multikueueclusters.yaml', sha256: '842e579d281f77c711e7edd66e242b24457e1c2e7a36b5840d923ea60c33d589' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_multikueueconfigs.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_multikueueconfigs.yaml', sha256: '4aa94664f85de11834490d5b4add63d91b2076a89e8acc97fa07b16ee81f9ae4' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_provisioningrequestconfigs.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_provisioningrequestconfigs.yaml', sha256: '0399b2689d7468c64a1ef4e3c8bf9603c261a152f822b6698903b23f69e790dc' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_resourceflavors.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_resourceflavors.yaml', sha256: '19e339c47e9ca3fa2c9eeddd27715a512f765c4794ed859733408a9715720173' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_topologies.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_topologies.yaml', sha256: 'f703575d3bb64d26f6e839f831e01646367ed41a89b3abf163f8e842ca1c4d2b' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_workloadpriorityclasses.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_workloadpriorityclasses.yaml', sha256: '0b755726aab05b8def9a53ee15b201eed3846bcffd1ff5528fed123f4ae03519' },
  { project: 'kueue', role: 'crd', mirror: 'kueue/kueue.x-k8s.io_workloads.yaml', path: 'config/components/crd/bases/kueue.x-k8s.io_workloads.yaml', sha256: '1970ff6fcc5dc1a29e3f290ed736032c5d4509c94efe2c642d64a244ad1b8aa5' },
];

/** Key of a pinned project. */
export type UpstreamProjectId = keyof typeof UPSTREAM_PROJECTS;

/** The commit a file is pinned at. */
export function commitOf(file: UpstreamFile): string {
  return file.commit ?? UPSTREAM_PROJECTS[file.project].commit;
}

/** The HTTPS URL of a file's bytes at its pinned commit. */
export function upstreamUrl(file: UpstreamFile): string {
  return `https://raw.githubusercontent.com/${UPSTREAM_PROJECTS[file.project].repo}/${commitOf(file)}/${file.path}`;
}

/** The files of one role, in manifest order. */
export function upstreamFiles(role: UpstreamRole): UpstreamFile[] {
  return UPSTREAM_FILES.filter((f) => f.role === role);
}
