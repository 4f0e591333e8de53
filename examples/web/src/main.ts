import { chatView } from "./views/chat.ts";
import { competitionsView, leaderboardView } from "./views/competitions.ts";
import { discoverView } from "./views/discover.ts";
import { matchesView } from "./views/matches.ts";
import { premiumView } from "./views/premium.ts";
import { signInView } from "./views/sign-in.ts";
import type { View } from "./dom.ts";
import { api, isSignedIn } from "./session.ts";

const app = document.querySelector<HTMLElement>("#app")!;
const nav = document.querySelector<HTMLElement>("#nav")!;
let current: View | undefined;

/** The view of a `#/…` route; every route but sign-in needs a session. */
function route(hash: string): View {
  const [name, id] = hash.replace(/^#\/?/, "").split("/");
  if (!isSignedIn() || name === "sign-in") return signInView();
  if (name === "matches") return matchesView();
  if (name === "chat" && id) return chatView(id);
  if (name === "competitions") return competitionsView();
  if (name === "leaderboard" && id) return leaderboardView(id);
  if (name === "premium") return premiumView();
  return discoverView();
}

function render() {
  current?.dispose?.();
  current = route(location.hash);
  nav.hidden = !isSignedIn();
  app.replaceChildren(current.root);
}

document.querySelector("#sign-out")!.addEventListener("click", () => {
  api.tokens.set(null);
  location.hash = "#/sign-in";
});
window.addEventListener("hashchange", render);
render();
