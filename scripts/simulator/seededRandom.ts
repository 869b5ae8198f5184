/**
 * The simulator's randomness: a seeded generator (sfc32) whose streams are derived from the
 * seed and a label by SHA-256, so that a hierarchy's documents depend only on the seed and
 * its own index, never on how many hierarchies come before it or in which order they run.
 */
import { createHash } from "node:crypto";

/** A source of numbers in [0, 1), with the draws the fleet needs. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in min..max inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One item, each as likely as its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** A version 4 UUID made of this stream's bits (lower case). */
  uuid(): string;
  /** A Pareto draw: `minimum` or more, heavy-tailed with exponent `alpha`, at most `cap`. */
  pareto(minimum: number, alpha: number, cap: number): number;
  /** `items` shuffled (a copy). */
  shuffle<T>(items: readonly T[]): T[];
}

/** The stream for `label` under `seed`: the same pair always gives the same numbers. */
export function seededRandom(seed: string | number, label: string): Random {
  const digest = createHash("sha256").update(`${String(seed)}\u0000${label}`).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  const u32 = (): number => {
    // sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): passes PractRand, four words of state.
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = () => u32() / 4294967296;
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    weighted<T>(items: readonly (readonly [T, number])[]): T {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let pick = next() * total;
      for (const [item, weight] of items) {
        pick -= weight;
        if (pick < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    uuid() {
      const bytes = Buffer.alloc(16);
      for (let i = 0; i < 16; i += 4) bytes.writeUInt32LE(u32(), i);
      bytes[6] = (bytes[6]! & 0x0f) | 0x40;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      const hex = bytes.toString("hex");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
    pareto: (minimum, alpha, cap) => Math.min(cap, Math.floor(minimum / Math.pow(1 - next(), 1 / alpha))),
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
  };
  return random;
}
