import express from 'express';

const app = express();
app.get('/stock', async (_req, res) => res.json(await (await fetch('http://inventory:8080/stock', { signal: AbortSignal.timeout(2000) })).json()));
app.listen(8080);
//^^^^^^^^^^^^^^ service/retries missing
