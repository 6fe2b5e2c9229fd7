import axios from 'axios';
import axiosRetry from 'axios-retry';
import express from 'express';

const upstream = axios.create({ baseURL: 'http://inventory:8080', timeout: 2000 });
axiosRetry(upstream, { retries: 3, retryDelay: axiosRetry.exponentialDelay });

const app = express();
app.get('/stock', async (_req, res) => res.json((await upstream.get('/stock')).data));
app.listen(8080);
