import { describe, expect, it } from "vitest";
import { SessionRefresher, type SendRefresh } from "./session-refresher.ts";
import { memoryTokens } from "./tokens.ts";

/** identity's answer to `refreshSession`: the next pair of tokens, rotating the refresh token. */
function identity() {
  const used: string[] = [];
  const send: SendRefresh = async (refreshToken) => {
    used.push(refreshToken);
    if (refreshToken === "revoked") {
      return { data: null, errors: [{ message: "no", extensions: { code: "UNAUTHENTICATED" } }] };
    }
    const next = used.length;
    return {
      data: {
        refreshSession: {
          accessToken: `access-${next}`,
          refreshToken: `refresh-${next}`,
        } as never,
      },
    };
  };
  return { send, used };
}

describe("SessionRefresher", () => {
  it("refreshes once for callers that ask together, and stores the new tokens", async () => {
    const tokens = memoryTokens({ accessToken: "access-0", refreshToken: "refresh-0" });
    const { send, used } = identity();
    const refresher = new SessionRefresher(tokens, send);
    const answers = await Promise.all([
      refresher.refresh("access-0"),
      refresher.refresh("access-0"),
    ]);
    expect(answers).toEqual([true, true]);
    expect(used).toEqual(["refresh-0"]);
    expect(tokens.get()).toEqual({ accessToken: "access-1", refreshToken: "refresh-1" });
  });

  it("does not refresh again for a token already replaced (rotated refresh tokens revoke on reuse)", async () => {
    const tokens = memoryTokens({ accessToken: "access-1", refreshToken: "refresh-1" });
    const { send, used } = identity();
    expect(await new SessionRefresher(tokens, send).refresh("access-0")).toBe(true);
    expect(used).toEqual([]);
  });

  it("clears the tokens and tells the app when the session is over", async () => {
    const tokens = memoryTokens({ accessToken: "access-0", refreshToken: "revoked" });
    let signedOut = 0;
    const refresher = new SessionRefresher(tokens, identity().send, () => (signedOut += 1));
    expect(await refresher.refresh("access-0")).toBe(false);
    expect(tokens.get()).toBeNull();
    expect(signedOut).toBe(1);
    expect(await refresher.refresh("access-0")).toBe(false);
  });
});
