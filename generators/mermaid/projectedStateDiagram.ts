/**
 * A Mermaid state diagram derived from a reachable state graph, projected on one component of
 * the state (e.g. one cell's lifecycle state): an arrow for every observed change of that
 * component, labelled with the actions that cause it. Nothing here is drawn by hand.
 */
export interface Transition {
  readonly from: string;
  readonly to: string;
  readonly action: string;
}

export function projectedStateDiagram(
  initial: readonly string[],
  transitions: readonly Transition[],
  title?: string,
): string {
  const edges = new Map<string, Set<string>>();
  for (const t of transitions) {
    if (t.from === t.to) continue;
    const key = `${t.from}\u0000${t.to}`;
    const actions = edges.get(key) ?? new Set<string>();
    actions.add(t.action);
    edges.set(key, actions);
  }
  const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, "_");
  const lines = ["stateDiagram-v2", ...(title ? [`  %% ${title}`] : [])];
  for (const s of [...new Set(initial)].sort()) lines.push(`  [*] --> ${id(s)}`);
  for (const [key, actions] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
    const [from = "", to = ""] = key.split("\u0000");
    lines.push(`  ${id(from)} --> ${id(to)}: ${[...actions].sort().join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}
