/**
 * Who may run each contract operation, and what everyone else gets: the one table the
 * authorization matrix test (test/e2e/authorization.e2e.ts) runs, and `pnpm docs:authz` writes
 * to docs/authorization.md.
 *
 * The actors: **anonymous** (no access token); the **owner** of what the operation targets (a
 * person with a profile, photos, a match and its conversation, competitions); **other**, a
 * signed-in person with no tie to the owner; **blocked**, a person the owner blocked; **admin**,
 * a signed-in person whose role is ADMIN. An operation that targets nothing but the caller's own
 * data (`self`) runs on each actor's own data.
 */

/** What an actor gets: success, or the contract's `extensions.code` of the first error. */
export type Outcome =
  | "OK"
  /** Success without data: every root field null (`me` when signed out). */
  | "NULL"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "BAD_USER_INPUT"
  | "PAYMENT_REQUIRED";

export const ACTORS = ["anonymous", "owner", "other", "blocked", "admin"] as const;
export type Actor = (typeof ACTORS)[number];

export interface AuthorizationRow {
  operation: string;
  /** What the operation is run on, in words for the doc. */
  target: string;
  outcomes: Record<Actor, Outcome>;
}

/** Signed in to act on one's own data; anonymous callers are refused. */
const SIGNED_IN: Record<Actor, Outcome> = {
  anonymous: "UNAUTHENTICATED",
  owner: "OK",
  other: "OK",
  blocked: "OK",
  admin: "OK",
};
/** Anyone, signed in or not. */
const ANYONE: Record<Actor, Outcome> = {
  anonymous: "OK",
  owner: "OK",
  other: "OK",
  blocked: "OK",
  admin: "OK",
};
/** Signed in, but nothing of one's own without signing in (`me` is null). */
const SIGNED_IN_OR_NULL: Record<Actor, Outcome> = { ...SIGNED_IN, anonymous: "NULL" };
/** The participants' alone (the owner's conversation): everyone else is refused. */
const PARTICIPANTS_ONLY: Record<Actor, Outcome> = {
  anonymous: "UNAUTHENTICATED",
  owner: "OK",
  other: "FORBIDDEN",
  blocked: "FORBIDDEN",
  admin: "FORBIDDEN",
};
/** The owner's alone: a stranger learns nothing, not even that it exists. */
const OWNER_ONLY: Record<Actor, Outcome> = {
  anonymous: "UNAUTHENTICATED",
  owner: "OK",
  other: "NOT_FOUND",
  blocked: "NOT_FOUND",
  admin: "NOT_FOUND",
};

/**
 * In the order the test runs them: rows that change what later rows need (unmatching, deleting
 * a photo, blocking, signing out everywhere) come last, and within a row the owner goes last.
 */
