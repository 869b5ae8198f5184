import assert from "node:assert/strict";
import { test } from "node:test";
import { RateLimitedError } from "../../../shared/errors";
import { RateLimiter } from "../../../shared/ingestion/rateLimiter";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

test("allows the limit within an hour, refuses the next with the seconds to wait, and frees up as the window slides", () => {
  let now = 1_000_000;
  const limiter = new RateLimiter(3, { now: () => now });
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
  const limiter = new RateLimiter(1, { now: () => now });
  limiter.take("h");
  for (let i = 0; i < 10; i++) assert.throws(() => limiter.take("h"), RateLimitedError);
  now += 3_600_001;
  limiter.take("h");
});

test("the number of hierarchies it remembers stays bounded under very many keys", () => {
  let now = 0;
  const limiter = new RateLimiter(5, { now: () => now, maxHierarchies: 100 });
  for (let i = 0; i < 20_000; i++) {
    limiter.take(`hierarchy ${i}`);
    now += 10; // 20,000 keys in 200 s: all of them still inside the hour
    assert.ok(limiter.footprint().hierarchies <= 100, `${limiter.footprint().hierarchies} hierarchies after ${i + 1} keys`);
  }
  assert.equal(limiter.footprint().hierarchies, 100);
});

test("at the bound the hierarchy idle the longest is forgotten; one that keeps submitting keeps its count", () => {
  let now = 0;
  const limiter = new RateLimiter(2, { now: () => now, maxHierarchies: 10 });
  limiter.take("idle");
  limiter.take("loop");
  limiter.take("loop");
  for (let i = 0; i < 1_000; i++) {
    now += 1_000;
    limiter.take(`flood ${i}`);
    // A runaway SCP retrying all along: refused every time, and never forgotten.
    assert.throws(() => limiter.take("loop"), RateLimitedError, `the looping hierarchy got through after ${i + 1} flood keys`);
  }
  limiter.take("idle"); // forgotten long ago: a fresh budget of 2
  limiter.take("idle");
  assert.throws(() => limiter.take("idle"), RateLimitedError);
});

test("the memory per hierarchy stays bounded whatever the limit, and the window never lets more through than the limit", () => {
  let now = 0;
  const limit = 100_000;
  const limiter = new RateLimiter(limit, { now: () => now });
  let taken = 0;
  // One submission every 36 ms for an hour: 100,000 in all, every one within the limit.
  for (let i = 0; i < limit; i++) {
    limiter.take("busy");
    taken += 1;
    now += 36;
  }
  assert.equal(taken, limit);
  assert.ok(limiter.footprint().slots <= 61, `${limiter.footprint().slots} slots for one hierarchy`);
  // Still inside the hour of the first ones: refused, and told to wait at most a minute.
  assert.throws(
    () => limiter.take("busy"),
    (error: unknown) => error instanceof RateLimitedError && error.retryAfterSeconds >= 1 && error.retryAfterSeconds <= 60,
  );
});

test("idle hierarchies are dropped once their hour is over", () => {
  let now = 0;
  const limiter = new RateLimiter(3, { now: () => now });
  for (let i = 0; i < 50; i++) limiter.take(`h${i}`);
  assert.equal(limiter.footprint().hierarchies, 50);
  now += HOUR + 1;
  limiter.take("fresh");
  assert.deepEqual(limiter.footprint(), { hierarchies: 1, slots: 1 });
});

test("invalid documents share one budget of their own, apart from every hierarchy's", () => {
  let now = 0;
  const limiter = new RateLimiter(1, { now: () => now, invalidPerHour: 3 });
  assert.deepEqual([limiter.tryTakeInvalid(), limiter.tryTakeInvalid(), limiter.tryTakeInvalid()], [true, true, true]);
  assert.equal(limiter.tryTakeInvalid(), false);
  assert.equal(limiter.tryTakeInvalid(), false, "a refusal does not count either");
  limiter.take("h"); // a hierarchy's budget is untouched by invalid documents
  now += HOUR + 1;
  assert.equal(limiter.tryTakeInvalid(), true);
});
