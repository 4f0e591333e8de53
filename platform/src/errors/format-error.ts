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
      return withoutInternals(withVariableField(formatted));
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

/**
 * graphql-js reports a variable it cannot coerce (a `Date` that is no date, ...) as
 * `Variable "$input" got invalid value ... at "input.birthdate"; ...`: name that input path in
 * `extensions.field`, as for every other BAD_USER_INPUT.
 */
function withVariableField(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code !== ErrorCode.BAD_USER_INPUT || formatted.extensions.field) {
    return formatted;
  }
  const match =
    /^Variable "\$(\w+)" got invalid value .*? at "([\w.[\]]+)";/s.exec(formatted.message) ??
    /^Variable "\$(\w+)" /.exec(formatted.message);
  if (!match) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, field: match[2] ?? match[1] } };
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
