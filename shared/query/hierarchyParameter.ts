import { fromHierarchyKey } from "../aggregation/hierarchyKey";
import { InvalidParameterError } from "../errors";

/** A hierarchy named in a URL: its table key and the id as SCPs send it. */
export interface HierarchyParameter {
  /** Base64url without padding, 43 characters: the URL segment and the table's PartitionKey. */
  hierarchyKey: string;
  /** Standard Base64 with `=`, as SCPs send it and as responses write it (contract section 4). */
  hierarchyId: string;
}

/**
 * The `{id}` path segment. Only the URL form is taken: the standard form's `/` cannot travel
 * in a path segment and its `+` would be read as a space by some clients, so accepting it
 * too would work for some ids and not others.
 */
export function readHierarchyParameter(id: string | undefined): HierarchyParameter {
  const hierarchyId = id === undefined ? undefined : fromHierarchyKey(id);
  if (id === undefined || hierarchyId === undefined) {
    throw new InvalidParameterError("id must be a hierarchy id in Base64url without padding (43 characters of A-Z a-z 0-9 - _)", "id");
  }
  return { hierarchyKey: id, hierarchyId };
}
