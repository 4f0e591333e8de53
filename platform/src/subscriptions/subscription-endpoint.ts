import type { Server } from "node:http";
import {
  type GraphQLError,
  parse,
  validate,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type DocumentNode,
  type FormattedExecutionResult,
} from "graphql";
import { WebSocketServer } from "ws";
import type { ForwardedIdentity, ForwardedIdentityVerifier } from "../auth/forwarded-identity.ts";
import { boundedMemo } from "../data/memo.ts";
import { selectsPerViewerField } from "../graphql/per-viewer.ts";
import { toGraphQLError } from "../errors/format-error.ts";
import type { Logger } from "../logging/logger.ts";
import { serveGraphqlWs } from "./graphql-ws-server.ts";
import { StreamResume } from "./stream-resume.ts";
import { contextFrom, tracingStarted } from "../telemetry/tracing.ts";
import { subscribeTraced, type SubscriptionTrace } from "./traced-events.ts";
import { acceptGraphQLUpgrades } from "./websocket-upgrade.ts";
import {
  GATEWAY_CONNECTION_PARAM,
  RESUME_AFTER_EXTENSION,
  SHARED_STATE_EXTENSION,
  SUBSCRIBED_AT_EXTENSION,
  SUBSCRIBER_IDENTITY_EXTENSION,
} from "./upstream-protocol.ts";

const DOCUMENT_CACHE_SIZE = 1000;

type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface SubscriptionEndpointOptions<Context> {
  /** The HTTP server whose `/graphql` upgrades become graphql-ws sockets. */
  server: Server;
  schema: GraphQLSchema;
  /** Verifies the gateway's signature on sockets and on each subscription's subscriber. */
  identities: ForwardedIdentityVerifier;
  /**
   * Builds a subscription's context from the subscriber's identity, as for HTTP requests. The
   * endpoint adds `resume`, for the subscriptions whose stream can be resumed.
   */
  context: (identity: ForwardedIdentity) => Context;
  formatError: ErrorFormatter;
  logger: Logger;
}

export interface SubscriptionEndpoint {
  /** Closes every socket with 1001 (the gateway re-subscribes elsewhere) and stops accepting. */
  close(): Promise<void>;
}

/**
 * Serves a subgraph's subscriptions to the gateway over graphql-ws on `/graphql`. Only sockets the
 * gateway opened are accepted (4403 otherwise); each subscription runs with the identity the
 * gateway signed for its subscriber, so one bad subscription fails alone, not the shared socket.
 */
export function serveSubscriptions<Context>(
  options: SubscriptionEndpointOptions<Context>,
): SubscriptionEndpoint {
  const { schema, identities, formatError } = options;
  const sockets = new WebSocketServer({ noServer: true });
  acceptGraphQLUpgrades(options.server, sockets);
  const format = (error: GraphQLError) => formatError(error.toJSON(), error);
  // Every subscriber of one screen sends the same primary operation: parse and validate it once,
  // and find once whether its events are the same for everyone.
  const prepare = boundedMemo(DOCUMENT_CACHE_SIZE, (query: string) => {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return [toGraphQLError(error)];
    }
    const errors = validate(schema, document);
    if (errors.length > 0) return errors;
    return { document, shareable: !selectsPerViewerField(schema, document) };
  });
  // Only a tracing process replaces graphql-ws's own subscribe (see subscribeTraced).
  const traces = tracingStarted() ? new WeakMap<object, SubscriptionTrace>() : undefined;
  const served = serveGraphqlWs(
    {
      schema,
      ...(traces && {
        subscribe: (args) => subscribeTraced(args, traces.get(args.contextValue as object)!),
      }),
      onConnect: async ({ connectionParams }) => {
        try {
          await identities.verify(stringField(connectionParams, GATEWAY_CONNECTION_PARAM));
          return true;
        } catch {
          options.logger.warn("refused a subscription socket not opened by the gateway");
          return false;
        }
      },
      onSubscribe: async (_ctx, _id, payload) => {
        let identity: ForwardedIdentity;
        try {
          identity = await identities.verify(
            stringField(payload.extensions, SUBSCRIBER_IDENTITY_EXTENSION),
          );
        } catch (error) {
          return [toGraphQLError(error)];
        }
        const prepared = prepare(payload.query);
        if (!("document" in prepared)) return prepared;
        const contextValue = {
          ...options.context(identity),
          resume: new StreamResume(
            stringField(payload.extensions, RESUME_AFTER_EXTENSION),
            instantField(payload.extensions, SUBSCRIBED_AT_EXTENSION),
            prepared.shareable,
          ),
        };
        traces?.set(contextValue, {
          parent: contextFrom(payload.extensions),
          requestId: identity.requestId,
        });
        return {
          schema,
          document: prepared.document,
          variableValues: payload.variables ?? null,
          operationName: payload.operationName ?? null,
          contextValue,
        };
      },
      onNext: (_ctx, _id, _payload, args, result): FormattedExecutionResult | void => {
        const { resume } = args.contextValue as { resume: StreamResume };
        const position = resume.takePosition();
        const sharedState = resume.takeSharedState();
        if (!result.errors && position === undefined) return;
        return {
          ...result,
          ...(result.errors ? { errors: result.errors.map(format) } : {}),
          ...(position === undefined
            ? {}
            : {
                extensions: {
                  ...result.extensions,
                  [RESUME_AFTER_EXTENSION]: position,
                  ...(sharedState !== undefined && { [SHARED_STATE_EXTENSION]: sharedState }),
                },
              }),
        } as FormattedExecutionResult;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(format),
    },
    sockets,
  );
  return {
    async close() {
      await served.dispose();
    },
  };
}

function stringField(record: Record<string, unknown> | undefined | null, name: string) {
  const value = record?.[name];
  return typeof value === "string" ? value : undefined;
}

/** An ISO 8601 instant in `record[name]`; undefined when absent or not one. */
function instantField(record: Record<string, unknown> | undefined | null, name: string) {
  const text = stringField(record, name);
  const instant = text === undefined ? undefined : new Date(text);
  return instant && !Number.isNaN(instant.getTime()) ? instant : undefined;
}
