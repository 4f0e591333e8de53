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
      return withoutStack(formatted);
    }
    if (typeof code === "string" && badRequestCodes.has(code)) {
      return withoutStack({
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

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !("stacktrace" in formatted.extensions)) return formatted;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
