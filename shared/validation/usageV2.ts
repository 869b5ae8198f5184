/**
 * GENERATED from schemas/usage.v2.schema.json by scripts/generateTypes.ts: DO NOT EDIT.
 * Change the schema, then run `npm run gen:types`; test/schemas/generatedTypes.test.ts fails while this file is stale.
 */

/**
 * The consent level the data was collected at; each level includes the ones below it: basic (1) < enhanced (2, the product's default) < full (3). features, coManagement, updates and osd need enhanced or full, compliance needs full: a document carrying more than its level is rejected and never kept.
 */
export type Level = "basic" | "enhanced" | "full";
/**
 * A site system role installed at a site.
 */
export type SiteRole =
  | "management-point"
  | "distribution-point"
  | "software-update-point"
  | "service-connection-point"
  | "reporting-services-point"
  | "cloud-management-gateway"
  | "state-migration-point"
  | "fallback-status-point"
  | "endpoint-protection-point";
/**
 * Compliance policies workload.
 */
export type WorkloadAuthority = "configmgr" | "pilot" | "intune";
/**
 * Device configuration workload.
 */
export type WorkloadAuthority1 = "configmgr" | "pilot" | "intune";
/**
 * Endpoint Protection workload.
 */
export type WorkloadAuthority2 = "configmgr" | "pilot" | "intune";
/**
 * Resource access policies workload.
 */
export type WorkloadAuthority3 = "configmgr" | "pilot" | "intune";
/**
 * Client apps workload.
 */
export type WorkloadAuthority4 = "configmgr" | "pilot" | "intune";
/**
 * Office Click-to-Run apps workload.
 */
export type WorkloadAuthority5 = "configmgr" | "pilot" | "intune";
/**
 * Windows Update policies workload.
 */
export type WorkloadAuthority6 = "configmgr" | "pilot" | "intune";

/**
 * What a Configuration Manager service connection point uploads once a week for one hierarchy, version 2 (contract section 3.2): version 1 with schemaVersion 2 and the optional setup, cloud, coManagement, updates and osd parts and clients.byWindowsBuild and clients.byArchitecture. POST it to /api/v1/submit/usage/2/{docId}. Every object rejects properties it does not declare, so nothing undeclared (and no personal data) can slip in. Beyond this schema the receiver checks consent (no features, coManagement, updates or osd at basic, no compliance below full; checked first, and such a document is never kept) and semantic rules: those of version 1 (clients.total equals the sum of clients.byOs, of clients.byClientBuild and of sites[].clientCount; at most one CAS; with a CAS 1..25 primaries, without one exactly one primary; siteHash values are unique; schemaVersion and docId equal the path's docVersion and docId; collectedAt is from 2015-01-01 on and at most one day ahead of the receiver's clock), and clients.byWindowsBuild and clients.byArchitecture, when present, each sum to clients.total; updates.scanErrors[].code values are unique.
 */
export interface UsageV2 {
  /**
   * Version of this document's schema; must equal the docVersion in the submission path.
   */
  schemaVersion: 2;
  /**
   * UUID the SCP generates once per document and reuses on every retry: the idempotency key. Must equal the docId in the submission path.
   */
  docId: string;
  /**
   * SHA-256 over the hierarchy GUID's bytes as .NET Guid.ToByteArray() lays them out, standard Base64 (44 characters, ending in '=').
   */
  hierarchyId: string;
  /**
   * When the weekly queries ran: an RFC 3339 date-time in UTC, ending in 'Z' (up to 9 fractional digits, so .NET's round-trip format fits). Not before 2015-01-01 and at most one day ahead of the receiver's clock (semantic rules). ISO weeks of this value group the data.
   */
  collectedAt: string;
  level: Level;
  /**
   * online: the SCP uploaded it itself; offline: prepared with the service connection tool and uploaded later, possibly with other weeks and hierarchies.
   */
  connectionMode: "online" | "offline";
  product: Product;
  /**
   * Every site of the hierarchy: at most one CAS; with a CAS 1..25 primaries, without one exactly one primary; secondaries as they come.
   *
   * @minItems 1
   * @maxItems 250
   */
  sites: Site[];
  database: Database;
  clients: Clients;
  setup?: Setup;
  cloud?: Cloud;
  features?: Features;
  compliance?: Compliance;
  coManagement?: CoManagement;
  updates?: Updates;
  osd?: Osd;
  collection: Collection;
}
/**
 * The Configuration Manager version the top-level site runs.
 */
