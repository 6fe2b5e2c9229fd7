import cors from 'cors';
import express from 'express';

const app = express();
app.use(cors({ origin: true, credentials: true }));
        //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ http/cors credentials
app.get('/api/products', (_req, res) => res.json([]));
app.listen(8080);
