import { requireViewer } from "@pulse/platform/server";
import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { DiscoveryContext } from "../context.ts";
import { DiscoverCandidate } from "./candidate.type.ts";

@Resolver(() => DiscoverCandidate)
export class CandidateResolver {
  @Query(() => [DiscoverCandidate], {
    description:
      "People who fit the viewer's preferences (age range, genders, distance) and whose preferences the viewer fits, best first. Never the viewer, people already swiped, blocked either way, or deleted. Empty until the viewer has a profile with a location. Requires signing in.",
  })
  discover(
    @Arg("first", () => Int, {
      nullable: true,
      description: "How many people to return: 20 by default, at most 50.",
    })
    first: number | null | undefined,
    @Ctx() ctx: DiscoveryContext,
  ): Promise<DiscoverCandidate[]> {
    return ctx.discover.discover(requireViewer(ctx), first);
  }
}
