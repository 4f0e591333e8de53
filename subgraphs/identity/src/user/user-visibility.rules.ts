import type { Account } from "@pulse/db";
import type { Viewer } from "@pulse/platform/server";

const ownerView = Symbol("ownerView");

/** An account as a resolver returns it, possibly marked as being shown to its owner. */
export type VisibleAccount = Account & { [ownerView]?: true };

/**
 * Marks an account as shown to its owner although the request carries no token for it yet, as
 * in the payload of `register`, `login` and `refreshSession`.
 */
export function seenByOwner(account: Account): VisibleAccount {
  return { ...account, [ownerView]: true };
}

/** Whether private fields of `account` may be shown to `viewer`. */
export function isOwnerView(account: VisibleAccount, viewer: Viewer | null): boolean {
  return account[ownerView] === true || viewer?.id === account.id;
}
