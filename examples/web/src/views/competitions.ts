import {
  CompetitionsDocument,
  JoinCompetitionDocument,
  LeaderboardDocument,
  OnLeaderboardRankChangedDocument,
} from "@pulse/client";
import { errorText, h, type View } from "../dom.ts";
import { api } from "../session.ts";

/** Active competitions; join one, and watch its leaderboard move live. */
export function competitionsView(): View {
  const list = h("ul", { class: "competitions" });
  const status = h("p", { role: "status" });
  void api.request(CompetitionsDocument, { status: "ACTIVE", first: 20 }).then((result) => {
    if (result.errors) return void (status.textContent = errorText(result) ?? "");
    const edges = result.data?.competitions.edges ?? [];
    if (edges.length === 0) status.textContent = "No active competitions.";
    for (const { node } of edges) {
      list.append(
        h(
          "li",
          { class: "row" },
          h("a", { href: `#/leaderboard/${node.id}` }, node.name),
          ` · ${node.metric} · ${node.participantCount} in`,
          node.isJoined
            ? " · joined"
            : h(
                "button",
                {
                  onclick: async () => {
                    const joined = await api.request(JoinCompetitionDocument, {
                      competitionId: node.id,
                    });
                    status.textContent = errorText(joined) ?? `Joined ${node.name}`;
                  },
                },
                node.entryFee ? "Pay and join" : "Join",
              ),
        ),
      );
    }
  });
  return { root: h("section", {}, h("h2", {}, "Competitions"), status, list) };
}

/** A competition's top 20, fetched again whenever a rank among them changes. */
export function leaderboardView(competitionId: string): View {
  const title = h("h2", {}, "Leaderboard");
  const table = h("ol", { class: "leaderboard" });
  const mine = h("p", { class: "standing" });
  const load = async () => {
    const result = await api.request(LeaderboardDocument, { competitionId, first: 20 });
    const competition = result.data?.competition;
    if (!competition) return void (mine.textContent = errorText(result) ?? "Not found");
    title.textContent = `Leaderboard: ${competition.name}`;
    table.replaceChildren(
      ...competition.leaderboard.edges.map(({ node }) =>
        h(
          "li",
          { class: "row" },
          `#${node.rank} ${node.user.profile?.displayName ?? "?"}: ${node.score}`,
        ),
      ),
    );
    mine.textContent = competition.myStanding
      ? `You: #${competition.myStanding.rank} with ${competition.myStanding.score}`
      : "You have not joined this competition.";
  };
  void load();
  const stop = api.subscribe(
    OnLeaderboardRankChangedDocument,
    { competitionId, top: 20 },
    { next: () => void load() },
  );
  return { root: h("section", {}, title, mine, table), dispose: stop };
}
