import { Router } from 'express';

export const status = Router();
status.get('/status', (_req, res) => {
  res.json({ upstream: 'ok' });
});
