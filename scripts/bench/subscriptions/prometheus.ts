/** Sums of the samples of `metric` in a process's `/metrics`, by the value of label `by`. */
export async function scrape(
  baseUrl: string,
  metric: string,
  by: string,
): Promise<Map<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const sums = new Map<string, number>();
  const labelPattern = new RegExp(`${by}="([^"]*)"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    const label = labelPattern.exec(line)?.[1] ?? "";
    sums.set(label, (sums.get(label) ?? 0) + value);
  }
  return sums;
}
