import express from 'express';
import pino from 'pino';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const app = express();

app.get('/healthz', (_req, res) => res.send('ok'));
app.listen(8080, () => log.info({ port: 8080 }, 'listening'));
