import { styleText } from "node:util";
import { demoAccounts } from "./demo-data.ts";
import type { SeedOutcome } from "./seed.ts";

/** What the banner shows once everything answers. */
export interface BannerFacts {
  /** The gateway's base URL: GraphiQL on /graphql, Apollo Sandbox on /sandbox. */
  gatewayUrl: string;
  subgraphs: { name: string; url: string }[];
  /** Outcome per demo email; `undefined` when seeding was skipped or failed. */
  seeded: Map<string, SeedOutcome> | undefined;
  /** Label → where that data lives. */
  data: Record<string, string>;
  /** Whether payments go to the local Stripe test server (then the banner says how to buy). */
  localStripe: boolean;
}

/** Prints the "ready" banner: where to click, whom to sign in as, where the data is. */
export function printBanner(facts: BannerFacts): void {
  const bold = (text: string) => (process.stdout.isTTY ? styleText("bold", text) : text);
  const rule = "─".repeat(72);
  const lines = [
    rule,
    bold("  Pulse is running. Ctrl-C stops everything."),
    "",
    `  GraphiQL    ${bold(`${facts.gatewayUrl}/graphql`)}  (works offline)`,
    `  Sandbox     ${facts.gatewayUrl}/sandbox  (needs Apollo's servers)`,
    ...facts.subgraphs.map(({ name, url }) => `  ${name.padEnd(11)} ${url}`),
    "",
  ];
  if (facts.seeded) {
    lines.push("  Demo accounts (sign in with the login mutation):");
    for (const { name, email, password } of demoAccounts) {
      const outcome = facts.seeded.get(email) === "created" ? "new" : "existing";
      lines.push(`    ${email.padEnd(20)} ${password.padEnd(12)} ${name}, ${outcome}`);
    }
  } else {
    lines.push("  Demo accounts were not seeded (see above).");
  }
  if (facts.localStripe) {
    lines.push(
      "",
      "  Premium: Carol is a member. To buy it as Alice (no real money moves):",
      "    1. In GraphiQL's Sign in panel, sign in as alice@pulse.dev.",
      '    2. mutation { startCheckout(planId: "premium-monthly") { url } }',
      "    3. Open the url and press Pay: the local Stripe sends billing its signed webhooks.",
      "    4. query { likesReceived { user { id } } } now works, with the same token.",
    );
  }
  lines.push("", "  Data");
  for (const [label, where] of Object.entries(facts.data)) {
    lines.push(`    ${label.padEnd(9)} ${where}`);
  }
  lines.push(rule);
  console.log(lines.join("\n"));
}
