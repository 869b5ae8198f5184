import { triggers as allTriggers } from "../functions/triggers";
import { bindTrigger, type HttpTrigger, type QueueTrigger, type TimerTrigger, type Trigger } from "../functions/triggerTypes";
import type { Config } from "../shared/config";
import { createServices, type Services } from "../shared/services";
import { ensureStorage } from "../shared/storage/ensureStorage";
import { redactKeys } from "../shared/telemetry/redactKeys";
import { stdoutLines } from "./bufferedLog";
import { HttpHost, type LocalLog } from "./httpHost";
import { QueueHost } from "./queueHost";
import { TimerHost } from "./timerHost";
import { readHostSettings, type HostSettings } from "./hostSettings";

export interface LocalRuntimeOptions {
  /** Must name its storage (a connection string). */
  config: Config;
  /** Defaults to `config.local.port`; 0 picks a free port. */
  port?: number;
  /** Where the runtime's own lines and the functions' logs go. */
  log?: LocalLog;
  /** Replaces the trigger list (tests run a subset); defaults to every trigger. */
  triggers?: readonly Trigger[];
  /** Overrides host.json's queue settings (tests shorten the back-off). */
  queueSettings?: Partial<HostSettings["queues"]>;
  /** Set false to serve HTTP only: no queue trigger polls, no timer trigger runs. */
  runQueueTriggers?: boolean;
  /**
   * Functions an operator disabled (`readDisabledFunctions`): as on the host, a disabled HTTP
   * function is not served (404) and a disabled queue trigger does not poll.
   */
  disabledFunctions?: ReadonlySet<string>;
}

/** The runtime's lines as `[level] message` on stdout. */
function toStdout(line: (text: string) => void): LocalLog {
  return (level, message) => line(`[${level}] ${message}`);
}

export interface LocalRuntime {
  url: string;
  services: Services;
  queueHost: QueueHost;
  close(): Promise<void>;
}

/**
 * The Functions host in miniature: creates the storage the code uses, then serves the same
 * trigger list over HTTP, drives its queue triggers and runs its timer triggers. `npm start`, the integration tests
 * and the benchmark all run the service through this.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const write: LocalLog = options.log ?? toStdout(stdoutLines());
  // Every line of the runtime and of the functions: a URL in an error message keeps no key.
  const log: LocalLog = (level, message) => write(level, redactKeys(message));
  // The local composition root, as functions/index.ts is the host's: every handler gets its
  // part of these services, so two runtimes in one process (the tests start several) never
  // answer from each other's storage.
  const services = createServices(options.config);
  await ensureStorage(services.clients);
  const settings = readHostSettings();
  const disabled = options.disabledFunctions ?? new Set<string>();
  for (const name of disabled) log("info", `function ${name} is disabled by its AzureWebJobs.${name}.Disabled setting`);
  const triggers = (options.triggers ?? allTriggers).filter((t) => !disabled.has(t.name));
  const http = new HttpHost({
    triggers: triggers.filter((t): t is HttpTrigger => t.kind === "http").map((t) => bindTrigger(t, services)),
    routePrefix: settings.routePrefix,
    keys: { ingest: options.config.local.ingestKey, query: options.config.local.queryKey },
    port: options.port ?? options.config.local.port,
    log,
  });
  const queueHost = new QueueHost({
    triggers: triggers.filter((t): t is QueueTrigger => t.kind === "queue").map((t) => bindTrigger(t, services)),
    queueService: services.clients.queueService,
    settings: { ...settings.queues, ...options.queueSettings },
    instances: options.config.local.instances,
    log,
  });
  const timerHost = new TimerHost({ triggers: triggers.filter((t): t is TimerTrigger => t.kind === "timer").map((t) => bindTrigger(t, services)), log });
  const url = await http.listen();
  if (options.runQueueTriggers !== false) {
    queueHost.start();
    timerHost.start();
  }
  return {
    url,
    services,
    queueHost,
    async close() {
      await Promise.all([http.close(), queueHost.stop(), timerHost.stop()]);
      await services.telemetry.shutdown();
    },
  };
}
