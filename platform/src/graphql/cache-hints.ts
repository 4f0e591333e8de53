import { maybeCacheControlFromInfo } from "@apollo/cache-control-types";
import type { GraphQLResolveInfo } from "graphql";

/**
 * Declares the field being resolved the same for every viewer for `maxAgeSeconds`. Apollo Server
 * turns the hints of every field of a response into its `Cache-Control` header: `public` only
 * when each composite field (and the root) was declared so and none private, `no-store` as soon
 * as one was not. The gateway shares a `public` answer between the subscribers of an event.
 */
export function sameForEveryone(info: GraphQLResolveInfo, maxAgeSeconds: number): void {
  maybeCacheControlFromInfo(info)?.setCacheHint({ maxAge: maxAgeSeconds, scope: "PUBLIC" });
}
