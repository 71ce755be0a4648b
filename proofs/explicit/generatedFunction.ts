/**
 * Generated functions, built from their source once per thread. A source is a factory taking the
 * values it captures as `k0`, `k1`, … and returning the function, so it has no other free names
 * and one factory serves every check whose generated source is the same (the same model checked
 * again: the bench's rounds, `warden check` on several instances). Closures a factory returns
 * share V8's type feedback and optimized code, so a repeated check runs compiled code at once
 * instead of recompiling: on ManagementVote the compiler's threads spent about as much CPU time
 * per check as the search (`--trace-opt`), and every worker thread paid it again.
 */
const factories = new Map<string, (...captured: unknown[]) => unknown>();
/** Factories kept, oldest dropped first: a few models' worth. */
const KEPT = 256;

/** The function `source` returns, given `captured` as `k0`, `k1`, …. */
export function generatedFunction<F>(source: string, captured: readonly unknown[]): F {
  const names = captured.map((_, i) => `k${i}`);
  const key = `${names.length}\n${source}`;
  let factory = factories.get(key);
  if (factory) factories.delete(key);
  else factory = new Function(...names, source) as (...captured: unknown[]) => unknown;
  factories.set(key, factory);
  if (factories.size > KEPT) factories.delete(factories.keys().next().value as string);
  return factory(...captured) as F;
}

/** How many factories are kept (for tests of the bound). */
export function keptFactories(): number {
  return factories.size;
}
