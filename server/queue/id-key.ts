/**
 * The key an appointment is filed under: a hash of the identity number made on the
 * kiosk, so the number itself never travels to or rests on the platform.
 */
import { createHash } from 'node:crypto';

export function idKeyOf(idNumber: string): string {
  return createHash('sha256').update(`xiaojin-appointment|${idNumber.trim().toUpperCase()}`).digest('hex');
}
