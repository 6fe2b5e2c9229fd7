import { Router } from 'express';
import { pool } from './db';

export const orders = Router();
orders.post('/orders', async (req, res) => {
  const { rows } = await pool.query('insert into orders(sku) values ($1) returning id', [req.body.sku]);
  res.status(201).json(rows[0]);
});
