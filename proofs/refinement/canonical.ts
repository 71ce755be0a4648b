/** JSON with sorted keys, so equal states compare equal as strings. */
export function canonical(x: unknown): string {
  return JSON.stringify(x, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
