// The Authorization header the sign-in panel obtained, for tabs the explorer opens later.
let authorization: string | undefined;

export const signedInAuthorization = () => authorization;

export function rememberAuthorization(value: string): void {
  authorization = value;
}

/** The headers editor's text for a tab: the signed-in Authorization, if any. */
export function headersText(): string {
  return authorization ? JSON.stringify({ Authorization: authorization }, null, 2) : "";
}
