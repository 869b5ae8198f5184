import { test } from "node:test";
import assert from "node:assert/strict";
import { loadValidatorModule } from "../../../shared/validation/compileSchemaValidator";
import { generateValidatorModule } from "../../../shared/validation/generateValidatorModule";

test("the quick validator's precompiled code checks dates with the quick formats, the exact ones with ajv-formats", () => {
  const { quick, exact, firstError } = loadValidatorModule(generateValidatorModule({ type: "string", format: "date-time" }));
  // RFC 3339, so ajv-formats accepts it; not the UTC subset that quickFormats.ts accepts.
  const withOffset = "2026-01-05T10:00:00+01:00";
  assert.equal(exact(withOffset), true);
  assert.equal(firstError(withOffset), true);
  assert.equal(quick(withOffset), false);
  assert.equal(quick("2026-01-05T10:00:00Z"), true);
});

test("a schema with a minLength above 1 gets no quick validator of its own", () => {
  const validators = loadValidatorModule(generateValidatorModule({ type: "string", minLength: 2 }));
  assert.equal(validators.quick, validators.firstError);
});

test("a schema that is not valid in Ajv's strict mode fails the build", () => {
  assert.throws(() => generateValidatorModule({ type: "string", maxLenght: 2 }), /unknown keyword: "maxLenght"/);
});
