// The service reads its secrets from plain environment variables.
export const jwtSecret = process.env.JWT_SECRET;
export const apiToken = process.env['API_TOKEN'];
