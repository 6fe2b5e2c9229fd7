import client from 'prom-client';
import express from 'express';

const app = express();
client.collectDefaultMetrics();
app.post('/api/orders', (req, res) => res.status(201).json(req.body));
app.get('/api/orders', (_req, res) => res.json([]));

app.listen(8080);
