/**
 * The Functions host's entry point (package.json `main`) and its composition root: registers
 * every trigger of the shared list, each handler bound to the services built once from the
 * validated configuration. Registration lives here rather than at the bottom of each trigger
 * file so that the local runtime can import the triggers without registering them.
 */
import { app, type InvocationContext } from "@azure/functions";
import { readConfig } from "../shared/config";
import { createServices, type Services } from "../shared/services";
import { triggers } from "./triggers";

// Streaming lets readBody stop a gzip bomb or an oversized upload at the limit instead of
// having the host buffer the whole body first.
app.setup({ enableHttpStream: true });

let services: Services | undefined;

/**
 * The handler, bound on its first invocation rather than at load: a missing or invalid
 * setting then fails each invocation with its message, as before, instead of failing the
 * host's registration of every function, and loading the package stays as cheap as
 * registering.
 */
function bindOnFirstCall<A, R>(bind: (services: Services) => (argument: A, context: InvocationContext) => Promise<R>) {
  let handler: ((argument: A, context: InvocationContext) => Promise<R>) | undefined;
  return (argument: A, context: InvocationContext): Promise<R> => {
    services ??= createServices(readConfig());
    handler ??= bind(services);
    return handler(argument, context);
  };
}

for (const trigger of triggers) {
  if (trigger.kind === "http") {
    app.http(trigger.name, {
      route: trigger.route,
      methods: trigger.methods,
      authLevel: trigger.key === "none" ? "anonymous" : "function",
      handler: bindOnFirstCall(trigger.bind),
    });
  } else if (trigger.kind === "queue") {
    app.storageQueue(trigger.name, {
      queueName: trigger.queueName,
      connection: "AzureWebJobsStorage",
      handler: bindOnFirstCall(trigger.bind),
    });
  } else {
    app.timer(trigger.name, { schedule: trigger.schedule, handler: bindOnFirstCall(trigger.bind) });
  }
}
