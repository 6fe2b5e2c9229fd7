// Credentials come from the environment; nothing secret is written here.
export interface Login {
  user: string;
  password: string;
}
const apiKey = process.env.API_KEY;
const TOKEN_TTL = '3600';
const secretName = 'app-secrets';
const labels = { password: 'Password', passwordHint: 'At least 12 characters', forgotPassword: 'Forgot your password?' };
const placeholder = { apiKey: '<your-api-key>', token: 'REPLACE_WITH_YOUR_TOKEN', secret: 'xxxxxxxxxxxxxxxx' };
const jwtSecret = process.env.JWT_SECRET ?? '';
export const settings = { apiKey, TOKEN_TTL, secretName, labels, placeholder, jwtSecret };
