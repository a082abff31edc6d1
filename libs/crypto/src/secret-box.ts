import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Authenticated encryption (AES-256-GCM) for the few secrets Custos must be able to read back: webhook
 * signing secrets and successor tokens waiting to be fetched. The key is derived from
 * CUSTOS_MASTER_KEY per purpose, so a ciphertext made for one use cannot be replayed as another; the
 * purpose and the caller's context (e.g. the row's tenant and id) are bound as additional data.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly masterKey: string) {
    if (masterKey.length < 32) throw new Error('the master key must be at least 32 characters');
  }

  seal(purpose: string, context: string, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(purpose), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Throws when the ciphertext was altered or sealed for another purpose or context. */
  open(purpose: string, context: string, sealed: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || !body || !tag) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key(purpose), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  private key(purpose: string): Buffer {
    let key = this.keys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.masterKey, 'custos.secret-box', purpose, 32));
      this.keys.set(purpose, key);
    }
    return key;
  }
}
