// A side panel that runs the contract's `Login` and puts the access token into the headers
// editor, so queries (HTTP) and subscriptions (connection_init) go as that person.
import { useGraphiQL, type GraphiQLPlugin } from "@graphiql/react";
import { useState, type FormEvent } from "react";
import type { ExplorerConfig } from "../explorer-config.ts";
import { endpointUrls } from "./page-config.ts";
import { headersText, rememberAuthorization } from "./session.ts";

/** The demo accounts `pnpm dev` seeds (scripts/dev/demo-data.ts). */
const DEMO_EMAILS = ["alice@pulse.dev", "bob@pulse.dev", "carol@pulse.dev"];
const DEMO_PASSWORD = "Pulse!2026";

interface LoginResult {
  data?: { login?: { accessToken: string; user: { email: string } } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export function signInPlugin(config: ExplorerConfig): GraphiQLPlugin {
  const login = config.operations.find((operation) => operation.name === "Login");
  if (!login) throw new Error("the contract has no Login operation");
  const url = endpointUrls(config.endpoint).http;

  function SignIn() {
    const headerEditor = useGraphiQL((state) => state.headerEditor);
    const [email, setEmail] = useState(DEMO_EMAILS[0] ?? "");
    const [password, setPassword] = useState(DEMO_PASSWORD);
    const [status, setStatus] = useState("");

    async function signIn(event: FormEvent) {
      event.preventDefault();
      setStatus("Signing in…");
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            query: login!.body,
            operationName: "Login",
            variables: { input: { email, password } },
          }),
        });
        const result = (await response.json()) as LoginResult;
        const session = result.data?.login;
        if (!session) {
          const error = result.errors?.[0];
          setStatus(
            `Not signed in: ${error?.extensions?.code ?? response.status} ${error?.message ?? ""}`,
          );
          return;
        }
        rememberAuthorization(`Bearer ${session.accessToken}`);
        headerEditor?.setValue(headersText());
        setStatus(`Signed in as ${session.user.email}. The Authorization header is set.`);
      } catch (error) {
        setStatus(`Not signed in: ${String(error)}`);
      }
    }

    return (
      <form className="pulse-sign-in" onSubmit={(event) => void signIn(event)}>
        <div className="graphiql-doc-explorer-title">Sign in</div>
        <p>
          Runs <code>Login</code> and sets <code>Authorization: Bearer …</code> in the headers
          editor (sent with queries, and in <code>connection_init</code> for subscriptions). It
          lasts 15 minutes; sign in again after that.
        </p>
        <label>
          Email
          <input
            name="email"
            type="email"
            autoComplete="username"
            list="pulse-demo-emails"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <datalist id="pulse-demo-emails">
          {DEMO_EMAILS.map((demo) => (
            <option key={demo} value={demo} />
          ))}
        </datalist>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <button className="graphiql-button" type="submit">
          Sign in
        </button>
        <p role="status">{status}</p>
      </form>
    );
  }

  return { title: "Sign in", icon: SignInIcon, content: SignIn };
}

function SignInIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c0-4 4-6 8-6s8 2 8 6" />
    </svg>
  );
}
