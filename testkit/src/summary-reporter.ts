import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with the plain line `N passed, N failed` (and skipped, if any), which CI reads. A
 * test file that failed outside its tests (loading, a hook) counts as one failure.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      const states = [...module.children.allTests()].map((test) => test.result().state);
      passed += states.filter((state) => state === "passed").length;
      failed += states.filter((state) => state === "failed").length;
      skipped += states.filter((state) => state !== "passed" && state !== "failed").length;
      // A file that failed outside its tests (import, beforeAll) counts once.
      if (module.state() === "failed" && !states.includes("failed")) failed += 1;
    }
    const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`;
    process.stdout.write(`\n${line}\n`);
  }
}
