/** Small graph helpers for pipeline DAGs: cycle search and ancestors. */

/** The first cycle found, as a closed path (`[a, b, a]`), or undefined. Edges: node → its dependencies. */
export function findCycle(nodes: readonly string[], deps: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of nodes) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
}

/** All transitive dependencies of `node` (the graph must be acyclic). */
export function ancestors(node: string, deps: ReadonlyMap<string, readonly string[]>): Set<string> {
  const out = new Set<string>();
  const todo = [...(deps.get(node) ?? [])];
  while (todo.length) {
    const n = todo.pop()!;
    if (out.has(n)) continue;
    out.add(n);
    todo.push(...(deps.get(n) ?? []));
  }
  return out;
}
