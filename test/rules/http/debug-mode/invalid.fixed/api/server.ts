import express, { type NextFunction, type Request, type Response } from 'express';

const app = express();
app.get('/api/ping', (_req, res) => res.send('pong'));
app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  res.status(500).json({ error: err.message, stack: err.stack });
});
app.listen(8080);
