import { describe, expect, it } from "vitest";
import { EXPLORER_CONFIG_ELEMENT_ID, type ExplorerConfig } from "./explorer-config.ts";
import { pageHtml } from "./explorer-pages.ts";

const config: ExplorerConfig = {
  endpoint: "/graphql",
  operations: [
    { name: "Sneaky", type: "query", body: 'query Sneaky { a(x: "</script><script>alert(1)") }' },
  ],
};

describe("pageHtml", () => {
  it("carries the configuration as data that no operation text can end early", () => {
    const html = pageHtml("graphiql", config);
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the data block's and the bundle's
    const data = new RegExp(
      `<script type="application/json" id="${EXPLORER_CONFIG_ELEMENT_ID}">(.*)</script>`,
    ).exec(html)![1]!;
    expect(JSON.parse(data)).toEqual(config);
  });

  it("loads only the gateway's own files", () => {
    const html = pageHtml("graphiql", config);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual(["/explorer/graphiql.css", "/explorer/graphiql.js"]);
    expect(pageHtml("sandbox", { ...config, operations: [] })).toContain(
      '<script defer src="/explorer/sandbox.js"></script>',
    );
  });
});
