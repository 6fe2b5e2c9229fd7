import rateLimit from 'express-rate-limit';
import express from 'express';

const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 300 }));
app.post('/api/orders', (req, res) => res.status(201).json(req.body));
app.get('/api/orders', (_req, res) => res.json([]));

app.listen(8080);
