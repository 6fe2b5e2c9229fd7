import express, { type NextFunction, type Request, type Response } from 'express';

const app = express();
app.get('/api/ping', (_req, res) => res.send('pong'));
app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  console.error(err.stack);
  res.status(500).json({ error: 'internal error', ...(process.env.NODE_ENV !== 'production' ? { stack: err.stack } : {}) });
});
app.listen(8080);
