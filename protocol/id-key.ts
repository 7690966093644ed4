/**
 * The key an appointment is filed under: a keyed hash (HMAC-SHA256 with the hall's secret)
 * of the identity number, made on the kiosk. The number itself never travels to or rests
 * on the platform, and without the secret the key cannot be reversed by hashing every
 * plausible number (an ID number has far too few possibilities for a plain hash to hide it).
 */
import { createHmac } from 'node:crypto';

export function idKeyOf(idNumber: string, secret: string): string {
  if (secret.length < 32) throw new Error('the hall ID-key secret is missing or too short');
  return createHmac('sha256', secret).update(idNumber.trim().toUpperCase()).digest('hex');
}
