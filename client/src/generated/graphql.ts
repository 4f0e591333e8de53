/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** One activity record of a health app. */
export type ActivityRecordInput = {
  /** When it ended: after `startedAt`, not in the future, at most 24 hours later. */
  endedAt: string;
  /** The source's id of the record: sending it again is a duplicate, or, with another value, a correction. */
  externalId: string;
  /** What it measures. */
  metric: CompetitionMetric;
  /** When the activity started. */
  startedAt: string;
  /** How much, in the metric's unit; plausible for its duration. */
  value: number;
};

/** Where activity records come from. */
export type ActivitySource =
  /** Apple Health. */
  | 'APPLE_HEALTH'
  /** Google Fit. */
  | 'GOOGLE_FIT'
  /** Entered by the person. */
  | 'MANUAL';

/** The current password and its replacement. */
export type ChangePasswordInput = {
  /** The password in use now. */
  currentPassword: string;
  /** The new password; same rules as at registration. */
  newPassword: string;
};

/** What a competition measures. */
export type CompetitionMetric =
  /** Minutes of activity. */
  | 'ACTIVE_MINUTES'
  /** Active energy burned, in kilocalories. */
  | 'CALORIES'
  /** Distance covered, in metres. */
  | 'DISTANCE_METERS'
  /** Steps. */
  | 'STEPS';

/** Where a competition stands, derived from its window and the clock. */
export type CompetitionStatus =
  /** Between `startsAt` and `endsAt`: activity counts, people may join. */
  | 'ACTIVE'
  /** From `endsAt`: standings are final. */
  | 'FINISHED'
  /** Before `startsAt`: people may join. */
  | 'UPCOMING';

/** A new competition. */
export type CreateCompetitionInput = {
  /** ISO 4217 currency of the fee; `usd` by default. */
  currency?: string | null | undefined;
  /** At most 1000 characters. */
  description?: string | null | undefined;
  /** When it ends: after `startsAt`, in the future, at most 366 days after `startsAt`. */
  endsAt: string;
  /** Entry fee in the currency's smallest unit; 0 or absent: free. */
  entryFeeCents?: number | null | undefined;
  /** How many people may join at most (2 or more). */
  maxParticipants?: number | null | undefined;
  /** What it measures. */
  metric: CompetitionMetric;
  /** 1..80 characters after trimming. */
  name: string;
  /** When activity starts to count. */
  startsAt: string;
};

/** A person's gender, and the genders they are interested in. */
export type Gender =
  /** Female. */
  | 'FEMALE'
  /** Male. */
  | 'MALE'
  /** Non-binary. */
  | 'NON_BINARY';

/** Where the viewer is. */
export type LocationInput = {
  /** City name, ≤ 100 characters. */
  city?: string | null | undefined;
  /** Country as an ISO 3166 alpha-2 code, e.g. `DE` (any case). */
  country?: string | null | undefined;
  /** Degrees north of the equator, -90..90. */
  latitude: number;
  /** Degrees east of Greenwich, -180..180. */
  longitude: number;
};

/** Credentials to sign in with. */
export type LoginInput = {
  /** The account's email address. */
  email: string;
  /** The account's password. */
  password: string;
};

/** Where a membership stands, as Stripe's subscription says. */
export type MembershipStatus =
  /** Paid up: premium. */
  | 'ACTIVE'
  /** Ended: not premium. */
  | 'CANCELED'
  /** The latest invoice failed and Stripe is retrying it: premium during the retries. */
  | 'PAST_DUE'
  /** In a free trial: premium. */
  | 'TRIALING';

/** Where a payment stands, as Stripe's webhooks said. */
export type PaymentStatus =
  /** Declined or abandoned. */
  | 'FAILED'
  /** Started; Stripe has not confirmed it yet. */
  | 'PENDING'
  /** Paid, then refunded in full. */
  | 'REFUNDED'
  /** Paid. */
  | 'SUCCEEDED';

/** What the client is about to upload. */
export type PhotoUploadInput = {
  /** Size of the file in bytes, at most 10 MiB. */
  byteSize: number;
  /** `image/jpeg`, `image/png` or `image/webp`. */
  contentType: string;
};

/** How often a plan is billed. */
export type PlanInterval =
  /** Every month. */
  | 'MONTH'
  /** Every year. */
  | 'YEAR';

/** Whom discovery should show the viewer. */
export type PreferencesInput = {
  /** Genders to show; at least one. */
  genders: Array<Gender>;
  /** Oldest age to show, at most 100 and not below `minAge`. */
  maxAge: number;
  /** Farthest distance to show, in kilometres (1..500). */
  maxDistanceKm: number;
  /** Youngest age to show, 18 or more. */
  minAge: number;
};

/** A whole profile; replaces the viewer's current one. */
export type ProfileInput = {
  /** Free text about the person, ≤ 500 characters; absent or empty clears it. */
  bio?: string | null | undefined;
  /** Date of birth (`YYYY-MM-DD`); people must be 18+. */
  birthdate: string;
  /** Name shown to others, 1..50 characters. */
  displayName: string;
  /** The person's gender. */
  gender: Gender;
  /** Genders the person is interested in; at least one. */
  interestedIn: Array<Gender>;
  /** 3..30 letters, digits, `_` or `.`; must be unique regardless of case. */
  username: string;
};

/** What it takes to create an account. */
export type RegisterInput = {
  /** Email address to sign in with; compared case-insensitively. */
  email: string;
  /** 8+ characters with an upper-case letter, a lower-case letter, a digit and one of `!@#$%^&*`. */
  password: string;
};

