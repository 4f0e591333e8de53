import {
  ConversationMessagesDocument,
  LiveMessagesDocument,
  MessageFieldsFragmentDoc,
  SendMessageDocument,
  useFragment,
  type FragmentType,
} from "@pulse/client";
import { errorText, h, type View } from "../dom.ts";
import { api } from "../session.ts";

type MessageRef = FragmentType<typeof MessageFieldsFragmentDoc>;

/**
 * One conversation: its latest messages, then every new one live. The subscription starts
 * after the newest message shown, so nothing sent in between is missed, and @pulse/client
 * resumes it from the last message it delivered whenever the connection drops.
 */
export function chatView(conversationId: string): View {
  const messages = h("div", { class: "messages", "aria-live": "polite" });
  const shown = new Set<string>();
  const show = (ref: MessageRef) => {
    const message = useFragment(MessageFieldsFragmentDoc, ref);
    if (shown.has(message.id)) return;
    shown.add(message.id);
    const sender = message.sender.profile?.displayName ?? "Someone";
    messages.append(
      h(
        "div",
        { class: "message", "data-message-id": message.id },
        h("span", { class: "sender" }, sender),
        h("span", { class: "body" }, message.body),
      ),
    );
    messages.scrollTop = messages.scrollHeight;
  };

  const status = h("p", { class: "error", role: "alert" });
  const body = h("input", {
    name: "body",
    placeholder: "Message",
    required: true,
    maxlength: "2000",
  });
  const form = h(
    "form",
    {
      onsubmit: async (event) => {
        event.preventDefault();
        const text = body.value.trim();
        if (!text) return;
        const result = await api.request(SendMessageDocument, {
          input: { conversationId, clientMessageId: crypto.randomUUID(), body: text },
        });
        if (!result.data) return void (status.textContent = errorText(result) ?? "Not sent");
        body.value = "";
        show(result.data.sendMessage);
      },
    },
    body,
    h("button", { type: "submit" }, "Send"),
  );

  let stop: (() => void) | undefined;
  let disposed = false;
  void api.request(ConversationMessagesDocument, { id: conversationId, first: 30 }).then((page) => {
    if (disposed) return;
    if (!page.data) return void (status.textContent = errorText(page) ?? "");
    const edges = page.data.conversation.messages.edges;
    for (const edge of [...edges].reverse()) show(edge.node);
    stop = api.subscribe(
      LiveMessagesDocument,
      { conversationId, after: edges[0]?.cursor ?? null },
      {
        next: (result) => {
          if (result.data) show(result.data.messageAdded);
        },
        error: () => (status.textContent = "Live updates stopped: reload the page."),
      },
    );
  });
  return {
    root: h("section", {}, h("h2", {}, "Conversation"), messages, form, status),
    dispose: () => {
      disposed = true;
      stop?.();
    },
  };
}
