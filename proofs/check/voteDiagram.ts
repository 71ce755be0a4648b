import { voteSequence } from "../../generators/index.js";
import { and, Ex, type Model, not } from "../../models/index.js";
import { checkModel } from "../explicit/index.js";

/**
 * The vote as a Mermaid sequence diagram, generated from a ManagementVote model: the shortest
 * behaviour in which a running cell is asked SHUTDOWN_REQUEST, approves, and the call returns 0.
 * Found by the checker as the counterexample to "no call ever returns after an approval".
 */
export function voteDiagram(model: Model): string {
  if (!["msg", "reply", "consent"].every((n) => model.variables.some((v) => v.name === n))) {
    throw new Error(`${model.name} is not a ManagementVote model`);
  }
  const is = (name: string, value: string) => new Ex<string>({ k: "var", name }).eq(value);
  const approvedAndReturned = and(is("pc", "idle"), is("result", "ok"), is("consent", "approved"));
  const witness = checkModel(
    {
      ...model,
      invariants: [{ name: "NoApprovedCall", doc: "witness search", p: not(approvedAndReturned).node }],
      properties: [],
    },
    { checkDeadlock: false },
  );
  if (witness.kind !== "violated") throw new Error(`${model.name}: no call is ever approved by a cell's reply`);
  return voteSequence(witness.trace);
}
