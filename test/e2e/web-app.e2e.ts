import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWebApp } from "../../examples/web/dev-server.ts";
import { launchChromium } from "@pulse/testkit/browser";
import {
  discoverablePair,
  matchedPair,
  type MatchedPair,
  type PersonWithProfile,
} from "@pulse/testkit/fixtures";
import { untilListening } from "@pulse/testkit/live";
import { startStack, type Stack } from "@pulse/testkit/stack";

const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");
/** Page loads include Vite compiling the app on first request: generous on a busy machine. */
const PAGE_TIMEOUT_MS = 60_000;

let stack: Stack;
let pair: MatchedPair;
let web: Awaited<ReturnType<typeof startWebApp>>;
let browser: Browser;
beforeAll(async () => {
  [web, browser] = await Promise.all([startWebApp(), launchChromium()]);
  // Checkout sends the person back to the app's Premium page, as a real deployment would.
  stack = await startStack({}, { billing: { CHECKOUT_SUCCESS_URL: `${web.url}#/premium` } });
  pair = await matchedPair(stack);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await stack?.close();
});

const isLocal = (url: string) => ["localhost", "127.0.0.1"].includes(new URL(url).hostname);

/** A browser of its own (cookies, storage) for `person`, signed in through the app's form. */
async function signedIn(person: PersonWithProfile): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  // Nothing but the app and the API: no fonts, updates or anything else from the internet.
  await context.route("**/*", (route) =>
    isLocal(route.request().url()) ? route.continue() : route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const api = encodeURIComponent(`${stack.gatewayUrl}/graphql`);
  await page.goto(`${web.url}?api=${api}#/sign-in`);
  await page.fill("input[name=email]", person.email);
  await page.fill("input[name=password]", person.password);
  await page.click("button[type=submit]");
  await page.waitForSelector("#nav:not([hidden])");
  return page;
}

it("shows a message sent in one browser in the other, live, with its sender's name", async () => {
  // The page's origin (localhost:<vite>) is not the gateway's (127.0.0.1:<port>): CORS at work.
  expect(new URL(web.url).origin).not.toBe(new URL(stack.gatewayUrl).origin);
  const sent = await pair.bob.client.op("SendMessage", {
    input: { conversationId: pair.conversationId, clientMessageId: randomUUID(), body: "Hi Alice" },
  });
  expect(sent.errors).toBeUndefined();

  const [alice, bob] = await Promise.all([signedIn(pair.alice), signedIn(pair.bob)]);
  for (const page of [alice, bob]) {
    await page.goto(`${page.url().split("#")[0]}#/chat/${pair.conversationId}`);
    await page.waitForSelector('.message:has-text("Hi Alice")');
  }

  const body = `Hello from Bob's browser ${randomUUID().slice(0, 8)}`;
  await bob.fill("input[name=body]", body);
  await bob.click("button[type=submit]");

  const received = alice.locator(".message", { hasText: body });
  await received.waitFor();
  expect(await received.locator(".sender").textContent()).toBe("Bob");
  expect(await received.locator(".body").textContent()).toBe(body);
  expect(await alice.locator(".message").count()).toBe(2);

  await mkdir(ARTIFACTS, { recursive: true });
  const screenshot = path.join(ARTIFACTS, "web-app-chat.png");
  await alice.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);
}, 180_000);

it("discovers, swipes and matches in two browsers", async () => {
  const { alice, bob } = await discoverablePair(stack);
  const [alicePage, bobPage] = await Promise.all([signedIn(alice), signedIn(bob)]);
  const like = async (page: Page, name: string) => {
    const card = page.locator(".card", { hasText: name });
    await card.waitFor();
    await card.locator("button", { hasText: "Like" }).click();
    await card.waitFor({ state: "detached" });
  };
  await like(alicePage, "Bob");
  await like(bobPage, "Alice");
  const status = bobPage.locator("[role=status]", { hasText: "match" });
  await status.waitFor();
  expect(await status.textContent()).toBe("It's a match with Alice!");
}, 180_000);

it("upgrades to Premium through Checkout, and shows it once Stripe's webhook arrived", async () => {
  const page = await signedIn(pair.alice);
  await page.goto(`${page.url().split("#")[0]}#/premium`);
  await page.locator(".membership", { hasText: "Free membership." }).waitFor();
  await page.locator(".card", { hasText: "/ month" }).locator("button").click();
  // The local Stripe test server's hosted Checkout page.
  await page.waitForURL((url) => url.pathname.startsWith("/checkout/"));
  expect(new URL(page.url()).origin).toBe(new URL(stack.stripe.url).origin);
  await page.click("button[value=pay]");
  await page.waitForURL((url) => url.href.startsWith(web.url) && url.hash === "#/premium");
  // Active on the webhook, not on the redirect: reload until the page says so.
  const membership = async () => {
    await page.reload();
    await page.locator(".membership:not(:empty)").waitFor();
    return page.locator(".membership").textContent();
  };
  await expect.poll(membership).toMatch(/^Premium: Premium monthly, renews /);
  await mkdir(ARTIFACTS, { recursive: true });
  const screenshot = path.join(ARTIFACTS, "web-app-premium.png");
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);
}, 180_000);

/** `steps` synced for `person` from a step counter, ending a minute ago. */
async function walks(person: PersonWithProfile, steps: number) {
  const endedAt = Date.now() - 60_000;
  const synced = await person.client.op("SyncActivity", {
    input: {
      source: "GOOGLE_FIT",
      records: [
        {
          externalId: randomUUID(),
          metric: "STEPS",
          value: steps,
          startedAt: new Date(endedAt - 30 * 60_000).toISOString(),
          endedAt: new Date(endedAt).toISOString(),
        },
      ],
    },
  });
  expect(synced.errors).toBeUndefined();
}

it("moves a competition's leaderboard live when someone overtakes", async () => {
  const { alice, bob } = pair;
  const hour = 60 * 60 * 1000;
  const created = await alice.client.op("CreateCompetition", {
    input: {
      name: `Steps ${randomUUID().slice(0, 6)}`,
      metric: "STEPS",
      startsAt: new Date(Date.now() - hour).toISOString(),
      endsAt: new Date(Date.now() + 24 * hour).toISOString(),
    },
  });
  expect(created.errors).toBeUndefined();
  const competitionId = created.data!.createCompetition.id as string;
  for (const person of [alice, bob]) {
    expect((await person.client.op("JoinCompetition", { competitionId })).errors).toBeUndefined();
  }
  await walks(alice, 3000);

  const page = await signedIn(alice);
  await page.goto(`${page.url().split("#")[0]}#/leaderboard/${competitionId}`);
  const first = page.locator(".leaderboard li").first();
  await page.locator(".leaderboard li", { hasText: "Alice: 3000" }).waitFor();
  expect(await first.textContent()).toBe("#1 Alice: 3000");
  await untilListening(stack, "rank-changed", competitionId);

  await walks(bob, 5000);
  await page.locator(".leaderboard li", { hasText: "Bob: 5000" }).waitFor();
  expect(await page.locator(".leaderboard li").allTextContents()).toEqual([
    "#1 Bob: 5000",
    "#2 Alice: 3000",
  ]);
  expect(await page.locator(".standing").textContent()).toBe("You: #2 with 3000");
}, 180_000);
