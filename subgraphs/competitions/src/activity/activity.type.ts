import { Field, Int, ObjectType } from "type-graphql";
import { Standing } from "../leaderboard/leaderboard.type.ts";

@ObjectType("SyncActivityResult", { description: "What a sync did." })
export class SyncActivityResult {
  @Field(() => Int, { description: "Records stored: new ones and corrections of earlier ones." })
  accepted!: number;

  @Field(() => Int, { description: "Records already stored as they are: changed nothing." })
  duplicates!: number;

  @Field(() => [Standing], {
    description: "The viewer's standing in each competition the sync's records count toward.",
  })
  standings!: Standing[];
}
