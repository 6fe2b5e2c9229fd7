import type { Request, Response } from 'express';

export function listInvoices(_req: Request, res: Response): void {
  res.json([]);
}

export function listReports(_req: Request, res: Response): void {
  res.json([]);
}
