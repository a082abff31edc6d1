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
  ) {}

  static fromEnv(): ApiClient {
    const url = process.env.CUSTOS_API_URL;
    if (!url) throw new Error('CUSTOS_API_URL is not set: run the integration project, whose global setup starts the api');
    return new ApiClient(url);
  }

  withAuth(auth: ClientAuth): ApiClient {
    return new ApiClient(this.baseUrl, auth);
  }

  anonymous(): ApiClient {
    return new ApiClient(this.baseUrl);
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
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: sent,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    const type = response.headers.get('content-type') ?? '';
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

/** The session cookie from a Set-Cookie header, as a browser would send it back. */
export function sessionCookieOf(headers: Headers): string {
  const cookies = headers.getSetCookie();
  const session = cookies.find((c) => c.startsWith('custos_session='));
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return session.split(';')[0]!;
}
