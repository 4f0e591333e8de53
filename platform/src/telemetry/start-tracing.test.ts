import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  SamplingDecision,
  type Sampler,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { EntryPointSampler } from "./start-tracing.ts";

const decide = (sampler: Sampler, kind: SpanKind) =>
  sampler.shouldSample(ROOT_CONTEXT, "0af7651916cd43dd8448eb211c80319c", "span", kind, {}, [])
    .decision;

describe("EntryPointSampler", () => {
  it("starts traces at server and consumer spans only, so background loops record nothing", () => {
    const sampler = new EntryPointSampler(new AlwaysOnSampler());
    expect(decide(sampler, SpanKind.SERVER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, SpanKind.CONSUMER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    for (const kind of [SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.PRODUCER]) {
      expect(decide(sampler, kind)).toBe(SamplingDecision.NOT_RECORD);
    }
  });

  it("leaves the entry points to the sampler it wraps (the ratio)", () => {
    const sampler = new EntryPointSampler(new AlwaysOffSampler());
    expect(decide(sampler, SpanKind.SERVER)).toBe(SamplingDecision.NOT_RECORD);
  });
});
