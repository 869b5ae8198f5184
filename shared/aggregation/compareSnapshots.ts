/**
 * An RFC 3339 UTC instant as [whole seconds, fraction padded to 9 digits]: the schema allows
 * nanoseconds (.NET writes 7 digits), which a Date would cut to milliseconds.
 */
function instantOf(text: string): [number, string] {
  const match = /^(.*?)(?:\.(\d+))?Z$/i.exec(text);
  return [Date.parse(`${match?.[1] ?? text}Z`), (match?.[2] ?? "").padEnd(9, "0")];
}

/** Snapshot order: the later `collectedAt` wins, ties go to the greater docId (contract section 4). */
export function compareSnapshots(a: { collectedAt: string; docId: string }, b: { collectedAt: string; docId: string }): number {
  const [sa, fa] = instantOf(a.collectedAt);
  const [sb, fb] = instantOf(b.collectedAt);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (fa !== fb) return fa < fb ? -1 : 1;
  const da = a.docId.toLowerCase();
  const db = b.docId.toLowerCase();
  return da === db ? 0 : da < db ? -1 : 1;
}
