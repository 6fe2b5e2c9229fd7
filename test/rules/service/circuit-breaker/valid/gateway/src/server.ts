import CircuitBreaker from 'opossum';
import express from 'express';

const stock = new CircuitBreaker((sku: string) => fetch(`http://inventory:8080/stock/${sku}`, { signal: AbortSignal.timeout(2000) }), { resetTimeout: 10000 });
const app = express();
app.get('/stock/:sku', async (req, res) => res.json(await stock.fire(req.params.sku)));
app.listen(8080);
