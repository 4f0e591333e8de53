// The demo world `pnpm dev` seeds through the public API. Later subgraphs extend it (profiles,
// competitions, ...) and the seeder in `seed.ts`, so a fresh checkout always has something to
// look at in the explorer.

/** Password of every demo account; meets the contract's password policy. */
export const DEMO_PASSWORD = "Pulse!2026";

type Gender = "FEMALE" | "MALE" | "NON_BINARY";

/** A person of the demo world, registered through the gateway like any client would. */
export interface DemoAccount {
  /** First name: for the banner, and the profile's display name. */
  name: string;
  email: string;
  password: string;
  /** The rest of their `ProfileInput` (display name: `name`). */
  profile: {
    username: string;
    birthdate: string;
    gender: Gender;
    interestedIn: Gender[];
    bio: string;
  };
  /** Their `LocationInput`: all in Berlin, so discovery has people near each other. */
  location: { latitude: number; longitude: number; city: string; country: string };
}

const berlin = (latitude: number, longitude: number) => ({
  latitude,
  longitude,
  city: "Berlin",
  country: "DE",
});

/** The demo accounts, in the order they are registered. */
export const demoAccounts: DemoAccount[] = [
  {
    name: "Alice",
    email: "alice@pulse.dev",
    password: DEMO_PASSWORD,
    profile: {
      username: "alice",
      birthdate: "1994-05-17",
      gender: "FEMALE",
      interestedIn: ["MALE", "NON_BINARY"],
      bio: "Trail runner, 10k in 48 minutes. Looking for a training partner.",
    },
    location: berlin(52.52, 13.405),
  },
  {
    name: "Bob",
    email: "bob@pulse.dev",
    password: DEMO_PASSWORD,
    profile: {
      username: "bob.lifts",
      birthdate: "1991-11-02",
      gender: "MALE",
      interestedIn: ["FEMALE"],
      bio: "Powerlifting and long walks to the bakery.",
    },
    location: berlin(52.5, 13.42),
  },
  {
    name: "Carol",
    email: "carol@pulse.dev",
    password: DEMO_PASSWORD,
    profile: {
      username: "carol_cycles",
      birthdate: "1997-02-23",
      gender: "NON_BINARY",
      interestedIn: ["FEMALE", "MALE", "NON_BINARY"],
      bio: "Cyclist. Ask me about my Strava streak.",
    },
    location: berlin(52.49, 13.39),
  },
];

/** A line of the demo conversation: who says it (their email), and what. */
export interface DemoMessage {
  from: string;
  body: string;
}

/**
 * Alice and Bob like each other, so discovery matches them and chat opens their conversation,
 * in which they have said these lines (sent with `demo-<index>` as clientMessageId, so seeding
 * again stores nothing new). Carol stays unmatched, to swipe on.
 */
export const demoMatch: { between: [string, string]; messages: DemoMessage[] } = {
  between: ["alice@pulse.dev", "bob@pulse.dev"],
  messages: [
    { from: "alice@pulse.dev", body: "Hi Bob! A powerlifter who walks to the bakery, I like it." },
    { from: "bob@pulse.dev", body: "Ha, thanks! Do you run to the bakery then?" },
    { from: "alice@pulse.dev", body: "Trail runs only. Saturday 9:00 at Tempelhofer Feld, 5k?" },
    { from: "bob@pulse.dev", body: "Deal. Croissants after are on me." },
  ],
};

/**
 * Carol is a premium member with a payment history, bought on the local Checkout page while
 * seeding (only with the local Stripe test server; with real Stripe, buy one yourself).
 */
export const demoPremium = { member: "carol@pulse.dev", planId: "premium-monthly" };

/**
 * The demo competitions. The seeder creates the active and the upcoming one through the API and
 * joins the demo accounts to the active one; in development the competitions subgraph's demo
 * feed (`DEMO_ACTIVITY_MS`) adds a crowd and a finished competition, then keeps the active one
 * moving. The names are how both find them (subgraphs/competitions/src/demo/demo-feed.ts).
 */
export const demoCompetitions = {
  active: {
    name: "Pulse demo: December steps",
    description: "Most steps wins. A demo crowd keeps moving the leaderboard.",
    metric: "STEPS",
    /** Every demo account joins, and syncs this many steps. */
    steps: { Alice: 9_000, Bob: 7_500, Carol: 11_000 } as Record<string, number>,
  },
  upcoming: {
    name: "Pulse demo: January distance (entry fee)",
    description: "Starts in a week; joining needs a paid entry.",
    metric: "DISTANCE_METERS",
    entryFeeCents: 500,
    currency: "usd",
    maxParticipants: 100,
  },
};
