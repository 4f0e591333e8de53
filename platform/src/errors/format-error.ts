import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerErrorCode, unwrapResolverError } from "@apollo/server/errors";
import { ErrorCode, isContractCode } from "./errors.ts";
import {
  isUnavailableError,
  UNAVAILABLE_REASON,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from "./unavailable.ts";
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

/** Whether an error of this `extensions.code` is ours, not the client's: logged, then masked. */
function isInternal(code: unknown): boolean {
  if (isContractCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return false;
  return !(typeof code === "string" && badRequestCodes.has(code));
}

/** Whether `error`, thrown while serving a request, is a fault of ours rather than the client's. */
export function isInternalError(error: unknown): boolean {
  return !(error instanceof GraphQLError) || isInternal(error.extensions.code);
}

export interface ErrorFormatterOptions {
  /**
   * Logs internal errors as it masks them: for errors outside an HTTP request (subscription
   * events). Apollo servers log them with {@link logInternalErrors} instead, with the request id.
   */
  logger?: Logger;
}

/**
 * Builds Apollo's `formatError`: contract errors pass through; malformed requests become
 * BAD_USER_INPUT; anything else becomes an INTERNAL_SERVER_ERROR whose message reveals nothing
 * (no stack, no SQL), with `reason: UNAVAILABLE` and `retryAfterSeconds` when a dependency did
 * not answer (see `isUnavailableError`).
 */
export function createErrorFormatter({ logger }: ErrorFormatterOptions = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (!isInternal(code)) {
      if (isContractCode(code)) return withoutInternals(withVariableField(formatted));
      return withoutInternals({
        ...formatted,
        extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT },
      });
    }
    logger?.error({ err: unwrapResolverError(error), path: formatted.path }, "internal error");
    const unavailable = isUnavailableError(error) || isUnavailableError(formatted);
    return {
      message: unavailable
        ? "A service this request needs is unavailable, try again shortly"
        : "Internal server error",
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: ErrorCode.INTERNAL_SERVER_ERROR,
        ...(unavailable
          ? { reason: UNAVAILABLE_REASON, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS }
          : {}),
      },
    };
  };
}

/**
 * Logs each internal error of a request (those {@link createErrorFormatter} masks) with the
 * request's id, so the line can be found from what the client was told.
 */
export function logInternalErrors<Context extends { requestId: string }>(
  logger: Logger,
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (!isInternalError(error)) continue;
            logger.error(
              {
                err: unwrapResolverError(error),
                path: error.path,
                requestId: contextValue.requestId,
              },
              "internal error",
            );
          }
        },
      };
    },
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

/**
 * Extensions that describe our internals: stacks, a subgraph's raw HTTP response, and which
 * subgraph answered (the gateway adds `serviceName`; the logs keep it).
 */
const internalExtensions = ["stacktrace", "exception", "response", "serviceName"];

function withoutInternals(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions) return formatted;
  const extensions = Object.fromEntries(
    Object.entries(formatted.extensions).filter(([key]) => !internalExtensions.includes(key)),
  );
  return { ...formatted, extensions };
}

/**
 * `error` as a GraphQLError, for formatting: what resolvers and executors throw is usually one,
 * but a plain Error (an unreachable subgraph, a broken connection) is wrapped, keeping it as the
 * original error so the formatter can tell it is internal.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  return new GraphQLError(error instanceof Error ? error.message : String(error), {
    originalError: error instanceof Error ? error : undefined,
  });
}
