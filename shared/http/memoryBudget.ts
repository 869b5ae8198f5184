import { MemoryBudgetExceededError } from "../errors";

/**
 * The request data one instance may hold at once (contract section 2: decoding and parsing
 * hold at most `limits.maxInFlightBytes`). One per process, in the services; each request
 * takes a `MemoryLease` from it, reserves what its body costs as reading, decoding and
 * parsing go, and releases it all when the request finishes.
 *
 * It counts reservations, not the heap: every reservation is an upper bound of what the
 * request keeps alive, so what requests keep alive stays within the budget as long as every
 * caller reserves before it allocates.
 */
export class MemoryBudget {
  private used = 0;
  private peak = 0;

  constructor(readonly capacityBytes: number) {
    if (!(capacityBytes > 0)) throw new RangeError(`a memory budget needs a positive capacity, got ${capacityBytes}`);
  }

  /** Bytes reserved by requests in flight. */
  get bytesInUse(): number {
    return this.used;
  }

  /** The most bytes reserved at once since the budget was made or `resetPeak` was called (bench h reports it). */
  get peakBytes(): number {
    return this.peak;
  }

  /** Starts the peak again from what is reserved now. */
  resetPeak(): void {
    this.peak = this.used;
  }

  /** A new request's share, empty until it reserves. */
  lease(): MemoryLease {
    return new MemoryLease(this);
  }

  /** Takes `bytes` when they fit, all or nothing. */
  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.capacityBytes) return false;
    this.used += bytes;
    this.peak = Math.max(this.peak, this.used);
    return true;
  }

  /** Gives back bytes taken; never below zero, whatever a caller gives back. */
  giveBack(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** One request's reservations on the instance's `MemoryBudget`. */
export class MemoryLease {
  private held = 0;

  constructor(private readonly budget: MemoryBudget) {}

  /** Bytes this request holds. */
  get heldBytes(): number {
    return this.held;
  }

  /**
   * Reserves `bytes` more for this request, or throws `MemoryBudgetExceededError` (503 with
   * `Retry-After`) and reserves nothing when the instance cannot take them now.
   */
  reserve(bytes: number): void {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`cannot reserve ${bytes} bytes`);
    const whole = Math.ceil(bytes);
    if (!this.budget.tryTake(whole)) {
      throw new MemoryBudgetExceededError("This instance is holding as much request data as it may; retry later");
    }
    this.held += whole;
  }

  /** Gives back part of what this request holds (a reservation made for a worst case that did not come). */
  giveBack(bytes: number): void {
    const part = Math.min(this.held, Math.max(0, Math.floor(bytes)));
    this.budget.giveBack(part);
    this.held -= part;
  }

  /** Gives back everything this request holds; safe to call more than once. Call it in a `finally`. */
  release(): void {
    this.budget.giveBack(this.held);
    this.held = 0;
  }
}
