import { Router } from 'express';

// Carts live in this process only.
const carts = new Map();

export const cart = Router();
cart.post('/carts/:id/items', (req, res) => {
  const items = carts.get(req.params.id) ?? [];
  items.push(req.body.sku);
  carts.set(req.params.id, items);
  res.status(201).json(items);
});
