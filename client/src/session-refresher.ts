import type { FormattedExecutionResult } from "graphql";
import { useFragment } from "./generated/fragment-masking.ts";
import { SessionFieldsFragmentDoc, type RefreshSessionMutation } from "./generated/graphql.ts";
import type { TokenStore } from "./tokens.ts";

/** Sends `refreshSession` with a refresh token (and no access token). */
export type SendRefresh = (
  refreshToken: string,
) => Promise<FormattedExecutionResult<RefreshSessionMutation>>;

/**
 * Trades the refresh token for new tokens, once for all who ask together. Refresh tokens rotate
 * and reusing a rotated one revokes the whole session, so a caller whose access token was
 * already replaced gets the replacement instead of a second refresh.
 */
export class SessionRefresher {
  private inFlight: Promise<boolean> | undefined;

  constructor(
    private readonly tokens: TokenStore,
    private readonly send: SendRefresh,
    private readonly onSignedOut: () => void = () => {},
  ) {}

  /**
   * Resolves to true once an access token other than `refused` is stored; false when there is
   * no session to refresh (the store is then cleared and `onSignedOut` told). Rejects, keeping
   * the tokens, when the API could not be reached.
   */
  refresh(refused: string | undefined): Promise<boolean> {
    const current = this.tokens.get();
    if (!current) return Promise.resolve(false);
    if (current.accessToken !== refused) return Promise.resolve(true);
    this.inFlight ??= this.exchange(current.refreshToken).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async exchange(refreshToken: string): Promise<boolean> {
    const result = await this.send(refreshToken);
    const session = useFragment(SessionFieldsFragmentDoc, result.data?.refreshSession);
    if (!session) {
      this.tokens.set(null);
      this.onSignedOut();
      return false;
    }
    this.tokens.set({ accessToken: session.accessToken, refreshToken: session.refreshToken });
    return true;
  }
}
