import assert from "node:assert/strict";
import { test } from "node:test";
import type { IsoWeek } from "../../../shared/isoWeek";
import { PublishRequester, publishTiming, type PublishRequestSender } from "../../../shared/publishing/publishRequester";

/** Records what would go on the queue; `fail` makes the next sends reject. */
class RecordingSender implements PublishRequestSender {
  readonly sent: [IsoWeek, number][] = [];
  fail = false;
  async send(week: IsoWeek, delaySeconds: number): Promise<void> {
    if (this.fail) throw new Error("queue down");
    this.sent.push([week, delaySeconds]);
  }
}

function setup(options: { debounceSeconds?: number; delaySeconds?: number } = {}) {
  let clock = 1_000_000;
  const sender = new RecordingSender();
  const requester = new PublishRequester(sender, { ...options, now: () => clock });
  return { sender, requester, advance: (seconds: number) => (clock += seconds * 1000) };
}

test("one request per week per debounce window, delayed; other weeks are their own", async () => {
  const { sender, requester, advance } = setup();
  await requester.weekChanging("2026-W10");
  await requester.weekChanging("2026-W10");
  await requester.weekChanging("2026-W11");
  advance(publishTiming.debounceSeconds - 1);
  await requester.weekChanging("2026-W10");
  assert.deepEqual(sender.sent, [["2026-W10", publishTiming.delaySeconds], ["2026-W11", publishTiming.delaySeconds]]);
  advance(1);
  await requester.weekChanging("2026-W10");
  assert.deepEqual(sender.sent.map(([week]) => week), ["2026-W10", "2026-W11", "2026-W10"]);
});

test("a failed send is not debounced: the caller sees the failure and the next change sends again", async () => {
  const { sender, requester } = setup();
  sender.fail = true;
  await assert.rejects(requester.weekChanging("2026-W10"), /queue down/);
  sender.fail = false;
  await requester.weekChanging("2026-W10");
  assert.deepEqual(sender.sent, [["2026-W10", publishTiming.delaySeconds]]);
});

test("callers during a send share it, and its failure", async () => {
  let release: (error?: Error) => void = () => undefined;
  const sends: IsoWeek[] = [];
  const requester = new PublishRequester({
    send: (week) => {
      sends.push(week);
      return new Promise<void>((resolve, reject) => (release = (error) => (error === undefined ? resolve() : reject(error))));
    },
  });
  const first = requester.weekChanging("2026-W10");
  const second = requester.weekChanging("2026-W10");
  release(new Error("queue down"));
  await assert.rejects(first, /queue down/);
  await assert.rejects(second, /queue down/);
  assert.deepEqual(sends, ["2026-W10"]);
});

test("text that is not a week is a TypeError, and nothing is sent", async () => {
  const { sender, requester } = setup();
  await assert.rejects(requester.weekChanging("2026-W60"), TypeError);
  await assert.rejects(requester.weekChanging("x' or true"), TypeError);
  assert.deepEqual(sender.sent, []);
});

test("old entries are dropped once a process has touched many weeks, and still debounce within the window", async () => {
  const { sender, requester, advance } = setup();
  for (let w = 1; w <= 52; w++) await requester.weekChanging(`2025-W${String(w).padStart(2, "0")}`);
  for (let w = 1; w <= 20; w++) await requester.weekChanging(`2024-W${String(w).padStart(2, "0")}`);
  advance(publishTiming.debounceSeconds);
  await requester.weekChanging("2026-W01");
  await requester.weekChanging("2026-W01");
  await requester.weekChanging("2025-W01");
  assert.equal(sender.sent.length, 52 + 20 + 1 + 1);
});
