import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "@pulse/testkit/compiled-service";

const run = promisify(execFile);

/** A release's code checked out and installed beside the working tree. */
export interface ReleaseTree {
  /** The commit, in full. */
  commit: string;
  /** Where it is checked out, with its dependencies installed. */
  root: string;
  /** Its migrations' folder names, in order. */
  migrations: string[];
}

async function git(...args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd: repoRoot });
  return stdout.trim();
}

/**
 * The release before this one: `PREVIOUS_RELEASE` if set, or else the commit before the newest
 * migrations, so the test always applies them: the first parent of the last commit on the
 * first-parent line of HEAD (merges into main, or the branch's own commits) that added a
 * migration.
 */
export async function previousReleaseCommit(): Promise<string> {
  if ((await git("rev-parse", "--is-shallow-repository")) === "true") {
    throw new Error("the release test needs the history: git fetch --unshallow");
  }
  const named = process.env.PREVIOUS_RELEASE;
  if (named) return git("rev-parse", "--verify", `${named}^{commit}`);
  const added = await git(
    "log",
    "--first-parent",
    "--diff-filter=A",
    "-1",
    "--format=%H",
    "HEAD",
    "--",
    "prisma/migrations/*/migration.sql",
  );
  if (!added) throw new Error("no commit of HEAD's history adds a migration");
  return git("rev-parse", `${added}^1`);
}

/** The migration folders under `root`'s `prisma/migrations`, in the order they apply. */
export async function migrationsOf(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, "prisma/migrations"), { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Checks `commit` out (`git archive`) into a folder of the temporary directory named by it and
 * installs it with its own lockfile, from pnpm's store where it can (`--prefer-offline`). A
 * folder a previous run finished installing is used again.
 */
export async function checkOutRelease(commit: string): Promise<ReleaseTree> {
  const root = path.join(tmpdir(), `pulse-release-${commit}`);
  const installed = path.join(root, ".pulse-release-installed");
  if (!existsSync(installed)) {
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    const archive = `${root}.tar`;
    await git("archive", "--format=tar", `--output=${archive}`, commit);
    await run("tar", ["-xf", archive, "-C", root]);
    await rm(archive);
    await run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline"], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    await writeFile(installed, `${new Date().toISOString()}\n`);
  }
  return { commit, root, migrations: await migrationsOf(root) };
}

/** Applies `tree`'s migrations to `databaseUrl` with its own code (`pnpm db:migrate`). */
export async function migrateWith(tree: ReleaseTree, databaseUrl: string): Promise<void> {
  await run("pnpm", ["db:migrate"], {
    cwd: tree.root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}
