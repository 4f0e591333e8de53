import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import {
  apolloRequestHandler,
  closeServer,
  createErrorFormatter,
  logInternalErrors,
  createMetrics,
  createRedis,
  createMetricsServer,
  createServiceServer,
  FORWARDED_IDENTITY_HEADER,
  SessionRevocations,
  listen,
  REQUEST_ID_HEADER,
  type Logger,
} from "@pulse/platform/server";
import type { Server } from "node:http";
import { AccessTokenVerifier } from "./access-tokens.ts";
import type { GatewayConfig } from "./config.ts";
import { createGatewayContext, type GatewayContext } from "./context.ts";
import { withCors } from "./cors.ts";
import { Explorers } from "./explorer/explorer-pages.ts";
import { securityHeaders } from "./security-headers.ts";
import { operationLimitsPlugin } from "./limits/limits-plugin.ts";
import { limitRules, OPERATION_LIMITS } from "./limits/operation-limits.ts";
import { TrustedDocuments } from "./limits/trusted-documents.ts";
import { createSubgraphFetcher } from "./subgraph-fetcher.ts";
import { countEntityFetches, SharedFetches } from "./subscriptions/shared-fetches.ts";
import { SocketQuota } from "./subscriptions/socket-quota.ts";
import { SubscriptionServer } from "./subscriptions/subscription-server.ts";
import { RevocationStatus } from "./revocation-status.ts";
import { PASSED_THROUGH_ROUTES, passThrough, subgraphBaseUrls } from "./webhook-passthrough.ts";
import { supergraphFromFile } from "./supergraph-file.ts";

/** Sessions whose signed-out status is remembered, at most. */
const REMEMBERED_SESSIONS = 10_000;
/** How long that status is remembered at most, should an announcement be lost unnoticed. */
const SESSION_STATUS_TTL_MS = 60_000;

/** Forwards the request id and the signed identity with every subgraph fetch. */
export class TrustedSubgraph extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({
    request,
    context,
  }: Parameters<RemoteGraphQLDataSource<GatewayContext>["willSendRequest"] & {}>[0]) {
    if (!context?.forwardedIdentity) return;
    request.http?.headers.set(FORWARDED_IDENTITY_HEADER, context.forwardedIdentity);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}

