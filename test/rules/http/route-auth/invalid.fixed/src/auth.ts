import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

// Verifies the bearer token and answers 401 without one.
export function requireAuth(req: Request, res: Response, next: NextFunction): void {
  const header = req.headers.authorization ?? '';
  try {
    jwt.verify(header.replace(/^Bearer /, ''), process.env.JWT_SECRET ?? '');
    next();
  } catch {
    res.status(401).json({ error: 'unauthorized' });
  }
}
