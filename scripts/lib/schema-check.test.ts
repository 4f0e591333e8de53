import { describe, expect, it } from "vitest";
import { changePath, checkSchema } from "./schema-check.ts";

const released = /* GraphQL */ `
  type Query {
    me: User
    user(id: ID!): User
  }
  type User {
    id: ID!
    name: String!
  }
`;

const changelog = (unreleased: string, earlier = "- `User.email` removed.") =>
  `# Changelog\n\n## Unreleased\n\n${unreleased}\n\n## 1.0.0 (2026-11-01)\n\n${earlier}\n`;

const paths = (changes: Parameters<typeof changePath>[0][]) => changes.map(changePath);

describe("checkSchema", () => {
  it("catches a breaking change the changelog does not record", async () => {
    const current = released.replace("name: String!", "name: String");
    const check = await checkSchema(released, current, changelog("Nothing yet."));
    expect(paths(check.unrecorded)).toEqual(["User.name"]);
    expect(check.recorded).toEqual([]);
  });

  it("allows a breaking change named under Unreleased, and only there", async () => {
    const current = released.replace("user(id: ID!): User\n", "").replace("name: String!", "");
    const recorded = await checkSchema(
      released,
      current,
      changelog("- `Query.user` removed: use `node(id:)`.\n- `User.name` removed."),
    );
    expect(paths(recorded.recorded).sort()).toEqual(["Query.user", "User.name"]);
    expect(recorded.unrecorded).toEqual([]);

    // Named under an earlier release only: that was another change, so this one still fails.
    const older = await checkSchema(
      released,
      current,
      changelog("- `Query.user` removed.", "- `User.name` removed."),
    );
    expect(paths(older.unrecorded)).toEqual(["User.name"]);
  });

  it("passes additions, and reports dangerous ones apart", async () => {
    const current = released
      .replace("name: String!", "name: String!\n    bio: String")
      .replace("type Query {", "enum Role {\n  USER\n}\ntype Query {\n  roles: [Role!]!");
    const check = await checkSchema(released, current, changelog("Nothing yet."));
    expect(check.unrecorded).toEqual([]);
    expect(paths(check.safe).sort()).toEqual(["Query.roles", "Role", "Role.USER", "User.bio"]);

    const withValue = current.replace("  USER\n", "  USER\n  ADMIN\n");
    const dangerous = await checkSchema(current, withValue, changelog("Nothing yet."));
    expect(paths(dangerous.dangerous)).toEqual(["Role.ADMIN"]);
    expect(dangerous.unrecorded).toEqual([]);
  });
});
