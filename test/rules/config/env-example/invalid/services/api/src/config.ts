export const port = Number(process.env.PORT ?? 8080);
export const databaseUrl = process.env.DATABASE_URL;
export const jwtSecret = process.env['JWT_SECRET'];
