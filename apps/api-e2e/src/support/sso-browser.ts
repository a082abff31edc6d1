/**
 * Just enough of a browser to sign in through the test IdP over plain HTTP: redirects followed by hand,
 * cookies kept per origin, and the IdP's login form filled in with an e-mail (any password works there).
 */
export class SsoBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  constructor(private readonly apiUrl: string) {}

  /** The cookies this browser holds for an origin, as a Cookie header. */
  cookiesFor(url: string): string {
    return [...(this.jars.get(new URL(url).origin) ?? new Map<string, string>()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).origin)?.get(name);
  }

  /** One request, no redirect followed; its Set-Cookie headers kept. */
  async fetch(url: string, init: { method?: string; body?: string; contentType?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    const cookies = this.cookiesFor(url);
    if (cookies) headers.cookie = cookies;
    if (init.contentType) headers['content-type'] = init.contentType;
    const res = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual' });
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /**
   * From the start URL through the IdP, logging in as `email`, up to the redirect back to Custos: the
   * callback URL, not yet followed (a test may change it, or follow it with followCallback).
   */
  async throughIdp(startPath: string, email: string): Promise<string> {
    return this.throughIdpFrom(new URL(startPath, this.apiUrl).href, email);
  }

  /** As throughIdp, from any URL on the way (the IdP's authorization URL, say). */
  async throughIdpFrom(startUrl: string, email: string): Promise<string> {
    let url = startUrl;
    for (let hop = 0; hop < 20; hop++) {
      const res = await this.fetch(url);
      if (res.status >= 300 && res.status < 400) {
        const next = new URL(res.headers.get('location')!, url).href;
        if (next.startsWith(`${this.apiUrl}/v1/auth/sso/callback`)) return next;
        if (new URL(next).origin === new URL(this.apiUrl).origin) throw new Error(`Custos sent the browser to ${next} before the IdP`);
        url = next;
        continue;
      }
      const html = await res.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html);
      if (res.status !== 200 || !form) throw new Error(`unexpected IdP answer ${res.status}: ${html.slice(0, 500)}`);
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1] ?? 'login';
      const body = new URLSearchParams(prompt === 'login' ? { prompt, login: email, password: 'any password' } : { prompt });
      const posted = await this.fetch(new URL(form[1]!.replace(/&amp;/g, '&'), url).href, { method: 'POST', body: body.toString(), contentType: 'application/x-www-form-urlencoded' });
      if (posted.status < 300 || posted.status >= 400) throw new Error(`the IdP's form answered ${posted.status}: ${(await posted.text()).slice(0, 500)}`);
      url = new URL(posted.headers.get('location')!, url).href;
    }
    throw new Error('too many redirects');
  }

  /** Follows the IdP's redirect back to Custos: where Custos sends the browser next. */
  async followCallback(callbackUrl: string): Promise<{ status: number; location: string }> {
    const res = await this.fetch(callbackUrl);
    return { status: res.status, location: res.headers.get('location') ?? '' };
  }

  /** The whole sign-in: start, IdP, callback. */
  async signIn(slug: string, email: string): Promise<{ status: number; location: string }> {
    return this.followCallback(await this.throughIdp(`/v1/auth/sso/${slug}/start`, email));
  }
}
