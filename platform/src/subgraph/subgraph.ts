import type { Server } from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import {
  FORWARDED_IDENTITY_HEADER,
  ForwardedIdentityVerifier,
  type ForwardedIdentity,
} from "../auth/forwarded-identity.ts";
import { createErrorFormatter, logInternalErrors } from "../errors/format-error.ts";
import { EventConsumer, type EventHandlers } from "../events/consumer.ts";
import { OutboxRelay } from "../events/relay.ts";
import { apolloRequestHandler } from "../http/apollo-handler.ts";
import {
  closeServer,
  createMetricsServer,
  createServiceServer,
  listen,
  type RouteHandler,
} from "../http/service-server.ts";
import type { StreamResume } from "../subscriptions/stream-resume.ts";
import {
  serveSubscriptions,
  type SubscriptionEndpoint,
} from "../subscriptions/subscription-endpoint.ts";
import type { Infrastructure } from "./infrastructure.ts";

/**
 * Answers requests whose variables cannot be coerced (a `Date` that is no date, ...) with HTTP 200
 * like any other error: Apollo answers them 400, and on a non-2xx answer the gateway replaces a
 * subgraph's errors with a generic one, losing BAD_USER_INPUT and its field.
 */
const variableErrorsAnswered200: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.http.status === 400) response.http.status = 200;
      },
    };
  },
};

/** What every subgraph resolver can rely on finding in its context. */
export interface SubgraphContext extends ForwardedIdentity {
  /** In a subscription's context: where its stream resumes and has reached. */
  resume?: StreamResume;
}

export interface SubgraphOptions<Context extends SubgraphContext> {
  infra: Infrastructure;
  schema: GraphQLSchema;
  /** Shared with the gateway: only requests it signed are served. */
  gatewaySecret: string;
  /** Builds a request's context (request-scoped loaders and services) from who is calling. */
  context: (identity: ForwardedIdentity) => Context;
  /** Domain events this subgraph consumes. */
  eventHandlers?: EventHandlers;
  /** Extra HTTP routes, such as identity's JWKS. */
  routes?: Record<string, RouteHandler>;
}

/**
 * A subgraph service: its Apollo server behind the gateway-identity check, its subscriptions over
 * graphql-ws on the same `/graphql` path (for the gateway only), its HTTP endpoints,
 * its outbox relay and its event consumer. Creating it has no side effects; `listen` starts it.
 */
export class Subgraph<Context extends SubgraphContext> {
  readonly server: Server;
  /** /metrics on a port of its own (`METRICS_PORT`), if set. */
  private readonly metricsServer: Server | undefined;
  private readonly apollo: ApolloServer<Context>;
  private readonly relay: OutboxRelay;
  private readonly consumer: EventConsumer;
  private readonly subscriptions: SubscriptionEndpoint;

  constructor(private readonly options: SubgraphOptions<Context>) {
    const { infra } = options;
    const identities = new ForwardedIdentityVerifier(options.gatewaySecret);
    this.apollo = new ApolloServer<Context>({
      schema: options.schema,
      formatError: createErrorFormatter(),
      includeStacktraceInErrorResponses: false,
      // Shutdown is ordered by runUntilSignal; Apollo's own handler would race it.
      stopOnTerminationSignals: false,
      // No Apollo Studio here, so no per-request federated traces to compute.
      plugins: [
        infra.metrics.plugin,
        logInternalErrors(infra.logger),
        variableErrorsAnswered200,
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
      ],
    });
    this.server = createServiceServer({
      logger: infra.logger,
      metrics: infra.metrics,
      metricsRoute: infra.metricsPort === undefined,
      graphql: apolloRequestHandler(
        this.apollo,
        async (req) => {
          const header = req.headers[FORWARDED_IDENTITY_HEADER];
          const identity = await identities.verify(typeof header === "string" ? header : undefined);
          return options.context(identity);
        },
        infra.logger,
      ),
      ...(options.routes ? { routes: options.routes } : {}),
      readiness: [
        { name: "postgres", check: () => infra.prisma.$queryRawUnsafe("SELECT 1") },
        { name: "redis", check: () => infra.redis.ping() },
      ],
    });
    this.metricsServer =
      infra.metricsPort === undefined ? undefined : createMetricsServer(infra.metrics);
    this.subscriptions = serveSubscriptions({
      server: this.server,
      schema: options.schema,
      identities,
      context: options.context,
      formatError: createErrorFormatter({ logger: infra.logger }),
      logger: infra.logger,
    });
    this.relay = new OutboxRelay({
      outbox: infra.outbox,
      source: infra.name,
      prisma: infra.prisma,
      databaseUrl: infra.databaseUrl,
      redis: infra.redis,
      redisPrefix: infra.redisPrefix,
      logger: infra.logger,
    });
    this.consumer = new EventConsumer({
      group: infra.name,
      inboxSchema: infra.name,
      handlers: options.eventHandlers ?? {},
      prisma: infra.prisma,
      redis: infra.redis,
      redisPrefix: infra.redisPrefix,
      logger: infra.logger,
    });
  }

  /** Starts serving on `port` (0 for any free port); resolves to the base URL. */
  async listen(port: number, host?: string): Promise<string> {
    await this.apollo.start();
    await this.relay.start();
    await this.consumer.start();
    const url = await listen(this.server, port, host);
    const { logger, metricsPort } = this.options.infra;
    if (this.metricsServer) {
      const metricsUrl = await listen(this.metricsServer, metricsPort!, host);
      logger.info({ url: `${metricsUrl}/metrics` }, "metrics listening");
    }
    logger.info({ url: `${url}/graphql` }, "subgraph listening");
    return url;
  }

  /**
   * Ends subscriptions (the gateway re-subscribes on another replica), stops accepting requests,
   * finishes in-flight ones, then stops relaying and consuming.
   */
  async close(): Promise<void> {
    await this.subscriptions.close();
    await closeServer(this.server);
    if (this.metricsServer?.listening) await closeServer(this.metricsServer);
    await this.apollo.stop();
    await this.consumer.stop();
    await this.relay.stop();
  }
}
