import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidParameterError } from "../../../shared/errors";
import { problemResponse, toProblem } from "../../../shared/http/problem";

test("InvalidParameterError is a 400 invalid-parameter problem pointing at the parameter", () => {
  assert.deepEqual(toProblem(new InvalidParameterError("week is required", "week")), {
    type: "/problems/invalid-parameter",
    title: "Invalid parameter",
    status: 400,
    detail: "week is required",
    errors: [{ path: "/week", message: "week is required" }],
  });
  assert.deepEqual(toProblem(new InvalidParameterError("from is after to")).errors, [{ path: "", message: "from is after to" }]);
  const response = problemResponse(new InvalidParameterError("bad", "id"));
  assert.equal(response.status, 400);
  assert.deepEqual(response.headers, { "Content-Type": "application/problem+json" }); // no Retry-After: retrying will not help
});
