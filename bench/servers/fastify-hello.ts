import Fastify from 'fastify';
import { serve } from './serve';

/** Baseline 1: the cheapest useful Fastify route. Everything else is measured against this. */
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
app.get('/health', async () => ({ status: 'ok' }));
serve(app);
