// `pnpm billing:reconcile`: reads every non-final membership and pending payment from Stripe and
// repairs what a lost webhook left wrong, once, then exits.
import { loadBillingConfig } from "./config.ts";
import { createBillingReconciler } from "./server.ts";

const reconciler = createBillingReconciler(loadBillingConfig());
try {
  const report = await reconciler.run();
  console.log(report ? JSON.stringify(report) : "Another process is reconciling; nothing done.");
  process.exitCode = report && report.failures > 0 ? 1 : 0;
} finally {
  await reconciler.close();
}
