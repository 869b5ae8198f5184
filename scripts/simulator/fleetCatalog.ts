/**
 * What a ConfigMgr fleet is made of, as the product and its documentation describe it: the
 * current-branch versions with their build numbers, the SQL Server versions a site database
 * runs on, OS and Office names as the fixtures write them, and the features the usage data
 * reports. Weights are shares in an invented but plausible fleet.
 */

/** A ConfigMgr version (YYMM) and its build: sites and clients report the build. */
export interface ProductRelease {
  version: string;
  build: string;
}

/** Current-branch releases, oldest first: a hierarchy only ever moves to a later one. */
export const currentBranch: readonly ProductRelease[] = Object.freeze([
  { version: "2203", build: "5.00.9078.1000" },
  { version: "2207", build: "5.00.9088.1000" },
  { version: "2211", build: "5.00.9096.1000" },
  { version: "2303", build: "5.00.9106.1000" },
  { version: "2309", build: "5.00.9122.1000" },
  { version: "2403", build: "5.00.9128.1000" },
  { version: "2409", build: "5.00.9132.1000" },
  { version: "2503", build: "5.00.9135.1000" },
]);

/** How likely a hierarchy starts on each current-branch release (same order): most are one or two behind. */
export const startingReleaseWeights: readonly number[] = Object.freeze([2, 3, 4, 7, 12, 22, 32, 18]);

/** The long-term servicing branch takes no in-console updates: its hierarchies stay where they are. */
export const longTermServicing: ProductRelease = Object.freeze({ version: "1606", build: "5.00.8412.1000" });

/** A SQL Server major version and the cumulative updates a site database walks through, oldest first. */
export interface SqlRelease {
  name: string;
  builds: readonly string[];
  weight: number;
}

/** SQL Server versions ConfigMgr current branch supports for the site database. */
export const sqlReleases: readonly SqlRelease[] = Object.freeze([
  { name: "SQL Server 2016 SP3", builds: ["13.0.6300.2", "13.0.6404.1", "13.0.6430.49"], weight: 10 },
  { name: "SQL Server 2017", builds: ["14.0.3421.10", "14.0.3436.1", "14.0.3456.2", "14.0.3465.1"], weight: 22 },
  { name: "SQL Server 2019", builds: ["15.0.4153.1", "15.0.4261.1", "15.0.4312.2", "15.0.4355.3", "15.0.4382.1"], weight: 46 },
  { name: "SQL Server 2022", builds: ["16.0.4003.1", "16.0.4095.4", "16.0.4135.4", "16.0.4165.4"], weight: 22 },
]);

/** Site database editions: ConfigMgr does not support Express for a primary or a CAS, so it never appears here. */
export const sqlEditionWeights: readonly (readonly ["enterprise" | "standard" | "developer" | "azure-sql-mi", number])[] = Object.freeze([
  ["standard", 52],
  ["enterprise", 40],
  ["azure-sql-mi", 5],
  ["developer", 3],
]);

/** OS names and how common each is at the start; `trend` multiplies its weight every week (Windows 11 gains on Windows 10). */
export const osNames: readonly { name: string; weight: number; trend: number }[] = Object.freeze([
  { name: "Windows 10 22H2", weight: 40, trend: 0.97 },
  { name: "Windows 11 23H2", weight: 22, trend: 0.99 },
  { name: "Windows 11 24H2", weight: 12, trend: 1.05 },
  { name: "Windows 11 22H2", weight: 6, trend: 0.95 },
  { name: "Windows 10 21H2", weight: 4, trend: 0.94 },
  { name: "Windows 10 Enterprise LTSC 2021", weight: 4, trend: 1 },
  { name: "Windows 10 Enterprise LTSC 2019", weight: 2, trend: 0.995 },
  { name: "Windows 11 Enterprise multi-session 24H2", weight: 2, trend: 1.03 },
  { name: "Windows Server 2022", weight: 4, trend: 1.005 },
  { name: "Windows Server 2019", weight: 3, trend: 0.998 },
  { name: "Windows Server 2016", weight: 2, trend: 0.99 },
  { name: "Windows Server 2025", weight: 0.5, trend: 1.06 },
  { name: "Windows Server 2012 R2", weight: 0.6, trend: 0.97 },
]);

/** Microsoft 365 Apps channels and perpetual Office versions. */
export const officeVersions: readonly (readonly [string, number])[] = Object.freeze([
  ["Microsoft 365 Apps Monthly Enterprise Channel", 30],
  ["Microsoft 365 Apps Semi-Annual Enterprise Channel", 28],
  ["Microsoft 365 Apps Current Channel", 18],
  ["Office LTSC 2021", 8],
  ["Office 2019", 7],
  ["Office 2016", 6],
  ["Office LTSC 2024", 3],
]);