export const AUTHORIZATION_TABLE: AuthorizationRow[] = [
  // identity
  { operation: "Register", target: "a new email", outcomes: ANYONE },
  { operation: "Login", target: "the caller's own email and password", outcomes: ANYONE },
  {
    operation: "RefreshSession",
    target: "the caller's own refresh token (anonymous: one of its own, no access token)",
    outcomes: ANYONE,
  },
  {
    operation: "Logout",
    target: "the caller's own refresh token (anonymous: one of its own)",
    outcomes: ANYONE,
  },
  {
    operation: "ChangePassword",
    target: "self, with a wrong current password",
    outcomes: {
      ...SIGNED_IN,
      owner: "BAD_USER_INPUT",
      other: "BAD_USER_INPUT",
      blocked: "BAD_USER_INPUT",
      admin: "BAD_USER_INPUT",
    },
  },
  { operation: "RequestPasswordReset", target: "the owner's email", outcomes: ANYONE },
  {
    operation: "ResetPassword",
    target: "a token mailed to an account of the caller's own",
    outcomes: ANYONE,
  },
  {
    operation: "VerifyEmail",
    target: "a token mailed to an account of the caller's own",
    outcomes: ANYONE,
  },
  {
    operation: "DeleteAccount",
    target: "self, with a wrong password",
    outcomes: {
      ...SIGNED_IN,
      owner: "BAD_USER_INPUT",
      other: "BAD_USER_INPUT",
      blocked: "BAD_USER_INPUT",
      admin: "BAD_USER_INPUT",
    },
  },
  { operation: "Viewer", target: "self", outcomes: SIGNED_IN_OR_NULL },
  // profiles
  { operation: "UpsertProfile", target: "self", outcomes: SIGNED_IN },
  { operation: "UpdatePreferences", target: "self", outcomes: SIGNED_IN },
  { operation: "UpdateLocation", target: "self", outcomes: SIGNED_IN },
  { operation: "RequestPhotoUpload", target: "self", outcomes: SIGNED_IN },
  { operation: "ConfirmPhotoUpload", target: "the owner's uploaded photo", outcomes: OWNER_ONLY },
  { operation: "SetPrimaryPhoto", target: "the owner's photo", outcomes: OWNER_ONLY },
  {
    operation: "ReorderPhotos",
    target: "the owner's photos (a list that is not exactly the caller's photos is bad input)",
    outcomes: {
      ...OWNER_ONLY,
      other: "BAD_USER_INPUT",
      blocked: "BAD_USER_INPUT",
      admin: "BAD_USER_INPUT",
    },
  },
  { operation: "MyProfile", target: "self", outcomes: SIGNED_IN_OR_NULL },
  {
    operation: "UserProfile",
    target: "the owner (a profile card is the same for every viewer, the blocked included)",
    outcomes: SIGNED_IN,
  },
  { operation: "SearchUsers", target: "the owner's username", outcomes: SIGNED_IN },
  // discovery
  { operation: "Discover", target: "self", outcomes: SIGNED_IN },
  {
    operation: "Swipe",
    target: "a PASS on the owner",
    outcomes: { ...SIGNED_IN, owner: "BAD_USER_INPUT", blocked: "NOT_FOUND" },
  },
  { operation: "Matches", target: "self", outcomes: SIGNED_IN },
  {
    operation: "LikesReceived",
    target: "self (a premium feature; no actor is a member)",
    outcomes: {
      anonymous: "UNAUTHENTICATED",
      owner: "PAYMENT_REQUIRED",
      other: "PAYMENT_REQUIRED",
      blocked: "PAYMENT_REQUIRED",
      admin: "PAYMENT_REQUIRED",
    },
  },
  // chat
  { operation: "Conversations", target: "self", outcomes: SIGNED_IN },
  {
    operation: "ConversationMessages",
    target: "the owner's conversation with their match",
    outcomes: PARTICIPANTS_ONLY,
  },
  {
    operation: "SendMessage",
    target: "the owner's conversation with their match",
    outcomes: PARTICIPANTS_ONLY,
  },
  {
    operation: "MarkConversationRead",
    target: "the owner's conversation with their match",
    outcomes: PARTICIPANTS_ONLY,
  },
  // competitions
  { operation: "Competitions", target: "every competition", outcomes: SIGNED_IN },
  { operation: "CreateCompetition", target: "a new free competition", outcomes: SIGNED_IN },
  {
    operation: "JoinCompetition",
    target: "the owner's free competition (its creator joins like anyone)",
    outcomes: SIGNED_IN,
  },
  { operation: "SyncActivity", target: "self, no records", outcomes: SIGNED_IN },
  {
    operation: "Leaderboard",
    target: "the owner's free competition",
    outcomes: SIGNED_IN,
  },
  { operation: "RatingLeaderboard", target: "everyone", outcomes: SIGNED_IN },
  // billing
  { operation: "Plans", target: "the catalog", outcomes: ANYONE },
  { operation: "MyBilling", target: "self", outcomes: SIGNED_IN_OR_NULL },
  { operation: "StartCheckout", target: "self, the monthly plan", outcomes: SIGNED_IN },
  { operation: "OpenBillingPortal", target: "self, after a checkout", outcomes: SIGNED_IN },
  {
    operation: "PayCompetitionEntry",
    target: "the owner's paid competition",
    outcomes: SIGNED_IN,
  },
  // subscriptions, over graphql-ws
  {
    operation: "OnMessageAdded",
    target: "the owner's conversation with their match",
    outcomes: PARTICIPANTS_ONLY,
  },
  { operation: "OnMatchCreated", target: "self", outcomes: SIGNED_IN },
  {
    operation: "OnLeaderboardRankChanged",
    target: "the owner's free competition",
    outcomes: SIGNED_IN,
  },
  {
    operation: "OnMyRankChanged",
    target: "the owner's free competition, which every signed-in actor joined",
    outcomes: SIGNED_IN,
  },
  // Last: each changes what rows above need.
  { operation: "DeletePhoto", target: "the owner's photo", outcomes: OWNER_ONLY },
  { operation: "Unmatch", target: "the owner's match", outcomes: OWNER_ONLY },
  {
    operation: "BlockUser",
    target: "the owner",
    outcomes: { ...SIGNED_IN, owner: "BAD_USER_INPUT" },
  },
  {
    operation: "UnblockUser",
    target: "the owner",
    outcomes: { ...SIGNED_IN, owner: "BAD_USER_INPUT" },
  },
  {
    operation: "LeaveCompetition",
    target: "the owner's free competition",
    outcomes: SIGNED_IN,
  },
  { operation: "LogoutEverywhere", target: "self", outcomes: SIGNED_IN },
];
