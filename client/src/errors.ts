import type { FormattedExecutionResult, GraphQLFormattedError } from "graphql";

/** The `extensions.code` the API sets on every error (the contract's table). */
export type PulseErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "PAYMENT_REQUIRED"
  | "INTERNAL_SERVER_ERROR";

export const errorCodeOf = (error: GraphQLFormattedError): string | undefined =>
  typeof error.extensions?.code === "string" ? error.extensions.code : undefined;

/** Whether any error of a result says the access token was refused. */
export const isUnauthenticated = (result: FormattedExecutionResult<unknown>): boolean =>
  result.errors?.some((error) => errorCodeOf(error) === "UNAUTHENTICATED") ?? false;

/** The API answered with something that is no GraphQL response (a proxy's page, a 502). */
export class PulseTransportError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "PulseTransportError";
  }
}
