import type { GraphQLFormattedError } from "graphql";
import { ApolloServerErrorCode, unwrapResolverError } from "@apollo/server/errors";
import { ErrorCode, isContractCode } from "./errors.ts";
import type { Logger } from "../logging/logger.ts";

/** Apollo's own codes for requests that are malformed, which the contract calls bad input. */
const badRequestCodes = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
]);

/**
 * Builds Apollo's `formatError`: contract errors pass through; malformed requests become
 * BAD_USER_INPUT; anything else is logged and replaced by an INTERNAL_SERVER_ERROR whose message
 * reveals nothing (no stack, no SQL).
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (isContractCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      return withoutInternals(formatted);
    }
    if (typeof code === "string" && badRequestCodes.has(code)) {
      return withoutInternals({
        ...formatted,
        extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT },
      });
    }
    logger.error({ err: unwrapResolverError(error), path: formatted.path }, "internal error");
    return {
      message: "Internal server error",
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** Extensions that describe our internals: stacks, and a subgraph's raw HTTP response. */
const internalExtensions = ["stacktrace", "exception", "response"];

function withoutInternals(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions) return formatted;
  const extensions = Object.fromEntries(
    Object.entries(formatted.extensions).filter(([key]) => !internalExtensions.includes(key)),
  );
  return { ...formatted, extensions };
}
