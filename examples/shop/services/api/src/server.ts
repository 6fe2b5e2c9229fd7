import express from 'express';

const app = express();
app.get('/healthz', (_req, res) => res.send('ok'));
app.get('/orders', (_req, res) => res.json([]));
app.listen(8080);
