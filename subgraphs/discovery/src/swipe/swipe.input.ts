import { Field, ID, InputType, registerEnumType } from "type-graphql";

/** What a swipe says about the person swiped. */
export const SwipeAction = { LIKE: "LIKE", PASS: "PASS", SUPER_LIKE: "SUPER_LIKE" } as const;
export type SwipeAction = (typeof SwipeAction)[keyof typeof SwipeAction];

registerEnumType(SwipeAction, {
  name: "SwipeAction",
  description: "What the viewer thinks of a person they were shown.",
  valuesConfig: {
    LIKE: { description: "Interested; a like back makes a match." },
    PASS: { description: "Not interested; the person is not shown again." },
    SUPER_LIKE: {
      description: "Very interested: a like the other person sees highlighted. Limited per day.",
    },
  },
});

/** Whether an action counts as liking (LIKE and SUPER_LIKE make matches). */
export function isLike(action: string | null | undefined): boolean {
  return action === SwipeAction.LIKE || action === SwipeAction.SUPER_LIKE;
}

@InputType("SwipeInput", { description: "Who the viewer swiped, and how." })
export class SwipeInput {
  @Field(() => ID, { description: "The person swiped." })
  targetUserId!: string;

  @Field(() => SwipeAction, { description: "Like, pass or super like." })
  action!: SwipeAction;
}
