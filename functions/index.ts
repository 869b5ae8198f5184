/**
 * The Functions host's entry point (package.json `main`): registers every trigger of the
 * shared list. Registration lives here rather than at the bottom of each trigger file so
 * that the local runtime can import the triggers without registering them.
 */
import { app } from "@azure/functions";
import { triggers } from "./triggers";

// Streaming lets readBody stop a gzip bomb or an oversized upload at the limit instead of
// having the host buffer the whole body first.
app.setup({ enableHttpStream: true });

for (const trigger of triggers) {
  if (trigger.kind === "http") {
    app.http(trigger.name, {
      route: trigger.route,
      methods: trigger.methods,
      authLevel: trigger.key === "none" ? "anonymous" : "function",
      handler: trigger.handler,
    });
  } else if (trigger.kind === "queue") {
    app.storageQueue(trigger.name, {
      queueName: trigger.queueName,
      connection: "AzureWebJobsStorage",
      handler: trigger.handler,
    });
  } else {
    app.timer(trigger.name, { schedule: trigger.schedule, handler: trigger.handler });
  }
}
