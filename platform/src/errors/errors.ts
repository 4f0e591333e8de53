import { GraphQLError } from "graphql";

/** The error codes of the client contract; every error a client sees carries one of them. */
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  PAYMENT_REQUIRED: "PAYMENT_REQUIRED",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const contractCodes = new Set<string>(Object.values(ErrorCode));

/** Whether `code` is one of the contract's error codes. */
export function isContractCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && contractCodes.has(code);
}

function error(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** No token, a bad or expired token, revoked credentials, or wrong credentials. */
export const unauthenticated = (message = "Authentication required") =>
  error(ErrorCode.UNAUTHENTICATED, message);

/**
 * UNAUTHENTICATED for a whole request (bad access token, not from the gateway), answered with
 * HTTP 401. Resolver errors must not set HTTP statuses: a subgraph answering non-2xx makes the
 * gateway replace its GraphQL errors with a generic one.
 */
export const requestUnauthenticated = (message: string) =>
  error(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });

/** Authenticated, but not allowed to do this. */
export const forbidden = (message = "Not allowed") => error(ErrorCode.FORBIDDEN, message);

/** Validation failed; `field` is the input path, for example `input.password`. */
export const badUserInput = (field: string, message: string) =>
  error(ErrorCode.BAD_USER_INPUT, message, { field });

/** The thing does not exist, or the viewer may not know that it does. */
export const notFound = (message = "Not found") => error(ErrorCode.NOT_FOUND, message);

/** A uniqueness rule was broken (email taken, already joined, ...). */
export const conflict = (message: string, field?: string) =>
  error(ErrorCode.CONFLICT, message, field ? { field } : {});

/** Too many requests; the client may retry after `retryAfterSeconds`. */
export const rateLimited = (retryAfterSeconds: number) =>
  error(ErrorCode.RATE_LIMITED, "Too many requests, try again later", { retryAfterSeconds });

/** A premium feature or an unpaid entry fee. */
export const paymentRequired = (message = "A premium membership is required") =>
  error(ErrorCode.PAYMENT_REQUIRED, message);
