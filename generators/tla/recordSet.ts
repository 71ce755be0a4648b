/**
 * Recognises a set of records written as nested set maps, `UNION {{[a |-> x, b |-> y] : y \in B} : x \in A}`,
 * so that it can be printed as TLA+'s record set `[a : A, b : B]`. TLC enumerates the first form
 * (every element, for every membership test) but tests membership in the second field by field.
 */
import type { Node } from "../../models/index.js";
import { freeBound } from "./freeBound.js";

/** A field and the set its values range over: a binder's set, or the singleton of a fixed value. */
export type RecordSetField = readonly [name: string, set: Node, singleton: boolean];

export function recordSet(node: Node): readonly RecordSetField[] | undefined {
  const binders: [string, Node][] = [];
  let at = node;
  for (;;) {
    if (at.k === "op" && at.op === "bigUnion" && at.args[0]?.k === "setMap" && at.args[0].body.k !== "record") {
      binders.push([at.args[0].name, at.args[0].set]);
      at = at.args[0].body;
    } else if (at.k === "setMap" && at.body.k === "record") {
      binders.push([at.name, at.set]);
      at = at.body;
      break;
    } else return undefined;
  }
  if (at.k !== "record") return undefined;
  const names = new Set(binders.map(([n]) => n));
  if (names.size !== binders.length) return undefined;
  // A binder's set may not depend on an outer binder: `[a : A, b : B]` has independent fields.
  if (binders.some(([, set]) => [...freeBound(set)].some((n) => names.has(n)))) return undefined;
  const used = new Set<string>();
  const fields: RecordSetField[] = [];
  for (const [field, value] of at.fields) {
    if (value.k === "bound" && names.has(value.name) && !used.has(value.name)) {
      used.add(value.name);
      fields.push([field, binders.find(([n]) => n === value.name)?.[1] as Node, false]);
    } else if ([...freeBound(value)].some((n) => names.has(n))) return undefined;
    else fields.push([field, value, true]);
  }
  // A binder no field uses would make an empty set empty the whole set: keep the general form.
  return used.size === names.size ? fields : undefined;
}
