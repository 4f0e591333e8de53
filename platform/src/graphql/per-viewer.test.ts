import "reflect-metadata";
import { parse } from "graphql";
import { Field, FieldResolver, ObjectType, Query, Resolver } from "type-graphql";
import { describe, expect, it } from "vitest";
import { buildFederatedSchema } from "./federation.ts";
import { PerViewer, selectsPerViewerField } from "./per-viewer.ts";

@ObjectType()
class Board {
  @Field(() => String)
  name!: string;
}

@Resolver(() => Board)
class BoardResolver {
  @Query(() => Board)
  board(): Board {
    return { name: "steps" };
  }

  @FieldResolver(() => Boolean)
  @PerViewer()
  isJoined(): boolean {
    return false;
  }
}

describe("selectsPerViewerField", () => {
  it("finds a field marked PerViewer anywhere in the document, fragments included", async () => {
    // Built as every subgraph's is: the mark survives the rebuild from SDL.
    const schema = await buildFederatedSchema({ resolvers: [BoardResolver], validate: false });
    const selects = (query: string) => selectsPerViewerField(schema, parse(query));
    expect(selects("{ board { name } }")).toBe(false);
    expect(selects("{ board { name isJoined } }")).toBe(true);
    expect(selects("{ board { ...F } } fragment F on Board { isJoined }")).toBe(true);
    expect(selects("{ board { ... on Board { name } } }")).toBe(false);
  });
});
