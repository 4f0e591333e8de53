import { placeOfItsOwn } from "@pulse/testkit/places";
import { randomUUID } from "node:crypto";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { FORWARDED_IDENTITY_HEADER, signForwardedIdentity } from "@pulse/platform/server";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import { LOCAL_S3_CREDENTIALS } from "../../scripts/lib/local-s3.ts";
import { CARD_PUBLIC_SECONDS } from "../../subgraphs/profiles/src/profile/profile-cards.service.ts";
import {
  birthdateForAge,
  createProfile,
  PASSWORD,
  registerUser,
  registerWithProfile,
  uniqueUsername,
  uploadPhoto,
  type RegisteredUser,
} from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";

let stack: Stack;
let s3: S3Client;
beforeAll(async () => {
  stack = await startStack();
  s3 = new S3Client({
    endpoint: stack.s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
  });
});
afterAll(async () => {
  s3?.destroy();
  await stack?.close();
});

function errorOf(response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) {
  expect(response.errors, "expected an error").toHaveLength(1);
  return response.errors![0]!.extensions!;
}

const profileInput = (overrides: Record<string, unknown> = {}) => ({
  displayName: "Alice",
  username: uniqueUsername("alice"),
  birthdate: "1996-04-12",
  gender: "FEMALE",
  interestedIn: ["MALE", "NON_BINARY"],
  bio: "Trail runner",
  ...overrides,
});

/** A JPEG that carries EXIF with GPS coordinates and a camera make, as phones write them. */
function jpegWithGps(width = 1600, height = 1200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: "#3a7" } })
    .withExif({
      IFD0: { Make: "PulsePhone", Model: "P1" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 31/1 0/1", GPSLongitudeRef: "E" },
    })
    .jpeg()
    .toBuffer();
}

/** Uploads and confirms a photo; returns it as `ConfirmPhotoUpload` answered. */
async function addPhoto(user: RegisteredUser): Promise<Record<string, any>> {
  const { photoId } = await uploadPhoto(user, await jpegWithGps(400, 300));
  const confirmed = await user.client.op("ConfirmPhotoUpload", { photoId });
  expect(confirmed.errors).toBeUndefined();
  return confirmed.data!.confirmPhotoUpload;
}

async function objectKeys(prefix: string): Promise<string[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: stack.s3.bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((object) => object.Key!);
}

