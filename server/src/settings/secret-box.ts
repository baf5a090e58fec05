import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) of the Duo Secret Key at rest. The key is derived from a secret that does
 * not live in the database (plugin config / env), so a database dump alone does not reveal the Secret Key.
 */
const PREFIX = 'duo1';
const AAD = Buffer.from('strapi-plugin-duo-security:secretKey');

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'strapi-plugin-duo-security', 'settings secret key v1', 32));
}

export interface SecretBox {
  seal(plaintext: string): string;
  /** The plaintext, or undefined when the ciphertext is damaged or was sealed under another key. */
  open(ciphertext: string): string | undefined;
}

export function createSecretBox(secret: string): SecretBox {
  if (secret.length < 16) throw new Error('duo-security: the encryption key must be at least 16 characters long');
  const key = deriveKey(secret);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(AAD);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        PREFIX,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        data.toString('base64url'),
      ].join(':');
    },
    open(ciphertext) {
      const [prefix, iv, tag, data, ...rest] = ciphertext.split(':');
      if (prefix !== PREFIX || iv === undefined || tag === undefined || data === undefined || rest.length > 0) {
        return undefined;
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(AAD);
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
