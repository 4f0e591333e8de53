import { DiscoverDocument, SwipeDocument, type SwipeAction } from "@pulse/client";
import { errorText, h, type View } from "../dom.ts";
import { api } from "../session.ts";

/** People who fit the viewer's preferences, best first; like or pass each. */
export function discoverView(): View {
  const list = h("ul", { class: "candidates" });
  const status = h("p", { role: "status" });
  const swipe = async (card: HTMLElement, targetUserId: string, action: SwipeAction) => {
    const result = await api.request(SwipeDocument, { input: { targetUserId, action } });
    if (result.errors) return void (status.textContent = errorText(result) ?? "");
    card.remove();
    const match = result.data?.swipe.match;
    if (match) status.textContent = `It's a match with ${match.user.profile?.displayName}!`;
  };
  void api.request(DiscoverDocument, { first: 20 }).then((result) => {
    const candidates = result.data?.discover ?? [];
    if (result.errors) status.textContent = errorText(result) ?? "";
    else if (candidates.length === 0) status.textContent = "Nobody new nearby right now.";
    for (const { user, distanceKm } of candidates) {
      const card: HTMLLIElement = h(
        "li",
        { class: "card" },
        h("strong", {}, user.profile?.displayName ?? "Someone"),
        ` ${user.profile?.age ?? ""} · ${Math.round(distanceKm)} km`,
        h("p", {}, user.profile?.bio ?? ""),
        h(
          "div",
          { class: "actions" },
          h("button", { onclick: () => swipe(card, user.id, "PASS") }, "Pass"),
          h("button", { onclick: () => swipe(card, user.id, "LIKE") }, "Like"),
        ),
      );
      list.append(card);
    }
  });
  return { root: h("section", {}, h("h2", {}, "Discover"), status, list) };
}
