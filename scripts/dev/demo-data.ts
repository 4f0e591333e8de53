// The demo world `pnpm dev` seeds through the public API. Later subgraphs extend it (profiles,
// competitions, ...) and the seeder in `seed.ts`, so a fresh checkout always has something to
// look at in Sandbox.

/** Password of every demo account; meets the contract's password policy. */
export const DEMO_PASSWORD = "Pulse!2026";

/** A person of the demo world, registered through the gateway like any client would. */
export interface DemoAccount {
  /** First name, for the banner now and for profiles once a subgraph stores them. */
  name: string;
  email: string;
  password: string;
}

/** The demo accounts, in the order they are registered. */
export const demoAccounts: DemoAccount[] = [
  { name: "Alice", email: "alice@pulse.dev", password: DEMO_PASSWORD },
  { name: "Bob", email: "bob@pulse.dev", password: DEMO_PASSWORD },
  { name: "Carol", email: "carol@pulse.dev", password: DEMO_PASSWORD },
];
