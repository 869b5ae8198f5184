import assert from "node:assert/strict";
import { test } from "node:test";
import { RateLimitedError } from "../../../shared/errors";
import { RateLimiter } from "../../../shared/ingestion/rateLimiter";

test("allows the limit within an hour, refuses the next with the seconds to wait, and frees up as the window slides", () => {
  let now = 1_000_000;
  const limiter = new RateLimiter(3, () => now);
  limiter.take("h");
  now += 10 * 60_000;
  limiter.take("h");
  limiter.take("h");
  now += 60_000;
  assert.throws(
    () => limiter.take("h"),
    (error: unknown) => error instanceof RateLimitedError && error.retryAfterSeconds === 49 * 60,
  );
  limiter.take("other"); // hierarchies do not share a budget
  now += 49 * 60_000 + 1; // the first submission leaves the window
  limiter.take("h");
  assert.throws(() => limiter.take("h"), RateLimitedError);
});

test("refused submissions do not count against the budget", () => {
  let now = 0;
  const limiter = new RateLimiter(1, () => now);
  limiter.take("h");
  for (let i = 0; i < 10; i++) assert.throws(() => limiter.take("h"), RateLimitedError);
  now += 3_600_001;
  limiter.take("h");
});
