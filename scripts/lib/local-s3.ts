import { mkdir } from "node:fs/promises";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/** s3rver accepts any credentials; these are what the S3_* variables get. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface LocalS3 {
  /** Path-style endpoint, e.g. `http://127.0.0.1:4569`. */
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts s3rver (an S3 stand-in that keeps objects as files in `directory`) on 127.0.0.1 at
 * `port`, any free one by default. It accepts presigned PUT and POST uploads but does not
 * enforce POST policy conditions, so what the code checks itself is what counts.
 */
export async function startLocalS3(directory: string, port = 0): Promise<LocalS3> {
  await mkdir(directory, { recursive: true });
  const server = new S3rver({ address: "127.0.0.1", port, directory, silent: true });
  const address = await server.run();
  return { endpoint: `http://127.0.0.1:${address.port}`, stop: () => server.close() };
}

/** Creates `bucket` on the S3 at `endpoint` unless it exists. */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const s3 = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw error;
  } finally {
    s3.destroy();
  }
}
