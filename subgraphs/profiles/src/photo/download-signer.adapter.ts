import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl, S3RequestPresigner } from "@aws-sdk/s3-request-presigner";

/** What every GET of the bucket shares: where its objects live and a signer for them. */
interface BucketTemplate {
  origin: URL;
  /** The path before an object's key, ending with `/`. */
  keyPrefix: string;
  /** The SDK's own query parameters of a GetObject (`x-id`, checksum mode), signed too. */
  query: Record<string, string>;
  presigner: S3RequestPresigner;
}

/**
 * Presigned GET URLs for one bucket's objects, the same ones `getSignedUrl` makes, ~10 times
 * cheaper. `getSignedUrl` clones the client's middleware stack, resolves the endpoint and builds a
 * new signer (losing its signing-key cache) for every URL (~0.5 ms each in a micro-benchmark),
 * and a discover page of 50 people lists every photo of each. Here the SDK resolves the bucket's endpoint, signing
 * region and service once (from one `getSignedUrl`), and one long-lived signer signs each URL.
 */
export class DownloadSigner {
  private template: Promise<BucketTemplate> | undefined;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly expiresInSeconds: number,
  ) {}

  async sign(key: string): Promise<string> {
    // A failure (credentials not available yet) is not kept: the next URL asks again.
    this.template ??= this.resolveTemplate().catch((error: unknown) => {
      this.template = undefined;
      throw error;
    });
    const { origin, keyPrefix, query, presigner } = await this.template;
    const signed = await presigner.presign(
      {
        method: "GET",
        protocol: origin.protocol,
        hostname: origin.hostname,
        ...(origin.port ? { port: Number(origin.port) } : {}),
        path: keyPrefix + key.split("/").map(escapeUri).join("/"),
        query: { ...query },
        headers: {},
      },
      { expiresIn: this.expiresInSeconds },
    );
    const search = Object.entries(signed.query ?? {})
      .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => [name, v]))
      .map(([name, value]) => `${escapeUri(name!)}=${escapeUri(value ?? "")}`)
      .sort()
      .join("&");
    return `${origin.origin}${signed.path}?${search}`;
  }

  /** Asks the SDK, once, where a probe object lives and how its URL is signed. */
  private async resolveTemplate(): Promise<BucketTemplate> {
    const probeKey = "probe";
    const probe = new URL(
      await getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: probeKey })),
    );
    // X-Amz-Credential is <access key>/<date>/<region>/<service>/aws4_request.
    const [, , region, service] = probe.searchParams.get("X-Amz-Credential")!.split("/");
    return {
      origin: new URL(probe.origin),
      keyPrefix: probe.pathname.slice(0, -probeKey.length),
      query: Object.fromEntries(
        [...probe.searchParams].filter(([name]) => !name.startsWith("X-Amz-")),
      ),
      presigner: new S3RequestPresigner({
        ...this.s3.config,
        signingName: service,
        region: () => Promise.resolve(region!),
      }),
    };
  }
}

/** RFC 3986 escaping, as the SDK escapes paths and query strings. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
