import cors from 'cors';
import express from 'express';

const app = express();
app.use(cors({ origin: ['https://shop.example.com'], credentials: true }));
app.get('/api/products', (_req, res) => res.json([]));
app.listen(8080);