/** Sends `query` straight to the profiles subgraph, signed as the gateway signs for `viewerId`. */
async function asGateway(
  viewerId: string,
  query: string,
  variables: Record<string, unknown>,
  subgraphUrl = stack.urls.profiles!,
) {
  const identity = await signForwardedIdentity(
    {
      viewer: { id: viewerId, role: "USER", sessionId: randomUUID() },
      clientIp: "10.0.0.1",
      requestId: randomUUID(),
    },
    stack.gatewaySecret,
  );
  const response = await fetch(`${subgraphUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", [FORWARDED_IDENTITY_HEADER]: identity },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any[]>; errors?: unknown[] };
  return { ...body, cacheControl: response.headers.get("cache-control") };
}

async function profileEvents(userId: string) {
  const events = await stack.prisma.profilesOutboxEvent.findMany({
    where: { type: "profile.changed", payload: { path: ["userId"], equals: userId } },
    orderBy: { id: "asc" },
  });
  return events.map((event) => event.payload as Record<string, any>);
}

describe("UpsertProfile", () => {
  it("creates a profile with derived age, default preferences and completeness", async () => {
    const user = await registerUser(stack);
    const input = profileInput({ birthdate: birthdateForAge(30) });
    const response = await user.client.op("UpsertProfile", { input });
    expect(response.errors).toBeUndefined();
    expect(response.data!.upsertProfile).toEqual({
      displayName: "Alice",
      username: input.username,
      bio: "Trail runner",
      birthdate: input.birthdate,
      age: 30,
      gender: "FEMALE",
      interestedIn: ["MALE", "NON_BINARY"],
      location: null,
      photos: [],
      completeness: 0.35,
    });
    const mine = await user.client.op("MyProfile");
    expect(mine.data!.me).toEqual({
      id: user.id,
      profile: response.data!.upsertProfile,
      preferences: { minAge: 18, maxAge: 99, maxDistanceKm: 50, genders: ["MALE", "NON_BINARY"] },
    });
  });

  it("replaces the profile and publishes profile.changed with a growing version", async () => {
    const user = await registerUser(stack);
    const input = profileInput({ birthdate: "1990-01-15" });
    await user.client.op("UpsertProfile", { input });
    const updated = await user.client.op("UpsertProfile", {
      input: { ...input, displayName: "Alice B.", bio: null },
    });
    expect(updated.data!.upsertProfile).toMatchObject({ displayName: "Alice B.", bio: null });
    const place = await placeOfItsOwn(stack.redis);
    await user.client.op("UpdateLocation", { input: place });
    expect(await profileEvents(user.id)).toEqual([
      expect.objectContaining({ version: 1, completeness: 0.35 }),
      expect.objectContaining({ version: 2, completeness: 0.2 }),
      {
        userId: user.id,
        version: 3,
        gender: "FEMALE",
        interestedIn: ["MALE", "NON_BINARY"],
        birthdate: "1990-01-15",
        location: place,
        preferences: { minAge: 18, maxAge: 99, maxDistanceKm: 50, genders: ["MALE", "NON_BINARY"] },
        completeness: 0.35,
      },
    ]);
  });

  it.each([
    [{ birthdate: birthdateForAge(17) }, "input.birthdate"],
    [{ birthdate: "2999-01-01" }, "input.birthdate"],
    [{ username: "ab" }, "input.username"],
    [{ username: "no spaces" }, "input.username"],
    [{ username: "émile" }, "input.username"],
    [{ displayName: "" }, "input.displayName"],
    [{ displayName: "x".repeat(51) }, "input.displayName"],
    [{ bio: "x".repeat(501) }, "input.bio"],
    [{ interestedIn: [] }, "input.interestedIn"],
  ])("rejects %o with BAD_USER_INPUT on %s", async (change, field) => {
    const user = await registerUser(stack);
    const response = await user.client.op("UpsertProfile", { input: profileInput(change) });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await stack.prisma.profile.count({ where: { userId: user.id } })).toBe(0);
  });

  it.each(["2000-02-30", "yesterday"])(
    "rejects the non-date %s with BAD_USER_INPUT on input.birthdate",
    async (birthdate) => {
      const user = await registerUser(stack);
      const response = await user.client.op("UpsertProfile", {
        input: profileInput({ birthdate }),
      });
      expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.birthdate" });
    },
  );

  it("accepts someone whose 18th birthday is today", async () => {
    const user = await registerUser(stack);
    const today = new Date();
    const birthdate = new Date(
      Date.UTC(today.getUTCFullYear() - 18, today.getUTCMonth(), today.getUTCDate()),
    );
    // 29 February has no 18th birthday "today" in most years; the unit tests cover it.
    if (birthdate.getUTCMonth() !== today.getUTCMonth()) return;
    const input = profileInput({ birthdate: birthdate.toISOString().slice(0, 10) });
    const response = await user.client.op("UpsertProfile", { input });
    expect(response.data!.upsertProfile.age).toBe(18);
  });

  it("refuses a username taken in another case with CONFLICT, and keeps one's own", async () => {
    const first = await registerWithProfile(stack, { username: uniqueUsername("Taken") });
    const second = await registerUser(stack);
    const clash = await second.client.op("UpsertProfile", {
      input: profileInput({ username: first.profile.username.toUpperCase() }),
    });
    expect(errorOf(clash)).toMatchObject({ code: "CONFLICT", field: "input.username" });
    const again = await first.client.op("UpsertProfile", {
      input: profileInput({ username: first.profile.username.toLowerCase() }),
    });
    expect(again.data!.upsertProfile.username).toBe(first.profile.username.toLowerCase());
  });

  it("requires signing in", async () => {
    const response = await stack.client().op("UpsertProfile", { input: profileInput() });
    expect(errorOf(response).code).toBe("UNAUTHENTICATED");
  });
});

describe("UpdatePreferences and UpdateLocation", () => {
  it("sets preferences, visible to their owner only", async () => {
    const user = await registerWithProfile(stack);
    const input = { minAge: 25, maxAge: 40, maxDistanceKm: 120, genders: ["MALE"] };
    const response = await user.client.op("UpdatePreferences", { input });
    expect(response.data).toEqual({ updatePreferences: input });
    expect((await user.client.op("MyProfile")).data!.me.preferences).toEqual(input);

    const other = await registerUser(stack);
    const seen = await other.client.query(
      `query ($id: ID!) { user(id: $id) { id preferences { minAge } } }`,
      { id: user.id },
    );
    expect(seen).toMatchObject({ data: { user: { id: user.id, preferences: null } } });
    expect(seen.errors).toBeUndefined();
  });

  it.each([
    [{ minAge: 17 }, "input.minAge"],
    [{ maxAge: 101 }, "input.maxAge"],
    [{ minAge: 50, maxAge: 30 }, "input.maxAge"],
    [{ maxDistanceKm: 0 }, "input.maxDistanceKm"],
    [{ maxDistanceKm: 501 }, "input.maxDistanceKm"],
    [{ genders: [] }, "input.genders"],
  ])("rejects preferences %j on %s", async (change, field) => {
    const user = await registerWithProfile(stack);
    const input = { minAge: 18, maxAge: 99, maxDistanceKm: 50, genders: ["MALE"], ...change };
    const response = await user.client.op("UpdatePreferences", { input });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("sets the location, shown to its owner only", async () => {
    const user = await registerWithProfile(stack);
    const input = { ...(await placeOfItsOwn(stack.redis)), city: "München", country: "de" };
    const response = await user.client.op("UpdateLocation", { input });
    expect(response.data).toEqual({ updateLocation: { ...input, country: "DE" } });
    expect((await user.client.op("MyProfile")).data!.me.profile.location).toEqual({
      ...input,
      country: "DE",
    });
    const other = await registerUser(stack);
    const seen = await other.client.query(
      `query ($id: ID!) { user(id: $id) { profile { location { latitude } } } }`,
      { id: user.id },
    );
    expect(seen.data).toEqual({ user: { profile: { location: null } } });
  });

  it.each([
    [{ latitude: 90.5 }, "input.latitude"],
    [{ latitude: -91 }, "input.latitude"],
    [{ longitude: 180.01 }, "input.longitude"],
    [{ longitude: -181 }, "input.longitude"],
    [{ country: "XX" }, "input.country"],
    [{ country: "Germany" }, "input.country"],
  ])("rejects location %j on %s", async (change, field) => {
    const user = await registerWithProfile(stack);
    const input = { latitude: 0, longitude: 0, ...change };
    const response = await user.client.op("UpdateLocation", { input });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("needs a profile first", async () => {
    const user = await registerUser(stack);
    const response = await user.client.op("UpdateLocation", {
      input: { latitude: 1, longitude: 1 },
    });
    expect(errorOf(response).code).toBe("NOT_FOUND");
  });
});

describe("User.profile across subgraphs", () => {
  it("resolves a profile next to identity's fields through the gateway", async () => {
    const owner = await registerWithProfile(stack, { displayName: "Bob", gender: "MALE" });
    const viewer = await registerUser(stack);
    const response = await viewer.client.query(
      `query ($id: ID!) { user(id: $id) { id email profile { displayName } } }`,
      { id: owner.id },
    );
    expect(response).toMatchObject({
      data: { user: { id: owner.id, email: null, profile: { displayName: "Bob" } } },
    });
    const contract = await viewer.client.op("UserProfile", { id: owner.id });
    expect(contract.data).toEqual({
      user: {
        id: owner.id,
        profile: {
          displayName: "Bob",
          username: owner.profile.username,
          age: 30,
          bio: null,
          gender: "MALE",
          photos: [],
        },
      },
    });
  });

  it("is null for a person without a profile", async () => {
    const [owner, viewer] = await Promise.all([registerUser(stack), registerUser(stack)]);
    expect((await viewer.client.op("UserProfile", { id: owner.id })).data).toEqual({
      user: { id: owner.id, profile: null },
    });
  });
});

describe("SearchUsers", () => {
  it("matches username prefixes case-insensitively, in username order", async () => {
    const tag = `srch${Date.now().toString(36)}`;
    const [viewer, b, a, c] = await Promise.all([
      registerUser(stack),
      registerWithProfile(stack, { username: `${tag}_B` }),
      registerWithProfile(stack, { username: `${tag.toUpperCase()}_a` }),
      registerWithProfile(stack, { username: `${tag}.c` }),
    ]);
    const response = await viewer.client.op("SearchUsers", { query: tag.toUpperCase() });
    expect(response.data!.searchUsers.map((user: { id: string }) => user.id)).toEqual([
      c.id,
      a.id,
      b.id,
    ]);
    expect(response.data!.searchUsers[1]).toEqual({
      id: a.id,
      profile: { displayName: "Test Person", username: `${tag.toUpperCase()}_a` },
    });
    const underscore = await viewer.client.op("SearchUsers", { query: `${tag}_` });
    expect(underscore.data!.searchUsers.map((user: { id: string }) => user.id)).toEqual([
      a.id,
      b.id,
    ]);
    const limited = await viewer.client.op("SearchUsers", { query: tag, first: 1 });
    expect(limited.data!.searchUsers).toHaveLength(1);
    expect((await viewer.client.op("SearchUsers", { query: `${tag}!` })).data).toEqual({
      searchUsers: [],
    });
  });

  it("hides people blocked in either direction, and the viewer", async () => {
    const tag = `blk${Date.now().toString(36)}`;
    const [viewer, blocked, blocker, bystander] = await Promise.all(
      ["v", "x", "y", "z"].map((suffix) =>
        registerWithProfile(stack, { username: `${tag}_${suffix}` }),
      ),
    );
    expect((await viewer!.client.op("BlockUser", { userId: blocked!.id })).data).toEqual({
      blockUser: true,
    });
    await blocker!.client.op("BlockUser", { userId: viewer!.id });
    const ids = async (user: RegisteredUser) =>
      (await user.client.op("SearchUsers", { query: tag })).data!.searchUsers.map(
        (found: { id: string }) => found.id,
      );
    expect(await ids(viewer!)).toEqual([bystander!.id]);
    expect(await ids(blocked!)).toEqual([blocker!.id, bystander!.id]);
    expect(await ids(blocker!)).toEqual([blocked!.id, bystander!.id]);

    expect((await viewer!.client.op("UnblockUser", { userId: blocked!.id })).data).toEqual({
      unblockUser: true,
    });
    expect(await ids(viewer!)).toEqual([blocked!.id, bystander!.id]);
  });

  it("pages as a Relay connection too (searchUsersConnection), with opaque cursors", async () => {
    const tag = `conn${Date.now().toString(36)}`;
    const viewer = await registerUser(stack);
    const people = await Promise.all(
      ["a", "b", "c"].map((suffix) => registerWithProfile(stack, { username: `${tag}_${suffix}` })),
    );
    const page = async (after: string | null) => {
      const response = await viewer.client.query(
        `query ($query: String!, $first: Int, $after: String) {
          searchUsersConnection(query: $query, first: $first, after: $after) {
            edges { cursor node { id profile { username } } }
            pageInfo { hasNextPage hasPreviousPage endCursor }
          }
        }`,
        { query: tag, first: 2, after },
      );
      expect(response.errors).toBeUndefined();
      return response.data!.searchUsersConnection;
    };
    const first = await page(null);
    expect(first.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([
      people[0]!.id,
      people[1]!.id,
    ]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.pageInfo.endCursor).toBe(first.edges[1].cursor);
    expect(first.pageInfo.endCursor).not.toContain(tag);
    const second = await page(first.pageInfo.endCursor);
    expect(second).toEqual({
      edges: [
        {
          cursor: second.pageInfo.endCursor,
          node: { id: people[2]!.id, profile: { username: `${tag}_c` } },
        },
      ],
      pageInfo: {
        hasNextPage: false,
        hasPreviousPage: false,
        endCursor: second.pageInfo.endCursor,
      },
    });
    const forged = await viewer.client.query(
      `{ searchUsersConnection(query: "${tag}", after: "${tag}_a") { edges { cursor } } }`,
    );
    expect(forged.errors![0]!.extensions).toEqual({ code: "BAD_USER_INPUT", field: "after" });
  });

  it("costs the same number of SQL statements for one result as for many (batched)", async () => {
    const tag = `cnt${Date.now().toString(36)}`;
    const viewer = await registerUser(stack);
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => registerWithProfile(stack, { username: `${tag}_${n}` })),
    );
    const statementsFor = async (run: () => Promise<unknown>) => {
      stack.statements.profiles!.reset();
      await run();
      return stack.statements.profiles!.count;
    };
    const search = (first: number) => async () => {
      const response = await viewer.client.query(
        `query ($query: String!, $first: Int) {
          searchUsers(query: $query, first: $first) { id profile { displayName photos { url } } }
        }`,
        { query: tag, first },
      );
      expect(response.data!.searchUsers).toHaveLength(first);
    };
    // The outbox relay shares the pool and polls every second: a measurement it overlaps is
    // retried, so only a real difference fails.
    await eventually(async () =>
      expect(await statementsFor(search(6))).toBe(await statementsFor(search(1))),
    );
  });

  it("requires signing in", async () => {
    expect(errorOf(await stack.client().op("SearchUsers", { query: "a" })).code).toBe(
      "UNAUTHENTICATED",
    );
  });
});

describe("BlockUser and UnblockUser", () => {
  it("are idempotent and publish only actual changes", async () => {
    const [viewer, other] = await Promise.all([registerUser(stack), registerUser(stack)]);
    for (let i = 0; i < 2; i += 1) {
      expect((await viewer.client.op("BlockUser", { userId: other.id })).data).toEqual({
        blockUser: true,
      });
    }
    for (let i = 0; i < 2; i += 1) {
      expect((await viewer.client.op("UnblockUser", { userId: other.id })).data).toEqual({
        unblockUser: true,
      });
    }
    const events = await stack.prisma.profilesOutboxEvent.findMany({
      where: { payload: { path: ["blockerId"], equals: viewer.id } },
      orderBy: { id: "asc" },
    });
    expect(events.map((event) => [event.type, event.payload])).toEqual([
      ["user.blocked", { blockerId: viewer.id, blockedId: other.id, at: expect.any(String) }],
      ["user.unblocked", { blockerId: viewer.id, blockedId: other.id, at: expect.any(String) }],
    ]);
  });

  it("refuses blocking oneself", async () => {
    const user = await registerUser(stack);
    expect(errorOf(await user.client.op("BlockUser", { userId: user.id }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "userId",
    });
  });
});

describe("photos", () => {
  it("uploads, strips every bit of metadata, stores two sizes and deletes the upload", async () => {
    const user = await registerWithProfile(stack);
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const grant = await uploadPhoto(user, original);
    expect(Date.parse(grant.expiresAt)).toBeGreaterThan(Date.now());
    expect(grant.uploadFields.map((field) => field.name)).toContain("Policy");

    const mine = await user.client.op("MyProfile");
    expect(mine.data!.me.profile.photos, "pending photos are not visible").toEqual([]);

    const confirmed = await user.client.op("ConfirmPhotoUpload", { photoId: grant.photoId });
    expect(confirmed.errors).toBeUndefined();
    const photo = confirmed.data!.confirmPhotoUpload;
    expect(photo).toEqual({
      id: grant.photoId,
      url: expect.any(String),
      position: 0,
      isPrimary: true,
    });

    const served = Buffer.from(await (await fetch(photo.url)).arrayBuffer());
    const metadata = await sharp(served).metadata();
    expect(metadata).toMatchObject({ format: "webp", width: 1080, height: 810 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(served.includes("PulsePhone")).toBe(false);

    const small = await user.client.query(`{ me { profile { photos { url(size: SMALL) } } } }`);
    const thumbnail = Buffer.from(
      await (await fetch(small.data!.me.profile.photos[0].url)).arrayBuffer(),
    );
    const thumbnailMetadata = await sharp(thumbnail).metadata();
    expect(thumbnailMetadata.width).toBe(320);
    expect(thumbnailMetadata.exif).toBeUndefined();
    expect((await objectKeys(`photos/${user.id}/`)).sort()).toEqual([
      `photos/${user.id}/${grant.photoId}/large.webp`,
      `photos/${user.id}/${grant.photoId}/small.webp`,
    ]);

    const again = await user.client.op("ConfirmPhotoUpload", { photoId: grant.photoId });
    expect(again.data!.confirmPhotoUpload).toMatchObject({ id: grant.photoId, position: 0 });
    const profile = (await user.client.op("MyProfile")).data!.me.profile;
    expect(profile.photos).toHaveLength(1);
    expect(profile.completeness).toBe(0.37);
  });

  it("rejects a non-image sent as image/jpeg and shows nothing", async () => {
    const user = await registerWithProfile(stack);
    const grant = await uploadPhoto(user, Buffer.from("#!/bin/sh\necho not a photo\n".repeat(20)));
    const response = await user.client.op("ConfirmPhotoUpload", { photoId: grant.photoId });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field: "photoId" });
    expect((await user.client.op("MyProfile")).data!.me.profile.photos).toEqual([]);
    expect(await stack.prisma.photo.count({ where: { userId: user.id } })).toBe(0);
    await eventually(async () => expect(await objectKeys(`photos/${user.id}/`)).toEqual([]));
  });

  it("rejects a truncated JPEG whose header looks fine", async () => {
    const user = await registerWithProfile(stack);
    const whole = await jpegWithGps(300, 300);
    const grant = await uploadPhoto(user, whole.subarray(0, Math.floor(whole.length / 3)));
    const response = await user.client.op("ConfirmPhotoUpload", { photoId: grant.photoId });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field: "photoId" });
    expect(await stack.prisma.photo.count({ where: { userId: user.id } })).toBe(0);
  });

  it("rejects an upload larger than declared, and declarations over 10 MiB or of other types", async () => {
    const user = await registerWithProfile(stack);
    const bytes = await jpegWithGps(200, 200);
    // s3rver ignores the policy's content-length-range, as some S3s do: confirm checks itself.
    const grant = await uploadPhoto(user, bytes, { byteSize: 100 });
    const response = await user.client.op("ConfirmPhotoUpload", { photoId: grant.photoId });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field: "photoId" });
    expect((await user.client.op("MyProfile")).data!.me.profile.photos).toEqual([]);

    const tooLarge = await user.client.op("RequestPhotoUpload", {
      input: { contentType: "image/jpeg", byteSize: 10 * 1024 * 1024 + 1 },
    });
    expect(errorOf(tooLarge)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.byteSize" });
    const gif = await user.client.op("RequestPhotoUpload", {
      input: { contentType: "image/gif", byteSize: 1000 },
    });
    expect(errorOf(gif)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.contentType" });
  });

  it("refuses to confirm before anything was uploaded", async () => {
    const user = await registerWithProfile(stack);
    const grant = await user.client.op("RequestPhotoUpload", {
      input: { contentType: "image/png", byteSize: 1000 },
    });
    const photoId = grant.data!.requestPhotoUpload.photoId;
    const response = await user.client.op("ConfirmPhotoUpload", { photoId });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field: "photoId" });
  });

  it("allows at most 9 photos, counting pending uploads", async () => {
    const user = await registerWithProfile(stack);
    await addPhoto(user);
    for (let i = 0; i < 8; i += 1) {
      const response = await user.client.op("RequestPhotoUpload", {
        input: { contentType: "image/webp", byteSize: 5000 },
      });
      expect(response.errors).toBeUndefined();
    }
    const tenth = await user.client.op("RequestPhotoUpload", {
      input: { contentType: "image/webp", byteSize: 5000 },
    });
    expect(errorOf(tenth)).toMatchObject({ code: "BAD_USER_INPUT", field: "input" });
  });

  it("keeps to 9 photos when uploads are requested concurrently", async () => {
    const user = await registerWithProfile(stack);
    const input = { contentType: "image/png", byteSize: 5000 };
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => user.client.op("RequestPhotoUpload", { input })),
    );
    expect(responses.filter((response) => !response.errors)).toHaveLength(9);
    expect(await stack.prisma.photo.count({ where: { userId: user.id } })).toBe(9);
  });

  it("orders photos: set primary, reorder, delete", async () => {
    const user = await registerWithProfile(stack, { bio: "Climber" });
    const [first, second, third] = [
      await addPhoto(user),
      await addPhoto(user),
      await addPhoto(user),
    ];
    expect([first!.position, second!.position, third!.position]).toEqual([0, 1, 2]);

    const primary = await user.client.op("SetPrimaryPhoto", { photoId: third!.id });
    expect(primary.data).toEqual({ setPrimaryPhoto: { id: third!.id, isPrimary: true } });
    const order = async () =>
      (await user.client.op("MyProfile")).data!.me.profile.photos.map(
        (photo: { id: string; isPrimary: boolean }) => [photo.id, photo.isPrimary],
      );
    expect(await order()).toEqual([
      [third!.id, true],
      [first!.id, false],
      [second!.id, false],
    ]);

    const reordered = await user.client.op("ReorderPhotos", {
      photoIds: [second!.id, third!.id, first!.id],
    });
    expect(reordered.data).toEqual({
      reorderPhotos: [
        { id: second!.id, position: 0 },
        { id: third!.id, position: 1 },
        { id: first!.id, position: 2 },
      ],
    });
    for (const photoIds of [
      [second!.id, third!.id],
      [second!.id, third!.id, first!.id, first!.id],
      [second!.id, third!.id, "00000000-0000-4000-8000-000000000000"],
    ]) {
      expect(errorOf(await user.client.op("ReorderPhotos", { photoIds }))).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "photoIds",
      });
    }

    const versionBefore = (await profileEvents(user.id)).at(-1)!.version;
    expect((await user.client.op("DeletePhoto", { photoId: second!.id })).data).toEqual({
      deletePhoto: true,
    });
    expect(await order()).toEqual([
      [third!.id, true],
      [first!.id, false],
    ]);
    const events = await profileEvents(user.id);
    expect(events.at(-1)).toMatchObject({ version: versionBefore + 1, completeness: 0.68 });
    await eventually(async () =>
      expect(await objectKeys(`photos/${user.id}/${second!.id}/`)).toEqual([]),
    );
  });

  it("lets nobody touch another person's photos or profile", async () => {
    const owner = await registerWithProfile(stack);
    const photo = await addPhoto(owner);
    const intruder = await registerWithProfile(stack);
    for (const [name, variables] of [
      ["ConfirmPhotoUpload", { photoId: photo.id }],
      ["SetPrimaryPhoto", { photoId: photo.id }],
      ["DeletePhoto", { photoId: photo.id }],
      ["DeletePhoto", { photoId: "not-an-id" }],
    ] as const) {
      expect(errorOf(await intruder.client.op(name, variables)).code, name).toBe("NOT_FOUND");
    }
    expect(
      errorOf(await intruder.client.op("ReorderPhotos", { photoIds: [photo.id] })),
    ).toMatchObject({
      code: "BAD_USER_INPUT",
    });
    // Mutations only ever change the viewer's own profile.
    await intruder.client.op("UpsertProfile", { input: profileInput({ displayName: "Mallory" }) });
    const seen = await intruder.client.op("UserProfile", { id: owner.id });
    expect(seen.data!.user.profile).toMatchObject({
      displayName: owner.profile.displayName,
      photos: [{ url: expect.any(String), isPrimary: true }],
    });
  });

  it("needs a profile and a signed-in person", async () => {
    const user = await registerUser(stack);
    const input = { contentType: "image/jpeg", byteSize: 1000 };
    expect(errorOf(await user.client.op("RequestPhotoUpload", { input })).code).toBe("NOT_FOUND");
    expect(errorOf(await stack.client().op("RequestPhotoUpload", { input })).code).toBe(
      "UNAUTHENTICATED",
    );
  });
});

describe("user.deleted", () => {
  it("deletes the person's profile, photos, blocks and stored objects", async () => {
    const user = await registerWithProfile(stack);
    await addPhoto(user);
    const other = await registerWithProfile(stack);
    await user.client.op("BlockUser", { userId: other.id });
    await other.client.op("BlockUser", { userId: user.id });
    expect(await objectKeys(`photos/${user.id}/`)).toHaveLength(2);

    expect((await user.client.op("DeleteAccount", { password: PASSWORD })).data).toEqual({
      deleteAccount: true,
    });
    await eventually(
      async () => {
        expect(await stack.prisma.profile.count({ where: { userId: user.id } })).toBe(0);
        expect(await objectKeys(`photos/${user.id}/`)).toEqual([]);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(await stack.prisma.photo.count({ where: { userId: user.id } })).toBe(0);
    expect(
      await stack.prisma.block.count({
        where: { OR: [{ blockerId: user.id }, { blockedId: user.id }] },
      }),
    ).toBe(0);
    expect(
      (await other.client.op("UserProfile", { id: other.id })).data!.user.profile,
    ).not.toBeNull();
  });
});

describe("createProfile fixture", () => {
  it("sets location and preferences when asked", async () => {
    const user = await registerUser(stack);
    const place = await placeOfItsOwn(stack.redis);
    await createProfile(user, {
      location: place,
      preferences: { minAge: 20, maxAge: 30, maxDistanceKm: 10, genders: ["FEMALE"] },
    });
    const me = (await user.client.op("MyProfile")).data!.me;
    expect(me.profile.location).toEqual({ ...place, city: null, country: null });
    expect(me.preferences).toEqual({
      minAge: 20,
      maxAge: 30,
      maxDistanceKm: 10,
      genders: ["FEMALE"],
    });
  });
});

describe("people's cards (profile and visible photos) across requests", () => {
  /** How the gateway asks for the profiles of people another subgraph returned. */
  const cards = (viewerId: string, userIds: string[], subgraphUrl?: string) =>
    asGateway(
      viewerId,
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on User { profile { displayName photos { url } } }
        }
      }`,
      { representations: userIds.map((id) => ({ __typename: "User", id })) },
      subgraphUrl,
    );
  const names = async (viewerId: string, userIds: string[], subgraphUrl?: string) => {
    const response = await cards(viewerId, userIds, subgraphUrl);
    expect(response.errors).toBeUndefined();
    return response.data!._entities!.map((entity) => entity.profile?.displayName ?? null);
  };
  const statementsFor = async (run: () => Promise<unknown>) => {
    stack.statements.profiles!.reset();
    await run();
    return stack.statements.profiles!.count;
  };

  it("reads them once, in one statement for a whole batch, then from memory", async () => {
    const viewer = await registerUser(stack);
    // A replica of its own: the cards the mutations just showed are cached in the other one.
    const replica = await stack.startReplica("profiles");
    try {
      const read = (ids: string[]) => () => cards(viewer.id, ids, replica.url);
      // The relays share the statement counter and poll: a measurement they overlap is retried.
      await eventually(async () => {
        const people = await Promise.all([1, 2, 3].map(() => registerWithProfile(stack)));
        const ids = people.map((person) => person.id);
        expect(await statementsFor(read(ids))).toBe(1);
        expect(await statementsFor(read(ids))).toBe(0);
      });
    } finally {
      await replica.close();
    }
  });

  it("are declared the same for every viewer, unless a private field is asked for", async () => {
    const viewer = await registerUser(stack);
    const person = await registerWithProfile(stack);
    const entities = (fields: string) =>
      asGateway(
        viewer.id,
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) { ... on User { ${fields} } }
        }`,
        { representations: [{ __typename: "User", id: person.id }] },
      );
    const card = await entities("profile { displayName photos { url isPrimary } }");
    expect(card.errors).toBeUndefined();
    expect(card.cacheControl).toBe(`max-age=${CARD_PUBLIC_SECONDS}, public`);
    for (const privateFields of [
      "profile { displayName location { latitude } }",
      "preferences { minAge }",
    ]) {
      const answer = await entities(privateFields);
      expect(answer.errors).toBeUndefined();
      expect(answer.cacheControl).toBe("no-store");
    }
  });

  it("shows a change at once where it was made, and in every other replica", async () => {
    const viewer = await registerUser(stack);
    const person = await registerWithProfile(stack, { displayName: "Before" });
    const replica = await stack.startReplica("profiles");
    try {
      expect(await names(viewer.id, [person.id])).toEqual(["Before"]);
      expect(await names(viewer.id, [person.id], replica.url)).toEqual(["Before"]);

      const { username, birthdate, gender, interestedIn, bio } = person.profile;
      const input = { displayName: "After", username, birthdate, gender, interestedIn, bio };
      expect((await person.client.op("UpsertProfile", { input })).errors).toBeUndefined();
      expect(await names(viewer.id, [person.id])).toEqual(["After"]);
      await eventually(async () =>
        expect(await names(viewer.id, [person.id], replica.url)).toEqual(["After"]),
      );

      // A photo is part of the card too.
      await addPhoto(person);
      const photos = async (url?: string) =>
        (await cards(viewer.id, [person.id], url)).data!._entities![0].profile.photos;
      expect(await photos()).toHaveLength(1);
      await eventually(async () => expect(await photos(replica.url)).toHaveLength(1));
    } finally {
      await replica.close();
    }
  });
});
