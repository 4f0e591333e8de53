import { MatchesDocument } from "@pulse/client";
import { errorText, h, type View } from "../dom.ts";
import { api } from "../session.ts";

/** The viewer's matches; each opens its conversation. */
export function matchesView(): View {
  const list = h("ul", { class: "matches" });
  const status = h("p", { role: "status" });
  void api.request(MatchesDocument, { first: 50 }).then((result) => {
    if (result.errors) return void (status.textContent = errorText(result) ?? "");
    const edges = result.data?.matches.edges ?? [];
    if (edges.length === 0) status.textContent = "No matches yet: swipe in Discover.";
    for (const { node } of edges) {
      const name = node.user.profile?.displayName ?? "Someone";
      const href = node.conversation ? `#/chat/${node.conversation.id}` : "#/matches";
      const last = node.conversation?.lastMessage?.body;
      list.append(h("li", { class: "row" }, h("a", { href }, name), last ? ` — ${last}` : ""));
    }
  });
  return { root: h("section", {}, h("h2", {}, "Chat"), status, list) };
}
