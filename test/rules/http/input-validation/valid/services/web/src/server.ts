import { z } from 'zod';
import express from 'express';

const app = express();
const Order = z.object({ sku: z.string() });
app.post('/api/orders', (req, res) => res.status(201).json(req.body));
app.get('/api/orders', (_req, res) => res.json([]));

app.listen(8080);
