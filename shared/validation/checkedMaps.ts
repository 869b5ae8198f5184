/**
 * What the quick validator learnt of each map while checking it (quickMaps.ts), so that the
 * semantic rules after it need not list the same keys again: listing the keys of a map of
 * hundreds of keys costs about as much as checking them, and version 2's rules would list five
 * maps again (sums of byOs, byClientBuild and byWindowsBuild, the names of byOs and
 * byOfficeVersion).
 *
 * Recording is off unless a caller turns it on around one validation (`recordCheckedMaps`),
 * so the generated code's calls cost a branch elsewhere and no document outlives its
 * validation here. Validation is synchronous, so nothing else can run, let alone change a map,
 * between the record and its use.
 */

/** A map the quick validator accepted: its keys as listed, and the sum of its values when they are numbers. */
export interface CheckedMap {
  readonly keys: readonly string[];
  /** NaN when the values are not all numbers. */
  readonly sum: number;
}

/** The maps of one validation; look-up by identity. */
export interface CheckedMaps {
  find(map: object): CheckedMap | undefined;
}

class MapRecord implements CheckedMaps {
  private readonly maps: object[] = [];
  private readonly entries: CheckedMap[] = [];

  add(map: object, entry: CheckedMap): void {
    this.maps.push(map);
    this.entries.push(entry);
  }

  find(map: object): CheckedMap | undefined {
    // A document has a handful of maps: a scan beats hashing.
    const index = this.maps.indexOf(map);
    return index < 0 ? undefined : this.entries[index];
  }
}

let current: MapRecord | undefined;

/**
 * Called by the generated quick validator once it has accepted a whole map. `sum` is the sum
 * of the values, NaN when the values are not numbers.
 */
export function rememberCheckedMap(map: object, keys: readonly string[], sum: number): void {
  current?.add(map, { keys, sum });
}

/**
 * Runs `validate(value)` with recording on and returns its result and the maps recorded. Each
 * entry describes its map as it is now, whatever the verdict: only maps accepted whole are
 * recorded. (A function and its argument rather than a closure: this runs on every request.)
 */
export function recordCheckedMaps<A, R>(validate: (value: A) => R, value: A): { result: R; maps: CheckedMaps } {
  const record = new MapRecord();
  const outer = current;
  current = record;
  try {
    return { result: validate(value), maps: record };
  } finally {
    current = outer;
  }
}
