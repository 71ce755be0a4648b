import { Document, isPair, isScalar, isSeq, visit } from "yaml";
import { type ConfigDocument, documentToForm } from "./configDocument.js";

/** Lists printed on one line: flags, CPU sets, pins and masks read best as `[A, B]`. */
const flowKeys = new Set(["flags", "cpus", "pins", "bar_mask", "stream_ids"]);

/** YAML text of a document, block style except for short lists. */
export function configToYaml(doc: ConfigDocument): string {
  const yaml = new Document(documentToForm(doc));
  visit(yaml, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && flowKeys.has(String(pair.key.value)) && isSeq(pair.value)) {
        pair.value.flow = true;
      }
    },
  });
  return yaml.toString({ lineWidth: 120 });
}