/** A mailed reset token and the new password. */
export type ResetPasswordInput = {
  /** The new password; same rules as at registration. */
  newPassword: string;
  /** The token from the password-reset email. */
  token: string;
};

/** What a person may do beyond their own data. */
export type Role =
  /** Staff who may moderate and manage the app. */
  | 'ADMIN'
  /** A member of the app. */
  | 'USER';

/** A message to send, and its idempotency key. */
export type SendMessageInput = {
  /** The text; leading and trailing white space is removed, then 1 to 2000 characters. */
  body: string;
  /** A key the client makes up per message (1 to 100 characters, e.g. a UUID). Retrying with the same key stores nothing new and returns the first message; reusing it for another conversation or body is a CONFLICT. */
  clientMessageId: string | number;
  /** The conversation to write to: one of the viewer's, open. */
  conversationId: string | number;
};

/** What the viewer thinks of a person they were shown. */
export type SwipeAction =
  /** Interested; a like back makes a match. */
  | 'LIKE'
  /** Not interested; the person is not shown again. */
  | 'PASS'
  /** Very interested: a like the other person sees highlighted. Limited per day. */
  | 'SUPER_LIKE';

/** Who the viewer swiped, and how. */
export type SwipeInput = {
  /** Like, pass or super like. */
  action: SwipeAction;
  /** The person swiped. */
  targetUserId: string | number;
};

/** Activity records from one source. */
export type SyncActivityInput = {
  /** At most 500 records. */
  records: Array<ActivityRecordInput>;
  /** Where the records come from. */
  source: ActivitySource;
};

/** The HTTP method of a presigned upload. */
export type UploadMethod =
  /** Send a multipart form with `uploadFields` as fields, then the bytes as the last field, `file`. */
  | 'POST'
  /** Send the bytes as the body, with `uploadFields` as headers. */
  | 'PUT';

export type LiveMessagesSubscriptionVariables = Exact<{
  conversationId?: string | number | null | undefined;
  after?: string | null | undefined;
}>;


export type LiveMessagesSubscription = { messageAdded: (
    { cursor: string, conversation: { id: string } }
    & { ' $fragmentRefs'?: { 'MessageFieldsFragment': MessageFieldsFragment } }
  ) };

export type PlansQueryVariables = Exact<{ [key: string]: never; }>;


export type PlansQuery = { plans: Array<{ id: string, name: string, interval: PlanInterval, features: Array<string>, price: { amountCents: number, currency: string } }> };

export type MyBillingQueryVariables = Exact<{ [key: string]: never; }>;


export type MyBillingQuery = { me: { id: string, isPremium: boolean, membership: { status: MembershipStatus, currentPeriodEnd: string, cancelAtPeriodEnd: boolean, plan: { id: string, name: string } } | null, payments: Array<{ id: string, status: PaymentStatus, description: string, createdAt: string, amount: { amountCents: number, currency: string } }> | null } | null };

export type StartCheckoutMutationVariables = Exact<{
  planId: string | number;
}>;


export type StartCheckoutMutation = { startCheckout: { sessionId: string, url: string } };

export type OpenBillingPortalMutationVariables = Exact<{ [key: string]: never; }>;


export type OpenBillingPortalMutation = { openBillingPortal: { url: string } };

export type PayCompetitionEntryMutationVariables = Exact<{
  competitionId: string | number;
}>;


export type PayCompetitionEntryMutation = { payCompetitionEntry: { sessionId: string, url: string } };

export type MessageFieldsFragment = { id: string, clientMessageId: string, body: string, sentAt: string, readAt: string | null, sender: { id: string, profile: { displayName: string, photos: Array<{ url: string, isPrimary: boolean }> } | null } } & { ' $fragmentName'?: 'MessageFieldsFragment' };