export interface Gateway {
  server: Server;
  /** Loads the supergraph and starts serving on `port` (0 for any); resolves to the base URL. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** Creates the gateway without side effects; `listen` loads the supergraph and serves. */
export function createGateway(config: GatewayConfig, logger: Logger): Gateway {
  const development = config.NODE_ENV !== "production";
  const metrics = createMetrics("gateway");
  const subgraphUrl = (name: string, url: string) => config.subgraphUrls[name] ?? url;
  // undici's request API on keep-alive connections: Apollo's default (make-fetch-happen) builds
  // an Error stack per request, and Node's global fetch spends ~0.7 ms of CPU on its WHATWG parts.
  const subgraphFetcher = createSubgraphFetcher();
  const buildService = (name: string, url: string) =>
    new TrustedSubgraph({ url: subgraphUrl(name, url), fetcher: subgraphFetcher.fetch });
  const sharedFetches = new SharedFetches({
    maxAnswers: config.SUBSCRIPTION_SHARED_ANSWERS,
    onFetch: countEntityFetches(metrics.registry),
  });
  // Read by @apollo/gateway's constructor: off unless asked for, since it phones home and probes
  // cloud metadata addresses at start-up.
  // eslint-disable-next-line no-restricted-syntax -- a switch the library reads, not our config
  if (!config.APOLLO_TELEMETRY) process.env.APOLLO_TELEMETRY_DISABLED = "true";
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile(config.SUPERGRAPH_PATH, logger, config.SUPERGRAPH_WATCH),
    buildService: ({ name, url }) => sharedFetches.offering(name, buildService(name, url ?? "")),
    logger,
  });
  const trustedDocuments = new TrustedDocuments(
    config.TRUSTED_DOCUMENTS,
    config.TRUSTED_DOCUMENTS_PATH,
    logger,
  );
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: development,
    // "Did you mean …?" suggestions describe the schema to whoever probes it.
    hideSchemaDetailsFromClientErrors: !development,
    formatError: createErrorFormatter(),
    includeStacktraceInErrorResponses: false,
    // Shutdown is ordered by runUntilSignal; Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    // The same limits as every graphql-ws `subscribe` (SupergraphPlans and SubscriptionServer).
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    validationRules: limitRules(OPERATION_LIMITS),
    // CSRF prevention guards cookie sessions; access tokens travel in the Authorization header,
    // which a cross-site form or image cannot set. Off, so plain GET queries work (contract).
    csrfPrevention: false,
    plugins: [
      metrics.plugin,
      operationLimitsPlugin(OPERATION_LIMITS, trustedDocuments),
      logInternalErrors(logger),
      // Development serves its explorers itself (explorer/), production none.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  // Bounded, since every signed-in request asks it whether the session was signed out.
  const redis = createRedis(config.REDIS_URL, "gateway", logger, { commandTimeout: 500 });
  let started = false;
  const revocations = new SessionRevocations(redis, config.REDIS_PREFIX);
  // Subscriber mode takes a connection of its own, which waits for Redis however long it is down
  // (ioredis subscribes again after reconnecting).
  const revocationSubscriber = createRedis(config.REDIS_URL, "gateway-revocations", logger, {
    maxRetriesPerRequest: null,
    subscriber: true,
  });
  // Every signed-in request asks; the answers are kept while the announcements are heard.
  const revocationStatus = new RevocationStatus(revocations, {
    redis,
    subscriber: revocationSubscriber,
    redisPrefix: config.REDIS_PREFIX,
    maxEntries: REMEMBERED_SESSIONS,
    ttlMs: SESSION_STATUS_TTL_MS,
    logger,
  });
  const verifier = new AccessTokenVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    revocations: revocationStatus,
    logger,
  });
  // Subgraph base URLs from the loaded supergraph, for the routes passed through to them.
  let supergraphUrls: Record<string, string> = {};
  const baseUrlOf = (name: string) => {
    const override = config.subgraphUrls[name];
    return override ? new URL(override).origin : supergraphUrls[name];
  };
  const explorers = development
    ? new Explorers({ trustedDocumentsPath: config.TRUSTED_DOCUMENTS_PATH })
    : undefined;
  const api = withCors(
    config.CORS_ORIGINS,
    apolloRequestHandler(
      apollo,
      createGatewayContext({
        verifier,
        gatewaySecret: config.GATEWAY_SECRET,
        trustProxy: config.TRUST_PROXY,
      }),
      logger,
    ),
  );
  const server = createServiceServer({
    logger,
    metrics,
    headers: securityHeaders(development),
    metricsRoute: config.METRICS_PORT === undefined,
    routes: {
      ...Object.fromEntries(
        Object.entries(PASSED_THROUGH_ROUTES).map(([path, subgraph]) => [
          path,
          passThrough(path, subgraph, baseUrlOf, logger),
        ]),
      ),
      ...explorers?.routes(),
    },
    graphql: explorers ? explorers.graphql(api) : api,
    readiness: [
      {
        name: "supergraph",
        check: async () => {
          if (!started) throw new Error("supergraph not loaded");
        },
      },
      { name: "redis", check: () => redis.ping() },
    ],
  });
  const metricsServer =
    config.METRICS_PORT === undefined ? undefined : createMetricsServer(metrics);
  const socketQuota = new SocketQuota({
    redis,
    redisPrefix: config.REDIS_PREFIX,
    limit: config.SOCKETS_PER_PERSON,
    logger,
  });
  const subscriptions = new SubscriptionServer({
    server,
    verifier,
    gatewaySecret: config.GATEWAY_SECRET,
    trustProxy: config.TRUST_PROXY,
    subgraphUrl,
    buildService,
    sharedFetches,
    trustedDocuments,
    limits: {
      subscriptionsPerSocket: config.SUBSCRIPTIONS_PER_SOCKET,
      pendingEventsPerSubscription: config.SUBSCRIPTION_PENDING_EVENTS,
    },
    socketQuota,
    keepAliveMs: config.SUBSCRIPTION_KEEPALIVE_MS,
    formatError: createErrorFormatter({ logger }),
    logger,
    registry: metrics.registry,
  });
  // Also on the first load; a reload keeps the subscriptions its plans still allow.
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    supergraphUrls = subgraphBaseUrls(coreSupergraphSdl);
    subscriptions.updateSupergraph(coreSupergraphSdl);
  });
  return {
    server,
    async listen(port, host) {
      // Sockets of a session signed out elsewhere end at once, not when their token expires.
      // Not awaited: like the revocation check itself, this must not keep the gateway down
      // while Redis is.
      revocations
        .listen(revocationSubscriber, (sessionIds) => subscriptions.endSessions(sessionIds))
        .catch((error: unknown) =>
          logger.warn({ err: error }, "not listening for signed-out sessions"),
        );
      await apollo.start();
      started = true;
      const url = await listen(server, port, host);
      if (metricsServer) {
        const metricsUrl = await listen(metricsServer, config.METRICS_PORT!, host);
        logger.info({ url: `${metricsUrl}/metrics` }, "metrics listening");
      }
      logger.info({ url: `${url}/graphql` }, "gateway listening");
      return url;
    },
    async close() {
      // First, so that the sockets' places are free on the other gateways they reconnect to.
      await socketQuota.close();
      await subscriptions.close();
      await closeServer(server);
      if (metricsServer?.listening) await closeServer(metricsServer);
      await apollo.stop();
      await subgraphFetcher.close();
      redis.disconnect();
      revocationSubscriber.disconnect();
    },
  };
}
