import Fastify from 'fastify';
import { serve } from './serve';

/** Baseline 1: the cheapest useful Fastify route. Everything else is measured against this. */
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
app.get('/health', async () => ({ status: 'ok' }));
// Baseline 1b: the verify request's shape (POST, bearer header, JSON body) answered with a constant:
// what receiving and parsing a body costs before any verify work.
app.post('/v1/verify', async () => ({ valid: true, code: 'VALID' }));
serve(app);
