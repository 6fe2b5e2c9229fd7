import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();
const server = app.listen(8080);

function shutdown(): void {
  server.close(() => {
    void pool.end().then(() => process.exit(0));
  });
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
