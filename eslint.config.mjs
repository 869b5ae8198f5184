// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layer rule: which folders may not import which. Dependencies run one way:
 * functions/ -> shared/, and inside shared/ the domain above storage (storage implements the
 * ports the domain declares, so the domain never names it). Tools (bench/, scripts/, devkit/)
 * share what they need through devkit/ and product code, never through test/.
 */
const upward = { regex: "^(\\.\\./)+(functions|local|scripts|bench|devkit|test|web)(/|$)", message: "shared/ is below functions/, local/, scripts/, bench/, devkit/, test/ and web/: it may not import them." };
const intoStorage = { regex: "(^|/)storage(/|$)", message: "The domain declares its ports and storage implements them: the domain may not import shared/storage/." };
const intoTest = { regex: "^(\\.\\./)+test(/|$)", message: "Tools share code through product modules, never through test/." };
const intoTools = { regex: "^(\\.\\./)+(local|scripts|bench|devkit|test)(/|$)", message: "functions/ runs on the Functions host: it may not import local/, scripts/, bench/, devkit/ or test/." };

/** The domain: pure computation over plain values, below nothing but shared/'s own leaves. */
const domainFolders = ["aggregation", "publishing", "query", "validation"].map((folder) => `shared/${folder}/**/*.ts`);

/** @param {{ regex: string, message: string }[]} patterns */
const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export const layerRules = [
  { files: ["shared/**/*.ts"], rules: restrict([upward]) },
  { files: domainFolders, rules: restrict([upward, intoStorage]) },
  { files: ["bench/**/*.ts", "scripts/**/*.ts", "devkit/**/*.ts"], rules: restrict([intoTest]) },
  { files: ["functions/**/*.ts"], rules: restrict([intoTools]) },
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".data/", "coverage/", ".deploy/"] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Template literals with numbers are how this code writes messages.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-non-null-assertion": "off",
      // `for (...; !stopped; ...)` reads flags that a sibling worker flips.
      "@typescript-eslint/no-unnecessary-condition": ["error", { allowConstantLoopConditions: true }],
      // `() => resolve()` and `() => assert.throws(...)` read better than their braced forms.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
    },
  },
  ...layerRules,
  {
    files: ["**/*.mjs", "**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // node:test's `test()` returns a promise the runner awaits itself.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-floating-promises": "off",
      // Handlers and sources in tests are async to match the signatures they stand in for.
      "@typescript-eslint/require-await": "off",
    },
  },
);
