/**
 * The reachable state graph in compressed-sparse-row form, recorded during the breadth-first
 * search for temporal properties: states are explored in index order, so each state's outgoing
 * edges arrive contiguously and `close(state)` only records where they end.
 */
export class StateGraph {
  private targets = new Int32Array(4096);
  private labels = new Int32Array(4096);
  private ends = new Int32Array(1024);
  private edges = 0;
  closed = 0;

  get bytes(): number {
    return this.targets.byteLength * 2 + this.ends.byteLength;
  }

  edge(from: number, to: number, action: number): void {
    if (from < 0) return;
    if (this.edges === this.targets.length) {
      this.targets = grow(this.targets);
      this.labels = grow(this.labels);
    }
    this.targets[this.edges] = to;
    this.labels[this.edges++] = action;
  }

  /** Marks the end of `state`'s edges; states must be closed in index order. */
  close(state: number): void {
    while (state >= this.ends.length) this.ends = grow(this.ends);
    this.ends[state] = this.edges;
    this.closed = state + 1;
  }

  /** The arrays themselves, for the liveness phase's loops: state s's edges are [ends[s-1], ends[s]). */
  csr(): { readonly ends: Int32Array; readonly targets: Int32Array } {
    return { ends: this.ends, targets: this.targets };
  }

  /** Calls `visit(target, action)` for each outgoing edge of `state`. */
  forEach(state: number, visit: (to: number, action: number) => void): void {
    const start = state === 0 ? 0 : (this.ends[state - 1] as number);
    const end = this.ends[state] as number;
    for (let e = start; e < end; e++) visit(this.targets[e] as number, this.labels[e] as number);
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
