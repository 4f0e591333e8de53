import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** A process's Prometheus registry and the GraphQL instruments every server records. */
export interface Metrics {
  registry: Registry;
  /** Apollo plugin recording each operation's duration and outcome. */
  plugin: ApolloServerPlugin<BaseContext>;
}

/**
 * Creates the registry with Node's default metrics and GraphQL operation metrics, labelled by
 * operation name and type, never by variables (bounded cardinality).
 */
export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: "graphql_operation_duration_seconds",
    help: "Time to execute a GraphQL operation",
    labelNames: ["operation", "type"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: "graphql_errors_total",
    help: "GraphQL errors returned, by code",
    labelNames: ["operation", "code"],
    registers: [registry],
  });
  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      const end = duration.startTimer();
      return {
        async willSendResponse({ operationName, operation, errors: requestErrors }) {
          const labels = {
            operation: operationName ?? "anonymous",
            type: operation?.operation ?? "unknown",
          };
          end(labels);
          for (const error of requestErrors ?? []) {
            errors.inc({
              operation: labels.operation,
              code: String(error.extensions?.code ?? "UNKNOWN"),
            });
          }
        },
      };
    },
  };
  return { registry, plugin };
}
