/**
 * Evidence from Z3: every invariant and `[]P` property of the lifecycle and ownership models, instantiated from the
 * set, is inductive (alone or with the model's own lemmas) and holds initially. This is a proof
 * per parameter instance that does not rest on the explicit-state checker's enumeration.
 */
import { toItf, traceTable } from "../../generators/index.js";
import type { Model } from "../../models/index.js";
import { inputHash } from "../check/inputHash.js";
import { ctiTrace } from "../induction/formatProof.js";
import { proveModel } from "../induction/proveModel.js";
import { version } from "../packageRoot.js";
import { moduleHash, toolHash } from "./codeDirs.js";
import type { ProducedItem } from "./evidenceItem.js";
import type { EvidenceProducer } from "./evidenceProducer.js";
import { contextModels } from "./modelEvidence.js";

/** The state predicates of a model the encoder proves: invariants and `[]P` properties. */
const statePredicates = (m: Model): string[] => [
  ...m.invariants.map((i) => i.name),
  ...m.properties.filter((p) => p.kind === "always").map((p) => p.name),
];

/** The models whose invariants the dossier proves inductive (ManagementVote's need lemmas not yet written). */
export const inductionModels = ["CellLifecycle", "ResourceOwnership", "VirtioMsi"];

export const inductionEvidence: EvidenceProducer = {
  name: "induction",
  stage: "inductive invariants (Z3)",
  jobs: (ctx) =>
    contextModels(ctx)
      .filter((r) => inductionModels.includes(r.name))
      .map((r) => ({
        key: r.name,
        params: Object.fromEntries(Object.entries(r.params)),
        inputs: {
          producer: moduleHash(import.meta.url),
          model: inputHash(r.model),
          source: toolHash("models"),
          prover: toolHash("proofs/induction"),
        },
        ids: statePredicates(r.model).map((n) => `induction:${r.name}.${n}`),
        run: async () => {
          const proof = await proveModel(r.model, { bmc: 0 });
          const each = proof.ms.induction / Math.max(proof.predicates.length, 1);
          return statePredicates(r.model).map((name): ProducedItem => {
            const p = proof.predicates.find((x) => x.name === name);
            const cti = p?.status === "notInductive" ? (p.ctiWithLemmas ?? p.ctiAlone) : undefined;
            const holds = p?.initial === true && p.status !== "notInductive";
            return {
              id: `induction:${r.name}.${name}`,
              title: `${r.name} ${name} inductive`,
              result: holds ? "pass" : "fail",
              detail: !p
                ? "not among the encoded predicates"
                : !p.initial
                  ? "an initial state violates it"
                  : p.status === "inductive"
                    ? "Init => Inv and TypeOK /\\ Inv /\\ Next => Inv' (Z3: unsat)"
                    : p.status === "inductiveWithLemmas"
                      ? `inductive with lemmas ${p.lemmas.join(", ")} (Z3: unsat)`
                      : "not inductive: counterexample to induction",
              tool: `warden ${version} induction (z3-solver)`,
              ms: each,
              metrics: { queries: p?.queries.length ?? 0, lemmas: p?.lemmas.length ?? 0 },
              ...(cti
                ? {
                    counterexample: {
                      text: traceTable(ctiTrace(proof.vars, cti)),
                      itf: toItf(ctiTrace(proof.vars, cti), {
                        source: `warden dossier, induction ${r.name}`,
                        property: name,
                      }),
                    },
                  }
                : {}),
            };
          });
        },
      })),
};
