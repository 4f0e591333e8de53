// `pnpm bench:argon2`: how long identity's argon2id hash and verify take on this machine, with
// the parameters identity uses. Login cost is one verify.
import { performance } from "node:perf_hooks";
import {
  ARGON2_OPTIONS,
  hashPassword,
  verifyPassword,
} from "../../subgraphs/identity/src/password/password-hasher.adapter.ts";
import { describeLatencies } from "./stats.ts";

const ROUNDS = 50;
const password = "Bench!mark-Passw0rd";

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

await hashPassword(password); // warm-up
const hash = await hashPassword(password);
const hashTimes = await time(() => hashPassword(password));
const verifyTimes = await time(() => verifyPassword(hash, password));
const { memoryCost, timeCost, parallelism } = ARGON2_OPTIONS;
console.log(`argon2id m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}; ${ROUNDS} rounds each`);
console.log(`hash:   ${describeLatencies(hashTimes)}`);
console.log(`verify: ${describeLatencies(verifyTimes)}`);
