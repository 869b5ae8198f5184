/**
 * Runs `task(index)` once for each index of `costs`, taken in index order (one waiting for
 * room may start after a cheaper one taken later), at most `maxInFlight` at once and with the
 * costs of those in flight together within `allowance`.
 * A task whose cost alone is over the allowance still runs, alone: nothing waits forever.
 *
 * The first task to throw stops new ones from starting; those in flight finish (their
 * effects are done before the caller answers), and then its error is thrown.
 */
export async function runWithinCost(costs: readonly number[], allowance: number, maxInFlight: number, task: (index: number) => Promise<void>): Promise<void> {
  let costInFlight = 0;
  let wake: () => void = () => undefined;
  let released = new Promise<void>((resolve) => (wake = resolve));
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < costs.length; index = next++) {
      const cost = costs[index]!;
      while (costInFlight > 0 && costInFlight + cost > allowance) await released;
      if (stopped) return;
      costInFlight += cost;
      try {
        await task(index);
      } catch (error) {
        stopped = true;
        throw error;
      } finally {
        costInFlight -= cost;
        // Every waiting worker wakes and looks again whether its task fits.
        wake();
        released = new Promise<void>((resolve) => (wake = resolve));
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(maxInFlight, costs.length) }, worker));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed !== undefined) throw failed.reason;
}
