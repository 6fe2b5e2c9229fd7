import axios from 'axios';
import express from 'express';

const app = express();
app.get('/stock', async (_req, res) => res.json((await axios.get('http://inventory:8080/stock', { timeout: 2000 })).data));
app.listen(8080);
//^^^^^^^^^^^^^^ service/circuit-breaker missing
