/* eslint-disable @typescript-eslint/no-extraneous-class -- these mirror classes Azurite ships untyped */
// Azurite ships no type declarations; these cover the deep imports that local/azurite.ts uses.
declare module "azurite/dist/src/common/ServerBase" {
  export default class ServerBase {
    start(): Promise<void>;
    close(): Promise<void>;
    clean(): Promise<void>;
    getHttpServerAddress(): string;
  }
}
declare module "azurite/dist/src/blob/BlobServer" {
  import ServerBase from "azurite/dist/src/common/ServerBase";
  export default class BlobServer extends ServerBase {
    constructor(config: unknown);
  }
}
declare module "azurite/dist/src/queue/QueueServer" {
  import ServerBase from "azurite/dist/src/common/ServerBase";
  export default class QueueServer extends ServerBase {
    constructor(config: unknown);
  }
}
declare module "azurite/dist/src/table/TableServer" {
  import ServerBase from "azurite/dist/src/common/ServerBase";
  export default class TableServer extends ServerBase {
    constructor(config: unknown);
  }
}
declare module "azurite/dist/src/blob/BlobConfiguration" {
  export default class BlobConfiguration {
    constructor(...args: unknown[]);
  }
}
declare module "azurite/dist/src/queue/QueueConfiguration" {
  export default class QueueConfiguration {
    constructor(...args: unknown[]);
  }
}
declare module "azurite/dist/src/table/TableConfiguration" {
  export default class TableConfiguration {
    constructor(...args: unknown[]);
  }
}
