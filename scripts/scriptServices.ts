import { readConfig, type Config } from "../shared/config";
import { createServices, type Services } from "../shared/services";

/**
 * Services for an operator's command-line script. Storage is what the environment names
 * (AzureWebJobsStorage, or AzureWebJobsStorage__accountName with `az login`); with neither,
 * the Azurite that `npm start` runs on its well-known ports.
 */
export function createScriptServices(): Services {
  const config: Config = readConfig();
  return createServices({
    ...config,
    storage: config.storage ?? { kind: "connectionString", connectionString: "UseDevelopmentStorage=true" },
  });
}
