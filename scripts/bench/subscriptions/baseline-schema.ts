// The baseline's schema: `messageAdded` with the contract's shape (so the contract's
// OnMessageAdded validates), every field resolved from the live payload, the sender's profile
// from an in-memory map. No database, no federation.
import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLNullableType,
} from "graphql";
import type { LiveMessage } from "../../../subgraphs/chat/src/message/message-added.topic.ts";

export interface BaselineProfile {
  displayName: string;
  photos: { url: string; isPrimary: boolean }[];
}

export interface BaselineContext {
  viewerId: string;
}

export interface BaselineDeps {
  profiles: ReadonlyMap<string, BaselineProfile>;
  /** The viewer's live messages (their `message-added` topic). */
  messagesOf: (viewerId: string) => Promise<AsyncIterableIterator<LiveMessage>>;
}

const nonNull = <T extends GraphQLNullableType>(type: T) => new GraphQLNonNull(type);

/** Keeps the items of `source` that `keep` accepts; ends (and ends `source`) on return. */
function filtered<T>(
  source: AsyncIterableIterator<T>,
  keep: (item: T) => boolean,
): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || keep(result.value)) return result;
      }
    },
    return: async () => (await source.return?.()) ?? { value: undefined, done: true },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

export function buildBaselineSchema(deps: BaselineDeps): GraphQLSchema {
  const photo = new GraphQLObjectType({
    name: "Photo",
    fields: { url: { type: nonNull(GraphQLString) }, isPrimary: { type: nonNull(GraphQLBoolean) } },
  });
  const profile = new GraphQLObjectType<BaselineProfile>({
    name: "Profile",
    fields: {
      displayName: { type: nonNull(GraphQLString) },
      photos: { type: nonNull(new GraphQLList(nonNull(photo))) },
    },
  });
  const user = new GraphQLObjectType<{ id: string }>({
    name: "User",
    fields: {
      id: { type: nonNull(GraphQLID) },
      profile: { type: profile, resolve: ({ id }) => deps.profiles.get(id) ?? null },
    },
  });
  const conversation = new GraphQLObjectType<{ id: string }>({
    name: "Conversation",
    fields: { id: { type: nonNull(GraphQLID) } },
  });
  const message = new GraphQLObjectType<LiveMessage>({
    name: "Message",
    fields: {
      id: { type: nonNull(GraphQLID) },
      clientMessageId: { type: nonNull(GraphQLID) },
      body: { type: nonNull(GraphQLString) },
      // Already an ISO string in the payload, as chat's DateTime serialises it.
      sentAt: { type: nonNull(GraphQLString) },
      readAt: { type: GraphQLString, resolve: () => null },
      sender: { type: nonNull(user), resolve: (m) => ({ id: m.senderId }) },
      conversation: { type: nonNull(conversation), resolve: (m) => ({ id: m.conversationId }) },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: "Query",
      fields: { ok: { type: GraphQLBoolean, resolve: () => true } },
    }),
    subscription: new GraphQLObjectType<unknown, BaselineContext>({
      name: "Subscription",
      fields: {
        messageAdded: {
          type: nonNull(message),
          args: { conversationId: { type: GraphQLID }, after: { type: GraphQLString } },
          subscribe: async (_root, args: { conversationId?: string | null }, ctx) =>
            filtered(
              await deps.messagesOf(ctx.viewerId),
              (m) => !args.conversationId || m.conversationId === args.conversationId,
            ),
          resolve: (payload: unknown) => payload as LiveMessage,
        },
      },
    }),
  });
}
