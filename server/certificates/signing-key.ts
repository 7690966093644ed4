/**
 * The platform's certificate signing key: Ed25519, made on first start and kept as PKCS#8
 * PEM in <dataDir>/keys/certificate-signing.pem (mode 0600; or where
 * XIAOJIN_CERT_KEY_FILE says). Every node of a cluster needs the same file, like the ID
 * key: a certificate signed on one node is checked on any. Losing it makes every printed
 * certificate unverifiable, so it is backed up with the ID key, apart from the database.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { KeyError, createKeyFile, readOwnerOnlyFile } from '../keys.ts';

export const CERT_KEY_ENV = 'XIAOJIN_CERT_KEY_FILE';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  file: string;
}

export function signingKeyPath(dataDir: string, file?: string): string {
  return resolve(file ?? process.env[CERT_KEY_ENV] ?? join(dataDir, 'keys', 'certificate-signing.pem'));
}

function parse(file: string, pem: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new KeyError(`the certificate signing key file ${file} is not a PEM private key: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new KeyError(`the certificate signing key in ${file} is ${privateKey.asymmetricKeyType}, not Ed25519`);
  return { privateKey, publicKey: createPublicKey(privateKey), file };
}

export function loadSigningKey(opts: { dataDir: string; file?: string; log?: Pick<Logger, 'warn'> }): SigningKey {
  const file = signingKeyPath(opts.dataDir, opts.file);
  let pem = readOwnerOnlyFile(file, 'certificate signing key');
  if (pem === null) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const made = createKeyFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim());
    if (made) opts.log?.warn({ file }, 'certificate signing key created; back it up with the ID key, apart from the database');
    pem = readOwnerOnlyFile(file, 'certificate signing key')!;
  }
  return parse(file, pem);
}
