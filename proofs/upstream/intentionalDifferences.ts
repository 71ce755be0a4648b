/**
 * The one place that declares where Warden's TypeScript core departs from upstream on purpose
 * (README, "Deliberate differences from upstream"), so `warden diff-core` can tell them from
 * findings. Each entry says whether the comparison can see it and, if so, recognises it.
 */
import type { ObservedDivergence } from "./observation.js";

export interface IntentionalDifference {
  readonly name: string;
  readonly why: string;
  /** Whether a divergence is this difference showing. */
  readonly explains: (d: ObservedDivergence) => boolean;
}

export const INTENTIONAL_DIFFERENCES: readonly IntentionalDifference[] = [
  {
    name: "huge pages merged back",
    why: "a page table whose 512 entries form one contiguous run is merged back into a huge page (upstream keeps the split); diff-core compares translation maps, not page layout, so this never shows",
    explains: () => false,
  },
  {
    name: "destroy unmaps before giving back",
    why: "destroy unmaps all of a cell's regions before giving any back to root (upstream interleaves them: under page-pool pressure a give-back fails with only a warning and root loses that memory)",
    // Visible only as root's map after a destroy: upstream's root lacks memory the core's root has.
    explains: (d) => d.command.startsWith("destroy") && d.field === "map of root" && isSubsetOfRuns(d.upstream, d.core),
  },
];

/** Every translated page of `a` is translated the same in `b` (runs as diff-core prints them). */
function isSubsetOfRuns(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  const covers = (r: string) => {
    const [va, vb, phys, flags] = r.split(" ");
    return b.some((o: string) => {
      const [oa, ob, ophys, oflags] = o.split(" ");
      if (
        oflags !== flags ||
        BigInt(oa as string) > BigInt(va as string) ||
        BigInt(ob as string) < BigInt(vb as string)
      )
        return false;
      if (phys === "comm" || ophys === "comm") return phys === ophys;
      return BigInt(ophys as string) - BigInt(oa as string) === BigInt(phys as string) - BigInt(va as string);
    });
  };
  return (a as string[]).every(covers);
}
