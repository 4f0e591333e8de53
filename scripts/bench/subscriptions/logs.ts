import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * What each process logged at warn level or above (pino levels 40+, or an uncaught error),
 * grouped by message, or undefined when nothing was.
 */
export async function describeLogs(dir: string): Promise<string | undefined> {
  const parts: string[] = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith(".log")).sort()) {
    const messages = new Map<string, number>();
    for (const line of (await readFile(path.join(dir, file), "utf8")).split("\n")) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      let message: string | undefined;
      if (level && Number(level) >= 40) {
        message = `${level === "40" ? "warn" : "error"} "${/"msg":"([^"]*)"/.exec(line)?.[1] ?? "?"}"`;
      } else if (/^\s*\w*Error\b/.test(line)) {
        message = `uncaught ${line.trim().slice(0, 160)}`;
      }
      if (message) messages.set(message, (messages.get(message) ?? 0) + 1);
    }
    if (messages.size === 0) continue;
    const listed = [...messages].map(([message, count]) => `${count}x ${message}`).join(", ");
    parts.push(`${file.replace(/\.log$/, "")}: ${listed}`);
  }
  return parts.length > 0 ? parts.join("; ") : undefined;
}
