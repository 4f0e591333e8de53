import { chromium, type Browser } from "playwright-core";

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it when missing). */
const CHROMIUM_PATH = "/usr/bin/chromium";

/** Headless Chromium for end-to-end tests, without the network traffic of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