export interface Product {
  /**
   * The version as YYMM, e.g. "2409".
   */
  version: string;
  /**
   * A Configuration Manager build number, 5.00.NNNN.NNNN.
   */
  build: string;
  /**
   * current branch, long-term servicing branch, or technical preview.
   */
  branch: "current" | "ltsb" | "technical-preview";
  /**
   * The date (YYYY-MM-DD) the hierarchy's Software Assurance expires, when one is recorded.
   */
  softwareAssuranceExpires?: string;
}
/**
 * One site of the hierarchy, identified only by a hash of its site code.
 */
export interface Site {
  /**
   * SHA-256 of the site code, hashed like hierarchyId; unique within the document.
   */
  siteHash: string;
  /**
   * cas: central administration site; primary; secondary.
   */
  type: "cas" | "primary" | "secondary";
  /**
   * A Configuration Manager build number, 5.00.NNNN.NNNN.
   */
  build: string;
  /**
   * Clients assigned to this site; the sum over all sites equals clients.total.
   */
  clientCount: number;
  /**
   * The site server's offset from UTC in minutes, -720 (UTC-12) to 840 (UTC+14).
   */
  utcOffsetMinutes: number;
  /**
   * The roles installed at the site, each at most once.
   *
   * @maxItems 9
   */
  roles: SiteRole[];
}
/**
 * The site database of the top-level site.
 */
export interface Database {
  /**
   * SQL Server version as four dot-separated numbers, e.g. "15.0.4153.1".
   */
  sqlVersion: string;
  sqlEdition: "enterprise" | "standard" | "express" | "developer" | "azure-sql-mi";
  /**
   * Database size in MB, 0 to 1,000,000,000,000.
   */
  sizeMb: number;
  /**
   * Whether the database is in an Always On availability group.
   */
  alwaysOn: boolean;
}
/**
 * Client counts. total equals the sum of byOs, the sum of byClientBuild and the sum of sites[].clientCount, and (when present) the sum of byWindowsBuild and the sum of byArchitecture.
 */
export interface Clients {
  /**
   * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
   */
  total: number;
  /**
   * Clients per client build (keys are builds, 5.00.NNNN.NNNN).
   */
  byClientBuild: {
    /**
     * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
     */
    [k: string]: number;
  };
  /**
   * Clients per operating system name (1..128 characters, any text).
   */
  byOs: {
    /**
     * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
     */
    [k: string]: number;
  };
  /**
   * Clients per Microsoft 365 Apps / Office version name (1..128 characters, any text).
   */
  byOfficeVersion?: {
    /**
     * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
     */
    [k: string]: number;
  };
  /**
   * Clients joined to Microsoft Entra ID.
   */
  entraJoined?: number;
  /**
   * Clients co-managed with Intune.
   */
  coManaged?: number;
  /**
   * Clients per Windows build (keys are builds, 10.0.NNNNN); when present, the sum equals clients.total.
   */
  byWindowsBuild?: {
    /**
     * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
     */
    [k: string]: number;
  };
  /**
   * Clients per processor architecture; when present, the sum equals clients.total.
   */
  byArchitecture?: {
    /**
     * Clients on x64.
     */
    x64?: number;
    /**
     * Clients on Arm64.
     */
    arm64?: number;
    /**
     * Clients on 32-bit x86.
     */
    x86?: number;
  };
}
/**
 * How the hierarchy was installed and which update pack it last took. Any level.
 */
