import axios from 'axios';
import got from 'got';

const inventory = axios.create({ baseURL: 'http://inventory:8080', timeout: 2000 });

export async function stock(sku: string): Promise<unknown> {
  const a = await inventory.get(`/stock/${sku}`);
  const b = await axios.post('http://audit:8080/events', { sku }, { timeout: 1000 });
  const c = await fetch('http://pricing:8080/p', { signal: AbortSignal.timeout(1500) });
  const d = await got('http://tax:8080/rates', { timeout: { request: 1000 } });
  return [a.data, b.data, await c.json(), d.body];
}
