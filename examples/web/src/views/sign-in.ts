import { LoginDocument, SessionFieldsFragmentDoc, useFragment } from "@pulse/client";
import { errorText, h, type View } from "../dom.ts";
import { api } from "../session.ts";

export function signInView(): View {
  const error = h("p", { class: "error", role: "alert" });
  const email = h("input", { name: "email", type: "email", placeholder: "Email", required: true });
  const password = h("input", {
    name: "password",
    type: "password",
    placeholder: "Password",
    required: true,
  });
  const form = h(
    "form",
    {
      onsubmit: async (event) => {
        event.preventDefault();
        const result = await api.request(LoginDocument, {
          input: { email: email.value, password: password.value },
        });
        const session = useFragment(SessionFieldsFragmentDoc, result.data?.login);
        if (!session) return void (error.textContent = errorText(result) ?? "Could not sign in");
        api.tokens.set({ accessToken: session.accessToken, refreshToken: session.refreshToken });
        location.hash = "#/discover";
      },
    },
    email,
    password,
    h("button", { type: "submit" }, "Sign in"),
    error,
  );
  return { root: h("section", {}, h("h2", {}, "Sign in"), form) };
}
