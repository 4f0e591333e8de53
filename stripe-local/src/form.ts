/**
 * Parses a form-encoded body the way Stripe reads the `stripe` client's requests: brackets nest
 * (`metadata[userId]=...`), numeric keys make arrays (`line_items[0][price]=...`).
 */
export function parseForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((part) => part !== "");
    let node: Record<string, unknown> = root;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) {
        node[part] = value;
        return;
      }
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    });
  }
  return arraysFromNumericKeys(root) as Record<string, unknown>;
}

function arraysFromNumericKeys(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).map(([key, inner]) => [key, arraysFromNumericKeys(inner)]);
  if (entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key as string))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, inner]) => inner as unknown);
  }
  return Object.fromEntries(entries);
}
