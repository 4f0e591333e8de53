import type Stripe from "stripe";

/** The hosted pages of the local Stripe server: plain HTML forms, no scripts. */

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );

const money = (cents: number | null, currency: string | null) =>
  `${((cents ?? 0) / 100).toFixed(2)} ${(currency ?? "usd").toUpperCase()}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
.banner{background:#fff3cd;padding:.5rem 1rem;border-radius:.5rem}button{margin:.25rem 0;padding:.5rem 1rem;width:100%}
.error{color:#b00020}</style></head>
<body><p class="banner">Local Stripe test server: no real money moves.</p>${body}</body></html>`;
}

export function checkoutPage(
  session: Stripe.Checkout.Session,
  price: Stripe.Price | undefined,
  error: string | null,
): string {
  const what = price?.nickname ?? "Payment";
  const recurring = price?.recurring ? ` per ${price.recurring.interval}` : "";
  const closed = session.status !== "open";
  return layout(
    "Checkout",
    `<h1>${escape(what)}</h1>
<p>${money(session.amount_total, session.currency)}${recurring}</p>
${error ? `<p class="error">${escape(error)}</p>` : ""}
${
  closed
    ? `<p>This Checkout session is ${escape(session.status ?? "closed")}.</p>`
    : `<form method="post">
<p>Test card 4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined.</p>
<button name="outcome" value="pay">Pay with 4242 4242 4242 4242</button>
<button name="outcome" value="decline">Pay with 4000 0000 0000 0002 (declined)</button>
<button name="outcome" value="cancel">Cancel and go back</button>
</form>`
}`,
  );
}

export function portalPage(
  session: Stripe.BillingPortal.Session,
  subscriptions: Stripe.Subscription[],
): string {
  const rows = subscriptions
    .map((subscription) => {
      const item = subscription.items.data[0];
      const end = item ? new Date(item.current_period_end * 1000).toISOString() : "";
      const form = (action: string, label: string) =>
        `<form method="post" action="/portal/${session.id}/${action}"><input type="hidden" name="subscription" value="${subscription.id}"><button>${label}</button></form>`;
      const actions =
        subscription.status === "canceled"
          ? ""
          : subscription.cancel_at_period_end
            ? form("resume", "Renew") + form("cancel-now", "Cancel now")
            : form("cancel-at-period-end", "Cancel at period end") +
              form("cancel-now", "Cancel now");
      return `<li><p>${escape(item?.price.nickname ?? subscription.id)}: ${escape(subscription.status)}${
        subscription.cancel_at_period_end ? ", ends" : ", renews"
      } ${escape(end)}</p>${actions}</li>`;
    })
    .join("");
  return layout(
    "Billing portal",
    `<h1>Your subscriptions</h1><ul>${rows || "<li>None</li>"}</ul>${
      session.return_url ? `<p><a href="${escape(session.return_url)}">Back</a></p>` : ""
    }`,
  );
}

export function resultPage(message: string, back: string | null): string {
  return layout(
    message,
    `<h1>${escape(message)}</h1>${back ? `<a href="${escape(back)}">Back</a>` : ""}`,
  );
}
