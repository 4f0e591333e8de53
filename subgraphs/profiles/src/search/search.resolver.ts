import { requireViewer } from "@pulse/platform/server";
import { AfterCursorArg, PageSizeArg } from "@pulse/platform/subgraph";
import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { ProfilesContext } from "../context.ts";
import { User } from "../user/user.type.ts";
import { UserSearchConnection } from "./search.type.ts";

@Resolver()
export class SearchResolver {
  @Query(() => [User], {
    description:
      "People whose username starts with `query`, case-insensitively, ordered by username. Leaves out the viewer and anyone blocked either way. Requires signing in.",
  })
  async searchUsers(
    @Arg("query", () => String, { description: "The start of a username, in any case." })
    query: string,
    @Arg("first", () => Int, {
      nullable: true,
      description: "How many people to return: 20 by default, at most 100.",
    })
    first: number | null,
    @Arg("after", () => String, {
      nullable: true,
      description: "Continue after this username (the last one of the previous page).",
    })
    after: string | null,
    @Ctx() ctx: ProfilesContext,
  ): Promise<{ id: string }[]> {
    const viewer = requireViewer(ctx);
    await ctx.limits.consume("search-users:person", viewer.id);
    const found = await ctx.search.byUsernamePrefix(viewer, query, first, after);
    return found.map((profile) => ({ id: profile.userId }));
  }

  @Query(() => UserSearchConnection, {
    description:
      "`searchUsers` as a Relay connection: people whose username starts with `query`, case-insensitively, ordered by username. Leaves out the viewer and anyone blocked either way. Requires signing in.",
  })
  async searchUsersConnection(
    @Arg("query", () => String, { description: "The start of a username, in any case." })
    query: string,
    @PageSizeArg() first: number | null,
    @AfterCursorArg("Cursor of the last person of the previous page (`pageInfo.endCursor`).")
    after: string | null,
    @Ctx() ctx: ProfilesContext,
  ): Promise<UserSearchConnection> {
    const viewer = requireViewer(ctx);
    await ctx.limits.consume("search-users:person", viewer.id);
    const page = await ctx.search.pageByUsernamePrefix(viewer, query, first, after);
    return {
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: { id: node.userId } })),
      pageInfo: page.pageInfo,
    };
  }
}
