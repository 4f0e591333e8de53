// A role process: the baseline, a bare graphql-ws server (graphql-ws `useServer` over `ws`,
// graphql-redis-subscriptions' RedisPubSub on chat's channels). It authenticates sockets
// like the gateway (connection_init's Bearer access token, EdDSA) and answers `messageAdded`
// from the live payload alone. Deliberately not @pulse/platform's LivePubSub: the baseline is the
// plain library, whatever the platform's wrapper does.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { useServer } from "graphql-ws/use/ws";
import { importSPKI, jwtVerify } from "jose";
import { WebSocketServer, type WebSocket } from "ws";
import { Redis } from "ioredis";
import {
  messageAddedTopic,
  type LiveMessage,
} from "../../../subgraphs/chat/src/message/message-added.topic.ts";
import {
  buildBaselineSchema,
  type BaselineContext,
  type BaselineProfile,
} from "./baseline-schema.ts";
import { serveParent } from "./child-ipc.ts";
import { RedisPubSub } from "graphql-redis-subscriptions";
import { liveChannel } from "./redis-pubsub.ts";

const env = process.env;
const live = new RedisPubSub({
  publisher: new Redis(env.REDIS_URL!),
  subscriber: new Redis(env.REDIS_URL!),
});
const publicKey = await importSPKI(env.BENCH_JWT_PUBLIC_KEY!, "EdDSA");
const profiles = new Map(
  (JSON.parse(readFileSync(env.BENCH_PROFILES_FILE!, "utf8")) as [string, string][]).map(
    ([id, displayName]): [string, BaselineProfile] => [id, { displayName, photos: [] }],
  ),
);
const schema = buildBaselineSchema({
  profiles,
  // Subscribes at Redis on the iterator's first `next()`, as the library does.
  messagesOf: async (viewerId) =>
    live.asyncIterableIterator<LiveMessage>(
      liveChannel(env.REDIS_PREFIX!, messageAddedTopic(viewerId)),
    ),
});

const viewers = new WeakMap<WebSocket, string>();
const server = createServer((_request, response) => response.writeHead(404).end());
const sockets = new WebSocketServer({ server, path: "/graphql" });
const served = useServer(
  {
    schema,
    onConnect: async ({ connectionParams, extra }) => {
      const header = connectionParams?.authorization;
      const token = typeof header === "string" ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
      if (!token) return false;
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          issuer: "pulse-identity",
          audience: "pulse-api",
          algorithms: ["EdDSA"],
          typ: "at+jwt",
        });
        viewers.set(extra.socket, payload.sub!);
        return true;
      } catch {
        return false;
      }
    },
    context: ({ extra }): BaselineContext => ({ viewerId: viewers.get(extra.socket)! }),
  },
  sockets,
);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };
serveParent(`http://127.0.0.1:${port}`, async () => {
  await served.dispose();
  await new Promise((resolve) => server.close(resolve));
  await live.close();
});