/** A feature the usage data reports: how many hierarchies have it enabled, and whether the product counts its uses. */
export interface FeatureProfile {
  name: string;
  adoption: number;
  counted: boolean;
}

export const features: readonly FeatureProfile[] = Object.freeze([
  { name: "coManagement", adoption: 0.55, counted: true },
  { name: "tenantAttach", adoption: 0.5, counted: true },
  { name: "cloudManagementGateway", adoption: 0.45, counted: false },
  { name: "cmPivot", adoption: 0.4, counted: true },
  { name: "phasedDeployments", adoption: 0.3, counted: true },
  { name: "peerCache", adoption: 0.25, counted: true },
  { name: "endpointAnalytics", adoption: 0.3, counted: false },
  { name: "bitLockerManagement", adoption: 0.35, counted: false },
  { name: "enhancedHttp", adoption: 0.6, counted: false },
  { name: "runScripts", adoption: 0.35, counted: true },
  { name: "orchestrationGroups", adoption: 0.08, counted: true },
  { name: "taskSequenceDebugger", adoption: 0.12, counted: true },
  { name: "managementInsights", adoption: 0.2, counted: true },
  { name: "azureAdUserDiscovery", adoption: 0.4, counted: false },
  { name: "thirdPartyUpdates", adoption: 0.15, counted: true },
  { name: "deliveryOptimization", adoption: 0.45, counted: false },
  { name: "connectedCache", adoption: 0.1, counted: false },
  { name: "applicationGroups", adoption: 0.07, counted: true },
  { name: "approvalWorkflow", adoption: 0.1, counted: true },
  { name: "windowsUpdateForBusiness", adoption: 0.2, counted: false },
  { name: "softwareMetering", adoption: 0.3, counted: true },
  { name: "powerManagement", adoption: 0.15, counted: false },
  { name: "remoteControl", adoption: 0.5, counted: true },
  { name: "maintenanceWindows", adoption: 0.7, counted: false },
]);

/** Site server offsets from UTC in minutes, weighted by where ConfigMgr admins are. */
export const utcOffsets: readonly (readonly [number, number])[] = Object.freeze([
  [-480, 10], [-420, 5], [-360, 10], [-300, 18], [-180, 3], [0, 10], [60, 22], [120, 6], [180, 2], [330, 8], [480, 4], [540, 3], [600, 2],
]);

/**
 * The first release whose SCPs send usage version 2 (contract section 3.2: the 2409 levels
 * page lists what version 1 lacks). A hierarchy upgrading to it moves from v1 to v2.
 */
export const firstVersion2Release = "2409";

/** Windows builds of clients, weighted (10.0.NNNNN: Windows 10 22H2, 11 22H2/23H2/24H2, Server 2019/2022). */
export const windowsBuilds: readonly (readonly [string, number])[] = Object.freeze([
  ["10.0.19045", 30], ["10.0.22621", 10], ["10.0.22631", 25], ["10.0.26100", 20], ["10.0.17763", 8], ["10.0.20348", 7],
]);

/** Server language packs, weighted. */
export const languagePacks: readonly (readonly [string, number])[] = Object.freeze([
  ["de-DE", 10], ["fr-FR", 8], ["ja-JP", 6], ["es-ES", 5], ["pt-BR", 4], ["zh-CN", 4], ["it-IT", 3], ["nl-NL", 2],
]);

/** Azure regions cloud management gateways run in, weighted. */
export const cmgRegions: readonly (readonly [string, number])[] = Object.freeze([
  ["eastus", 10], ["westeurope", 10], ["northeurope", 6], ["westus2", 6], ["uksouth", 4], ["australiaeast", 3], ["japaneast", 3], ["centralindia", 2],
]);

/** The co-management workloads (contract section 3.2). */
export const coManagementWorkloads = Object.freeze([
  "compliancePolicies", "deviceConfiguration", "endpointProtection", "resourceAccess", "clientApps", "officeClickToRun", "windowsUpdatePolicies",
] as const);

/** Common Windows Update scan errors (WU_E_PT_WINHTTP_NAME_NOT_RESOLVED, WU_E_PT_HTTP_STATUS_NOT_FOUND, …) as signed HRESULTs. */
export const scanErrorCodes: readonly number[] = Object.freeze([-2145107924, -2145124329, -2145123272, -2147012889, -2145107940, -2147023436]);

/** Task sequence step types, weighted. */
export const stepTypes: readonly (readonly [string, number])[] = Object.freeze([
  ["ApplyOperatingSystem", 10], ["ApplyWindowsSettings", 10], ["InstallApplication", 8], ["RunCommandLine", 12], ["RunPowerShellScript", 9], ["SetupWindowsAndConfigMgr", 10], ["RestartComputer", 7],
]);
