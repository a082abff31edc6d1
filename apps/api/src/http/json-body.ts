import { DomainError } from '@custos/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * How deep a JSON body may nest objects and arrays (`{"a":[1]}` is 2). No field of the API needs more
 * than a few levels (metadata is 4 KiB at most); far deeper bodies made class-transformer, behind the
 * validation pipe, recurse until the stack overflowed (a 500, without authentication).
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether a JSON text nests deeper than `max`, in one pass over its characters, before anything is
 * built from it. Brackets inside strings do not count. Malformed text may give any answer: the JSON
 * parser refuses it next. (No maintained JSON parser with a depth limit fits Fastify's parser slot;
 * this is the smallest correct check.)
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  // Deeper needs more than `max` opening brackets. Counting them with indexOf (brackets in strings
  // too, which only over-counts) settles most bodies, a verify request's among them, without the scan.
  if (countUpTo(text, '{', max + 1) + countUpTo(text, '[', max + 1) <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

function countUpTo(text: string, char: string, limit: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1 && count < limit; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/** Fastify's done callback for a content-type parser (its type is not exported). */
type ParserDone = (error: Error | null, body?: unknown) => void;
type JsonParser = (request: FastifyRequest, body: string | Buffer, done: ParserDone) => void;

/**
 * Fastify's own JSON parser (prototype-poisoning protection, its 400s for empty and malformed bodies)
 * behind the depth check: the parser for `application/json` on both Fastify instances (create-app.ts
 * and the hot path's), so no route sees a body deeper than MAX_JSON_DEPTH.
 */
export function depthLimitedJsonParser(fastify: FastifyInstance): JsonParser {
  // Fastify types its default parser as either callback or promise style; it is the callback one.
  const parse = fastify.getDefaultJsonParser('error', 'error') as (
    request: FastifyRequest,
    body: string,
    done: ParserDone,
  ) => void;
  return (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        DomainError.validation(
          [{ field: 'body', message: `must not nest objects and arrays deeper than ${MAX_JSON_DEPTH} levels` }],
          'The body nests too deeply.',
        ),
        undefined,
      );
      return;
    }
    parse(request, text, done);
  };
}
