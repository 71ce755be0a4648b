import { defineModel, ite, lit, lt, type Model, minus, neq, plus, range } from "../kernel/index.js";

/**
 * The water-jug puzzle from "Die Hard 3": with a 3- and a 5-gallon jug, measure 4 gallons.
 * Checking the invariant "the big jug never holds the goal" yields the solution as a
 * counterexample. A classic validation model with well-known TLC counts.
 */
export function dieHard(
  params: {
    readonly small?: number | undefined;
    readonly big?: number | undefined;
    readonly goal?: number | undefined;
  } = {},
): Model {
  const small = params.small ?? 3;
  const big = params.big ?? 5;
  const goal = params.goal ?? 4;
  return defineModel<{ small: number; big: number }, { Small: number; Big: number; Goal: number }>({
    name: "DieHard",
    doc: "Two jugs, filled, emptied and poured into each other until one holds the goal amount.",
    header: "Models the jug contents as integers; pouring moves as much as fits. Leaves out nothing.",
    constants: {
      Small: { doc: "capacity of the small jug", value: small },
      Big: { doc: "capacity of the big jug", value: big },
      Goal: { doc: "the amount to measure", value: goal },
    },
    variables: ({ c }) => ({
      small: { doc: "gallons in the small jug", type: range(0, c.Small) },
      big: { doc: "gallons in the big jug", type: range(0, c.Big) },
    }),
    init: () => ({ small: lit(0), big: lit(0) }),
    actions: ({ v, c }) => {
      const roomInBig = minus(c.Big, v.big);
      const roomInSmall = minus(c.Small, v.small);
      return {
        FillSmall: { doc: "fill the small jug from the fountain", guard: lit(true), update: { small: c.Small } },
        FillBig: { doc: "fill the big jug from the fountain", guard: lit(true), update: { big: c.Big } },
        EmptySmall: { doc: "empty the small jug", guard: lit(true), update: { small: lit(0) } },
        EmptyBig: { doc: "empty the big jug", guard: lit(true), update: { big: lit(0) } },
        SmallToBig: {
          doc: "pour the small jug into the big one until one is empty or the other full",
          guard: lit(true),
          update: {
            small: ite(lt(roomInBig, v.small), minus(v.small, roomInBig), 0),
            big: ite(lt(roomInBig, v.small), c.Big, plus(v.big, v.small)),
          },
        },
        BigToSmall: {
          doc: "pour the big jug into the small one until one is empty or the other full",
          guard: lit(true),
          update: {
            small: ite(lt(roomInSmall, v.big), c.Small, plus(v.small, v.big)),
            big: ite(lt(roomInSmall, v.big), minus(v.big, roomInSmall), 0),
          },
        },
      };
    },
    invariants: ({ v, c }) => ({
      NotSolved: { doc: "the big jug does not hold the goal (violated: the puzzle's solution)", p: neq(v.big, c.Goal) },
    }),
    checkDeadlock: true,
  });
}
