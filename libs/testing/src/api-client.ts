import { request as httpRequest } from 'node:http';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** Credentials the client sends: a session (cookie + CSRF token) or a service key. */
export interface ClientAuth {
  cookie?: string;
  csrfToken?: string;
  bearer?: string;
}

/** A small HTTP client over fetch, speaking to the api as a browser or a service would. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly auth: ClientAuth = {},
    /** A loopback source address (127.0.0.2, …): the api then sees the requests come from another client. */
    readonly localAddress?: string,
  ) {}

  static fromEnv(): ApiClient {
    const url = process.env.CUSTOS_API_URL;
    if (!url) throw new Error('CUSTOS_API_URL is not set: run the integration project, whose global setup starts the api');
    return new ApiClient(url);
  }

  withAuth(auth: ClientAuth): ApiClient {
    return new ApiClient(this.baseUrl, auth, this.localAddress);
  }

  anonymous(): ApiClient {
    return new ApiClient(this.baseUrl, {}, this.localAddress);
  }

  /** The same client, its requests sent from another loopback address. */
  from(localAddress: string): ApiClient {
    return new ApiClient(this.baseUrl, this.auth, localAddress);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const sent: Record<string, string> = { ...headers };
    if (body !== undefined) sent['content-type'] ??= 'application/json';
    if (this.auth.bearer) sent.authorization ??= `Bearer ${this.auth.bearer}`;
    if (this.auth.cookie) sent.cookie ??= this.auth.cookie;
    if (this.auth.csrfToken && !['GET', 'HEAD'].includes(method)) sent['x-csrf-token'] ??= this.auth.csrfToken;
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const response = this.localAddress
      ? await sendFrom(this.localAddress, this.baseUrl + path, method, sent, payload)
      : // A redirect is the API's answer (the SSO routes send the browser on): it is returned, never followed.
        await fetch(this.baseUrl + path, { method, headers: sent, body: payload, redirect: 'manual' });
    const type = response.headers.get('content-type') ?? '';
    // A stream of events never ends: its answer is its first event, then the client hangs up.
    const text = type.startsWith('text/event-stream') ? await firstEventOf(response) : await response.text();
    let parsed: unknown = text;
    // JSON lines (an audit export) stay text: they are many documents, not one.
    if (type.includes('json') && !type.includes('ndjson') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = Record<string, unknown>>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  patch<T = Record<string, unknown>>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, body);
  }

  put<T = Record<string, unknown>>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('PUT', path, body);
  }

  delete<T = Record<string, unknown>>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path);
  }
}

/** The first Server-Sent Event of a stream (up to its blank line); the stream is then cancelled. */
export async function firstEventOf(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel();
  }
  return text.slice(0, text.indexOf('\n\n') + 2 || undefined);
}

/** The session cookie from a Set-Cookie header, as a browser would send it back. */
export function sessionCookieOf(headers: Headers): string {
  const cookies = headers.getSetCookie();
  const session = cookies.find((c) => c.startsWith('custos_session='));
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return session.split(';')[0]!;
}

/** fetch cannot choose its source address; node:http can. Answers a fetch Response all the same. */
function sendFrom(localAddress: string, url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, one);
        }
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: responseHeaders }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