export interface Setup {
  /**
   * new: a fresh installation; upgrade: from an earlier version; recovery: restored from a backup.
   */
  installType: "new" | "upgrade" | "recovery";
  /**
   * The server language packs installed, as ll-CC culture names (e.g. "de-DE"), each at most once.
   *
   * @maxItems 50
   */
  languagePacks: string[];
  lastUpdatePack?: UpdatePack;
}
/**
 * The last in-console update pack the hierarchy installed or tried to.
 */
export interface UpdatePack {
  /**
   * The update pack's version as YYMM, e.g. "2409".
   */
  version: string;
  /**
   * installed, failed, or still in progress when the weekly queries ran.
   */
  state: "installed" | "failed" | "in-progress";
  /**
   * The error the installation failed with, when it failed.
   */
  errorCode?: number;
}
/**
 * Cloud management gateways and tenant attach. Any level.
 */
export interface Cloud {
  /**
   * Cloud management gateways deployed.
   */
  cmgCount: number;
  /**
   * The Azure regions the gateways run in (e.g. "westeurope"), each at most once.
   *
   * @maxItems 60
   */
  cmgRegions: string[];
  /**
   * Whether the hierarchy is attached to a Microsoft Intune tenant.
   */
  tenantAttached: boolean;
}
/**
 * Feature usage, keyed by feature name (^[a-z][A-Za-z0-9]{0,63}$). Only at level enhanced or full.
 */
export interface Features {
  [k: string]: Feature;
}
/**
 * Whether a feature is enabled and, where the product counts them, how often it was used.
 */
export interface Feature {
  enabled: boolean;
  /**
   * Uses in the collection period; absent counts as 0.
   */
  uses?: number;
}
/**
 * Compliance summary. Only at level full.
 */
export interface Compliance {
  /**
   * A percentage, 0 to 100.
   */
  softwareUpdateCompliancePercent: number;
  /**
   * A percentage, 0 to 100.
   */
  scanSuccessPercent: number;
  endpointProtection?: EndpointProtection;
}
/**
 * Clients by Endpoint Protection state.
 */
export interface EndpointProtection {
  /**
   * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
   */
  protected: number;
  /**
   * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
   */
  atRisk: number;
  /**
   * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
   */
  unknown: number;
  /**
   * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
   */
  unsupported: number;
}
/**
 * Co-management workloads and who manages each. Only at level enhanced or full.
 */
export interface CoManagement {
  /**
   * The authority per workload, for the workloads the hierarchy reports.
   */
  workloads: {
    compliancePolicies?: WorkloadAuthority;
    deviceConfiguration?: WorkloadAuthority1;
    endpointProtection?: WorkloadAuthority2;
    resourceAccess?: WorkloadAuthority3;
    clientApps?: WorkloadAuthority4;
    officeClickToRun?: WorkloadAuthority5;
    windowsUpdatePolicies?: WorkloadAuthority6;
  };
}
/**
 * Software update deployment and scan errors. Only at level enhanced or full.
 */
export interface Updates {
  /**
   * Automatic deployment rules defined.
   */
  adrCount: number;
  /**
   * The most frequent update scan errors, each code at most once (semantic rule).
   *
   * @maxItems 10
   */
  scanErrors: ScanError[];
}
/**
 * One update scan error code and how many clients reported it.
 */
export interface ScanError {
  /**
   * The scan error code.
   */
  code: number;
  /**
   * Clients that reported it, at least 1.
   */
  count: number;
}
/**
 * Operating system deployment task sequences. Only at level enhanced or full.
 */
export interface Osd {
  /**
   * Task sequences defined.
   */
  taskSequences: number;
  /**
   * Task sequence steps per step type (keys ^[A-Za-z]{1,64}$, e.g. "ApplyOperatingSystem").
   */
  stepsByType: {
    /**
     * A whole number of things (clients, uses, errors), 0 to 1,000,000,000.
     */
    [k: string]: number;
  };
}
/**
 * How the weekly collection run went.
 */
export interface Collection {
  /**
   * How long the queries ran, in seconds (fractions allowed), at most 604,800.
   */
  runtimeSeconds: number;
  /**
   * Queries that failed during the run.
   */
  errors: number;
}
