import { MyBillingDocument, PlansDocument, StartCheckoutDocument } from "@pulse/client";
import { errorText, h, type View } from "../dom.ts";
import { api } from "../session.ts";

const price = (cents: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);

/** A DateTime (ISO 8601 string, see @pulse/client's scalars) as the reader's calendar day. */
const day = (dateTime: string | undefined) =>
  dateTime ? new Date(dateTime).toLocaleDateString() : "?";

/**
 * Premium: the viewer's membership, and the plans. Upgrading goes to Stripe Checkout (in
 * development the local Stripe stand-in); the membership turns active when Stripe's webhook
 * reaches billing, never on the page's word.
 */
export function premiumView(): View {
  const membership = h("p", { class: "membership" });
  const plans = h("ul", { class: "plans" });
  const status = h("p", { class: "error", role: "alert" });
  void api.request(MyBillingDocument).then((result) => {
    const me = result.data?.me;
    if (!me) return void (membership.textContent = errorText(result) ?? "");
    membership.textContent = me.isPremium
      ? `Premium: ${me.membership?.plan.name}, renews ${day(me.membership?.currentPeriodEnd)}`
      : "Free membership.";
  });
  void api.request(PlansDocument).then((result) => {
    for (const plan of result.data?.plans ?? []) {
      const upgrade = async () => {
        const checkout = await api.request(StartCheckoutDocument, { planId: plan.id });
        const url = checkout.data?.startCheckout.url;
        if (!url) return void (status.textContent = errorText(checkout) ?? "");
        location.assign(url);
      };
      plans.append(
        h(
          "li",
          { class: "card" },
          h("strong", {}, plan.name),
          ` ${price(plan.price.amountCents, plan.price.currency)} / ${plan.interval.toLowerCase()}`,
          h("p", {}, plan.features.join(" · ")),
          h("button", { onclick: upgrade }, "Upgrade"),
        ),
      );
    }
  });
  return { root: h("section", {}, h("h2", {}, "Premium"), membership, plans, status) };
}
