// Service configuration with credentials written into the code.
function createClient(options: Record<string, string | undefined>): Record<string, string | undefined> {
  return options;
}

const apiKey = 'q8Zr2LpX0vNw5TbKc7Hy';
             // ^^^^^^^^^^^^^^^^^^^^ secrets/hardcoded assignment
export const config = {
  dbPassword: "Wm3xQ9vT2pL7zR4k",
            // ^^^^^^^^^^^^^^^^ secrets/hardcoded assignment
  region: 'eu-west-1',
  retries: 3,
};
const jwtSecret = process.env.JWT_SECRET || 'superSecret';
                                          // ^^^^^^^^^^^ secrets/hardcoded fallbackDefault
const awsKeyId = 'AKIAIOSFODNN7EXAMPLE';
               // ^^^^^^^^^^^^^^^^^^^^ secrets/hardcoded exampleKey
const dbUrl = 'postgres://app:Zk4vR8qW2nX5@db.internal:5432/app';
                           // ^^^^^^^^^^^^ secrets/hardcoded connectionUrl
export const client = createClient({ apiKey, jwtSecret, awsKeyId, dbUrl });
