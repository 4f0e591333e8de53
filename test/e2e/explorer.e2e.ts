import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type Browser, type Page } from "@pulse/testkit/browser";
import { matchedPair } from "@pulse/testkit/fixtures";
import { untilListening } from "@pulse/testkit/live";
import { startStack, type Stack } from "@pulse/testkit/stack";

/** Test artefacts (gitignored): the explorer's screenshot. */
const ARTIFACTS_DIR = path.resolve(import.meta.dirname, "../artifacts");
/** The first visit bundles GraphiQL and Monaco (esbuild): seconds on a busy machine. */
const PAGE_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 180_000;

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/**
 * A page of a browser context that may reach this machine alone, as if offline: every other
 * request is aborted and recorded, as is every content policy violation the page reports.
 */
async function offlinePage(): Promise<{ page: Page; blocked: string[]; refused: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === "127.0.0.1" || hostname === "localhost") return route.continue();
    blocked.push(route.request().url());
    return route.abort("internetdisconnected");
  });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) refused.push(message.text());
  });
  return { page, blocked, refused };
}

/** Opens a side panel of GraphiQL by its plugin's title. */
async function openPanel(page: Page, title: string) {
  await page.getByRole("button", { name: `Show ${title}` }).click();
}

/** An editor's text without whitespace: Monaco writes non-breaking spaces and wraps lines. */
async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).textContent()) ?? "").replace(/\s+/g, "");
}

const responseText = (page: Page) => textOf(page, ".result-window");

const queryText = (page: Page) => textOf(page, ".graphiql-query-editor .monaco-editor");

/** Opens a contract operation in a tab of its own, and runs it once the editor shows it. */
async function runOperation(page: Page, name: string, type: "query" | "subscription") {
  await page.locator(`[data-operation="${name}"]`).click();
  // The tab's editor fills asynchronously: running sooner would run the previous tab.
  await expect.poll(() => queryText(page)).toContain(`${type}${name}`);
  await page.locator(".graphiql-execute-button").click();
}

describe("the development explorer (GraphiQL)", () => {
  it(
    "works offline: signs in, runs a query and a subscription",
    async () => {
      const pair = await matchedPair(stack);
      const { page, blocked, refused } = await offlinePage();
      try {
        await page.goto(`${stack.gatewayUrl}/graphql`);
        // Ready once Monaco (loaded with its workers) shows the default query, Viewer.
        await expect
          .poll(() => queryText(page), {
            timeout: PAGE_TIMEOUT_MS,
          })
          .toContain("queryViewer");

        await openPanel(page, "Sign in");
        await page.getByLabel("Email").fill(pair.alice.email);
        await page.getByLabel("Password").fill(pair.alice.password);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await expect
          .poll(() => page.getByRole("status").textContent())
          .toContain(`Signed in as ${pair.alice.email}`);

        await openPanel(page, "Contract operations");
        await runOperation(page, "Viewer", "query");
        await expect.poll(() => responseText(page)).toContain(pair.alice.email);

        await runOperation(page, "OnMessageAdded", "subscription");
        await untilListening(stack, "message-added", pair.alice.id);
        const body = `seen-in-graphiql-${randomUUID()}`;
        const sent = await pair.bob.client.op("SendMessage", {
          input: { conversationId: pair.conversationId, body, clientMessageId: randomUUID() },
        });
        expect(sent.errors).toBeUndefined();
        await expect.poll(() => responseText(page)).toContain(body);

        await mkdir(ARTIFACTS_DIR, { recursive: true });
        const screenshot = path.join(ARTIFACTS_DIR, "explorer-graphiql.png");
        await page.screenshot({ path: screenshot });
        console.log(`explorer screenshot: ${screenshot}`);
        expect(blocked).toEqual([]);
        expect(refused).toEqual([]);
      } finally {
        await page.context().close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe("Apollo Sandbox on /sandbox", () => {
  it(
    "embeds Sandbox from the gateway's own script; only Apollo's iframe needs the internet",
    async () => {
      const { page, blocked } = await offlinePage();
      try {
        await page.goto(`${stack.gatewayUrl}/sandbox`);
        const frame = page.locator("#sandbox iframe");
        await expect
          .poll(() => frame.getAttribute("src"), { timeout: PAGE_TIMEOUT_MS })
          .toMatch(/^https:\/\/sandbox\.embed\.apollographql\.com\//);
        await expect.poll(() => blocked.length).toBeGreaterThan(0);
        expect(blocked.map((url) => new URL(url).origin)).toEqual(
          blocked.map(() => "https://sandbox.embed.apollographql.com"),
        );
      } finally {
        await page.context().close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
