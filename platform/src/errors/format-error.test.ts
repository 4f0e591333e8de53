import { ApolloServer } from "@apollo/server";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.ts";
import { badUserInput } from "./errors.ts";
import { createErrorFormatter, logInternalErrors } from "./format-error.ts";
import { isUnavailableError } from "./unavailable.ts";

const format = createErrorFormatter({ logger: createLogger("test", "silent") });

describe("error formatting", () => {
  it("passes contract errors through without internals", () => {
    const error = badUserInput("input.email", "Not a valid email address");
    const formatted = format(
      {
        message: error.message,
        extensions: { ...error.extensions, stacktrace: ["at x"], response: { body: "raw" } },
      },
      error,
    );
    expect(formatted).toEqual({
      message: "Not a valid email address",
      extensions: { code: "BAD_USER_INPUT", field: "input.email" },
    });
  });

  it("names the input path of a variable that could not be coerced", () => {
    const coerce = (message: string) =>
      format({ message, extensions: { code: "BAD_USER_INPUT" } }, new GraphQLError(message))
        .extensions;
    expect(
      coerce(
        'Variable "$input" got invalid value "2000-02-30" at "input.birthdate"; Value is not a valid LocalDate: 2000-02-30',
      ),
    ).toEqual({ code: "BAD_USER_INPUT", field: "input.birthdate" });
    expect(coerce('Variable "$photoId" of required type "ID!" was not provided.')).toEqual({
      code: "BAD_USER_INPUT",
      field: "photoId",
    });
    expect(coerce("Something else")).toEqual({ code: "BAD_USER_INPUT" });
  });

  it("hides anything else behind INTERNAL_SERVER_ERROR", () => {
    const leak = new Error('relation "identity.account" does not exist');
    const formatted = format(
      {
        message: leak.message,
        path: ["me"],
        extensions: { code: "SOMETHING_ELSE", stacktrace: ["at db"] },
      },
      leak,
    );
    expect(formatted).toEqual({
      message: "Internal server error",
      path: ["me"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  it("says when a dependency did not answer, and when a subgraph said so", () => {
    const unavailable = {
      message: "A service this request needs is unavailable, try again shortly",
      path: ["login"],
      extensions: { code: "INTERNAL_SERVER_ERROR", reason: "UNAVAILABLE", retryAfterSeconds: 1 },
    };
    const lost = new GraphQLError("Reached the max retries per request limit (which is 3).", {
      originalError: Object.assign(new Error("Reached the max retries per request limit"), {
        name: "MaxRetriesPerRequestError",
      }),
    });
    expect(format({ message: lost.message, path: ["login"] }, lost)).toEqual(unavailable);
    const refused = new Error("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4004"), {
        code: "ECONNREFUSED",
      }),
    });
    expect(format({ message: refused.message, path: ["login"] }, refused)).toEqual(unavailable);
    const unreachable = Object.assign(new Error("Raw query failed"), {
      code: "P2010",
      meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } },
    });
    expect(format({ message: "x", path: ["login"] }, unreachable)).toEqual(unavailable);
    // Prisma's driver adapter error thrown bare (a connection reset mid-query), as it is and as
    // pino logs it.
    const closed = Object.assign(new Error("ConnectionClosed"), {
      name: "DriverAdapterError",
      cause: { kind: "ConnectionClosed" },
    });
    expect(format({ message: "x", path: ["discover"] }, closed)).toEqual({
      ...unavailable,
      path: ["discover"],
    });
    expect(isUnavailableError({ type: "DriverAdapterError", message: "ConnectionClosed" })).toBe(
      true,
    );
    expect(
      isUnavailableError({ type: "DriverAdapterError", message: "UniqueConstraintViolation" }),
    ).toBe(false);
    const noConnection = Object.assign(
      new Error("Transaction API error: Unable to start a transaction in the given time."),
      { code: "P2028" },
    );
    expect(format({ message: "x", path: ["login"] }, noConnection)).toEqual(unavailable);
    // As the gateway sees a subgraph's answer: the subgraph's extensions, its own error.
    const relayed = new GraphQLError(unavailable.message, { extensions: unavailable.extensions });
    expect(format({ ...unavailable, extensions: relayed.extensions }, relayed)).toEqual(
      unavailable,
    );
  });

  it("calls malformed requests bad input", () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    });
    expect(
      format({ message: error.message, extensions: error.extensions }, error).extensions,
    ).toEqual({
      code: "BAD_USER_INPUT",
    });
  });
});

describe("internal error log", () => {
  it("names the request of each internal error, and leaves the client's errors out", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger("test", "info", {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const server = new ApolloServer<{ requestId: string }>({
      typeDefs: "type Query { broken: String, refused: String }",
      resolvers: {
        Query: {
          broken: () => {
            throw new Error("connection terminated");
          },
          refused: () => {
            throw badUserInput("input.email", "Not a valid email address");
          },
        },
      },
      formatError: createErrorFormatter(),
      plugins: [logInternalErrors(logger)],
    });
    await server.start();
    const response = await server.executeOperation(
      { query: "{ broken refused }" },
      { contextValue: { requestId: "req-42" } },
    );
    await server.stop();

    expect(response.body.kind === "single" && response.body.singleResult.errors).toHaveLength(2);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: "internal error",
        requestId: "req-42",
        path: ["broken"],
        err: expect.objectContaining({ message: "connection terminated" }),
      }),
    ]);
  });
});
