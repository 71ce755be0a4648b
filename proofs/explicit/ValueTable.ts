/**
 * Interns values to small integers, so a state is a vector of ints. Equal values get equal ids
 * because values are canonical and keyed by their canonical text.
 */
import type { Value } from "../../models/index.js";

export class ValueTable {
  private readonly ids = new Map<string, number>();
  private readonly keys = new WeakMap<object, string>();
  readonly values: Value[] = [];

  /** The id of `v`, allocating one on first sight. */
  intern(v: Value): number {
    const k = this.key(v);
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(v);
      this.ids.set(k, id);
    }
    return id;
  }

  private key(v: Value): string {
    if (typeof v === "boolean") return v ? "T" : "F";
    if (typeof v === "number") return `${v}`;
    if (typeof v === "string") return `'${v}`;
    const cached = this.keys.get(v);
    if (cached !== undefined) return cached;
    let k: string;
    switch (v.kind) {
      case "set":
        k = `{${v.elems.map((e) => this.key(e)).join(",")}}`;
        break;
      case "tuple":
        k = `<${v.elems.map((e) => this.key(e)).join(",")}>`;
        break;
      case "record":
        k = `[${v.names.map((n, i) => `${n}=${this.key(v.values[i] as Value)}`).join(",")}]`;
        break;
      case "function":
        k = `(${v.domain.map((d, i) => `${this.key(d)}:${this.key(v.values[i] as Value)}`).join(",")})`;
        break;
    }
    this.keys.set(v, k);
    return k;
  }
}
