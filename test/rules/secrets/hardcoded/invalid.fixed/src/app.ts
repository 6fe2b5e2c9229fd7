// Service configuration with credentials written into the code.
function createClient(options: Record<string, string | undefined>): Record<string, string | undefined> {
  return options;
}

const apiKey = process.env.API_KEY;
export const config = {
  dbPassword: process.env.DB_PASSWORD,
  region: 'eu-west-1',
  retries: 3,
};
const jwtSecret = process.env.JWT_SECRET;
const awsKeyId = 'AKIAIOSFODNN7EXAMPLE';
const dbUrl = 'postgres://app:Zk4vR8qW2nX5@db.internal:5432/app';
export const client = createClient({ apiKey, jwtSecret, awsKeyId, dbUrl });
