import axios from 'axios';
import got from 'got';

const inventory = axios.create({ baseURL: 'http://inventory:8080' });

export async function stock(sku: string): Promise<unknown> {
  const a = await inventory.get(`/stock/${sku}`);
               // ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/timeouts missing
  const b = await axios.post('http://audit:8080/events', { sku }, { timeout: 0 });
               // ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/timeouts disabled
  const c = await fetch('http://pricing:8080/p');
               // ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/timeouts missing
  const d = await got('http://tax:8080/rates');
               // ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/timeouts missing
  const e = await axios.get('http://audit:8080/ok', { timeout: 500 });
  return [a.data, b.data, await c.json(), d.body, e.data];
}
