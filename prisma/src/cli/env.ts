/** The one environment variable the database commands read. */
export function databaseUrlFromEnv(): string {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error("DATABASE_URL: required, a postgresql:// connection string");
    process.exit(1);
  }
  return url;
}
