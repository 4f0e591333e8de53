import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWebApp } from "../../examples/web/dev-server.ts";
import { launchChromium } from "@pulse/testkit/browser";
import { matchedPair, type MatchedPair, type PersonWithProfile } from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";

const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");
/** Page loads include Vite compiling the app on first request: generous on a busy machine. */
const PAGE_TIMEOUT_MS = 60_000;

let stack: Stack;
let pair: MatchedPair;
let web: Awaited<ReturnType<typeof startWebApp>>;
let browser: Browser;
beforeAll(async () => {
  [stack, web, browser] = await Promise.all([startStack(), startWebApp(), launchChromium()]);
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
