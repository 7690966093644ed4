/**
 * The receipt document the app hands to the printer driver. Deliberately small: what a
 * queue ticket or a service slip needs, nothing a printer might render differently.
 */
import { z } from 'zod';

export const Align = z.enum(['left', 'center', 'right']);
export type Align = z.infer<typeof Align>;

export const TextItem = z.object({
  type: z.literal('text'),
  /** May contain \n; each line is printed on its own. */
  text: z.string().max(4000),
  align: Align.default('left'),
  /** Character magnification, both width and height: 2 prints 2 × 2. */
  size: z.number().int().min(1).max(8).default(1),
  bold: z.boolean().default(false),
  underline: z.boolean().default(false),
});

export const RuleItem = z.object({
  type: z.literal('rule'),
  char: z.string().length(1).default('-'),
});

export const QrItem = z.object({
  type: z.literal('qr'),
  data: z.string().min(1).max(2000),
  /** Module size in dots. */
  moduleSize: z.number().int().min(1).max(16).default(6),
  level: z.enum(['L', 'M', 'Q', 'H']).default('M'),
  align: Align.default('center'),
});

export const Code128Item = z.object({
  type: z.literal('code128'),
  /** Code set B: printable ASCII. */
  data: z.string().min(1).max(200).regex(/^[\x20-\x7e]+$/, 'CODE128 set B takes printable ASCII only'),
  height: z.number().int().min(1).max(255).default(80),
  moduleWidth: z.number().int().min(2).max(6).default(2),
  hri: z.enum(['none', 'above', 'below', 'both']).default('below'),
  align: Align.default('center'),
});

export const FeedItem = z.object({
  type: z.literal('feed'),
  lines: z.number().int().min(1).max(255),
});

export const CutItem = z.object({
  type: z.literal('cut'),
  partial: z.boolean().default(false),
  /** Lines to feed before cutting, so the last line clears the blade. */
  feed: z.number().int().min(0).max(255).default(4),
});

export const ReceiptItem = z.discriminatedUnion('type', [TextItem, RuleItem, QrItem, Code128Item, FeedItem, CutItem]);
export type ReceiptItem = z.infer<typeof ReceiptItem>;
export type ReceiptItemInput = z.input<typeof ReceiptItem>;

export const Receipt = z.object({
  /** Characters per line at size 1: 48 for 80 mm paper, 32 for 58 mm. */
  width: z.number().int().min(16).max(64).default(48),
  items: z.array(ReceiptItem).min(1),
});
export type Receipt = z.infer<typeof Receipt>;
export type ReceiptInput = z.input<typeof Receipt>;

export class ReceiptError extends Error {
  override readonly name = 'ReceiptError';
}

/** Validates and fills defaults; throws ReceiptError naming the offending item. */
export function parseReceipt(input: unknown): Receipt {
  const result = Receipt.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ReceiptError(`invalid receipt at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}
