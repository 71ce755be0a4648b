/**
 * Values in the Informal Trace Format (ITF, the JSON trace format of Apalache and Quint):
 * integers as JSON numbers (`{"#bigint": "…"}` beyond 2^53), sets as `{"#set": […]}`, tuples as
 * `{"#tup": […]}`, functions as `{"#map": [[k, v], …]}`, records as objects, model values as strings.
 */
import { functionOf, recordOf, setOf, tupleOf, type Value } from "../../models/index.js";

export type ItfValue = boolean | number | string | { readonly [key: string]: ItfValue } | readonly ItfValue[];

export function toItfValue(v: Value): ItfValue {
  if (typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : { "#bigint": String(v) };
  switch (v.kind) {
    case "set":
      return { "#set": v.elems.map(toItfValue) };
    case "tuple":
      return { "#tup": v.elems.map(toItfValue) };
    case "record":
      return Object.fromEntries(v.names.map((n, i) => [n, toItfValue(v.values[i] as Value)]));
    case "function":
      return { "#map": v.domain.map((d, i) => [toItfValue(d), toItfValue(v.values[i] as Value)]) };
  }
}

/** The inverse of {@link toItfValue}; throws on JSON that is not an ITF value. */
export function fromItfValue(x: unknown): Value {
  if (typeof x === "boolean" || typeof x === "string") return x;
  if (typeof x === "number" && Number.isSafeInteger(x)) return x;
  if (Array.isArray(x)) return tupleOf(x.map(fromItfValue));
  if (typeof x === "object" && x !== null) {
    const o = x as Record<string, unknown>;
    if ("#bigint" in o) return Number(o["#bigint"]);
    if ("#set" in o) return setOf((o["#set"] as unknown[]).map(fromItfValue));
    if ("#tup" in o) return tupleOf((o["#tup"] as unknown[]).map(fromItfValue));
    if ("#map" in o)
      return functionOf((o["#map"] as [unknown, unknown][]).map(([k, v]) => [fromItfValue(k), fromItfValue(v)]));
    return recordOf(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fromItfValue(v)])));
  }
  throw new Error(`not an ITF value: ${JSON.stringify(x)}`);
}
