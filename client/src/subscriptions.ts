import type { FormattedExecutionResult } from "graphql";
import type { Client, Sink } from "graphql-ws";
import { backoffDelay, type BackoffOptions } from "./backoff.ts";
import { cursorOf, isResumable, operationNameOf } from "./document.ts";
import { isUnauthenticated } from "./errors.ts";

/** What an app hears from one subscription. */
export interface SubscriptionSink<Result> {
  next(result: FormattedExecutionResult<Result>): void;
  /** The subscription ended for good: the session is over, or the API refused the operation. */
  error?(error: unknown): void;
  /** The API completed the subscription. */
  complete?(): void;
}

export interface ResumingOptions {
  /** The graphql-ws client: lazy, without retries of its own (this module retries). */
  ws: Client;
  backoff: BackoffOptions;
  /** Refreshes the session after `refused` was refused; false when there is none. */
  refresh(refused: string | undefined): Promise<boolean>;
  /** The access token the current (or last) socket was opened with. */
  connectedWith(): string | undefined;
}

/** graphql-ws's close code for a refused or expired access token (the contract's). */
const UNAUTHORIZED_CLOSE = 4401;

const isCloseEvent = (error: unknown): error is { code: number } =>
  typeof error === "object" && error !== null && "code" in error && "reason" in error;

/** A socket that could not open reports an event or Error, neither a close nor GraphQL errors. */
const isGraphQLErrors = (error: unknown): boolean => Array.isArray(error);

/**
 * Subscribes, and subscribes again when the socket drops (after a jittered backoff) or the
 * access token is refused (after refreshing it). A subscription that declares `$after` resumes
 * from the cursor of the last event it delivered, so the app loses nothing and gets nothing
 * twice. Returns the function that ends it.
 */
export function subscribeResuming<Result>(
  options: ResumingOptions,
  text: string,
  variables: Record<string, unknown> | undefined,
  sink: SubscriptionSink<Result>,
): () => void {
  const operationName = operationNameOf(text);
  const resumable = isResumable(text);
  let cursor: string | undefined;
  let attempt = 0;
  let stopped = false;
  let stopCurrent: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const fail = (error: unknown) => {
    stopped = true;
    sink.error?.(error);
  };

  const again = async (refreshFirst: boolean) => {
    if (stopped) return;
    if (refreshFirst) {
      // Unreachable API: keep the tokens and try again after the backoff.
      const refreshed = await options.refresh(options.connectedWith()).catch(() => true);
      if (!refreshed) return fail(new Error("The session has ended: sign in again"));
    }
    if (stopped) return;
    timer = setTimeout(start, backoffDelay(attempt, options.backoff));
    attempt += 1;
  };

  function start() {
    if (stopped) return;
    const payloadVariables = resumable && cursor ? { ...variables, after: cursor } : variables;
    let refused = false;
    const upstream: Sink<FormattedExecutionResult<Result>> = {
      next(result) {
        // An expiring token ends the subscription with UNAUTHENTICATED, then the socket (4401).
        if (isUnauthenticated(result)) {
          refused = true;
          return;
        }
        attempt = 0;
        cursor = cursorOf(result.data) ?? cursor;
        sink.next(result);
      },
      error(error) {
        if (isGraphQLErrors(error)) return fail(error);
        void again(refused || (isCloseEvent(error) && error.code === UNAUTHORIZED_CLOSE));
      },
      complete() {
        if (refused) void again(true);
        else if (!stopped) {
          stopped = true;
          sink.complete?.();
        }
      },
    };
    stopCurrent = options.ws.subscribe(
      { query: text, variables: payloadVariables, operationName },
      upstream,
    );
  }

  start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    stopCurrent?.();
  };
}
