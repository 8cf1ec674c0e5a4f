/** The Pulumi program (Pulumi.yaml → main: stacks/). Components arrive with the clusters issue. */
export {};
