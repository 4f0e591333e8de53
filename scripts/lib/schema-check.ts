import { CriticalityLevel, diff, type Change } from "@graphql-inspector/core";
import { buildSchema } from "graphql";

/** The CHANGELOG.md section that lists the changes since the last release. */
const UNRELEASED_HEADING = /^## Unreleased\s*$/m;

export interface SchemaCheck {
  /** Breaking changes CHANGELOG.md's "Unreleased" section names: allowed. */
  recorded: Change[];
  /** Breaking changes it does not name: the check fails. */
  unrecorded: Change[];
  /** Changes that may break some clients (a new enum value, a changed default): reported. */
  dangerous: Change[];
  /** Everything else: additions, descriptions. */
  safe: Change[];
}

/**
 * Compares the released schema with the current one. A breaking change passes only if the
 * changelog's "## Unreleased" section names its path in backticks (`Query.user`,
 * `Query.user.id` for an argument); see CHANGELOG.md for the rule.
 */
export async function checkSchema(
  releasedSdl: string,
  currentSdl: string,
  changelog: string,
): Promise<SchemaCheck> {
  const changes = await diff(buildSchema(releasedSdl), buildSchema(currentSdl));
  const named = namedInUnreleased(changelog);
  const check: SchemaCheck = { recorded: [], unrecorded: [], dangerous: [], safe: [] };
  for (const change of changes) {
    const level = change.criticality.level;
    if (level === CriticalityLevel.Breaking) {
      (named.has(changePath(change)) ? check.recorded : check.unrecorded).push(change);
    } else if (level === CriticalityLevel.Dangerous) check.dangerous.push(change);
    else check.safe.push(change);
  }
  return check;
}

/** What a changelog entry names a change by: its schema path, or its type for a schema-wide one. */
export function changePath(change: Change): string {
  return change.path ?? change.type;
}

/** Every `code span` in the "## Unreleased" section, up to the next second-level heading. */
function namedInUnreleased(changelog: string): Set<string> {
  const start = UNRELEASED_HEADING.exec(changelog);
  if (!start) return new Set();
  const rest = changelog.slice(start.index + start[0].length);
  const end = rest.search(/^## /m);
  const section = end === -1 ? rest : rest.slice(0, end);
  return new Set([...section.matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
}
