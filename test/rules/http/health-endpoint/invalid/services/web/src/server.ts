import express from 'express';

const app = express();
app.get('/healthz', (_req, res) => res.send('ok'));
app.post('/api/orders', (req, res) => res.status(201).json(req.body));
app.get('/api/orders', (_req, res) => res.json([]));

app.listen(8080);
