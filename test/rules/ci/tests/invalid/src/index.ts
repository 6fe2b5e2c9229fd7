import Fastify from 'fastify';

const app = Fastify();
app.get('/healthz', async () => ({ ok: true }));
void app.listen({ port: 3000 });