export type ConversationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConversationsQuery = { conversations: { edges: Array<{ cursor: string, node: { id: string, unreadCount: number, participants: Array<{ id: string, profile: { displayName: string } | null }>, lastMessage: { ' $fragmentRefs'?: { 'MessageFieldsFragment': MessageFieldsFragment } } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ConversationMessagesQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConversationMessagesQuery = { conversation: { id: string, unreadCount: number, match: { id: string }, messages: { edges: Array<{ cursor: string, node: { ' $fragmentRefs'?: { 'MessageFieldsFragment': MessageFieldsFragment } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type SendMessageMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageMutation = { sendMessage: (
    { conversation: { id: string } }
    & { ' $fragmentRefs'?: { 'MessageFieldsFragment': MessageFieldsFragment } }
  ) };

export type MarkConversationReadMutationVariables = Exact<{
  conversationId: string | number;
}>;


export type MarkConversationReadMutation = { markConversationRead: { id: string, unreadCount: number } };

export type OnMessageAddedSubscriptionVariables = Exact<{
  conversationId?: string | number | null | undefined;
  after?: string | null | undefined;
}>;


export type OnMessageAddedSubscription = { messageAdded: (
    { conversation: { id: string } }
    & { ' $fragmentRefs'?: { 'MessageFieldsFragment': MessageFieldsFragment } }
  ) };

export type CompetitionsQueryVariables = Exact<{
  status?: CompetitionStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CompetitionsQuery = { competitions: { edges: Array<{ cursor: string, node: { id: string, name: string, metric: CompetitionMetric, startsAt: string, endsAt: string, status: CompetitionStatus, participantCount: number, isJoined: boolean, entryFee: { amountCents: number, currency: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateCompetitionMutationVariables = Exact<{
  input: CreateCompetitionInput;
}>;


export type CreateCompetitionMutation = { createCompetition: { id: string, name: string, metric: CompetitionMetric, startsAt: string, endsAt: string, status: CompetitionStatus, entryFee: { amountCents: number, currency: string } | null } };

export type JoinCompetitionMutationVariables = Exact<{
  competitionId: string | number;
}>;


export type JoinCompetitionMutation = { joinCompetition: { id: string, isJoined: boolean, participantCount: number } };

export type LeaveCompetitionMutationVariables = Exact<{
  competitionId: string | number;
}>;


export type LeaveCompetitionMutation = { leaveCompetition: { id: string, isJoined: boolean, participantCount: number } };

export type SyncActivityMutationVariables = Exact<{
  input: SyncActivityInput;
}>;


export type SyncActivityMutation = { syncActivity: { accepted: number, duplicates: number, standings: Array<{ rank: number, score: number, competition: { id: string } }> } };

export type LeaderboardQueryVariables = Exact<{
  competitionId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type LeaderboardQuery = { competition: { id: string, name: string, leaderboard: { edges: Array<{ cursor: string, node: { rank: number, score: number, user: { id: string, profile: { displayName: string, photos: Array<{ url: string, isPrimary: boolean }> } | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, myStanding: { rank: number, score: number } | null } | null };

export type RatingLeaderboardQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type RatingLeaderboardQuery = { ratingLeaderboard: { edges: Array<{ cursor: string, node: { rank: number, rating: number, user: { id: string, profile: { username: string } | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type OnLeaderboardRankChangedSubscriptionVariables = Exact<{
  competitionId: string | number;
  top?: number | null | undefined;
}>;


export type OnLeaderboardRankChangedSubscription = { leaderboardRankChanged: { rank: number | null, previousRank: number | null, score: number | null, competition: { id: string }, user: { id: string, profile: { displayName: string } | null } } };

export type OnMyRankChangedSubscriptionVariables = Exact<{
  competitionId: string | number;
}>;


export type OnMyRankChangedSubscription = { myRankChanged: { rank: number | null, previousRank: number | null, score: number | null, competition: { id: string, name: string } } };

export type DiscoverQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type DiscoverQuery = { discover: Array<{ distanceKm: number, score: number, user: { id: string, profile: { displayName: string, age: number, bio: string | null, photos: Array<{ url: string, isPrimary: boolean }> } | null } }> };

export type SwipeMutationVariables = Exact<{
  input: SwipeInput;
}>;


export type SwipeMutation = { swipe: { isMatch: boolean, match: { id: string, matchedAt: string, user: { id: string, profile: { displayName: string } | null } } | null } };

export type MatchesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MatchesQuery = { matches: { edges: Array<{ cursor: string, node: { id: string, matchedAt: string, user: { id: string, profile: { displayName: string, photos: Array<{ url: string, isPrimary: boolean }> } | null }, conversation: { id: string, unreadCount: number, lastMessage: { body: string, sentAt: string } | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type UnmatchMutationVariables = Exact<{
  matchId: string | number;
}>;


export type UnmatchMutation = { unmatch: boolean };

export type LikesReceivedQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type LikesReceivedQuery = { likesReceived: Array<{ likedAt: string, isSuperLike: boolean, user: { id: string, profile: { displayName: string } | null } }> };

export type OnMatchCreatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type OnMatchCreatedSubscription = { matchCreated: { id: string, matchedAt: string, user: { id: string, profile: { displayName: string, photos: Array<{ url: string, isPrimary: boolean }> } | null } } };

export type SessionFieldsFragment = { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, email: string | null, role: Role, emailVerified: boolean, createdAt: string } } & { ' $fragmentName'?: 'SessionFieldsFragment' };

export type RegisterMutationVariables = Exact<{
  input: RegisterInput;
}>;


export type RegisterMutation = { register: { ' $fragmentRefs'?: { 'SessionFieldsFragment': SessionFieldsFragment } } };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { ' $fragmentRefs'?: { 'SessionFieldsFragment': SessionFieldsFragment } } };

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshSessionMutation = { refreshSession: { ' $fragmentRefs'?: { 'SessionFieldsFragment': SessionFieldsFragment } } };

export type LogoutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogoutMutation = { logout: boolean };

export type LogoutEverywhereMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutEverywhereMutation = { logoutEverywhere: boolean };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { changePassword: boolean };

export type RequestPasswordResetMutationVariables = Exact<{
  email: string;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: boolean };

export type ResetPasswordMutationVariables = Exact<{
  input: ResetPasswordInput;
}>;


export type ResetPasswordMutation = { resetPassword: boolean };

export type VerifyEmailMutationVariables = Exact<{
  token: string;
}>;


export type VerifyEmailMutation = { verifyEmail: { id: string, emailVerified: boolean } };

export type DeleteAccountMutationVariables = Exact<{
  password: string;
}>;


export type DeleteAccountMutation = { deleteAccount: boolean };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { me: { id: string, email: string | null, role: Role, emailVerified: boolean, createdAt: string } | null };

export type ProfileFieldsFragment = { displayName: string, username: string, bio: string | null, birthdate: string, age: number, gender: Gender, interestedIn: Array<Gender>, completeness: number, location: { latitude: number, longitude: number, city: string | null, country: string | null } | null, photos: Array<{ id: string, url: string, position: number, isPrimary: boolean }> } & { ' $fragmentName'?: 'ProfileFieldsFragment' };

export type UpsertProfileMutationVariables = Exact<{
  input: ProfileInput;
}>;


export type UpsertProfileMutation = { upsertProfile: { ' $fragmentRefs'?: { 'ProfileFieldsFragment': ProfileFieldsFragment } } };

export type UpdatePreferencesMutationVariables = Exact<{
  input: PreferencesInput;
}>;


export type UpdatePreferencesMutation = { updatePreferences: { minAge: number, maxAge: number, maxDistanceKm: number, genders: Array<Gender> } };

export type UpdateLocationMutationVariables = Exact<{
  input: LocationInput;
}>;


export type UpdateLocationMutation = { updateLocation: { latitude: number, longitude: number, city: string | null, country: string | null } };

export type RequestPhotoUploadMutationVariables = Exact<{
  input: PhotoUploadInput;
}>;


export type RequestPhotoUploadMutation = { requestPhotoUpload: { photoId: string, uploadUrl: string, uploadMethod: UploadMethod, expiresAt: string, uploadFields: Array<{ name: string, value: string }> } };

export type ConfirmPhotoUploadMutationVariables = Exact<{
  photoId: string | number;
}>;


export type ConfirmPhotoUploadMutation = { confirmPhotoUpload: { id: string, url: string, position: number, isPrimary: boolean } };

export type SetPrimaryPhotoMutationVariables = Exact<{
  photoId: string | number;
}>;


export type SetPrimaryPhotoMutation = { setPrimaryPhoto: { id: string, isPrimary: boolean } };

export type ReorderPhotosMutationVariables = Exact<{
  photoIds: Array<string | number> | string | number;
}>;


export type ReorderPhotosMutation = { reorderPhotos: Array<{ id: string, position: number }> };

export type DeletePhotoMutationVariables = Exact<{
  photoId: string | number;
}>;


export type DeletePhotoMutation = { deletePhoto: boolean };

export type BlockUserMutationVariables = Exact<{
  userId: string | number;
}>;


export type BlockUserMutation = { blockUser: boolean };

export type UnblockUserMutationVariables = Exact<{
  userId: string | number;
}>;


export type UnblockUserMutation = { unblockUser: boolean };

export type MyProfileQueryVariables = Exact<{ [key: string]: never; }>;


export type MyProfileQuery = { me: { id: string, profile: { ' $fragmentRefs'?: { 'ProfileFieldsFragment': ProfileFieldsFragment } } | null, preferences: { minAge: number, maxAge: number, maxDistanceKm: number, genders: Array<Gender> } | null } | null };

export type UserProfileQueryVariables = Exact<{
  id: string | number;
}>;


export type UserProfileQuery = { user: { id: string, profile: { displayName: string, username: string, age: number, bio: string | null, gender: Gender, photos: Array<{ url: string, isPrimary: boolean }> } | null } | null };

export type SearchUsersQueryVariables = Exact<{
  query: string;
  first?: number | null | undefined;
}>;


export type SearchUsersQuery = { searchUsers: Array<{ id: string, profile: { displayName: string, username: string } | null }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const MessageFieldsFragmentDoc = new TypedDocumentString(`
    fragment MessageFields on Message {
  id
  clientMessageId
  body
  sentAt
  readAt
  sender {
    id
    profile {
      displayName
      photos {
        url
        isPrimary
      }
    }
  }
}
    `, {"fragmentName":"MessageFields"}) as unknown as TypedDocumentString<MessageFieldsFragment, unknown>;
export const SessionFieldsFragmentDoc = new TypedDocumentString(`
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    id
    email
    role
    emailVerified
    createdAt
  }
}
    `, {"fragmentName":"SessionFields"}) as unknown as TypedDocumentString<SessionFieldsFragment, unknown>;
export const ProfileFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProfileFields on Profile {
  displayName
  username
  bio
  birthdate
  age
  gender
  interestedIn
  location {
    latitude
    longitude
    city
    country
  }
  photos {
    id
    url
    position
    isPrimary
  }
  completeness
}
    `, {"fragmentName":"ProfileFields"}) as unknown as TypedDocumentString<ProfileFieldsFragment, unknown>;
export const LiveMessagesDocument = new TypedDocumentString(`
    subscription LiveMessages($conversationId: ID, $after: String) {
  messageAdded(conversationId: $conversationId, after: $after) {
    ...MessageFields
    cursor
    conversation {
      id
    }
  }
}
    fragment MessageFields on Message {
  id
  clientMessageId
  body
  sentAt
  readAt
  sender {
    id
    profile {
      displayName
      photos {
        url
        isPrimary
      }
    }
  }
}`, {"hash":"sha256:e047e915785c8f235ca57d9e5f3ce9880b7eab077cc83c9a6c7d71140731b5f9"}) as unknown as TypedDocumentString<LiveMessagesSubscription, LiveMessagesSubscriptionVariables>;
export const PlansDocument = new TypedDocumentString(`
    query Plans {
  plans {
    id
    name
    interval
    price {
      amountCents
      currency
    }
    features
  }
}
    `, {"hash":"sha256:c11114596caf1f89836fd953213e677ba288ee7b3224a07faa1e1b2bc9cf964c"}) as unknown as TypedDocumentString<PlansQuery, PlansQueryVariables>;
export const MyBillingDocument = new TypedDocumentString(`
    query MyBilling {
  me {
    id
    isPremium
    membership {
      plan {
        id
        name
      }
      status
      currentPeriodEnd
      cancelAtPeriodEnd
    }
    payments(first: 10) {
      id
      amount {
        amountCents
        currency
      }
      status
      description
      createdAt
    }
  }
}
    `, {"hash":"sha256:253a00cdb449ec50bd1963ddb028e21e48619133e445d726052bbddf809f9c36"}) as unknown as TypedDocumentString<MyBillingQuery, MyBillingQueryVariables>;
export const StartCheckoutDocument = new TypedDocumentString(`
    mutation StartCheckout($planId: ID!) {
  startCheckout(planId: $planId) {
    sessionId
    url
  }
}
    `, {"hash":"sha256:379323e1a42d965900d890734cc53fc8b32512ebaa36a64cd99bf83a78bb5d1f"}) as unknown as TypedDocumentString<StartCheckoutMutation, StartCheckoutMutationVariables>;
export const OpenBillingPortalDocument = new TypedDocumentString(`
    mutation OpenBillingPortal {
  openBillingPortal {
    url
  }
}
    `, {"hash":"sha256:8bf9e39a016adad12e7385d0bb5484006d82f5d444e2baf801bccedb2ab42e08"}) as unknown as TypedDocumentString<OpenBillingPortalMutation, OpenBillingPortalMutationVariables>;
export const PayCompetitionEntryDocument = new TypedDocumentString(`
    mutation PayCompetitionEntry($competitionId: ID!) {
  payCompetitionEntry(competitionId: $competitionId) {
    sessionId
    url
  }
}
    `, {"hash":"sha256:bccf4104c887ae54a942740f521570fc7a0a393146a7dc258e36c7ee21527d49"}) as unknown as TypedDocumentString<PayCompetitionEntryMutation, PayCompetitionEntryMutationVariables>;
export const ConversationsDocument = new TypedDocumentString(`
    query Conversations($first: Int, $after: String) {
  conversations(first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        unreadCount
        participants {
          id
          profile {
            displayName
          }
        }
        lastMessage {
          ...MessageFields
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment MessageFields on Message {
  id
  clientMessageId
  body
  sentAt
  readAt
  sender {
    id
    profile {
      displayName
      photos {
        url
        isPrimary
      }
    }
  }
}`, {"hash":"sha256:281bf1e0f5b6b376a519eec6967101692415539fe755de3d43aac66173d5200c"}) as unknown as TypedDocumentString<ConversationsQuery, ConversationsQueryVariables>;
export const ConversationMessagesDocument = new TypedDocumentString(`
    query ConversationMessages($id: ID!, $first: Int, $after: String) {
  conversation(id: $id) {
    id
    match {
      id
    }
    unreadCount
    messages(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...MessageFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment MessageFields on Message {
  id
  clientMessageId
  body
  sentAt
  readAt
  sender {
    id
    profile {
      displayName
      photos {
        url
        isPrimary
      }
    }
  }
}`, {"hash":"sha256:401450f16b7d36a6c8350bcb1fc3085bc48f63e676d199be95b53a9d3dd76343"}) as unknown as TypedDocumentString<ConversationMessagesQuery, ConversationMessagesQueryVariables>;
export const SendMessageDocument = new TypedDocumentString(`
    mutation SendMessage($input: SendMessageInput!) {
  sendMessage(input: $input) {
    ...MessageFields
    conversation {
      id
    }
  }
}
    fragment MessageFields on Message {
  id
  clientMessageId
  body
  sentAt
  readAt
  sender {
    id
    profile {
      displayName
      photos {
        url
        isPrimary
      }
    }
  }
}`, {"hash":"sha256:045ba34e272951e8f58e068a201fcd83f82a6b5390e75be92faa9c80cff81ca7"}) as unknown as TypedDocumentString<SendMessageMutation, SendMessageMutationVariables>;
export const MarkConversationReadDocument = new TypedDocumentString(`
    mutation MarkConversationRead($conversationId: ID!) {
  markConversationRead(conversationId: $conversationId) {
    id
    unreadCount
  }
}
    `, {"hash":"sha256:cf926127f6d3e7f47a707dbeb5bc03c0ad8b474267594230e6586562fc62638f"}) as unknown as TypedDocumentString<MarkConversationReadMutation, MarkConversationReadMutationVariables>;
export const OnMessageAddedDocument = new TypedDocumentString(`
    subscription OnMessageAdded($conversationId: ID, $after: String) {
  messageAdded(conversationId: $conversationId, after: $after) {
    ...MessageFields
    conversation {
      id
    }
  }
}
    fragment MessageFields on Message {
  id
  clientMessageId
  body
  sentAt
  readAt
  sender {
    id
    profile {
      displayName
      photos {
        url
        isPrimary
      }
    }
  }
}`, {"hash":"sha256:ef71cac952a77cd2f99fbbade01688389f5c32b7f0864c5cdb7f620286bf0e3f"}) as unknown as TypedDocumentString<OnMessageAddedSubscription, OnMessageAddedSubscriptionVariables>;
export const CompetitionsDocument = new TypedDocumentString(`
    query Competitions($status: CompetitionStatus, $first: Int, $after: String) {
  competitions(status: $status, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        name
        metric
        startsAt
        endsAt
        status
        entryFee {
          amountCents
          currency
        }
        participantCount
        isJoined
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"hash":"sha256:005411fd30a6657c584e7ecba4ff048dd6638c02ce57f4821d9e6ebfcc8338f5"}) as unknown as TypedDocumentString<CompetitionsQuery, CompetitionsQueryVariables>;
export const CreateCompetitionDocument = new TypedDocumentString(`
    mutation CreateCompetition($input: CreateCompetitionInput!) {
  createCompetition(input: $input) {
    id
    name
    metric
    startsAt
    endsAt
    status
    entryFee {
      amountCents
      currency
    }
  }
}
    `, {"hash":"sha256:40274027e7472083b052ec2f40ca2b5cae8b4fdf148bc9371f0eb5db2f467333"}) as unknown as TypedDocumentString<CreateCompetitionMutation, CreateCompetitionMutationVariables>;
export const JoinCompetitionDocument = new TypedDocumentString(`
    mutation JoinCompetition($competitionId: ID!) {
  joinCompetition(competitionId: $competitionId) {
    id
    isJoined
    participantCount
  }
}
    `, {"hash":"sha256:a6e890bb8f09f06e86bd104faa5c67e6b36ac349eb0a5feba3a2132d6bb89b92"}) as unknown as TypedDocumentString<JoinCompetitionMutation, JoinCompetitionMutationVariables>;
export const LeaveCompetitionDocument = new TypedDocumentString(`
    mutation LeaveCompetition($competitionId: ID!) {
  leaveCompetition(competitionId: $competitionId) {
    id
    isJoined
    participantCount
  }
}
    `, {"hash":"sha256:caf40675e7c4f8f9448b1bd0412fe97a8c860c050abf4437e065619bf4a385b8"}) as unknown as TypedDocumentString<LeaveCompetitionMutation, LeaveCompetitionMutationVariables>;
export const SyncActivityDocument = new TypedDocumentString(`
    mutation SyncActivity($input: SyncActivityInput!) {
  syncActivity(input: $input) {
    accepted
    duplicates
    standings {
      competition {
        id
      }
      rank
      score
    }
  }
}
    `, {"hash":"sha256:e56f3b92449160f07e85c529d30d9125a1039cacacdc314ac784c6ed91265051"}) as unknown as TypedDocumentString<SyncActivityMutation, SyncActivityMutationVariables>;
export const LeaderboardDocument = new TypedDocumentString(`
    query Leaderboard($competitionId: ID!, $first: Int, $after: String) {
  competition(id: $competitionId) {
    id
    name
    leaderboard(first: $first, after: $after) {
      edges {
        cursor
        node {
          rank
          score
          user {
            id
            profile {
              displayName
              photos {
                url
                isPrimary
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    myStanding {
      rank
      score
    }
  }
}
    `, {"hash":"sha256:fa62103bded242f994b07b8270cfc5f0a97704a628b598315a6fd999a2387d3f"}) as unknown as TypedDocumentString<LeaderboardQuery, LeaderboardQueryVariables>;
export const RatingLeaderboardDocument = new TypedDocumentString(`
    query RatingLeaderboard($first: Int, $after: String) {
  ratingLeaderboard(first: $first, after: $after) {
    edges {
      cursor
      node {
        rank
        rating
        user {
          id
          profile {
            username
          }
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"hash":"sha256:064435ff7dadb3896aa0127f040241f5997f366c6e6f54287df59f23d591c1b9"}) as unknown as TypedDocumentString<RatingLeaderboardQuery, RatingLeaderboardQueryVariables>;
export const OnLeaderboardRankChangedDocument = new TypedDocumentString(`
    subscription OnLeaderboardRankChanged($competitionId: ID!, $top: Int) {
  leaderboardRankChanged(competitionId: $competitionId, top: $top) {
    competition {
      id
    }
    user {
      id
      profile {
        displayName
      }
    }
    rank
    previousRank
    score
  }
}
    `, {"hash":"sha256:e2e904bdc533ff47b4dffc6c7790a370a495df47833dd8531aecadbcb33d4554"}) as unknown as TypedDocumentString<OnLeaderboardRankChangedSubscription, OnLeaderboardRankChangedSubscriptionVariables>;
export const OnMyRankChangedDocument = new TypedDocumentString(`
    subscription OnMyRankChanged($competitionId: ID!) {
  myRankChanged(competitionId: $competitionId) {
    competition {
      id
      name
    }
    rank
    previousRank
    score
  }
}
    `, {"hash":"sha256:b38ef7980a401f018c4db93584e7b34ea0cc3474c775fd0ec43df7ba2ed8a3b6"}) as unknown as TypedDocumentString<OnMyRankChangedSubscription, OnMyRankChangedSubscriptionVariables>;
export const DiscoverDocument = new TypedDocumentString(`
    query Discover($first: Int) {
  discover(first: $first) {
    user {
      id
      profile {
        displayName
        age
        bio
        photos {
          url
          isPrimary
        }
      }
    }
    distanceKm
    score
  }
}
    `, {"hash":"sha256:6ae38b34736838f975ae71ac1214cc2c1fc0a9c83413ad8ddff649d7d976c3ef"}) as unknown as TypedDocumentString<DiscoverQuery, DiscoverQueryVariables>;
export const SwipeDocument = new TypedDocumentString(`
    mutation Swipe($input: SwipeInput!) {
  swipe(input: $input) {
    isMatch
    match {
      id
      matchedAt
      user {
        id
        profile {
          displayName
        }
      }
    }
  }
}
    `, {"hash":"sha256:59c0d8f6d96d31aa74540dd34e86196c87119c29802654ea4c25e80a539531c4"}) as unknown as TypedDocumentString<SwipeMutation, SwipeMutationVariables>;
export const MatchesDocument = new TypedDocumentString(`
    query Matches($first: Int, $after: String) {
  matches(first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        matchedAt
        user {
          id
          profile {
            displayName
            photos {
              url
              isPrimary
            }
          }
        }
        conversation {
          id
          unreadCount
          lastMessage {
            body
            sentAt
          }
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"hash":"sha256:306943abcf8570b4722a0fb34d5f030826c980f4dbbe7c4300c992c6efeb9b3f"}) as unknown as TypedDocumentString<MatchesQuery, MatchesQueryVariables>;
export const UnmatchDocument = new TypedDocumentString(`
    mutation Unmatch($matchId: ID!) {
  unmatch(matchId: $matchId)
}
    `, {"hash":"sha256:268df7e0c84ff04cb1a25a4948457282a2872bf111772b654bffb1c8020b2a7e"}) as unknown as TypedDocumentString<UnmatchMutation, UnmatchMutationVariables>;
export const LikesReceivedDocument = new TypedDocumentString(`
    query LikesReceived($first: Int) {
  likesReceived(first: $first) {
    likedAt
    isSuperLike
    user {
      id
      profile {
        displayName
      }
    }
  }
}
    `, {"hash":"sha256:114b4c97ba3d3075b2e2d480030eaf4b1584dc89f3a33f736db4ee2a10fec86d"}) as unknown as TypedDocumentString<LikesReceivedQuery, LikesReceivedQueryVariables>;
export const OnMatchCreatedDocument = new TypedDocumentString(`
    subscription OnMatchCreated {
  matchCreated {
    id
    matchedAt
    user {
      id
      profile {
        displayName
        photos {
          url
          isPrimary
        }
      }
    }
  }
}
    `, {"hash":"sha256:92c87da4180a620cd0762249b4bda610342fd00074bea2ff758927c807095e8c"}) as unknown as TypedDocumentString<OnMatchCreatedSubscription, OnMatchCreatedSubscriptionVariables>;
export const RegisterDocument = new TypedDocumentString(`
    mutation Register($input: RegisterInput!) {
  register(input: $input) {
    ...SessionFields
  }
}
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    id
    email
    role
    emailVerified
    createdAt
  }
}`, {"hash":"sha256:726f8fac76b4d1cf66de11686c67571e6e46359485aa452db4debb9a743a2a25"}) as unknown as TypedDocumentString<RegisterMutation, RegisterMutationVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    ...SessionFields
  }
}
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    id
    email
    role
    emailVerified
    createdAt
  }
}`, {"hash":"sha256:a1543d81f9c50aec6e7ab2dadb84f286918a53440a03e205c6ef22152bf889c2"}) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const RefreshSessionDocument = new TypedDocumentString(`
    mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) {
    ...SessionFields
  }
}
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    id
    email
    role
    emailVerified
    createdAt
  }
}`, {"hash":"sha256:b1a8bbcdd770e0f9d47b354407bf4134bcaf95db04510a46b522424c176a3763"}) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken)
}
    `, {"hash":"sha256:44df27831b2e811e41361abb45896fc013bf9f0e37f54ae93fdb75c2c1f24da5"}) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const LogoutEverywhereDocument = new TypedDocumentString(`
    mutation LogoutEverywhere {
  logoutEverywhere
}
    `, {"hash":"sha256:52707447b420e68f4a0918465e15cadf17002137ecf83682995cbd21b0be795c"}) as unknown as TypedDocumentString<LogoutEverywhereMutation, LogoutEverywhereMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input)
}
    `, {"hash":"sha256:b71997bdb2cee8b9b73900d61cd376d4d1ebc42c845f2e2ffc4970107955c2b1"}) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const RequestPasswordResetDocument = new TypedDocumentString(`
    mutation RequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email)
}
    `, {"hash":"sha256:5ac89982dc149995bab85b93caab9976bbc3fd5994fbf4173153f8686dba9d72"}) as unknown as TypedDocumentString<RequestPasswordResetMutation, RequestPasswordResetMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($input: ResetPasswordInput!) {
  resetPassword(input: $input)
}
    `, {"hash":"sha256:5c8ccf52fa6849e6130938f2b7f0898c8a9872b780ff44f891c84b38dd96fc24"}) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const VerifyEmailDocument = new TypedDocumentString(`
    mutation VerifyEmail($token: String!) {
  verifyEmail(token: $token) {
    id
    emailVerified
  }
}
    `, {"hash":"sha256:f9981d8273b7258fd90882d663778d7b8f91f775d566848b201882e7b1c3a533"}) as unknown as TypedDocumentString<VerifyEmailMutation, VerifyEmailMutationVariables>;
export const DeleteAccountDocument = new TypedDocumentString(`
    mutation DeleteAccount($password: String!) {
  deleteAccount(password: $password)
}
    `, {"hash":"sha256:079ed3d63e49391a082d27ee1a18987abd47582eb900e04fc8ec98daf9f9362a"}) as unknown as TypedDocumentString<DeleteAccountMutation, DeleteAccountMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  me {
    id
    email
    role
    emailVerified
    createdAt
  }
}
    `, {"hash":"sha256:a654a15c773fe5ad6e4c1809f8635d372ddc1595822cc2b1db284912a197dc70"}) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const UpsertProfileDocument = new TypedDocumentString(`
    mutation UpsertProfile($input: ProfileInput!) {
  upsertProfile(input: $input) {
    ...ProfileFields
  }
}
    fragment ProfileFields on Profile {
  displayName
  username
  bio
  birthdate
  age
  gender
  interestedIn
  location {
    latitude
    longitude
    city
    country
  }
  photos {
    id
    url
    position
    isPrimary
  }
  completeness
}`, {"hash":"sha256:75e7602398e758edfb1d6f3e58893e91ec8814018645bb16dd5eb47e846cabd1"}) as unknown as TypedDocumentString<UpsertProfileMutation, UpsertProfileMutationVariables>;
export const UpdatePreferencesDocument = new TypedDocumentString(`
    mutation UpdatePreferences($input: PreferencesInput!) {
  updatePreferences(input: $input) {
    minAge
    maxAge
    maxDistanceKm
    genders
  }
}
    `, {"hash":"sha256:7e7154bb2f24df2ea446f7b45e8bb1caec2ae170941f60e0ef005d84611c7d53"}) as unknown as TypedDocumentString<UpdatePreferencesMutation, UpdatePreferencesMutationVariables>;
export const UpdateLocationDocument = new TypedDocumentString(`
    mutation UpdateLocation($input: LocationInput!) {
  updateLocation(input: $input) {
    latitude
    longitude
    city
    country
  }
}
    `, {"hash":"sha256:690cb662949911de6deecb61e91d8a6505fb761e4aa1684f38f39c338ff209cf"}) as unknown as TypedDocumentString<UpdateLocationMutation, UpdateLocationMutationVariables>;
export const RequestPhotoUploadDocument = new TypedDocumentString(`
    mutation RequestPhotoUpload($input: PhotoUploadInput!) {
  requestPhotoUpload(input: $input) {
    photoId
    uploadUrl
    uploadMethod
    uploadFields {
      name
      value
    }
    expiresAt
  }
}
    `, {"hash":"sha256:d0325a5b6ab661fab6e1abdead8d08142c28d10c83222f317cf771c56555023d"}) as unknown as TypedDocumentString<RequestPhotoUploadMutation, RequestPhotoUploadMutationVariables>;
export const ConfirmPhotoUploadDocument = new TypedDocumentString(`
    mutation ConfirmPhotoUpload($photoId: ID!) {
  confirmPhotoUpload(photoId: $photoId) {
    id
    url
    position
    isPrimary
  }
}
    `, {"hash":"sha256:5ab939109f874dd0875dc31ded41c36cb58d1001839d1e6b67afa0c80dd382a4"}) as unknown as TypedDocumentString<ConfirmPhotoUploadMutation, ConfirmPhotoUploadMutationVariables>;
export const SetPrimaryPhotoDocument = new TypedDocumentString(`
    mutation SetPrimaryPhoto($photoId: ID!) {
  setPrimaryPhoto(photoId: $photoId) {
    id
    isPrimary
  }
}
    `, {"hash":"sha256:911f2f71d4574eee4660117acc2a4ba4e365fc0d581f17c00a51cd9f71ddee63"}) as unknown as TypedDocumentString<SetPrimaryPhotoMutation, SetPrimaryPhotoMutationVariables>;
export const ReorderPhotosDocument = new TypedDocumentString(`
    mutation ReorderPhotos($photoIds: [ID!]!) {
  reorderPhotos(photoIds: $photoIds) {
    id
    position
  }
}
    `, {"hash":"sha256:09ed0f2fd614ceca36d092fde6adf837bb0855387747b79e762c36cbf7e6a888"}) as unknown as TypedDocumentString<ReorderPhotosMutation, ReorderPhotosMutationVariables>;
export const DeletePhotoDocument = new TypedDocumentString(`
    mutation DeletePhoto($photoId: ID!) {
  deletePhoto(photoId: $photoId)
}
    `, {"hash":"sha256:f1589b60abb18322e1e0b6c849ca67617630e3ba0cd5a2e3f56ff35aa9f52d6c"}) as unknown as TypedDocumentString<DeletePhotoMutation, DeletePhotoMutationVariables>;
export const BlockUserDocument = new TypedDocumentString(`
    mutation BlockUser($userId: ID!) {
  blockUser(userId: $userId)
}
    `, {"hash":"sha256:3ec1081f6fd02c227b5ed9eb4f433518fc0b8f80781119a47162c52b368266db"}) as unknown as TypedDocumentString<BlockUserMutation, BlockUserMutationVariables>;
export const UnblockUserDocument = new TypedDocumentString(`
    mutation UnblockUser($userId: ID!) {
  unblockUser(userId: $userId)
}
    `, {"hash":"sha256:c417da8e407c85ecf4cc32f537676ae5fa57a51c219d5c0ccd6d95ea5587ac4d"}) as unknown as TypedDocumentString<UnblockUserMutation, UnblockUserMutationVariables>;
export const MyProfileDocument = new TypedDocumentString(`
    query MyProfile {
  me {
    id
    profile {
      ...ProfileFields
    }
    preferences {
      minAge
      maxAge
      maxDistanceKm
      genders
    }
  }
}
    fragment ProfileFields on Profile {
  displayName
  username
  bio
  birthdate
  age
  gender
  interestedIn
  location {
    latitude
    longitude
    city
    country
  }
  photos {
    id
    url
    position
    isPrimary
  }
  completeness
}`, {"hash":"sha256:5d934d2ecc6287ad127079dc7345c58f563d94ba93f7f8c1cbadc5c4cd0598ad"}) as unknown as TypedDocumentString<MyProfileQuery, MyProfileQueryVariables>;
export const UserProfileDocument = new TypedDocumentString(`
    query UserProfile($id: ID!) {
  user(id: $id) {
    id
    profile {
      displayName
      username
      age
      bio
      gender
      photos {
        url
        isPrimary
      }
    }
  }
}
    `, {"hash":"sha256:9bdfcebdb354970596dbea36e09bfcc1e4dd22f999c01701892ead479a5512a1"}) as unknown as TypedDocumentString<UserProfileQuery, UserProfileQueryVariables>;
export const SearchUsersDocument = new TypedDocumentString(`
    query SearchUsers($query: String!, $first: Int) {
  searchUsers(query: $query, first: $first) {
    id
    profile {
      displayName
      username
    }
  }
}
    `, {"hash":"sha256:abce3dae60002da66674cc2779c8c278243dd88f82b9191ce677c18a253dc1c6"}) as unknown as TypedDocumentString<SearchUsersQuery, SearchUsersQueryVariables>;